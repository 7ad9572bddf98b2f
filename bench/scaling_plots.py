"""The scaling curves as PNGs (matplotlib, Agg backend), one file per curve.

- scaling-writes.png: API commands/s by uvicorn workers, ours and bare;
- scaling-serial.png: events/s by concurrent writers through the recorder (the lock's ceiling);
- scaling-verify.png: µs per event of verify_database, its read-and-hash baseline and
  verify_bundle by log size, and proof latency by log size;
- scaling-rebuild.png: µs per event of the views' rebuild and of the bare read, by log size.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.ticker import NullFormatter  # noqa: E402

STYLE = {"ours": {"color": "#c0392b", "marker": "o"}, "bare": {"color": "#7f8c8d", "marker": "s"}}
STORE_LINE = {"postgresql": "-", "sqlite": "--"}
NOTE = "2 shared cores: absolute figures are noisy; compare the curves of one run"


def plot_all(result: dict[str, Any], folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    made = []
    for key, draw, name in (("api", writes, "scaling-writes.png"),
                            ("serial", serial, "scaling-serial.png"),
                            ("logs", verify, "scaling-verify.png"),
                            ("logs", rebuild, "scaling-rebuild.png")):
        if result.get(key):
            made.append(_save(draw(result[key]), folder / name))
    return made


def writes(measured: list[dict[str, Any]]) -> Any:
    fig, ax = plt.subplots(figsize=(7, 4.2))
    views = measured[0]["projections"]  # the curve; runs with the views elsewhere are points
    rows = [r for r in measured if r["projections"] == views]
    workers = [r["workers"] for r in rows]
    for name in ("bare", "ours"):
        values = [r[name]["commands_s"] for r in rows]
        ax.plot(workers, values, label=_label(name, "API"), **STYLE[name])
        for x, y in zip(workers, values):
            ax.annotate(f"{y:,.0f}", (x, y), textcoords="offset points", xytext=(0, 7),
                        ha="center", fontsize=8)
    for r in rows:
        ax.annotate(f"{r['ratio']:.2f}×", (r["workers"], r["ours"]["commands_s"]),
                    textcoords="offset points", xytext=(0, -15), ha="center", fontsize=8,
                    color=STYLE["ours"]["color"])
    for r in (r for r in measured if r["projections"] != views):
        ax.plot([r["workers"]], [r["ours"]["commands_s"]], "D", color="#8e44ad",
                label=f"ours, views {r['projections']} ({r['ratio']:.2f}× bare)")
        ax.plot([r["workers"]], [r["bare"]["commands_s"]], "D", color="#bdc3c7",
                label="bare, same run as the point above")
    ax.set_xticks(workers)
    ax.set_xlabel("uvicorn workers per service")
    ax.set_ylabel("rating commands / s")
    ax.set_ylim(bottom=0, top=max(r[n]["commands_s"] for r in measured for n in STYLE) * 1.2)
    ax.set_title(f"API writes by worker count, PostgreSQL, {rows[0]['clients']} clients "
                 f"(lines: views {views})", fontsize=10)
    return _finish(fig, ax, "ours ÷ bare below each red point")


def serial(result: dict[str, Any]) -> Any:
    """Top row: events/s by writers, one panel per transaction size; bottom row: the mean
    number of backends waiting on a lock meanwhile."""
    per_txns = sorted({r["per_txn"] for r in result["rows"]})
    fig, axes = plt.subplots(2, len(per_txns), figsize=(max(7, 5.5 * len(per_txns)), 6.6),
                             squeeze=False, sharex="col",
                             gridspec_kw={"height_ratios": (2.2, 1)})
    for column, per_txn in enumerate(per_txns):
        top, bottom = axes[0][column], axes[1][column]
        rows = [r for r in result["rows"] if r["per_txn"] == per_txn]
        writers = [r["writers"] for r in rows]
        for name in ("bare", "ours"):
            values = [r[name]["events_s"] for r in rows]
            top.plot(writers, values, label=_label(name, "recorder"), **STYLE[name])
            for x, y in zip(writers, values):
                top.annotate(f"{y:,.0f}", (x, y), textcoords="offset points",
                             xytext=(0, -13 if name == "ours" else 6), ha="center", fontsize=7,
                             color=STYLE[name]["color"])
            bottom.plot(writers, [r[name]["lock_waiting"] for r in rows], **STYLE[name])
        split = result.get("split")
        if split and per_txn == 1:
            many = split["split"]
            top.plot([split["writers"]], [many["events_s"]], "D", color="#8e44ad",
                     label=f"ours, the same {split['writers']} writers over {split['ledgers']} "
                           f"ledgers: {many['events_s']:,.0f} ev/s, {split['ratio']:.2f}× one")
            bottom.plot([split["writers"]], [many["lock_waiting"]], "D", color="#8e44ad")
        bottom.set_xscale("log", base=2)
        bottom.margins(x=0.12)
        bottom.set_xticks(writers, [str(w) for w in writers])
        top.set_ylim(bottom=0, top=max(r[n]["events_s"] for r in rows for n in STYLE) * 1.5)
        bottom.set_ylim(bottom=0, top=max(writers))
        bottom.set_xlabel("concurrent writer processes")
        top.set_ylabel("events appended / s")
        bottom.set_ylabel("backends waiting\non a lock (mean)")
        top.set_title(f"{per_txn} event(s) per transaction", fontsize=10)
        for ax in (top, bottom):
            ax.grid(alpha=0.3)
        top.legend(fontsize=7, loc="upper right")
    fig.suptitle("The serial point: appends by concurrent writers, PostgreSQL", fontsize=10)
    fig.text(0.01, 0.01, NOTE, fontsize=7, color="#555")
    fig.tight_layout(rect=(0, 0.03, 1, 0.97))
    return fig


def verify(logs: dict[str, Any]) -> Any:
    sizes = logs["sizes"]
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.4))
    _curves(left, sizes, [
        ("verify_database", lambda s: s["verify"]["us_per_event"], STYLE["ours"]["color"]),
        ("read + SHA-256 (baseline)", lambda s: s["verify"]["baseline_us_per_event"],
         STYLE["bare"]["color"]),
        ("verify_bundle", lambda s: s["bundle"]["us_per_event"], "#2471a3")])
    left.set_ylabel("µs per event")
    left.set_title("Verifying the whole log: cost per event", fontsize=10)
    _curves(right, sizes, [
        ("inclusion proof p50", lambda s: s["proofs"]["inclusion"]["p50_ms"], "#c0392b"),
        ("consistency proof p50", lambda s: s["proofs"]["consistency"]["p50_ms"], "#e67e22"),
        ("one PK lookup p50 (baseline)", lambda s: s["proofs"]["inclusion"]["lookup_p50_ms"],
         STYLE["bare"]["color"])])
    right.set_ylabel("ms per proof")
    right.set_title("Proofs at random sizes up to the log's", fontsize=10)
    fig.text(0.01, 0.01, f"{NOTE}; {_stores_note(sizes)}", fontsize=7, color="#555")
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    return fig


def _stores_note(sizes: list[dict[str, Any]]) -> str:
    largest = {store: max((s["events"] for s in sizes if s["store"] == store), default=0)
               for store in STORE_LINE}
    if 0 < largest["sqlite"] < largest["postgresql"]:
        return f"SQLite up to {_events_label(largest['sqlite'], None)} events only"
    return "logs built once and kept between runs"


def rebuild(logs: dict[str, Any]) -> Any:
    fig, ax = plt.subplots(figsize=(7, 4.4))
    _curves(ax, logs["sizes"], [
        ("rebuild of every view", lambda s: s["rebuild"]["us_per_event"], STYLE["ours"]["color"]),
        ("bare read, same batches (baseline)", lambda s: s["rebuild"]["baseline_us_per_event"],
         STYLE["bare"]["color"])])
    ax.set_ylabel("µs per event")
    ax.set_title("Projection rebuild: cost per event by log size", fontsize=10)
    return _finish(fig, ax, _stores_note(logs["sizes"]), legend=False)


def _curves(ax: Any, sizes: list[dict[str, Any]],
            curves: list[tuple[str, Callable[[dict], float], str]]) -> None:
    """One colour per measure, one line style per store; ticks at the sizes measured."""
    stores = [store for store in STORE_LINE if any(s["store"] == store for s in sizes)]
    for _label, value, color in curves:
        for store in stores:
            points = sorted((s["events"], value(s)) for s in sizes if s["store"] == store)
            xs, ys = zip(*points)
            ax.plot(xs, ys, STORE_LINE[store], color=color, marker="o", markersize=4)
            ax.annotate(f"{ys[-1]:.3g}", (xs[-1], ys[-1]), textcoords="offset points",
                        xytext=(4, 0), fontsize=7, color=color, va="center")
    handles = [Line2D([], [], color=color, marker="o", markersize=4, label=label)
               for label, _, color in curves]
    if len(stores) > 1:
        handles += [Line2D([], [], color="#333", linestyle=STORE_LINE[store], label=store)
                    for store in stores]
    ax.set_xscale("log")
    ticks = sorted({s["events"] for s in sizes})
    ax.set_xticks(ticks, [_events_label(t, None) for t in ticks])
    ax.xaxis.set_minor_formatter(NullFormatter())
    ax.margins(x=0.08)
    ax.set_xlabel("events in the log (log scale)")
    ax.set_ylim(bottom=0)
    ax.grid(alpha=0.3)
    ax.legend(handles=handles, fontsize=7)


def _events_label(value: float, _: Any) -> str:
    for unit, suffix in ((1_000_000, "M"), (1_000, "k")):
        if value >= unit:
            return f"{value / unit:g}{suffix}"
    return f"{value:g}"


def _label(name: str, where: str) -> str:
    return {"ours": f"ours ({where}, ledger inline)", "bare": f"bare library ({where})"}[name]


def _finish(fig: Any, ax: Any, note: str, legend: bool = True) -> Any:
    ax.grid(alpha=0.3)
    if legend:
        ax.legend(fontsize=8)
    fig.text(0.01, 0.01, f"{NOTE}; {note}", fontsize=7, color="#555")
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    return fig


def _save(fig: Any, path: Path) -> Path:
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
