"""A large, realistic log for the projection benchmark, built quickly but for real.

One demo year is recorded through the use cases on a scratch store; its events are then copied
with fresh ids (every id inside their state remapped too) until the log holds N events, and
written through the ledger recorder's insert_events in large batches, so leaves and nodes are
written by the real write path.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable

import psycopg
from eventsourcing.persistence import StoredEvent

from demo.year import DemoClock, generate
from service.config import Settings
from service.store import init_db, open_app

ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
UUID_TEXT = re.compile(rb"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
SEED_EMPLOYEES = 600
BATCH = 2000


def database_url(name: str) -> str:
    return ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"


def fresh_database(name: str) -> str:
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {name}")
    return database_url(name)


def seed_events(scratch: str = "kinerja_bench_seed") -> list[StoredEvent]:
    """One demo year, recorded through the use cases on a scratch database."""
    url = fresh_database(scratch)
    settings = Settings(url)
    init_db(settings)
    clock = DemoClock()
    app = open_app(settings, clock=clock, sign=False)
    try:
        generate(app, clock, employees=SEED_EMPLOYEES, seed=1)
        return [StoredEvent(n.originator_id, n.originator_version, n.topic, n.state)
                for n in app.recorder.select_notifications(start=None, limit=10**9)]
    finally:
        app.close()


def copy(events: list[StoredEvent], generation: int) -> list[StoredEvent]:
    """The same history for different people: every id (and every id in the state) renamed."""
    def rename(match: re.Match) -> bytes:
        return str(uuid.uuid5(uuid.UUID(match[0].decode()), str(generation))).encode()
    return [StoredEvent(uuid.uuid5(e.originator_id, str(generation)), e.originator_version,
                        e.topic, UUID_TEXT.sub(rename, e.state)) for e in events]


def build(name: str, events: int, progress: Callable[[int], None] = lambda n: None) -> str:
    """A database of at least ``events`` real events (ledger included); returns its URL."""
    seed = seed_events()
    url = fresh_database(name)
    settings = Settings(url)
    init_db(settings)
    app = open_app(settings, sign=False)
    written, generation = 0, 0
    try:
        while written < events:
            copied = copy(seed, generation) if generation else seed
            for start in range(0, len(copied), BATCH):
                app.recorder.insert_events(copied[start:start + BATCH])
            written, generation = written + len(copied), generation + 1
            progress(written)
    finally:
        app.close()
    return url
