"""Opening the configured store: create tables once (``kinerja db init``), then run without.

The library's CREATE_TABLE default races when several processes start together on PostgreSQL,
so processes never create tables; ``init_db`` does, under an advisory lock.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Iterator

from eventsourcing.persistence import (
    InfrastructureFactory, InterfaceError, OperationalError, PersistenceError,
)
from eventsourcing.utils import Environment

from service.application import KinerjaApplication
from service.config import ConfigError, Settings, store_env

INIT_LOCK = 0x6B696E6A  # "kinj": one initialiser at a time


class StoreError(Exception):
    """The database cannot be used; the message is one line for an operator."""


def open_app(settings: Settings, **options: Any) -> KinerjaApplication:
    """The application on the configured store, after checking that the tables exist."""
    try:
        app = KinerjaApplication(store_env(settings), **options)
    except ConfigError:
        raise
    except Exception as e:  # the driver's own error types vary; the operator needs one line
        raise StoreError(f"cannot open the database: {_first_line(e)}") from e
    try:
        app.recorder.max_notification_id()
    except PersistenceError as e:
        app.close()
        raise StoreError(f"the database is not ready ({_first_line(e)}); "
                         "run `kinerja db init` first") from e
    return app


def init_db(settings: Settings) -> None:
    """Create every table, idempotently, one initialiser at a time."""
    env = Environment("Kinerja", store_env(settings) | {"CREATE_TABLE": "y"})
    try:
        factory = InfrastructureFactory.construct(env)
    except Exception as e:
        raise StoreError(f"cannot open the database: {_first_line(e)}") from e
    try:
        with _init_lock(factory):
            factory.application_recorder()
            factory.aggregate_recorder(purpose="snapshots")
    except (InterfaceError, OperationalError) as e:
        raise StoreError(f"cannot reach the database: {_first_line(e)}") from e
    except PersistenceError as e:
        raise StoreError(f"cannot create the tables: {_first_line(e)}") from e
    finally:
        factory.close()


@contextmanager
def _init_lock(factory: InfrastructureFactory) -> Iterator[None]:
    datastore = getattr(factory, "datastore", None)
    if datastore is None or not hasattr(datastore, "pool") or datastore.__class__.__name__ != "PostgresDatastore":
        yield  # SQLite serialises writers itself
        return
    with datastore.get_connection() as conn:
        conn.execute("SELECT pg_advisory_lock(%s)", (INIT_LOCK,))
        try:
            yield
        finally:
            conn.execute("SELECT pg_advisory_unlock(%s)", (INIT_LOCK,))


def _first_line(error: BaseException) -> str:
    text = str(error).strip() or type(error).__name__
    return text.splitlines()[0]
