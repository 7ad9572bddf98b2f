"""Targets 2 and 3: verifying a large log (from the database and from a bundle), and proofs.

Baselines, measured in the same run on the same log:
- verify: a loop that only reads the same event rows, in the same order, in a read-only
  snapshot and batches of the same size, on a plain driver connection (psycopg's server-side
  cursor, or sqlite3), and hashes each state with SHA-256;
- proofs: one primary-key lookup of a leaf row on a pooled connection (one round trip).
"""

from __future__ import annotations

import hashlib
import random
import sqlite3
import time
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

import psycopg

from bench.common import median, percentile, timed
from bench.ledger_build import BuiltLog
from ledger.audit import export_database, verify_database
from ledger.bundle import verify_bundle
from ledger.db import STREAM_BATCH, LedgerDB
from ledger.log import MerkleLog
from ledger.merkle import verify_consistency, verify_inclusion
from service.config import DEFAULT_ORIGIN

VERIFY_TARGET = 0.5  # verify_database / read-and-hash baseline, events per second, at least
BUNDLE_TARGET = 200_000  # events per second, verify_bundle
PROOF_TARGET_MS = 5.0  # p99, PostgreSQL
EVENT_ROWS = "SELECT originator_id, originator_version, topic, state FROM {table} ORDER BY {order}"
PK_LOOKUP = "SELECT leaf_hash FROM ledger_leaves WHERE leaf_index = %s"


def read_and_hash(log: BuiltLog, table: str) -> int:
    """The baseline: the event rows verify reads, in its order, each state hashed once, on a
    plain driver connection with its defaults (tuple rows; text format on PostgreSQL)."""
    url = log.settings.database_url
    if log.settings.backend == "postgresql":
        with psycopg.connect(url) as conn:
            conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            with conn.cursor(name="bench_events") as cursor:
                cursor.execute(EVENT_ROWS.format(table=table, order="notification_id"))
                return _hash_states(cursor)
    with closing(sqlite3.connect(url.split(":///", 1)[1])) as conn:
        return _hash_states(conn.execute(EVENT_ROWS.format(table=table, order="rowid")))


def _hash_states(cursor: Any) -> int:
    count, sha256 = 0, hashlib.sha256
    while batch := cursor.fetchmany(STREAM_BATCH):
        for row in batch:
            sha256(row[3]).digest()
        count += len(batch)
    return count


def verified(log: BuiltLog, report: Any) -> None:
    """A run counts only if the whole log verified."""
    if not report.ok or report.leaves != log.events:
        raise RuntimeError(f"the bench log did not verify: {report.as_dict()['first_failure']}"
                           f" ({report.leaves} of {log.events} leaves)")


def measure_verify(log: BuiltLog, db: LedgerDB, rounds: int) -> dict[str, list[float]]:
    """Events/s of verify_database and of the baseline, taking turns (the baseline first in
    even rounds); an untimed read first, so both start from a warm cache."""
    def verify_all() -> None:
        verified(log, verify_database(db, [log.verifier], DEFAULT_ORIGIN))

    def baseline() -> None:
        assert read_and_hash(log, db.events_table) == log.events

    baseline()
    samples: dict[str, list[float]] = {"baseline": [], "verify": []}
    runs = [("baseline", baseline), ("verify", verify_all)]
    for round_ in range(rounds):
        for name, run in runs[::-1] if round_ % 2 else runs:
            samples[name].append(log.events / timed(run))
    return samples


def measure_bundle(log: BuiltLog, db: LedgerDB, rounds: int) -> dict[str, Any]:
    """Export once (timed, for the record), then verify the bundle ``rounds`` times."""
    with TemporaryDirectory(prefix="kinerja-bench-bundle-") as folder:
        path = Path(folder) / "ledger.zip"
        export_s = timed(lambda: export_database(db, path, DEFAULT_ORIGIN, [log.verifier_key]))
        rates = [log.events / timed(lambda: verified(log, verify_bundle(path, [log.verifier])[0]))
                 for _ in range(rounds)]
        return {"export_events_s": log.events / export_s, "bundle_mb": path.stat().st_size / 1e6,
                "verify_events_s": rates}


def measure_proofs(log: BuiltLog, db: LedgerDB, count: int,
                   seed: int = 7) -> dict[str, list[float]]:
    """Milliseconds per call, the three kinds in turn; random sizes up to the whole log.

    The first proofs of each kind are checked against the root, so only real proofs count.
    """
    merkle, rng, n = MerkleLog(db), random.Random(seed), log.events
    lookup = pk_lookup(db)
    kinds: dict[str, Callable[[], Any]] = {
        "lookup": lambda: lookup(rng.randrange(n)),
        "inclusion": lambda: _inclusion(merkle, rng, n),
        "consistency": lambda: _consistency(merkle, rng, n),
    }
    for _ in range(20):
        check_inclusion(merkle, *kinds["inclusion"]())
        check_consistency(merkle, *kinds["consistency"]())
    samples: dict[str, list[float]] = {name: [] for name in kinds}
    for _ in range(count):
        for name, call in kinds.items():
            start = time.perf_counter()
            call()
            samples[name].append((time.perf_counter() - start) * 1000)
    return samples


def _inclusion(merkle: MerkleLog, rng: random.Random, n: int) -> tuple:
    size = rng.randint(1, n)
    index = rng.randrange(size)
    return index, size, merkle.inclusion_proof(index, size)


def _consistency(merkle: MerkleLog, rng: random.Random, n: int) -> tuple:
    second = rng.randint(2, n)
    first = rng.randint(1, second - 1)
    return first, second, merkle.consistency_proof(first, second)


def check_inclusion(merkle: MerkleLog, index: int, size: int, proof: list[bytes]) -> None:
    leaf = merkle.leaves(index, index + 1)[0]
    verify_inclusion(leaf.hash, index, size, proof, merkle.root(size)[1])


def check_consistency(merkle: MerkleLog, first: int, second: int, proof: list[bytes]) -> None:
    verify_consistency(first, second, proof, merkle.root(first)[1], merkle.root(second)[1])


def pk_lookup(db: LedgerDB) -> Callable[[int], bytes]:
    """One indexed row, one round trip: the cheapest read a proof could be."""
    if db.is_postgres:
        def lookup(index: int) -> bytes:
            with db.datastore.get_connection() as conn:
                return conn.execute(PK_LOOKUP, (index,), prepare=True).fetchone()["leaf_hash"]
    else:
        def lookup(index: int) -> bytes:
            with db.datastore.transaction(commit=False) as cursor:
                cursor.execute(PK_LOOKUP.replace("%s", "?"), (index,))
                return cursor.fetchone()[0]
    return lookup


def proof_rows(backend: str, samples: dict[str, list[float]]) -> list[dict[str, Any]]:
    base50, base99 = median(samples["lookup"]), percentile(samples["lookup"], 0.99)
    rows = []
    for kind in ("inclusion", "consistency"):
        p50, p99 = median(samples[kind]), percentile(samples[kind], 0.99)
        judged = backend == "postgresql"
        rows.append({"store": backend, "proof": kind, "count": len(samples[kind]),
                     "p50_ms": p50, "p99_ms": p99, "lookup_p50_ms": base50,
                     "lookup_p99_ms": base99, "p50_vs_lookup": p50 / base50,
                     "target_ms": PROOF_TARGET_MS if judged else None,
                     "passed": p99 < PROOF_TARGET_MS if judged else None})
    return rows
