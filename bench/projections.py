"""Projection benchmark (issue 5): rebuild every view over a large log beside a bare read of
the same log, and the live lag of the views under sustained writes.

    .venv/bin/python bench/projections.py [--events 1000000] [--quick] [--reuse] [--json FILE]
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

from bench.common import machine, write_json  # noqa: E402
from bench.projections_build import build, database_url  # noqa: E402
from projections.runner import Projector  # noqa: E402
from service.application import Actor  # noqa: E402
from service.config import Settings  # noqa: E402
from service.store import open_app  # noqa: E402

console = Console()
DB = "kinerja_bench_views"


def bare_read(app) -> float:
    """Events/s of reading the whole log in the projector's batch size, and nothing else."""
    started, position, count = time.perf_counter(), 0, 0
    while notes := app.recorder.select_notifications(start=position + 1, limit=1000):
        position, count = notes[-1].id, count + len(notes)
    return count / (time.perf_counter() - started)


def rebuild(app) -> float:
    started = time.perf_counter()
    count = Projector(app).rebuild()
    return count / (time.perf_counter() - started)


def live_lag(url: str, seconds: float) -> list[float]:
    """Write continuously through the use cases while a follower keeps the views; sample how
    long each write takes to reach every view."""
    writer = open_app(Settings(url), sign=False)
    follower_app = open_app(Settings(url), sign=False)
    projector, stop = Projector(follower_app), threading.Event()
    Projector(follower_app).catch_up()
    thread = threading.Thread(target=projector.follow, args=(stop,), kwargs={"idle": 0.05})
    thread.start()
    lags: list[float] = []
    try:
        (opened,) = writer.recorder.select_notifications(
            start=None, limit=1, topics=["kinerja/Evaluation/Opened"])
        asn = Actor(writer.mapper.to_domain_event(opened).nip, "asn")
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            writer.comment(asn, opened.originator_id, "catatan")
            written, target = time.monotonic(), writer.last_position()
            while min(projector.positions().values()) < target:
                time.sleep(0.002)
            lags.append(time.monotonic() - written)
    finally:
        stop.set()
        thread.join()
        writer.close()
        follower_app.close()
    return lags


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--quick", action="store_true", help="50,000 events, 5 s of lag")
    parser.add_argument("--reuse", action="store_true", help="reuse the built database")
    parser.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    args = parser.parse_args(argv)
    started = datetime.now(timezone.utc)
    events = 50_000 if args.quick else args.events
    url = database_url(DB) if args.reuse else build(
        DB, events, lambda n: console.print(f"  built {n:,} events", highlight=False))
    app = open_app(Settings(url), sign=False)
    size = app.recorder.max_notification_id()
    bare = bare_read(app)
    ours = rebuild(app)
    app.close()
    lags = sorted(live_lag(url, 5 if args.quick else 20))
    p50, p99 = lags[len(lags) // 2] * 1000, lags[int(len(lags) * 0.99) - 1] * 1000
    table = Table(title=f"Projections on PostgreSQL, {size:,} events")
    for column in ("measure", "ours", "baseline", "ratio", "target", ""):
        table.add_column(column)
    table.add_row("rebuild all views, events/s", f"{ours:,.0f}", f"{bare:,.0f} (bare read)",
                  f"{ours / bare:.2f}", "≥ 20,000/s", "PASS" if ours >= 20_000 else "MISS")
    table.add_row("live lag under writes, p50 / p99 ms", f"{p50:.1f} / {p99:.1f}",
                  f"{len(lags)} writes", "", "p99 < 200", "PASS" if p99 < 200 else "MISS")
    console.print(table)
    if args.json:
        write_json(args.json, {
            "command": " ".join(sys.argv), "date": started.isoformat(), "machine": machine(url),
            "events": size, "rebuild": {"events_s": ours, "baseline_events_s": bare,
                                        "ratio": ours / bare, "target_events_s": 20_000,
                                        "passed": ours >= 20_000},
            "lag": {"writes": len(lags), "p50_ms": p50, "p99_ms": p99, "target_p99_ms": 200,
                    "passed": p99 < 200}})


if __name__ == "__main__":
    main()
