"""Issue 7, scaling: how throughput and per-event costs move as the service and the log grow.

1. API writes with 1, 2 and 4 uvicorn workers on PostgreSQL: ``bench/api_load.py``'s run (ours
   beside the bare FastAPI + eventsourcing service, alternating rounds, every acknowledged
   write checked afterwards), once per worker count; our views external by default (with
   several workers each embedded projector would repeat the others' work).
2. The serial point: K processes appending through the recorder at once, ours beside the bare
   library's (``bench/scaling_lock.py``): the events table's lock lets one transaction in at a
   time, so throughput stops growing with K.
3. Logs of 100k, 1M and 5M realistic events (``bench/scaling_build.py``, kept between runs;
   SQLite up to 1M, the 5M log on PostgreSQL only): ``verify_database``, ``verify_bundle``,
   proofs and the rebuild of every view, per event and beside their baselines
   (``bench/scaling_logs.py``), and the bytes per event on disk.

Plots (PNG) go to docs/ (bench/out/ with --quick) unless --plots names another folder.

    .venv/bin/python bench/scaling.py [--quick] [--parts api,serial,logs] [--workers 1,2,4]
        [--sizes 100000,1000000,5000000] [--sqlite-max N] [--rounds R] [--proofs N]
        [--serial-seconds S] [--projections external|embedded] [--rebuild] [--plots DIR]
        [--postgres-url URL] [--cache-dir DIR] [--json FILE]
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import datetime, timezone
from pathlib import Path
from tempfile import gettempdir
from typing import Any

if __package__ in (None, ""):  # run as a script, bench/scaling.py: import from the repo root
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import api_load  # noqa: E402
from bench.common import (  # noqa: E402
    ADMIN_URL,
    console,
    machine,
    postgres_store,
    print_table,
    write_json,
)
from bench.ledger import _choices  # noqa: E402
from bench.scaling_build import scale_log  # noqa: E402
from bench.scaling_lock import ceiling, measure_serial_point  # noqa: E402
from bench.scaling_logs import growth, measure_log  # noqa: E402
from bench.scaling_tables import tables  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
PARTS = ("api", "serial", "logs")
API_DB = "kinerja_scale_api"
API_PORTS = {"ours": 8751, "bare": 8752}  # not api_load's own: it may run meanwhile


def run_api(args: argparse.Namespace) -> list[dict[str, Any]]:
    """One api_load run per worker count (views as --projections says), then one per count in
    --embedded-at with the views kept inside the service instead."""
    results = []
    other = "embedded" if args.projections == "external" else "external"
    for workers, views in ([(w, args.projections) for w in args.workers]
                           + [(w, other) for w in args.embedded_at]):
        options = ["--workers", str(workers), "--projections", views,
                   "--postgres-url", args.postgres_url] + (["--quick"] if args.quick else [])
        load = api_load.parse_args(options)
        console.print(f"[bold]API writes[/], {workers} worker(s) per service, views {views} …")
        with postgres_store(args.postgres_url, API_DB) as store:
            result = api_load.run(store, load, scratch_db=API_DB, ports=API_PORTS)
        bare, ours = result["rows"]
        results.append({"workers": workers, "clients": load.clients, "seconds": load.seconds,
                        "projections": views, "bare": bare, "ours": ours,
                        "ratio": result["ratio"], "missing": result["counts"]["missing"],
                        "verified": result["counts"]["verify"]["ok"],
                        "acknowledged": result["counts"]["acknowledged"]})
    return results


def run_serial(args: argparse.Namespace) -> dict[str, Any]:
    console.print(f"[bold]serial point[/]: writers {args.writers}, events per transaction "
                  f"{args.per_txn} …")
    measured = measure_serial_point(args.postgres_url, args.writers, args.per_txn,
                                    args.serial_seconds)
    return measured | {"ceilings": [ceiling(measured["rows"], n) for n in args.per_txn],
                       "seconds": args.serial_seconds}


def run_logs(args: argparse.Namespace) -> dict[str, Any]:
    sizes = []
    for events in args.sizes:
        for backend in ("postgresql", "sqlite"):
            if backend == "sqlite" and events > args.sqlite_max:
                continue
            log = scale_log(backend, events, args.postgres_url, args.cache_dir,
                            rebuild=args.rebuild)
            sizes.append(measure_log(backend, log, args.rounds, args.proofs))
    return {"sizes": sizes, "growth": {
        backend: {name: growth([s for s in sizes if s["store"] == backend], cost)
                  for name, cost in COSTS.items()}
        for backend in ("postgresql", "sqlite")}}


COSTS = {  # how each per-event or per-call cost is read from a size's figures
    "verify_us_per_event": lambda s: s["verify"]["us_per_event"],
    "verify_baseline_us_per_event": lambda s: s["verify"]["baseline_us_per_event"],
    "bundle_us_per_event": lambda s: s["bundle"]["us_per_event"],
    "rebuild_us_per_event": lambda s: s["rebuild"]["us_per_event"],
    "rebuild_baseline_us_per_event": lambda s: s["rebuild"]["baseline_us_per_event"],
    "inclusion_p50_ms": lambda s: s["proofs"]["inclusion"]["p50_ms"],
    "bytes_per_event": lambda s: s["footprint"]["bytes_per_event"],
}


def print_report(result: dict[str, Any]) -> None:
    for title, headers, rows in tables(result):
        print_table(title, headers, rows)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help="a smoke run: 1 and 2 workers, logs of 20k/50k/100k, short runs")
    parser.add_argument("--parts", default=",".join(PARTS), help="api,serial,logs")
    parser.add_argument("--workers", help="uvicorn worker counts (default 1,2,4)")
    parser.add_argument("--projections", choices=("external", "embedded"), default="external",
                        help="where our views are kept during the API load (default external)")
    parser.add_argument("--embedded-at", help="worker counts also run with the other place "
                        "for the views, for comparison (default 1; none with --quick)")
    parser.add_argument("--writers", help="concurrent writers, serial point (default 1,2,4,8)")
    parser.add_argument("--per-txn", help="events per transaction, serial point (default 1,20)")
    parser.add_argument("--serial-seconds", type=float, help="seconds per serial case (6)")
    parser.add_argument("--sizes", help="log sizes (default 100000,1000000,5000000)")
    parser.add_argument("--sqlite-max", type=int, default=1_000_000,
                        help="largest log also measured on SQLite (default 1,000,000)")
    parser.add_argument("--rounds", type=int, help="rounds per whole-log measure (default 2)")
    parser.add_argument("--proofs", type=int, help="proofs of each kind per size (default 500)")
    parser.add_argument("--rebuild", action="store_true", help="build the kept logs again")
    parser.add_argument("--plots", type=Path, help="folder for the PNGs (default docs/; "
                        "bench/out/ with --quick)")
    parser.add_argument("--postgres-url", default=ADMIN_URL)
    parser.add_argument("--cache-dir", type=Path, default=Path(gettempdir()) / "kinerja-bench",
                        help="where the SQLite logs are kept between runs")
    parser.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    args = parser.parse_args(argv)
    quick = args.quick
    args.parts = _choices(parser, args.parts, PARTS)
    args.workers = _ints(parser, args.workers or ("1,2" if quick else "1,2,4"))
    args.embedded_at = _ints(parser, args.embedded_at or ("" if quick else "1"))
    args.writers = _ints(parser, args.writers or ("1,4" if quick else "1,2,4,8"))
    args.per_txn = _ints(parser, args.per_txn or ("1" if quick else "1,20"))
    args.serial_seconds = args.serial_seconds or (2 if quick else 6)
    args.sizes = _ints(parser, args.sizes or ("20000,50000,100000" if quick
                                              else "100000,1000000,5000000"))
    args.rounds = args.rounds or (1 if quick else 2)
    args.proofs = args.proofs or (100 if quick else 500)
    args.plots = args.plots or ROOT / ("bench/out" if quick else "docs")
    return args


def _ints(parser: argparse.ArgumentParser, text: str) -> list[int]:
    try:
        return [int(item) for item in text.split(",") if item.strip()]
    except ValueError:
        parser.error(f"expected numbers separated by commas, got {text!r}")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started, load_before = datetime.now(timezone.utc), [round(n, 2) for n in os.getloadavg()]
    result: dict[str, Any] = {}
    failed = []
    for part, run in (("api", run_api), ("serial", run_serial), ("logs", run_logs)):
        if part not in args.parts:
            continue
        try:
            result[part] = run(args)
        except Exception:  # the other parts still run, and what was measured is kept
            console.print_exception()
            failed.append(part)
        save(args, started, load_before, result, failed, [])
    print_report(result)
    from bench.scaling_plots import plot_all  # matplotlib: only once there is something to draw
    plots = plot_all(result, args.plots)
    console.print("plots: " + ", ".join(str(p) for p in plots))
    info = save(args, started, load_before, result, failed, plots)
    console.print(f"machine: {info['cores']} cores, {info['cpu']}, Python {info['python']}, "
                  f"PostgreSQL {info['postgresql']}; load average before: "
                  f"{' '.join(map(str, load_before))}, after: "
                  f"{' '.join(map(str, info['load_average']))}"
                  + (f"; [red]failed: {', '.join(failed)}[/]" if failed else ""))
    return 1 if failed else 0


def save(args: argparse.Namespace, started: datetime, load_before: list[float],
         result: dict[str, Any], failed: list[str], plots: list[Path]) -> dict[str, Any]:
    """The JSON so far (written after every part, so a later failure loses nothing)."""
    info = machine(args.postgres_url) | {"load_average_before": load_before}
    if args.json:
        write_json(args.json, {"command": " ".join(sys.argv), "date": started.isoformat(),
                               "machine": info, "quick": args.quick, "failed": failed,
                               "plots": [str(p.relative_to(ROOT)) if p.is_relative_to(ROOT)
                                         else str(p) for p in plots], **result})
    return info


if __name__ == "__main__":
    sys.exit(main())
