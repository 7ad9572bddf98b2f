"""The scaling results as tables: (title, headers, rows of strings), for the console
(``bench/scaling.py``) and for the generated PERFORMANCE.md (``bench/run_all.py``) alike.

No imports beyond the standard library, so the report writer can use it without the
benchmarks' dependencies.
"""

from __future__ import annotations

from typing import Any

Table = tuple[str, list[str], list[list[str]]]


def _n(value: float | None, form: str = "{:,.0f}") -> str:
    return "—" if value is None else form.format(value)


def _p(figure: dict[str, Any]) -> str:
    return f"{figure['p50_ms']:.1f} / {figure['p99_ms']:.1f}"


def api_table(rows: list[dict[str, Any]]) -> Table:
    return (
        "API writes by uvicorn workers (PostgreSQL; ours ÷ bare from the same run)",
        ["Workers", "Clients", "Our views", "Bare cmd/s", "Ours cmd/s", "Ours ÷ bare",
         "Bare p50 / p99 ms", "Ours p50 / p99 ms", "Missing", "Verify"],
        [[str(r["workers"]), str(r["clients"]), r["projections"], _n(r["bare"]["commands_s"]),
          _n(r["ours"]["commands_s"]), _n(r["ratio"], "{:.2f}×"), _p(r["bare"]), _p(r["ours"]),
          _n(r["missing"]), "ok" if r["verified"] else "FAILED"] for r in rows])


def serial_table(result: dict[str, Any]) -> Table:
    return (
        "Serial point: concurrent writers appending through the recorder (PostgreSQL)",
        ["Events/txn", "Writers", "Bare ev/s", "Ours ev/s", "Ours ÷ bare", "Bare p50 ms/txn",
         "Ours p50 ms/txn", "Bare lock waiters", "Ours lock waiters"],
        [[str(r["per_txn"]), str(r["writers"]), _n(r["bare"]["events_s"]),
          _n(r["ours"]["events_s"]), _n(r["ratio"], "{:.2f}×"), _n(r["bare"]["p50_ms"], "{:.1f}"),
          _n(r["ours"]["p50_ms"], "{:.1f}"), _n(r["bare"]["lock_waiting"], "{:.1f}"),
          _n(r["ours"]["lock_waiting"], "{:.1f}")] for r in result["rows"]])


def split_table(split: dict[str, Any]) -> Table:
    return (
        f"The same {split['writers']} writers on one ledger, then spread over "
        f"{split['ledgers']} ledgers (databases) of their own; one event per transaction",
        ["Ledgers", "Writers", "Events/s", "p50 ms/txn", "p99 ms/txn", "Lock waiters",
         "÷ one ledger"],
        [[str(r["ledgers"]), str(r["writers"]), _n(r["events_s"]), _n(r["p50_ms"], "{:.1f}"),
          _n(r["p99_ms"], "{:.1f}"), _n(r["lock_waiting"], "{:.1f}"),
          _n(r["events_s"] / split["one"]["events_s"], "{:.2f}×")]
         for r in (split["one"], split["split"])])


def logs_table(logs: dict[str, Any]) -> Table:
    return (
        "Whole-log reads by size (µs per event; ratios: ours ÷ baseline events/s)",
        ["Store", "Events", "verify µs/ev", "read+hash µs/ev", "Ours ÷ baseline",
         "bundle µs/ev", "rebuild µs/ev", "bare read µs/ev", "Ours ÷ baseline",
         "inclusion p50 / p99 ms", "PK lookup p50 ms", "bytes/event"],
        [[s["store"], _n(s["events"]), _n(s["verify"]["us_per_event"], "{:.1f}"),
          _n(s["verify"]["baseline_us_per_event"], "{:.1f}"), _n(s["verify"]["ratio"], "{:.2f}×"),
          _n(s["bundle"]["us_per_event"], "{:.1f}"), _n(s["rebuild"]["us_per_event"], "{:.1f}"),
          _n(s["rebuild"]["baseline_us_per_event"], "{:.1f}"),
          _n(s["rebuild"]["ratio"], "{:.2f}×"),
          f"{s['proofs']['inclusion']['p50_ms']:.2f} / {s['proofs']['inclusion']['p99_ms']:.2f}",
          _n(s["proofs"]["inclusion"]["lookup_p50_ms"], "{:.3f}"),
          _n(s["footprint"]["bytes_per_event"])] for s in logs["sizes"]])


def tables(result: dict[str, Any]) -> list[Table]:
    """Every table the scaling results hold, in order."""
    made = []
    for key, build in (("api", api_table), ("serial", serial_table), ("logs", logs_table)):
        if result.get(key):
            made.append(build(result[key]))
        if key == "serial" and (result.get(key) or {}).get("split"):
            made.append(split_table(result[key]["split"]))
    return made
