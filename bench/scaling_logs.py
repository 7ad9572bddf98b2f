"""Reading a whole log as it grows: verification, bundles, proofs and the projection rebuild at
each size, every figure beside its baseline from the same run, reported per event.

- ``verify_database`` beside the read-and-hash loop of ``bench/ledger_reads.py``;
- ``export_database`` once, then ``verify_bundle`` (no baseline: the target is absolute);
- inclusion and consistency proofs at random sizes beside one primary-key lookup;
- ``Projector.rebuild`` of every view beside a bare read of the same notifications in the same
  batches (``bench/projections.py``), PostgreSQL and SQLite alike;
- the bytes the log takes on disk, per event.

If the cost per event stays flat from the smallest log to the largest, reading scales linearly
with the log; proofs should grow with log2 of the size.
"""

from __future__ import annotations

import math
from typing import Any

from bench.common import console, median
from bench.ledger_build import BuiltLog
from bench.ledger_reads import measure_bundle, measure_proofs, measure_verify, proof_rows
from bench.projections import bare_read, rebuild
from bench.scaling_build import footprint
from ledger.db import LedgerDB


def measure_log(backend: str, log: BuiltLog, rounds: int, proofs: int) -> dict[str, Any]:
    app = log.open()
    try:
        db = LedgerDB.of(app.recorder)
        size = f"{backend}, {log.events:,} events"
        console.print(f"[bold]verify[/], {size}: {rounds} rounds …")
        verify = measure_verify(log, db, rounds)
        console.print(f"[bold]bundle[/], {size}: export, then {rounds} verifications …")
        bundle = measure_bundle(log, db, rounds)
        console.print(f"[bold]proofs[/], {size}: {proofs} of each …")
        proof = proof_rows(backend, measure_proofs(log, db, proofs))
        console.print(f"[bold]rebuild[/], {size}: {rounds} rounds …")
        views = measure_rebuild(app, log.events, rounds)
        space = footprint(log, db, app)
    finally:
        app.close()
    return {"store": backend, "events": log.events, "rounds": rounds,
            "verify": rates(verify["verify"], verify["baseline"], log.events),
            "bundle": rates(bundle["verify_events_s"], None, log.events) | {
                "export_events_s": bundle["export_events_s"], "bundle_mb": bundle["bundle_mb"],
                "bundle_bytes_per_event": bundle["bundle_mb"] * 1e6 / log.events},
            "proofs": {row["proof"]: row for row in proof},
            "rebuild": rates(views["rebuild"], views["baseline"], log.events),
            "footprint": space}


def measure_rebuild(app: Any, events: int, rounds: int) -> dict[str, list[float]]:
    """Events/s of rebuilding every view and of the bare read, taking turns (the read first in
    even rounds); a read first, untimed, so both start from a warm cache."""
    bare_read(app)
    samples: dict[str, list[float]] = {"baseline": [], "rebuild": []}
    runs = [("baseline", lambda: bare_read(app)), ("rebuild", lambda: rebuild(app))]
    for round_ in range(rounds):
        for name, run in runs[::-1] if round_ % 2 else runs:
            samples[name].append(run())
    return samples


def rates(ours: list[float], baseline: list[float] | None, events: int) -> dict[str, Any]:
    """Events/s (median of rounds), µs per event, and the ratio to the baseline: the median of
    the rounds' own ratios, each round's pair measured back to back."""
    figure = {"events_s": median(ours), "us_per_event": 1e6 / median(ours), "samples": ours}
    if baseline:
        figure |= {"baseline_events_s": median(baseline),
                   "baseline_us_per_event": 1e6 / median(baseline), "baseline_samples": baseline,
                   "ratio": median([o / b for o, b in zip(ours, baseline)])}
    return figure


def growth(sizes: list[dict[str, Any]], cost: Any) -> dict[str, Any] | None:
    """How a cost per event grew from the smallest log to the largest, beside log2 growth."""
    points = sorted((row["events"], cost(row)) for row in sizes if cost(row) is not None)
    if len(points) < 2:
        return None
    (small, first), (large, last) = points[0], points[-1]
    return {"from_events": small, "to_events": large, "factor": last / first,
            "size_factor": large / small, "log2_factor": math.log2(large) / math.log2(small)}
