"""Issue 3: what the ledger costs, each figure beside a baseline measured in the same run.

1. Writes: a trivial counter application saving through our recorders (events, leaf and new
   nodes in one transaction) against the same application on the bare library's recorders;
   one event and twenty events per save; SQLite and PostgreSQL. Target: ours >= 0.8x bare.
2. Verify: ``verify_database`` over a log of 1,000,000 events against a loop that only reads
   the same event rows and hashes each; target >= 0.5x, PostgreSQL. From an exported bundle,
   ``verify_bundle``: target >= 200,000 events/s.
3. Proofs at 1,000,000 leaves: inclusion and consistency via ``MerkleLog``, p50 and p99, beside
   a single primary-key row lookup; target p99 < 5 ms, PostgreSQL.

The large log is built once through our recorder's ``insert_events`` and kept (a PostgreSQL
database and a SQLite file named for its size) so reruns start measuring at once.

    .venv/bin/python bench/ledger.py [--quick] [--events N] [--write-events N] [--rounds R]
        [--verify-rounds R] [--proofs N] [--stores sqlite,postgresql] [--parts writes,verify,proofs]
        [--postgres-url URL] [--cache-dir DIR] [--rebuild] [--json FILE]
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import datetime, timezone
from pathlib import Path
from tempfile import gettempdir
from typing import Any

if __package__ in (None, ""):  # run as a script, bench/ledger.py: import from the repo root
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import ADMIN_URL, console, machine, median, print_table, verdict, write_json  # noqa: E402
from bench.ledger_build import BuiltLog, postgres_log, sqlite_log  # noqa: E402
from bench.ledger_reads import (  # noqa: E402
    BUNDLE_TARGET,
    PROOF_TARGET_MS,
    VERIFY_TARGET,
    measure_bundle,
    measure_proofs,
    measure_verify,
    proof_rows,
)
from bench.ledger_writes import WRITE_TARGET, measure_writes, write_rows  # noqa: E402
from ledger.db import LedgerDB  # noqa: E402

STORES = ("sqlite", "postgresql")
PARTS = ("writes", "verify", "proofs")


def run_writes(args: argparse.Namespace) -> list[dict[str, Any]]:
    rows = []
    for backend in args.stores:
        console.print(f"[bold]writes[/], {backend}: {args.rounds} rounds …")
        rows += write_rows(backend, measure_writes(backend, args.postgres_url, args.write_events,
                                                   args.rounds))
    return rows


def built_log(backend: str, args: argparse.Namespace) -> BuiltLog:
    if backend == "postgresql":
        return postgres_log(args.postgres_url, args.events, rebuild=args.rebuild)
    return sqlite_log(args.cache_dir, args.events, rebuild=args.rebuild)


def run_logs(args: argparse.Namespace) -> tuple[list[dict], list[dict]]:
    verify_rows, proof_rows_ = [], []
    for backend in args.stores:
        log = built_log(backend, args)
        app = log.open()
        try:
            db = LedgerDB.of(app.recorder)
            if "verify" in args.parts:
                console.print(f"[bold]verify[/], {backend}: {args.verify_rounds} rounds …")
                verify_rows += verify_figures(backend, log, db, args.verify_rounds)
            if "proofs" in args.parts:
                console.print(f"[bold]proofs[/], {backend}: {args.proofs} of each …")
                proof_rows_ += proof_rows(backend, measure_proofs(log, db, args.proofs))
        finally:
            app.close()
    return verify_rows, proof_rows_


def verify_figures(backend: str, log: BuiltLog, db: LedgerDB, rounds: int) -> list[dict]:
    samples = measure_verify(log, db, rounds)
    ratio = median([v / b for b, v in zip(samples["baseline"], samples["verify"])])
    bundle = measure_bundle(log, db, rounds)
    judged = backend == "postgresql"
    common = {"store": backend, "events": log.events, "rounds": rounds}
    return [
        common | {"what": "verify_database", "events_s": median(samples["verify"]),
                  "baseline_events_s": median(samples["baseline"]), "ratio": ratio,
                  "target": f"≥ {VERIFY_TARGET}× baseline",
                  "passed": ratio >= VERIFY_TARGET if judged else None},
        common | {"what": "verify_bundle", "events_s": median(bundle["verify_events_s"]),
                  "baseline_events_s": None, "ratio": None,
                  "target": f"≥ {BUNDLE_TARGET:,} events/s",
                  "passed": median(bundle["verify_events_s"]) >= BUNDLE_TARGET,
                  "export_events_s": bundle["export_events_s"], "bundle_mb": bundle["bundle_mb"]},
    ]


def print_report(writes: list[dict], verifies: list[dict], proofs: list[dict],
                 args: argparse.Namespace) -> None:
    if writes:
        print_table(
            f"1. Writes: {args.write_events:,} events per run, only save() timed, median of "
            f"{args.rounds} rounds (ratio: median of paired rounds;"
            f" target ours ≥ {WRITE_TARGET}× bare)",
            ["Store", "Events/save", "Bare ev/s", "Ours ev/s", "Bare µs/save",
             "Ours µs/save", "Ours ÷ bare", "Result"],
            [[r["store"], str(r["per_save"]), f"{r['bare_events_s']:,.0f}",
              f"{r['ours_events_s']:,.0f}", f"{r['bare_us_per_save']:,.0f}",
              f"{r['ours_us_per_save']:,.0f}", f"{r['ratio']:.2f}×", verdict(r["passed"])]
             for r in writes])
    if verifies:
        print_table(
            f"2. Verify a log of {args.events:,} events, median of {args.verify_rounds} rounds "
            "(baseline: read the same event rows in the same order, SHA-256 each)",
            ["Store", "What", "Target", "Events/s", "Baseline ev/s", "Ours ÷ baseline", "Result"],
            [[r["store"], r["what"], r["target"], f"{r['events_s']:,.0f}",
              _maybe(r["baseline_events_s"], "{:,.0f}"), _maybe(r["ratio"], "{:.2f}×"),
              verdict(r["passed"])] for r in verifies])
        for r in verifies:
            if r["what"] == "verify_bundle":
                console.print(f"  {r['store']}: export_database {r['export_events_s']:,.0f} "
                              f"events/s, bundle {r['bundle_mb']:,.0f} MB")
    if proofs:
        print_table(
            f"3. Proofs at {args.events:,} leaves via MerkleLog, random sizes, {args.proofs:,} "
            f"each (baseline: one primary-key row lookup; target p99 < {PROOF_TARGET_MS} ms, "
            "PostgreSQL)",
            ["Store", "Proof", "p50 ms", "p99 ms", "Lookup p50 ms", "Lookup p99 ms",
             "p50 ÷ lookup", "Result"],
            [[r["store"], r["proof"], f"{r['p50_ms']:.2f}", f"{r['p99_ms']:.2f}",
              f"{r['lookup_p50_ms']:.3f}", f"{r['lookup_p99_ms']:.3f}",
              f"{r['p50_vs_lookup']:.1f}×", verdict(r["passed"])] for r in proofs])


def _maybe(value: float | None, form: str) -> str:
    return "—" if value is None else form.format(value)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes: a smoke run")
    parser.add_argument("--events", type=int, help="events in the large log (default 1,000,000)")
    parser.add_argument("--write-events", type=int,
                        help="events per timed write run (default 2,000)")
    parser.add_argument("--rounds", type=int, help="write rounds (default 9)")
    parser.add_argument("--verify-rounds", type=int, help="verify rounds (default 3)")
    parser.add_argument("--proofs", type=int, help="proofs of each kind (default 2,000)")
    parser.add_argument("--stores", default=",".join(STORES), help="sqlite,postgresql")
    parser.add_argument("--parts", default=",".join(PARTS), help="writes,verify,proofs")
    parser.add_argument("--postgres-url", default=ADMIN_URL,
                        help="a server to make the scratch and cached databases on")
    parser.add_argument("--cache-dir", type=Path, default=Path(gettempdir()) / "kinerja-bench",
                        help="where the large SQLite log is kept between runs")
    parser.add_argument("--rebuild", action="store_true", help="build the large log again")
    parser.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    args = parser.parse_args(argv)
    quick = args.quick
    args.events = args.events or (50_000 if quick else 1_000_000)
    args.write_events = -(-(args.write_events or (200 if quick else 2_000)) // 20) * 20
    args.rounds = args.rounds or (3 if quick else 9)
    args.verify_rounds = args.verify_rounds or (2 if quick else 3)
    args.proofs = args.proofs or (200 if quick else 2_000)
    args.stores = _choices(parser, args.stores, STORES)
    args.parts = _choices(parser, args.parts, PARTS)
    return args


def _choices(parser: argparse.ArgumentParser, text: str, allowed: tuple[str, ...]) -> list[str]:
    chosen = [item.strip() for item in text.split(",") if item.strip()]
    if not chosen or set(chosen) - set(allowed):
        parser.error(f"choose among {', '.join(allowed)} (got {text!r})")
    return chosen


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started, load_before = datetime.now(timezone.utc), [round(n, 2) for n in os.getloadavg()]
    writes = run_writes(args) if "writes" in args.parts else []
    verifies, proofs = run_logs(args) if {"verify", "proofs"} & set(args.parts) else ([], [])
    info = machine(args.postgres_url if "postgresql" in args.stores else None)
    print_report(writes, verifies, proofs, args)
    console.print(f"machine: {info['cores']} cores, {info['cpu']}, Python {info['python']}"
                  + (f", PostgreSQL {info['postgresql']}" if "postgresql" in info else "")
                  + f"; load average before: {' '.join(map(str, load_before))},"
                  + f" after: {' '.join(map(str, info['load_average']))}")
    if args.json:
        write_json(args.json, {"command": " ".join(sys.argv), "date": started.isoformat(),
                               "machine": info | {"load_average_before": load_before},
                               "writes": writes, "verify": verifies, "proofs": proofs})
    return 0


if __name__ == "__main__":
    sys.exit(main())
