"""Issue 15: a person's evaluation read with every look journaled, beside the same read with
journaling off, in one run.

C concurrent keep-alive clients on loopback read evaluations (``GET /evaluations/{id}``, each
as the evaluation's ASN) from one real uvicorn serving the app in this process, in timed rounds
alternating between journaling on and off (off: no permission is journaled, so no look is
noted, admitted or queued; the pass-through middleware stays). Prints p50 and p99 of each and
the p99 ratio; target: on <= 1.10x off. Afterwards every look of the ``on`` rounds must be in
the journal (none lost).

    .venv/bin/python bench/access_log.py [--quick] [--clients C] [--people P] [--seconds S]
        [--rounds R] [--store sqlite|postgresql|both] [--postgres-url URL] [--json FILE]
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script, bench/access_log.py: import from the repo root
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import httpx  # noqa: E402

from api import journal  # noqa: E402
from bench.common import (  # noqa: E402
    Store,
    bench_parser,
    console,
    machine,
    percentile,
    postgres_store,
    print_table,
    sqlite_store,
    verdict,
    write_json,
)
from service.access_journal import TABLE  # noqa: E402
from service.config import Settings  # noqa: E402
from service.store import init_db  # noqa: E402
from tests.api.support import service, serving  # noqa: E402
from tests.conftest import Clock  # noqa: E402
from tests.service.scenario import agreed_plans, reporting_line  # noqa: E402

TARGET = 1.10  # journaling adds at most 10% to a read's p99
SCRATCH_DB = "kinerja_bench_access"
READ = "/evaluations/{evaluation_id}"
MODES = ("on", "off")


@dataclass
class Tally:
    """One mode's answered reads: their latencies (s), and anything but a 200."""

    seconds: list[float] = field(default_factory=list)
    failed: int = 0

    def figures(self) -> dict[str, Any]:
        ms = [s * 1000 for s in self.seconds]
        return {"count": len(ms), "failed": self.failed,
                "p50_ms": percentile(ms, 0.50) if ms else None,
                "p99_ms": percentile(ms, 0.99) if ms else None}


@contextmanager
def journaling(on: bool) -> Iterator[None]:
    """Journal the usual reads (on) or none (off) for the duration of a round."""
    kept = journal.JOURNALED
    journal.JOURNALED = kept if on else frozenset()
    try:
        yield
    finally:
        journal.JOURNALED = kept


def arrange(app: Any, people: int) -> list[tuple[str, str]]:
    """``people`` ASN, each with an evaluation: (its path, the ASN's bearer token)."""
    kinerja, tokens = app.state.services.app, app.state.services.auth.tokens
    reads = []
    while len(reads) < people:
        line = reporting_line(kinerja)
        evaluation = agreed_plans(kinerja, line)  # the ASN's, plan agreed
        reads.append((f"/evaluations/{evaluation.id}", tokens.issue(line.asn, "asn")))
    return reads


def round_of(url: str, reads: list[tuple[str, str]], clients: int, seconds: float,
             tally: Tally) -> None:
    """``clients`` threads read for ``seconds``, each on its own keep-alive connection."""
    deadline = time.monotonic() + seconds
    lock = threading.Lock()

    def client(offset: int) -> None:
        mine: list[float] = []
        failed = 0
        with httpx.Client(base_url=url, timeout=30) as http:
            n = offset
            while time.monotonic() < deadline:
                path, token = reads[n % len(reads)]
                started = time.perf_counter()
                response = http.get(path, headers={"Authorization": f"Bearer {token}"})
                elapsed = time.perf_counter() - started
                if response.status_code == 200:
                    mine.append(elapsed)
                else:
                    failed += 1
                n += clients
        with lock:
            tally.seconds.extend(mine)
            tally.failed += failed

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def run_store(store: Store, args: Any) -> dict[str, Any]:
    settings = Settings(store.url)
    init_db(settings)
    app = service(settings, Clock())
    reads = arrange(app, args.people)
    tallies = {mode: Tally() for mode in MODES}
    warm = {mode: Tally() for mode in MODES}
    with serving(app) as url:
        for mode in MODES:  # warm up both, not counted
            with journaling(mode == "on"):
                round_of(url, reads, args.clients, args.warmup, warm[mode])
        for index in range(args.rounds):  # alternate which goes first
            for mode in MODES if index % 2 == 0 else tuple(reversed(MODES)):
                with journaling(mode == "on"):
                    round_of(url, reads, args.clients, args.seconds, tallies[mode])
        services = app.state.services
        services.journal.flush(timeout=60)
        [row] = services.journal.db.query(
            f"SELECT count(*) AS n FROM {TABLE} WHERE what = %s", (READ,))
    expected = len(tallies["on"].seconds) + len(warm["on"].seconds)
    on, off = tallies["on"].figures(), tallies["off"].figures()
    ratio = on["p99_ms"] / off["p99_ms"] if on["p99_ms"] and off["p99_ms"] else None
    return {"store": store.backend, "clients": args.clients, "people": args.people,
            "rounds": args.rounds, "seconds": args.seconds, "on": on, "off": off,
            "ratio_p99": ratio, "target": TARGET,
            "passed": None if args.quick or ratio is None else ratio <= TARGET,
            "journaled": {"expected": expected, "found": int(row["n"])}}


def report(results: list[dict[str, Any]]) -> None:
    rows = []
    for r in results:
        for mode in MODES:
            f = r[mode]
            rows.append([r["store"], f"journal {mode}", f"{r['clients']} clients",
                         f"{f['count']:,}", str(f["failed"]), f"{f['p50_ms']:.2f}",
                         f"{f['p99_ms']:.2f}"])
        rows.append([r["store"], "on ÷ off (p99)", "", "", "", "",
                     f"{r['ratio_p99']:.2f}× (≤ {TARGET}×) {verdict(r['passed'])}"])
        j = r["journaled"]
        rows.append([r["store"], "looks journaled", "", f"{j['found']:,}", "", "",
                     f"of {j['expected']:,} {verdict(j['found'] == j['expected'])}"])
    print_table("A person's evaluation read, journal on vs off",
                ["Store", "Mode", "Load", "Reads", "Failed", "p50 ms", "p99 ms"], rows)


def main(argv: list[str] | None = None) -> int:
    parser = bench_parser(__doc__, SCRATCH_DB)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--people", type=int, default=60, help="ASN, each with an evaluation")
    parser.add_argument("--seconds", type=float, default=5.0, help="per round")
    parser.add_argument("--rounds", type=int, default=6, help="of each mode, alternating")
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds per mode")
    parser.add_argument("--store", choices=("sqlite", "postgresql", "both"), default="both")
    args = parser.parse_args(argv)
    if args.quick:
        args.clients, args.people, args.seconds, args.rounds, args.warmup = 2, 4, 0.5, 2, 0.3
    results = []
    if args.store in ("sqlite", "both"):
        with sqlite_store() as store:
            results.append(run_store(store, args))
    if args.store in ("postgresql", "both"):
        with postgres_store(args.postgres_url, SCRATCH_DB) as store:
            results.append(run_store(store, args))
    report(results)
    if args.json:
        write_json(args.json, {"results": results, "machine": machine(
            args.postgres_url if args.store != "sqlite" else None)})
    lost = any(r["journaled"]["found"] != r["journaled"]["expected"] for r in results)
    console.print("[red]looks were lost[/]" if lost else "every look of the on rounds journaled")
    return 1 if lost else 0


if __name__ == "__main__":
    sys.exit(main())
