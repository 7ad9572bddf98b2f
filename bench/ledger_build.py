"""A large ledger, built once through the real write path and kept for the next run.

Events go through our recorder's ``insert_events`` (the ledger's leaves and nodes are written
by the same code as in service), a thousand per call, and a checkpoint is signed after every
call as the service would (every 1,000 events). Each log lives in its own database, named for
its size; a marker row, written last, says the build finished, so a rerun finds it ready.
"""

from __future__ import annotations

import hashlib
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit
from uuid import UUID

import orjson
import psycopg
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from eventsourcing.persistence import StoredEvent

from bench.common import console
from ledger.checkpoints import Checkpointer
from ledger.db import LedgerDB
from ledger.keys import public_verifier
from ledger.note import Signer, Verifier, key_id, parse_verifier_key
from service.application import KinerjaApplication
from service.config import DEFAULT_ORIGIN, Settings
from service.store import init_db, open_app

BUILD = "ledger-bench/1"  # change when the generated events change: old builds are rebuilt
BATCH = 1_000  # events per insert_events call, and per signed checkpoint
EVENTS_PER_RECORD = 20  # so 1,000,000 events touch 50,000 originators
MARKER = "CREATE TABLE IF NOT EXISTS bench_marker (build TEXT NOT NULL, events BIGINT NOT NULL)"
TOPICS = [f"kinerja/Evaluation/{name}" for name in (
    "Opened", "PlanDrafted", "PlanAgreed", "ReportSubmitted", "RatingRecorded", "CommentAdded",
    "CommentAdded", "CommentAdded", "RatingRevised", "TeamAssigned")]
WORDS = "laporan capaian kinerja bulanan layanan bukti dukung verifikasi berkas target".split()


Source = Callable[[int, int], Iterator[list[StoredEvent]]]  # (total, batch) -> batches


@dataclass(frozen=True)
class Family:
    """What a family of kept logs holds: its events, the prefix of its names, its build tag."""

    prefix: str = "kinerja_bench"
    build: str = BUILD
    source: Source | None = None  # None: ``stored_events``, the synthetic events

    def events(self, total: int, batch: int) -> Iterator[list[StoredEvent]]:
        return (self.source or stored_events)(total, batch)


SYNTHETIC = Family()


@dataclass(frozen=True)
class BuiltLog:
    """A finished log: the settings that open it, and the key that signed its checkpoints."""

    settings: Settings
    events: int

    @property
    def verifier_key(self) -> str:
        return public_verifier(bench_signer())

    @property
    def verifier(self) -> Verifier:
        return parse_verifier_key(self.verifier_key)

    def open(self) -> KinerjaApplication:
        init_db(self.settings)  # a log kept from an earlier release: brought up to date
        return open_app(self.settings, sign=False)


def bench_signer() -> Signer:
    """A fixed signing key, so a log built in an earlier run still verifies (bench only)."""
    private = Ed25519PrivateKey.from_private_bytes(hashlib.sha256(BUILD.encode()).digest())
    public = private.public_key().public_bytes_raw()
    return Signer(DEFAULT_ORIGIN, key_id(DEFAULT_ORIGIN, public), private)


def size_label(events: int) -> str:
    for unit, suffix in ((1_000_000, "m"), (1_000, "k")):
        if events % unit == 0:
            return f"{events // unit}{suffix}"
    return str(events)


def postgres_log(admin_url: str, events: int, *, rebuild: bool = False,
                 family: Family = SYNTHETIC) -> BuiltLog:
    dbname = f"{family.prefix}_{size_label(events)}"
    url = urlsplit(admin_url)._replace(path=f"/{dbname}").geturl()
    if rebuild or not _postgres_ready(admin_url, url, dbname, events, family.build):
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {dbname} WITH (FORCE)")
            conn.execute(f"CREATE DATABASE {dbname}")
        _build(Settings(url), events, f"PostgreSQL database {dbname}", family)
    return BuiltLog(Settings(url), events)


def sqlite_log(folder: Path, events: int, *, rebuild: bool = False,
               family: Family = SYNTHETIC) -> BuiltLog:
    path = folder / f"{family.prefix}_{size_label(events)}.db"
    settings = Settings(f"sqlite:///{path}")
    if rebuild or not _sqlite_ready(path, events, family.build):
        folder.mkdir(parents=True, exist_ok=True)
        for stale in folder.glob(f"{path.name}*"):  # the file and its -wal, -shm
            stale.unlink()
        _build(settings, events, f"SQLite file {path}", family)
    return BuiltLog(settings, events)


def _postgres_ready(admin_url: str, url: str, dbname: str, events: int, build: str) -> bool:
    with psycopg.connect(admin_url, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (dbname,)).fetchone():
            return False
    with psycopg.connect(url, autocommit=True) as conn:
        if not conn.execute("SELECT to_regclass('bench_marker')").fetchone()[0]:
            return False
        return _marked(conn.execute("SELECT build, events FROM bench_marker").fetchall(), events,
                       build)


def _sqlite_ready(path: Path, events: int, build: str) -> bool:
    if not path.exists():
        return False
    with closing(sqlite3.connect(path)) as conn:
        marker = "SELECT name FROM sqlite_master WHERE name = 'bench_marker'"
        if not conn.execute(marker).fetchone():
            return False
        return _marked(conn.execute("SELECT build, events FROM bench_marker").fetchall(), events,
                       build)


def _marked(rows: list, events: int, build: str) -> bool:
    return [tuple(row) for row in rows] == [(build, events)]


def _build(settings: Settings, events: int, where: str, family: Family = SYNTHETIC) -> None:
    console.print(f"building a log of {events:,} events in {where} (kept for later runs) …")
    init_db(settings)
    app = open_app(settings, sign=False)
    started = time.perf_counter()
    try:
        checkpointer = Checkpointer(app.ledger, bench_signer(), DEFAULT_ORIGIN, every=BATCH)
        for written, batch in enumerate(family.events(events, BATCH), 1):
            app.recorder.insert_events(batch)
            checkpointer.checkpoint()
            if written % 100 == 0:
                console.print(f"  {written * BATCH:,} events,"
                              f" {time.perf_counter() - started:.0f} s")
        _mark(LedgerDB.of(app.recorder), events, family.build)
    finally:
        app.close()
    console.print(f"  built in {time.perf_counter() - started:.0f} s")


def _mark(db: LedgerDB, events: int, build: str) -> None:
    with db.writer() as w:
        w.execute(MARKER)
        w.execute("INSERT INTO bench_marker (build, events) VALUES (%s, %s)", (build, events))


def stored_events(total: int, batch: int) -> Iterator[list[StoredEvent]]:
    """``total`` events in batches: event k is version k // records + 1 of record k % records.

    Deterministic, about 300 bytes of JSON state each, as our comments and ratings are.
    """
    records = max(1, total // EVENTS_PER_RECORD)
    ids = [UUID(bytes=hashlib.md5(f"{BUILD} {n}".encode()).digest(), version=4)
           for n in range(records)]
    for start in range(0, total, batch):
        yield [_event(ids[k % records], k // records + 1, k)
               for k in range(start, min(start + batch, total))]


def _event(originator_id: UUID, version: int, k: int) -> StoredEvent:
    words = " ".join(WORDS[(k + i) % len(WORDS)] for i in range(8 + k % 9))
    state = {
        "meta": {"actor": f"19{k % 90 + 10:02d}0101201501100{k % 9 + 1}", "role": "reviewer",
                 "at": f"2025-01-{k % 28 + 1:02d}T08:{k % 60:02d}:00+00:00",
                 "request_id": str(UUID(int=k)), "rules": "permenpan-6-2022"},
        "timestamp": f"2025-01-{k % 28 + 1:02d}T08:{k % 60:02d}:00+00:00",
        "text": words.capitalize() + ".",
    }
    return StoredEvent(originator_id, version, TOPICS[version % len(TOPICS)], orjson.dumps(state))
