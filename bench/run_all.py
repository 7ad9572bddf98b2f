"""Every benchmark of the project in one go, then docs/PERFORMANCE.md generated from the results.

Each benchmark runs as a subprocess (its own interpreter, as documented for it alone) with
``--json bench/out/<name>.json`` (``bench/out/quick/`` with --quick); its output goes to
``<name>.log`` beside it. Then the report is written from those JSON files: the machine, the
versions, the git commit, the date and the exact command, and one section per benchmark with
each figure beside its baseline and the ratio from the same run, the target and PASS/MISS. A
benchmark left out by --only (or one that failed) is reported from its last JSON, if any, under
that run's own date and command.

    .venv/bin/python bench/run_all.py [--quick] [--only NAMES] [--skip-scaling] [--out PATH]
                                      [--results DIR] [--report-only]
"""

from __future__ import annotations

import argparse
import os
import platform
import shlex
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import Any

import orjson
import psycopg

ROOT = Path(__file__).resolve().parents[1]
if __package__ in (None, ""):  # run as a script, bench/run_all.py: import from the repo root
    sys.path.insert(0, str(ROOT))

from bench.scaling_tables import tables  # noqa: E402

ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
DEFAULT_OUT = Path(os.environ.get("KINERJA_PERFORMANCE_OUT", "docs/PERFORMANCE.md"))
PACKAGES = ("eventsourcing", "psycopg", "fastapi", "uvicorn", "orjson", "pydantic")


@dataclass(frozen=True)
class Bench:
    name: str
    script: str
    issue: str
    quick: tuple[str, ...] = ("--quick",)
    full: tuple[str, ...] = ()


BENCHES = (
    Bench("append", "bench/append.py", "issue 2"),
    Bench("ledger", "bench/ledger.py", "issue 3"),
    Bench("api_load", "bench/api_load.py", "issue 4"),
    Bench("projections", "bench/projections.py", "issue 5"),
    Bench("replay", "bench/replay.py", "issue 6"),  # on the log projections.py built
    Bench("scaling", "bench/scaling.py", "issue 7"),
    Bench("access_log", "bench/access_log.py", "issue 15"),
)
NAMES = tuple(b.name for b in BENCHES)


# --- running ---------------------------------------------------------------------------------

def command_of(bench: Bench, quick: bool, results: Path) -> list[str]:
    return [sys.executable, bench.script, *(bench.quick if quick else bench.full),
            "--json", str(results / f"{bench.name}.json")]


def wait_quiet(threshold: float | None, most: float) -> list[float]:
    """Wait (at most ``most`` seconds) for the 1-minute load average to fall below
    ``threshold``: the machine is shared. Returns the load average when the wait ended."""
    deadline = time.monotonic() + most
    while threshold and os.getloadavg()[0] >= threshold and time.monotonic() < deadline:
        time.sleep(10)
    return [round(n, 2) for n in os.getloadavg()]


def run_bench(bench: Bench, quick: bool, results: Path, quiet: float | None = None,
              most: float = 0) -> dict[str, Any]:
    """Run one benchmark to completion; its output is copied to the console and its log."""
    command = command_of(bench, quick, results)
    log = results / f"{bench.name}.log"
    waited = time.monotonic()
    load = wait_quiet(quiet, most)
    start = datetime.now(timezone.utc).isoformat(timespec="seconds")
    waited = time.monotonic() - waited
    print(f"\n=== {bench.name}: {shlex.join(_relative(command))}  (log: {_rel(log)}; load "
          f"average {' '.join(map(str, load))})", flush=True)
    started = time.monotonic()
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, env=os.environ | {"COLUMNS": "160"})
        for line in process.stdout:  # type: ignore[union-attr]
            out.write(line)
            out.flush()
            sys.stdout.buffer.write(line)
            sys.stdout.flush()
        code = process.wait()
    seconds = time.monotonic() - started
    print(f"=== {bench.name}: exit {code} after {seconds:,.0f} s", flush=True)
    return {"name": bench.name, "exit": code, "seconds": seconds, "waited_s": waited,
            "started": start,
            "load_average": load, "command": shlex.join(_relative(command))}


def _relative(command: Sequence[str]) -> list[str]:
    return [".venv/bin/python" if part == sys.executable else _rel(Path(part))
            if part.startswith(str(ROOT)) else part for part in command]


def _rel(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


# --- the record of the run ---------------------------------------------------------------------

def environment(started: datetime, argv: Sequence[str]) -> dict[str, Any]:
    return {"date": started.isoformat(timespec="seconds"),
            "command": shlex.join([".venv/bin/python", "bench/run_all.py", *argv]),
            "cores": os.cpu_count(), "cpu": _cpu(), "ram_gb": _ram_gb(),
            "system": platform.platform(terse=True), "python": platform.python_version(),
            "postgresql": _postgres_version(),
            "packages": {name: _version(name) for name in PACKAGES},
            "git": _git(), "load_average": [round(n, 2) for n in os.getloadavg()]}


def _cpu() -> str:
    for line in _read("/proc/cpuinfo").splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def _ram_gb() -> float | None:
    for line in _read("/proc/meminfo").splitlines():
        if line.startswith("MemTotal:"):
            return round(int(line.split()[1]) / 1024 ** 2, 1)
    return None


def _read(path: str) -> str:
    try:
        return Path(path).read_text()
    except OSError:
        return ""


def _postgres_version() -> str | None:
    try:
        with psycopg.connect(ADMIN_URL, connect_timeout=5) as conn:
            return conn.execute("SHOW server_version").fetchone()[0]
    except psycopg.Error:
        return None


def _version(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def _git() -> dict[str, Any]:
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True,
                              text=True).stdout.strip()
    changed = [line[3:] for line in git("status", "--porcelain").splitlines() if line]
    return {"commit": git("rev-parse", "--short", "HEAD"),
            "subject": git("log", "-1", "--format=%s"), "uncommitted": changed}


# --- the report --------------------------------------------------------------------------------

def fmt(value: Any, form: str = "{:,.0f}") -> str:
    return "—" if value is None else form.format(value)


def result(passed: bool | None) -> str:
    return "—" if passed is None else "PASS" if passed else "**MISS**"


def table(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """A Markdown table; a column whose cells are figures is right-aligned."""
    rows = [list(row) for row in rows]

    def figures(column: int) -> bool:
        cells = [row[column] for row in rows if row[column] not in ("—", "")]
        return bool(cells) and all(cell[:1].isdigit() for cell in cells)
    align = ["---:" if figures(i) else "---" for i in range(len(headers))]
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join(align) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def provenance(name: str, data: dict[str, Any], run: dict[str, Any] | None, since: str,
               log: str) -> str:
    """Where a section's figures come from: this run (and how it ended), or an earlier one."""
    machine = data.get("machine", {})
    load = machine.get("load_average_before") or data.get("load_average_before")
    after = machine.get("load_average")
    date = data.get("date", "?")
    fresh = run is not None and date[:19] >= since[:19]
    where = (f"Ran {date[:19].replace('T', ' ')} UTC"
             + (f" in {run['seconds']:,.0f} s" if fresh else "")
             + (f"; load average before {' '.join(map(str, load))}" if load else "")
             + (f"{', after' if load else '; load average after'} {' '.join(map(str, after))}"
                if after else "") + ".")
    command = run["command"] if fresh else data.get("command", "?")
    text = f"Command: `{command}`. {where}"
    if run and run["exit"]:
        text += f" **This run's `{name}` exited with {run['exit']}** (see `{log}`)."
    if not fresh:
        text += (" **These figures are from an earlier run**" + (
            ": this run's left no results." if run else ": it was not rerun now."))
    return text


def section_append(d: dict[str, Any]) -> list[str]:
    appends, loads = d["append"], d["load"]
    return [
        "**Targets.** Our domain and metadata cost at most 1.3× the bare `eventsourcing` library "
        "per event appended; loading an evaluation with 1,000 events: p99 under 2 ms on "
        "PostgreSQL, with snapshots.",
        "**How.** In one process, per store: the bare library's counter application beside "
        "`KinerjaApplication` as deployed (ledger recorders) and on the library's recorders "
        "(domain and metadata alone); `comment` and `record_rating` on fresh evaluations, one "
        "event per save and 20 per commit, rounds alternating order; a figure is the median over "
        "rounds. Loads: 1,000-event evaluation, cases in turns of 10.",
        table(["Store", "Events/save", "Command", "Ours on", "Bare µs/ev", "Ours µs/ev",
               "Bare ev/s", "Ours ev/s", "Ours ÷ bare (cost)", "Target", "Result"],
              [[r["store"], str(r["per_save"]), r["command"], r["stack"], fmt(r["bare_us"]),
                fmt(r["ours_us"]), fmt(r["bare_events_s"]), fmt(r["ours_events_s"]),
                fmt(r["ratio"], "{:.2f}×"), f"≤ {r['target']}×", result(r["passed"])]
               for r in appends]),
        table(["Store", "Load", "How", "Events", "p50 ms", "p99 ms", "p50 ÷ bare fold",
               "Target", "Result"],
              [[r["store"], r["load"], r["how"], fmt(r["events"]), fmt(r["p50_ms"], "{:.2f}"),
                fmt(r["p99_ms"], "{:.2f}"), fmt(r["vs_bare_p50"], "{:.2f}×"),
                f"p99 < {r['target_ms']:g} ms" if r["target_ms"] else "—", result(r["passed"])]
               for r in loads]),
    ]


def section_ledger(d: dict[str, Any]) -> list[str]:
    parts = [
        "**Targets.** (1) Appending through the ledger recorders at ≥ 0.8× the bare library's "
        "events/s. (2) `verify_database` over 1,000,000 events at ≥ 0.5× a bare loop reading "
        "the same rows and hashing each (PostgreSQL); `verify_bundle` ≥ 200,000 events/s. "
        "(3) Inclusion and consistency proofs at 1,000,000 leaves: p99 < 5 ms on PostgreSQL.",
        "**How.** Writes: the same counter application on the library's recorders and on ours, "
        "each in a store of its own, only `save()` timed, rounds alternating; the ratio is the "
        "median of the rounds' own ratios. Verify and proofs: a synthetic log built once through "
        "our recorder (`kinerja_bench_1m` and a SQLite file, kept between runs); the baseline "
        "reads the same event rows in the same order on a plain driver connection and runs "
        "SHA-256 over each state; proofs beside one primary-key lookup.",
    ]
    if d.get("writes"):
        parts.append(table(
            ["Store", "Events/save", "Bare µs/save", "Ours µs/save", "Bare ev/s", "Ours ev/s",
             "Ours ÷ bare", "Target", "Result"],
            [[r["store"], str(r["per_save"]), fmt(r["bare_us_per_save"]),
              fmt(r["ours_us_per_save"]), fmt(r["bare_events_s"]), fmt(r["ours_events_s"]),
              fmt(r["ratio"], "{:.2f}×"), f"≥ {r['target']}×", result(r["passed"])]
             for r in d["writes"]]))
    if d.get("verify"):
        parts.append(table(
            ["Store", "Measure", "Events", "Ours ev/s", "Baseline ev/s", "Ours ÷ baseline",
             "Target", "Result"],
            [[r["store"], f"`{r['what']}`", fmt(r["events"]), fmt(r["events_s"]),
              fmt(r["baseline_events_s"]), fmt(r["ratio"], "{:.2f}×"), r["target"],
              result(r["passed"])] for r in d["verify"]]))
        parts.append("Exports (`export_database`, timed once): " + "; ".join(
            f"{r['store']} {fmt(r['export_events_s'])} events/s, bundle "
            f"{fmt(r['bundle_mb'])} MB" for r in d["verify"] if r["what"] == "verify_bundle")
            + ".")
    if d.get("proofs"):
        parts.append(table(
            ["Store", "Proof", "Proofs", "p50 ms", "p99 ms", "PK lookup p50 / p99 ms",
             "p50 ÷ lookup", "Target", "Result"],
            [[r["store"], r["proof"], fmt(r["count"]), fmt(r["p50_ms"], "{:.2f}"),
              fmt(r["p99_ms"], "{:.2f}"),
              f"{r['lookup_p50_ms']:.3f} / {r['lookup_p99_ms']:.3f}",
              fmt(r["p50_vs_lookup"], "{:.1f}×"),
              f"p99 < {r['target_ms']:g} ms" if r["target_ms"] else "—", result(r["passed"])]
             for r in d["proofs"]]))
    return parts


def section_api(d: dict[str, Any]) -> list[str]:
    bare, ours = d["rows"]
    counts, bare_counts = d["counts"], d["bare_counts"]
    return [
        "**Target.** Our API does ≥ 0.8× the commands/s of a bare FastAPI + `eventsourcing` "
        "service doing the same load-record-save; no acknowledged write may be missing.",
        "**How.** Both as real uvicorn processes on loopback, driven by the same keep-alive "
        "clients (ratings, then revisions, each with an `Idempotency-Key`), timed rounds "
        "alternating between them after a warm-up; CPU per command from /proc. **The load "
        "generator, both services and the database share the machine's cores.**",
        table(["Service", "Store", "Workers", "Our views", "Commands", "Commands/s", "p50 ms",
               "p99 ms", "Service CPU ms/cmd", "PostgreSQL CPU ms/cmd", "Not 2xx"],
              [[r["service"], d["store"], str(r["workers"]), d.get("projections", "—"),
                fmt(r["ok"]), fmt(r["commands_s"]), fmt(r["p50_ms"], "{:.1f}"),
                fmt(r["p99_ms"], "{:.1f}"), fmt(r["server_cpu_ms"], "{:.2f}"),
                fmt(r["database_cpu_ms"], "{:.2f}"),
                ", ".join(f"{s}: {n}" for s, n in r["not_2xx"].items()) or "0"]
               for r in (bare, ours)]),
        table(["Measure", "Ours", "Baseline (bare)", "Ours ÷ bare", "Target", "Result"],
              [["commands/s", fmt(ours["commands_s"]), fmt(bare["commands_s"]),
                fmt(d["ratio"], "{:.2f}×"), f"≥ {d['target']}×", result(d["passed"])],
               ["acknowledged writes missing from store or ledger", fmt(counts["missing"]),
                fmt(bare_counts["missing"]), "—", "0", result(counts["missing"] == 0)],
               ["`kinerja verify` after the load",
                f"{'ok' if counts['verify']['ok'] else 'FAILED'}, "
                f"{fmt(counts['verify']['leaves'])} leaves", "—", "—", "ok",
                result(counts["verify"]["ok"])]]),
        f"Acknowledged (warm-up included): ours {fmt(counts['acknowledged'])}, of which "
        f"{fmt(counts['acked_stored'])} stored and {fmt(counts['acked_in_ledger'])} in the "
        f"ledger; bare {fmt(bare_counts['acknowledged'])}, {fmt(bare_counts['acked_stored'])} "
        f"stored. Ours: {fmt(counts['events'])} events, ledger size "
        f"{fmt(counts['ledger_size'])}.",
    ]


def section_projections(d: dict[str, Any]) -> list[str]:
    rebuild, lag = d["rebuild"], d["lag"]
    return [
        "**Targets.** Rebuilding every view ≥ 20,000 events/s; live lag of the views under "
        "sustained writes p99 < 200 ms (PostgreSQL).",
        "**How.** One demo year (600 ASN, through the use cases) copied with fresh ids until "
        "the log is large enough, written through the ledger recorder; the rebuild beside a bare "
        "read of the same notifications in the same batches; then one writer through the use "
        "cases while a follower keeps the views (LISTEN/NOTIFY).",
        table(["Measure", "Events", "Ours", "Baseline", "Ours ÷ baseline", "Target", "Result"],
              [["rebuild of every view, events/s", fmt(d["events"]), fmt(rebuild["events_s"]),
                f"{fmt(rebuild['baseline_events_s'])} (bare read)",
                fmt(rebuild["ratio"], "{:.2f}×"), f"≥ {rebuild['target_events_s']:,}/s",
                result(rebuild["passed"])],
               ["live lag p50 / p99, ms", f"{fmt(lag['writes'])} writes",
                f"{lag['p50_ms']:.1f} / {lag['p99_ms']:.1f}", "—", "—",
                f"p99 < {lag['target_p99_ms']} ms", result(lag["passed"])]]),
    ]


def section_replay(d: dict[str, Any]) -> list[str]:
    low, high = d["dossier_events"]

    def row(label: str, f: dict[str, Any], baseline: str) -> list[str]:
        ratio = f["p50_ms"] / f["baseline_p50_ms"] if f["baseline_p50_ms"] else None
        base = (f"{f['baseline_p50_ms']:.2f} / {f['baseline_p99_ms']:.2f} ({baseline})"
                if f["baseline_p50_ms"] else "—")
        return [label, fmt(f["count"]), f"{f['p50_ms']:.2f} / {f['p99_ms']:.2f}", base,
                fmt(ratio, "{:.2f}×"), f"p99 < {f['target_p99_ms']:g} ms", result(f["passed"])]
    return [
        "**Targets.** Rebuilding a record as of a version or a moment: p99 < 5 ms; the dossier "
        "of an evaluation (events, related records, proofs): < 200 ms (PostgreSQL).",
        "**How.** A 1,000-event evaluation in a scratch database, loaded as of random points "
        "(newest snapshot at or below, then the rest) beside folding from the first event "
        "without snapshots; dossiers on the log `bench/projections.py` built, beside reading "
        "the evaluation's events alone.",
        table(["Measure", "Count", "Ours p50 / p99 ms", "Baseline p50 / p99 ms",
               "p50 ÷ baseline", "Target", "Result"],
              [row("as of a version, 1,000-event evaluation", d["as_of_version"],
                   "fold from the first event"),
               row("as of a moment, same evaluation", d["as_of_moment"], ""),
               row(f"dossier at {d['leaves']:,} leaves ({low}–{high} events + related)",
                   d["dossier"], "read its events")]),
    ]


def section_scaling(d: dict[str, Any]) -> list[str]:
    parts = ["How throughput and per-event costs move with more API workers, more concurrent "
             "writers and a larger log; the analysis, sizing and plots are in "
             "[SCALING.md](SCALING.md). No targets: each figure stands beside its baseline from "
             "the same run."]
    for _, headers, rows in tables(d):
        parts.append(table(headers, rows))
    if d.get("plots"):
        parts.append("Plots: " + ", ".join(
            f"[{Path(p).name}]({Path(p).name})" if Path(p).parent.name == "docs" else f"`{p}`"
            for p in d["plots"]) + ".")
    return parts


def section_access_log(d: dict[str, Any]) -> list[str]:
    rows = []
    for r in d["results"]:
        on, off, j = r["on"], r["off"], r["journaled"]
        rows.append([r["store"], f"{r['clients']} clients", f"{on['count']:,} / {off['count']:,}",
                     f"{on['p50_ms']:.2f} / {on['p99_ms']:.2f}",
                     f"{off['p50_ms']:.2f} / {off['p99_ms']:.2f}", fmt(r["ratio_p99"], "{:.2f}×"),
                     f"{j['found']:,} of {j['expected']:,}", result(r["passed"])])
    return [
        "**Target.** Journaling every look at a person's file adds at most 10% to a read's p99.",
        "**How.** Concurrent keep-alive clients read evaluations, each as its ASN, from one "
        "uvicorn, in rounds alternating between journaling on and off (no permission "
        "journaled); afterwards every look of the `on` rounds must be in the journal.",
        table(["Store", "Load", "Reads on / off", "On p50 / p99 ms", "Off p50 / p99 ms",
               "p99 on ÷ off", "Looks journaled", "Result"], rows),
    ]


SECTIONS: dict[str, tuple[str, Callable[[dict[str, Any]], list[str]]]] = {
    "append": ("Append (issue 2)", section_append),
    "ledger": ("Ledger (issue 3)", section_ledger),
    "api_load": ("API load (issue 4)", section_api),
    "projections": ("Projections (issue 5)", section_projections),
    "replay": ("Replay (issue 6)", section_replay),
    "scaling": ("Scaling (issue 7)", section_scaling),
    "access_log": ("Access journal (issue 15)", section_access_log),
}


def verdicts(name: str, d: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(what, figure, result) of each judged target in a benchmark's results."""
    if name == "append":
        return [(f"append {r['store']}, {r['per_save']}/save, {r['command']}, {r['stack']}",
                 f"{r['ratio']:.2f}× bare (≤ {r['target']}×)", result(r["passed"]))
                for r in d["append"]] + [
                (f"load {r['store']}, {r['load']}", f"p99 {r['p99_ms']:.2f} ms "
                 f"(< {r['target_ms']:g} ms)", result(r["passed"]))
                for r in d["load"] if r["passed"] is not None]
    if name == "ledger":
        return [(f"writes {r['store']}, {r['per_save']}/save", f"{r['ratio']:.2f}× bare "
                 f"(≥ {r['target']}×)", result(r["passed"])) for r in d.get("writes", [])] + [
                (f"`{r['what']}` {r['store']}, {r['events']:,} events",
                 (f"{r['ratio']:.2f}× baseline" if r["ratio"] else f"{r['events_s']:,.0f}/s")
                 + f" ({r['target']})", result(r["passed"]))
                for r in d.get("verify", []) if r["passed"] is not None] + [
                (f"{r['proof']} proof {r['store']}", f"p99 {r['p99_ms']:.2f} ms "
                 f"(< {r['target_ms']:g} ms)", result(r["passed"]))
                for r in d.get("proofs", []) if r["passed"] is not None]
    if name == "api_load":
        return [(f"API {d['store']}, {d['rows'][1]['workers']} worker(s), views "
                 f"{d.get('projections', '?')}", f"{d['ratio']:.2f}× bare (≥ {d['target']}×)",
                 result(d["passed"])),
                ("API: acknowledged writes missing", str(d["counts"]["missing"]),
                 result(d["counts"]["missing"] == 0))]
    if name == "projections":
        r, lag = d["rebuild"], d["lag"]
        return [(f"rebuild of every view, {d['events']:,} events", f"{r['events_s']:,.0f}/s "
                 f"(≥ {r['target_events_s']:,}/s)", result(r["passed"])),
                ("views' live lag", f"p99 {lag['p99_ms']:.1f} ms (< {lag['target_p99_ms']} ms)",
                 result(lag["passed"]))]
    if name == "replay":
        return [(label, f"p99 {d[key]['p99_ms']:.2f} ms (< {d[key]['target_p99_ms']:g} ms)",
                 result(d[key]["passed"])) for key, label in (
                    ("as_of_version", "as of a version"), ("as_of_moment", "as of a moment"),
                    ("dossier", f"dossier at {d['leaves']:,} leaves"))]
    if name == "access_log":
        return [(f"read's p99, journal on vs off, {r['store']}",
                 f"{fmt(r['ratio_p99'], '{:.2f}×')} (≤ {r['target']}×)", result(r["passed"]))
                for r in d["results"]] + [
                (f"looks lost, {r['store']}",
                 str(r["journaled"]["expected"] - r["journaled"]["found"]),
                 result(r["journaled"]["expected"] == r["journaled"]["found"]))
                for r in d["results"]]
    return []


def render(env: dict[str, Any], runs: dict[str, dict[str, Any]], results: Path,
           finished: datetime, quick: bool) -> str:
    found = {name: orjson.loads(path.read_bytes()) for name in NAMES
             if (path := results / f"{name}.json").exists()}
    git, packages = env["git"], env["packages"]
    lines = [
        "# Performance",
        "",
        f"Generated by `bench/run_all.py` from the JSON results in `{_rel(results)}/`: do not "
        "edit by hand, rerun it. Hand-written analysis (profiles, where the time goes, verdicts "
        "and what to change) is in [PERFORMANCE-NOTES.md](PERFORMANCE-NOTES.md); how far one "
        "machine goes and how the design goes past it, in [SCALING.md](SCALING.md).",
        "",
        "Every figure stands beside its baseline measured **in the same run**, and ratios come "
        "from those pairs. The machine is shared (2 cores, other sessions' tests and benchmarks "
        "running on and off), so ratios hold better than absolute figures, which are noisy.",
        "",
        "## This run",
        "",
        f"- Command: `{env['command']}`" + (" (a smoke run: small sizes, not for the record)"
                                            if quick else ""),
        f"- Date: {env['date'].replace('T', ' ')} to "
        f"{finished.isoformat(timespec='seconds').replace('T', ' ')} "
        f"({(finished - datetime.fromisoformat(env['date'])).total_seconds() / 60:,.0f} min)",
        f"- Git commit: `{git['commit']}` ({git['subject']})"
        + (f", with {len(git['uncommitted'])} uncommitted files in the working tree "
           "(others edit it meanwhile)" if git["uncommitted"] else ""),
        f"- Machine: {env['cores']} cores ({env['cpu']}), {fmt(env['ram_gb'], '{:g}')} GB RAM, "
        f"{env['system']}; load average at the start "
        f"{' '.join(map(str, env['load_average']))}",
        f"- Versions: Python {env['python']}, PostgreSQL {env['postgresql'] or '—'} (same "
        "machine, 127.0.0.1), " + ", ".join(f"{n} {v or '—'}" for n, v in packages.items()),
        "",
        table(["Benchmark", "Command", "Load average at start", "Exit", "Minutes", "Run by"],
              [[name, f"`{run['command']}`", " ".join(map(str, run.get("load_average", []))),
                str(run["exit"]), f"{run['seconds'] / 60:.1f}",
                _invocation(run.get("invocation"))] for name, run in runs.items()])
        if runs else "",
        "",
        "## Summary of targets",
        "",
        table(["Target", "Figure (target)", "Result"],
              [row for name in NAMES if name in found for row in verdicts(name, found[name])]),
    ]
    for name, (title, section) in SECTIONS.items():
        lines += ["", f"## {title}", ""]
        if name not in found:
            lines.append(_missing(name, runs.get(name), results))
            continue
        run = runs.get(name)
        since = (run or {}).get("started") or (run or {}).get("invocation", {}).get("date") \
            or env["date"]
        lines.append(provenance(name, found[name], run, since, _rel(results / f"{name}.log")))
        for part in section(found[name]):
            lines += ["", part]
    return "\n".join(lines).replace("\n\n\n", "\n\n") + "\n"


def _invocation(invocation: dict[str, Any] | None) -> str:
    if not invocation:
        return "this command"
    return (f"an earlier `{invocation['command']}`, {invocation['date'][:16].replace('T', ' ')}"
            f" UTC, `{invocation['commit']}`")


def _missing(name: str, run: dict[str, Any] | None, results: Path) -> str:
    if run is None:
        return f"Not run, and no earlier results in `{_rel(results)}/`."
    log = results / f"{name}.log"
    last = [line for line in _read(str(log)).splitlines() if line.strip()][-1:] or ["?"]
    return (f"Command: `{run['command']}`. **It exited with {run['exit']} and left no results**"
            f" (last line of `{_rel(log)}`: `{last[0].strip()[:200]}`).")


def merge(last: dict[str, Any], runs: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """This invocation's runs, and the last record's for the benchmarks not rerun, each of
    those labelled with the invocation that ran it."""
    before = last["environment"]
    merged = {}
    for name in NAMES:
        if name in runs:
            merged[name] = runs[name]
        elif name in last["runs"]:
            run = last["runs"][name]
            merged[name] = run | {"invocation": run.get("invocation") or {
                "command": before["command"], "date": before["date"],
                "commit": before["git"]["commit"]}}
    return merged


# --- main --------------------------------------------------------------------------------------

def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help="every benchmark's --quick: a smoke run of a few minutes")
    parser.add_argument("--only", help=f"comma-separated, among {', '.join(NAMES)}")
    parser.add_argument("--skip-scaling", action="store_true", help="leave bench/scaling.py out")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help=f"the report to write (default {DEFAULT_OUT}; "
                             "KINERJA_PERFORMANCE_OUT changes the default)")
    parser.add_argument("--results", type=Path,
                        help="where the JSON and logs go (default bench/out, bench/out/quick)")
    parser.add_argument("--wait-quiet", type=float, metavar="LOAD",
                        help="before each benchmark, wait for a 1-minute load average below LOAD")
    parser.add_argument("--wait-most", type=float, default=900, metavar="SECONDS",
                        help="the longest each such wait may last (default 900)")
    parser.add_argument("--report-only", action="store_true",
                        help="run nothing: write the report from the JSON already there")
    args = parser.parse_args(argv)
    chosen = [n.strip() for n in (args.only or ",".join(NAMES)).split(",") if n.strip()]
    if set(chosen) - set(NAMES):
        parser.error(f"--only chooses among {', '.join(NAMES)}")
    if args.skip_scaling and "scaling" in chosen:
        chosen.remove("scaling")
    args.chosen = [] if args.report_only else chosen
    args.results = args.results or ROOT / ("bench/out/quick" if args.quick else "bench/out")
    args.out = args.out if args.out.is_absolute() else ROOT / args.out
    return args


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = parse_args(argv)
    started = datetime.now(timezone.utc).replace(microsecond=0)
    args.results.mkdir(parents=True, exist_ok=True)
    record = args.results / "run_all.json"
    if args.report_only and record.exists():  # the report of the last run, written again
        last = orjson.loads(record.read_bytes())
        env, runs = last["environment"], last["runs"]
        finished = datetime.fromisoformat(last["finished"])
    else:
        env = environment(started, argv)
        runs = {b.name: run_bench(b, args.quick, args.results, args.wait_quiet,
                                  args.wait_most) for b in BENCHES if b.name in args.chosen}
        finished = datetime.now(timezone.utc).replace(microsecond=0)
        if args.only and record.exists():  # the benchmarks not rerun keep their last run
            runs = merge(orjson.loads(record.read_bytes()), runs)
        record.write_bytes(orjson.dumps(
            {"environment": env, "runs": runs, "finished": finished.isoformat()},
            option=orjson.OPT_INDENT_2))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(render(env, runs, args.results, finished, args.quick))
    print(f"\nwrote {_rel(args.out)}; " + ", ".join(
        f"{name} exit {run['exit']} ({run['seconds'] / 60:.1f} min)" for name, run in runs.items()))
    return max((run["exit"] for run in runs.values()), default=0)


if __name__ == "__main__":
    sys.exit(main())
