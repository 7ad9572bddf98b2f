"""Realistic logs for the scaling runs, one per size, built once and kept like the 1M log.

The events are one demo year of a city (600 ASN, recorded through the use cases by
``demo.year``) copied with fresh ids until the log holds the size asked for (as
``bench/projections_build.py`` does), then written through our recorder's ``insert_events`` by
``bench/ledger_build.py``'s builder: a signed checkpoint every 1,000 events, a marker row last.
Unlike the synthetic 1M log these events decode, so the same log serves verification, bundles,
proofs, the projection rebuild and the bytes each event takes on disk.

Kept as PostgreSQL databases ``kinerja_scale_<size>`` and SQLite files
``$TMPDIR/kinerja-bench/kinerja_scale_<size>.db``.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import islice
from pathlib import Path
from typing import Any

from eventsourcing.persistence import StoredEvent

from bench.common import console
from bench.ledger_build import BuiltLog, Family, postgres_log, sqlite_log
from bench.projections_build import SEED_EMPLOYEES, copy, seed_events
from ledger.db import LedgerDB

SEED_DB = "kinerja_scale_seed"  # a scratch database of its own: projections.py uses another
_seed: list[StoredEvent] = []  # recorded at most once per process, only if a log is built


def demo_events(total: int, batch: int) -> Iterator[list[StoredEvent]]:
    """The first ``total`` events of the demo year and its copies, ``batch`` at a time."""
    if not _seed:
        console.print(f"recording one demo year ({SEED_EMPLOYEES} ASN) through the use cases, "
                      "to copy (about 2 minutes) …")
        _seed.extend(seed_events(SEED_DB))

    def copies() -> Iterator[StoredEvent]:
        generation = 0
        while True:
            yield from copy(_seed, generation) if generation else _seed
            generation += 1

    stream = islice(copies(), total)
    while part := list(islice(stream, batch)):
        yield part


DEMO = Family(prefix="kinerja_scale", build="scaling-demo/1", source=demo_events)


def scale_log(backend: str, events: int, admin_url: str, cache_dir: Path, *,
              rebuild: bool = False) -> BuiltLog:
    if backend == "postgresql":
        return postgres_log(admin_url, events, rebuild=rebuild, family=DEMO)
    return sqlite_log(cache_dir, events, rebuild=rebuild, family=DEMO)


def footprint(log: BuiltLog, db: LedgerDB, app: Any) -> dict[str, Any]:
    """Bytes on disk per event (tables, indexes and TOAST; the whole database or file), and
    what one ASN-year is made of: events per ``Evaluation/Opened``."""
    with db.snapshot() as reader:
        topics = {row["topic"]: row["n"] for row in reader.rows(
            f"SELECT topic, count(*) AS n FROM {db.events_table} GROUP BY topic")}
        tables = _tables(reader, db, app) if db.is_postgres else {}
        total = (reader.rows("SELECT pg_database_size(current_database()) AS n")[0]["n"]
                 if db.is_postgres else _file_bytes(log))
    asn_years = topics.get("kinerja/Evaluation/Opened", 0)
    return {"events": log.events, "bytes_total": total, "bytes_per_event": total / log.events,
            "tables": {name: {"bytes": size, "bytes_per_event": size / log.events}
                       for name, size in tables.items()},
            "asn_years": asn_years,
            "events_per_asn_year": log.events / asn_years if asn_years else None,
            "topics": dict(sorted(topics.items(), key=lambda item: -item[1]))}


def _tables(reader: Any, db: LedgerDB, app: Any) -> dict[str, int]:
    """Every table of ours (events, snapshots, ledger, views), with its indexes and TOAST."""
    snapshots = app.snapshots.recorder.events_table_name if app.snapshots else None
    rows = reader.rows(
        "SELECT c.relname AS name, pg_total_relation_size(c.oid) AS n FROM pg_class c"
        " JOIN pg_namespace s ON s.oid = c.relnamespace"
        " WHERE c.relkind = 'r' AND s.nspname = 'public' ORDER BY n DESC")
    named = {db.events_table: "events", snapshots: "snapshots"}
    return {named.get(row["name"], row["name"]): row["n"] for row in rows}


def _file_bytes(log: BuiltLog) -> int:
    path = Path(log.settings.database_url.split(":///", 1)[1])
    return sum(p.stat().st_size for p in path.parent.glob(f"{path.name}*"))
