"""Replay benchmark (issue 6), on PostgreSQL beside baselines in the same run:

1. an evaluation with 1,000 events rebuilt as of points spread over its history (snapshots at or
   below), against folding the same events from the first without snapshots;
2. the dossier of a typical evaluation (proofs included) in a ledger of 1,000,000 leaves,
   against reading that evaluation's events alone.

    .venv/bin/python bench/replay.py [--db kinerja_bench_views] [--loads 200] [--quick]
                                     [--json FILE]
(the 1,000,000-leaf database is built by bench/projections.py; --quick: 40 loads, 20 dossiers)
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import psycopg  # noqa: E402
from eventsourcing.application import project_aggregate  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

from bench.common import machine, write_json  # noqa: E402
from bench.projections_build import database_url, fresh_database  # noqa: E402
from ledger.keys import create_key  # noqa: E402
from projections.queries import Queries  # noqa: E402
from projections.runner import Projector  # noqa: E402
from replay.asof import AsOf  # noqa: E402
from replay.dossier import build  # noqa: E402
from service.config import Settings  # noqa: E402
from service.store import checkpointer, init_db, open_app  # noqa: E402
from tests.conftest import Clock  # noqa: E402
from tests.service.scenario import reported, reporting_line  # noqa: E402

console = Console()


def percentiles(samples: list[float]) -> tuple[float, float]:
    samples = sorted(samples)
    return samples[len(samples) // 2] * 1000, samples[int(len(samples) * 0.99) - 1] * 1000


def timed(action, times: int) -> list[float]:
    out = []
    for _ in range(times):
        started = time.perf_counter()
        action()
        out.append(time.perf_counter() - started)
    return out


def long_evaluation(url: str):
    settings = Settings(url)
    init_db(settings)
    clock = Clock()
    app = open_app(settings, clock=clock, sign=False)
    line = reporting_line(app)
    evaluation = reported(app, clock, line)
    record = app.evaluation(evaluation.id)
    while record.version < 1000:
        for _ in range(min(50, 1000 - record.version)):
            record.comment(app.meta(line.actor("asn")), "catatan dialog kinerja")
        app.commit(record)
        record = app.evaluation(evaluation.id)
    return app, evaluation.id


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", default="kinerja_bench_views")
    parser.add_argument("--loads", type=int, help="as-of loads of each kind (default 200)")
    parser.add_argument("--quick", action="store_true", help="40 loads, 20 dossiers")
    parser.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    args = parser.parse_args(argv)
    args.loads = args.loads or (40 if args.quick else 200)
    dossiers = 20 if args.quick else 50
    started = datetime.now(timezone.utc)
    rng = random.Random(1)
    table = Table(title="Replay on PostgreSQL")
    for column in ("measure", "ours p50 / p99 ms", "baseline p50 / p99 ms", "target", ""):
        table.add_column(column)

    app, evaluation = long_evaluation(fresh_database("kinerja_bench_replay"))
    as_of, events = AsOf(app), list(app.events.get(evaluation))
    ours = timed(lambda: as_of.record(evaluation, version=rng.randint(1, 1000)), args.loads)
    bare = timed(lambda: project_aggregate(None, app.events.get(
        evaluation, lte=rng.randint(1, 1000))), max(args.loads // 4, 20))
    (o50, o99), (b50, b99) = percentiles(ours), percentiles(bare)
    table.add_row("as of a version, 1,000-event evaluation", f"{o50:.2f} / {o99:.2f}",
                  f"{b50:.2f} / {b99:.2f} (fold from the start)", "p99 < 5",
                  "PASS" if o99 < 5 else "MISS")
    ours = timed(lambda: as_of.record(evaluation, moment=events[rng.randint(0, 999)].timestamp),
                 args.loads)
    (m50, m99) = percentiles(ours)
    table.add_row("as of a moment (its version found in one statement), same",
                  f"{m50:.2f} / {m99:.2f}", "", "p99 < 5", "PASS" if m99 < 5 else "MISS")
    app.close()

    keys = Path(tempfile.mkdtemp())
    settings = replace(Settings(database_url(args.db)), key_file=keys / "k",
                       verifier_keys=keys / "v")
    create_key(settings.key_file, settings.origin, settings.verifier_keys)
    app = open_app(settings, sign=False)
    note = checkpointer(app, settings).checkpoint().note
    leaves = app.ledger.size()
    picks = [n.originator_id for n in app.recorder.select_notifications(
        start=rng.randint(1, leaves - 10_000), limit=200, topics=["kinerja/Evaluation/Opened"])]
    sizes = [len(app.recorder.select_events(p)) for p in picks[:20]]
    findings = Queries(Projector(app).store).findings_naming  # as the service hands it over
    ours = timed(lambda: build(app, rng.choice(picks), checkpoint_note=note, findings=findings,
                               origin=settings.origin, verifier_keys=[]), dossiers)
    bare = timed(lambda: app.recorder.select_events(rng.choice(picks)), dossiers)
    (d50, d99), (r50, r99) = percentiles(ours), percentiles(bare)
    table.add_row(f"dossier at {leaves:,} leaves ({min(sizes)}-{max(sizes)} events + related)",
                  f"{d50:.1f} / {d99:.1f}", f"{r50:.2f} / {r99:.2f} (read its events)",
                  "< 200", "PASS" if d99 < 200 else "MISS")
    app.close()
    with psycopg.connect(database_url("postgres"), autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS kinerja_bench_replay WITH (FORCE)")
    console.print(table)
    if args.json:
        write_json(args.json, {
            "command": " ".join(sys.argv), "date": started.isoformat(),
            "machine": machine(database_url("postgres")), "leaves": leaves,
            "dossier_events": [min(sizes), max(sizes)],
            "as_of_version": _figure(o50, o99, b50, b99, args.loads),
            "as_of_moment": _figure(m50, m99, None, None, args.loads),
            "dossier": _figure(d50, d99, r50, r99, dossiers, target_ms=200)})


def _figure(p50: float, p99: float, base50: float | None, base99: float | None, count: int,
            target_ms: float = 5) -> dict:
    return {"p50_ms": p50, "p99_ms": p99, "baseline_p50_ms": base50, "baseline_p99_ms": base99,
            "count": count, "target_p99_ms": target_ms, "passed": p99 < target_ms}


if __name__ == "__main__":
    main()
