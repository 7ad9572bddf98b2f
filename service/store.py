"""Opening the configured store: create tables once (``kinerja db init``), then run without.

The library's CREATE_TABLE default races when several processes start together on PostgreSQL,
so processes never create tables; ``init_db`` does, under an advisory lock.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from eventsourcing.persistence import (
    InfrastructureFactory,
    InterfaceError,
    OperationalError,
    PersistenceError,
)
from eventsourcing.utils import Environment

from ledger.checkpoints import Checkpointer
from ledger.db import LedgerDB
from ledger.keys import load_signer, trusted_verifiers
from ledger.save_function import postgres_save_signature
from ledger.schema import postgres_append_only, postgres_service_role
from projections.store import ViewStore
from projections.views import ALL as VIEWS
from service.access_journal import AccessJournal, postgres_journal_role
from service.application import KinerjaApplication
from service.config import ConfigError, Settings, store_env
from service.tokens import TokenStore

INIT_LOCK = 0x6B696E6A  # "kinj": one initialiser at a time


class StoreError(Exception):
    """The database cannot be used; the message is one line for an operator."""


def open_app(settings: Settings, *, sign: bool = True, **options: Any) -> KinerjaApplication:
    """The application on the configured store, after checking that the tables exist.

    With ``sign`` and a signing key on disk, checkpoints are signed as events accumulate.
    """
    try:
        app = KinerjaApplication(store_env(settings), **options)
    except ConfigError:
        raise
    except Exception as e:  # the driver's own error types vary; the operator needs one line
        raise StoreError(f"cannot open the database: {_first_line(e)}") from e
    try:
        app.recorder.max_notification_id()
        db = LedgerDB.of(app.recorder)
        earlier = db.needs_init() or AccessJournal(db).missing()
    except PersistenceError as e:
        app.close()
        raise StoreError(f"the database is not ready ({_first_line(e)}); "
                         "run `kinerja db init` first") from e
    if earlier:
        app.close()
        raise StoreError("the ledger tables are in an earlier layout; run `kinerja db init` once"
                         " to bring them up to date")
    if sign and settings.key_file.exists():
        app.checkpointer = checkpointer(app, settings)
    return app


def checkpointer(app: KinerjaApplication, settings: Settings) -> Checkpointer:
    return Checkpointer(app.ledger, load_signer(settings.key_file), settings.origin,
                        trusted=trusted_verifiers(settings.verifier_keys),
                        every=settings.checkpoint_every, seconds=settings.checkpoint_seconds)


def init_db(settings: Settings, *, service_role: str | None = None) -> None:
    """Create every table, idempotently, one initialiser at a time.

    On PostgreSQL the ledger tables refuse UPDATE, DELETE and TRUNCATE (triggers), and
    ``service_role``, when named, may only read and append.
    """
    env = Environment("Kinerja", store_env(settings) | {"CREATE_TABLE": "y"})
    try:
        factory = InfrastructureFactory.construct(env)
    except Exception as e:
        raise StoreError(f"cannot open the database: {_first_line(e)}") from e
    try:
        with _init_lock(factory, settings.backend):
            events = factory.application_recorder()
            snapshots = factory.aggregate_recorder(purpose="snapshots")
            TokenStore(LedgerDB.of(events)).create_table()
            AccessJournal(LedgerDB.of(events)).create_table()
            views = ViewStore(LedgerDB.of(events), factory.tracking_recorder())
            views.create(VIEWS)
            if settings.backend == "postgresql":
                _protect(factory, events, snapshots, service_role,
                         kept=[*views.tables(VIEWS), TokenStore.TABLE])
    except (InterfaceError, OperationalError) as e:
        raise StoreError(f"cannot reach the database: {_first_line(e)}") from e
    except PersistenceError as e:
        raise StoreError(f"cannot create the tables: {_first_line(e)}") from e
    finally:
        factory.close()


def _protect(factory: Any, events: Any, snapshots: Any, role: str | None,
             kept: list[str]) -> None:
    """The record append-only; ``role`` (if named) may read and append to it, and change only
    what the service keeps up to date (``kept``).

    ``factory``, ``events`` and ``snapshots`` are ``ledger.postgres``'s, typed Any: the library's
    factory hands them out as any backend's interfaces, which declare no datastore or table."""
    statements = postgres_append_only(events.events_table_name)
    if role:
        statements += postgres_service_role(
            role, events.events_table_name, snapshots.events_table_name, kept,
            postgres_save_signature(
                factory.datastore.schema, events.events_table_name,
                events.stored_event_type_name)) + postgres_journal_role(role)
    with factory.datastore.transaction(commit=True) as cursor:
        for statement in statements:
            cursor.execute(statement)


@contextmanager
def _init_lock(factory: Any, backend: str) -> Iterator[None]:
    if backend != "postgresql":
        yield  # SQLite serialises writers itself
        return
    with factory.datastore.get_connection() as conn:
        conn.execute("SELECT pg_advisory_lock(%s)", (INIT_LOCK,))
        try:
            yield
        finally:
            conn.execute("SELECT pg_advisory_unlock(%s)", (INIT_LOCK,))


def _first_line(error: BaseException) -> str:
    text = str(error).strip() or type(error).__name__
    return text.splitlines()[0]
