"""Reading the ledger tables through the library's datastores, one snapshot at a time.

SQL is written once with ``%s`` placeholders; the SQLite reader converts them. Each backend
keeps its own notion of an event id (hex text in SQLite, uuid in PostgreSQL).
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Generator, Iterator, Sequence
from contextlib import closing, contextmanager
from typing import Any, Protocol
from uuid import UUID

from psycopg.rows import tuple_row
from psycopg.sql import SQL, Literal

from ledger.save_function import SAVE_RESULT, postgres_save_signature
from ledger.schema import SQLITE_EARLIER

STREAM_BATCH = 5_000


class Row(Protocol):
    """A row of ``Reader.rows`` and ``LedgerDB.query``, read by column name: a ``sqlite3.Row``
    on SQLite, a dict on PostgreSQL (the library's connections make dict rows). Its values are
    whatever the driver gives for the column, so they are read as ``Any``."""

    def __getitem__(self, column: str, /) -> Any: ...


Batches = Generator[list[Any], None, None]  # streamed rows: plain tuples, as the query lists them


class Reader:
    """Queries inside one read-only snapshot: every read sees the same committed state."""

    def __init__(self, cursor_factory: Any, convert: Any) -> None:
        self._cursor, self._convert = cursor_factory, convert
        self._streams: list[Batches] = []

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        cursor = self._cursor()
        cursor.execute(self._convert(sql), params)
        rows: list[Row] = cursor.fetchall()
        return rows

    def stream(self, sql: str, params: Sequence[Any] = ()) -> Iterator[Any]:
        """Rows as tuples (no per-row dicts: streams are the verifier's hot path)."""
        for batch in self.batches(sql, params):
            yield from batch

    def batches(self, sql: str, params: Sequence[Any] = (), *,
                ahead: bool = False) -> Iterator[list[Any]]:
        """Rows as tuples, ``STREAM_BATCH`` at a time; on PostgreSQL from a server-side cursor
        in binary (``bytea`` arrives as bytes, not hex to decode). ``ahead``: a thread fetches
        the next batches while the caller works on this one."""
        stream = self._batches(sql, params)
        if ahead:
            stream = _fetched_ahead(stream)
        self._streams.append(stream)
        return stream

    def export(self) -> str:
        """An id another PostgreSQL connection can read this snapshot by (``snapshot(of=...)``)."""
        snapshot_id: str = self.rows("SELECT pg_export_snapshot() AS id")[0]["id"]
        return snapshot_id

    def close(self) -> None:
        """Close the streams a reader stopped early, while their snapshot is still open."""
        for stream in self._streams:
            stream.close()

    def _batches(self, sql: str, params: Sequence[Any]) -> Batches:
        with self._cursor(stream=True) as cursor:
            cursor.execute(self._convert(sql), params)
            while batch := cursor.fetchmany(STREAM_BATCH):
                yield batch


class LedgerDB:
    """The store an Application recorder writes to, seen as the ledger tables."""

    def __init__(self, datastore: Any, events_table: str) -> None:
        self.datastore, self.events_table = datastore, events_table
        self.is_postgres = type(datastore).__name__ == "PostgresDatastore"

    @classmethod
    def of(cls, recorder: Any) -> LedgerDB:
        return cls(recorder.datastore, recorder.events_table_name)

    def needs_init(self) -> bool:
        """The tables predate this release, and ``kinerja db init`` has not yet brought them up
        to date: SQLite's subtree hashes are not yet in their leaves' rows, or PostgreSQL has
        no save function of this release (save_function.py)."""
        if self.is_postgres:
            signature = postgres_save_signature(
                self.datastore.schema, self.events_table,
                f"stored_event_{self.datastore.originator_id_type}")
            missing: bool = self.query(
                "SELECT pg_get_function_result(to_regprocedure(%s)) IS DISTINCT FROM %s"
                " AS missing", (signature, SAVE_RESULT))[0]["missing"]
            return missing
        return bool(self.query(SQLITE_EARLIER))

    def event_id(self, originator_id: UUID) -> Any:
        return originator_id if self.is_postgres else originator_id.hex

    @staticmethod
    def to_uuid(value: Any) -> UUID:
        return value if isinstance(value, UUID) else UUID(value)

    def id_column(self, column: str) -> str:
        """SQL giving an id column as cheaply as possible for ``id_bytes``."""
        return f"uuid_send({column})" if self.is_postgres else column

    def id_bytes(self, value: Any) -> bytes:
        """The 16 bytes of an id read through ``id_column`` (on SQLite, text that is not hex
        gives its own bytes: it cannot match a leaf, but verification goes on to say so)."""
        if self.is_postgres:
            return value if type(value) is bytes else bytes(value)
        try:
            return bytes.fromhex(value)
        except (TypeError, ValueError):
            return str(value).encode()

    @contextmanager
    def snapshot(self, *, of: str | None = None) -> Iterator[Reader]:
        """``of``: a snapshot another reader exported (``Reader.export``, PostgreSQL): the same
        state, read on a connection of its own."""
        if self.is_postgres:
            with self.datastore.get_connection() as conn, conn.transaction(force_rollback=True):
                conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                if of:
                    conn.execute(SQL("SET TRANSACTION SNAPSHOT {}").format(Literal(of)))
                names = iter(range(1_000_000))

                def cursor(stream: bool = False) -> Any:
                    if stream:
                        return conn.cursor(name=f"ledger_{next(names)}", row_factory=tuple_row,
                                           binary=True)
                    return conn.cursor()

                yield from _closing(Reader(cursor, lambda sql: sql))
        else:
            with self.datastore.transaction(commit=False) as c:
                connection = c.sqlite_cursor.connection

                def cursor(stream: bool = False) -> Any:
                    cursor = connection.cursor()
                    if stream:
                        cursor.row_factory = None  # tuples, not sqlite3.Row
                    return closing(cursor) if stream else cursor

                yield from _closing(Reader(cursor, lambda sql: sql.replace("%s", "?")))

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        """One statement, without an explicit transaction: one round trip on PostgreSQL."""
        if self.is_postgres:
            with self.datastore.get_connection() as conn:
                rows: list[Row] = conn.execute(sql, params, prepare=True).fetchall()
                return rows
        with self.snapshot() as reader:
            return reader.rows(sql, params)

    @contextmanager
    def writer(self) -> Iterator[Any]:
        """A cursor in a committing transaction (checkpoints only; events go through recorders)."""
        with self.datastore.transaction(commit=True) as cursor:
            yield _Writer(cursor, self.is_postgres)


# What the fetching thread hands over: a batch, None at the end, or what it raised.
Handed = list[Any] | BaseException | None


def _fetched_ahead(batches: Batches, depth: int = 2) -> Batches:
    """``batches``, read by a thread of its own up to ``depth`` batches ahead: the database
    works on the next batch while the caller works on this one (psycopg releases the GIL while
    it waits, and serialises threads sharing a connection)."""
    ready: queue.Queue[Handed] = queue.Queue(depth)
    stop = threading.Event()

    def fetch() -> None:
        try:
            for batch in batches:
                if not _put(ready, batch, stop):
                    return
            _put(ready, None, stop)
        except BaseException as e:  # handed to the caller, raised in its thread
            _put(ready, e, stop)

    thread = threading.Thread(target=fetch, name="ledger-fetch-ahead", daemon=True)
    thread.start()
    try:
        while (batch := ready.get()) is not None:
            if isinstance(batch, BaseException):
                raise batch
            yield batch
    finally:
        stop.set()
        thread.join()
        batches.close()  # its cursor, from this thread, while the snapshot is still open


def _put(ready: queue.Queue[Handed], item: Handed, stop: threading.Event) -> bool:
    while not stop.is_set():
        try:
            ready.put(item, timeout=0.05)
            return True
        except queue.Full:
            continue
    return False


def _closing(reader: Reader) -> Iterator[Reader]:
    try:
        yield reader
    finally:
        reader.close()


class _Writer:
    def __init__(self, cursor: Any, is_postgres: bool) -> None:
        self.cursor, self.is_postgres = cursor, is_postgres

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        self.cursor.execute(sql if self.is_postgres else sql.replace("%s", "?"), params)

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        self.execute(sql, params)
        rows: list[Row] = self.cursor.fetchall()
        return rows
