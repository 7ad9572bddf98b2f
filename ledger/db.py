"""Reading the ledger tables through the library's datastores, one snapshot at a time.

SQL is written once with ``%s`` placeholders; the SQLite reader converts them. Each backend
keeps its own notion of an event id (hex text in SQLite, uuid in PostgreSQL).
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Iterator, Sequence
from uuid import UUID

from psycopg.rows import tuple_row

STREAM_BATCH = 5_000


class Reader:
    """Queries inside one read-only snapshot: every read sees the same committed state."""

    def __init__(self, cursor_factory: Any, convert: Any) -> None:
        self._cursor, self._convert = cursor_factory, convert

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        cursor = self._cursor()
        cursor.execute(self._convert(sql), params)
        return cursor.fetchall()

    def stream(self, sql: str, params: Sequence[Any] = ()) -> Iterator[Any]:
        """Rows as tuples (no per-row dicts: streams are the verifier's hot path)."""
        cursor = self._cursor(stream=True)
        cursor.execute(self._convert(sql), params)
        while batch := cursor.fetchmany(STREAM_BATCH):
            yield from batch


class LedgerDB:
    """The store an Application recorder writes to, seen as the ledger tables."""

    def __init__(self, datastore: Any, events_table: str) -> None:
        self.datastore, self.events_table = datastore, events_table
        self.is_postgres = type(datastore).__name__ == "PostgresDatastore"

    @classmethod
    def of(cls, recorder: Any) -> LedgerDB:
        return cls(recorder.datastore, recorder.events_table_name)

    def event_id(self, originator_id: UUID) -> Any:
        return originator_id if self.is_postgres else originator_id.hex

    @staticmethod
    def to_uuid(value: Any) -> UUID:
        return value if isinstance(value, UUID) else UUID(value)

    def id_column(self, column: str) -> str:
        """SQL giving an id column as cheaply as possible for ``id_bytes``."""
        return f"uuid_send({column})" if self.is_postgres else column

    def id_bytes(self, value: Any) -> bytes:
        """The 16 bytes of an id read through ``id_column``."""
        return bytes(value) if self.is_postgres else bytes.fromhex(value)

    @contextmanager
    def snapshot(self) -> Iterator[Reader]:
        if self.is_postgres:
            with self.datastore.get_connection() as conn, conn.transaction(force_rollback=True):
                conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                names = iter(range(1_000_000))

                def cursor(stream: bool = False) -> Any:
                    if stream:
                        return conn.cursor(name=f"ledger_{next(names)}", row_factory=tuple_row)
                    return conn.cursor()

                yield Reader(cursor, lambda sql: sql)
        else:
            with self.datastore.transaction(commit=False) as c:
                connection = c.sqlite_cursor.connection

                def cursor(stream: bool = False) -> Any:
                    return connection.cursor()

                yield Reader(cursor, lambda sql: sql.replace("%s", "?"))

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        """One statement, without an explicit transaction: one round trip on PostgreSQL."""
        if self.is_postgres:
            with self.datastore.get_connection() as conn:
                return conn.execute(sql, params, prepare=True).fetchall()
        with self.snapshot() as reader:
            return reader.rows(sql, params)

    @contextmanager
    def writer(self) -> Iterator[Any]:
        """A cursor in a committing transaction (checkpoints only; events go through recorders)."""
        with self.datastore.transaction(commit=True) as cursor:
            yield _Writer(cursor, self.is_postgres)


class _Writer:
    def __init__(self, cursor: Any, is_postgres: bool) -> None:
        self.cursor, self.is_postgres = cursor, is_postgres

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        self.cursor.execute(sql if self.is_postgres else sql.replace("%s", "?"), params)

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        self.execute(sql, params)
        return self.cursor.fetchall()
