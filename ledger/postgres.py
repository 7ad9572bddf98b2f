"""PostgreSQL persistence for kinerja: the library's recorders, with the Merkle log inline.

Used as ``PERSISTENCE_MODULE=ledger.postgres:Factory``. The frontier is read in the same
pipeline round trip that returns the notification ids, and the leaves and nodes are sent
without waiting, so the ledger adds no round trip to a save.
"""

from __future__ import annotations

import functools
import time
from typing import Any, Callable, Sequence

from eventsourcing.persistence import InterfaceError, OperationalError, StoredEvent
from eventsourcing.postgres import (
    PostgresAggregateRecorder, PostgresApplicationRecorder, PostgresFactory,
)
from psycopg.sql import SQL
from psycopg_pool import PoolTimeout

from ledger.append import Appended, append
from ledger.receipts import INSERT as INSERT_RECEIPT, POSTGRES_TABLE as RECEIPTS
from ledger.schema import (
    POSTGRES_FRONTIER, POSTGRES_INSERT_LEAVES, POSTGRES_INSERT_NODES, POSTGRES_TABLES,
)


ATTEMPTS = 10


def retried(method: Callable) -> Callable:
    """The library's retry (ten attempts, 0.2 s apart) for a connection that broke in use, but
    not when the pool had no connection to give within its timeout: the database is away, and
    nine more waits would hold the request, and its 503, for most of a minute."""
    @functools.wraps(method)
    def attempt(*args: Any, **kwargs: Any) -> Any:
        for n in range(1, ATTEMPTS + 1):
            try:
                return method(*args, **kwargs)
            except (InterfaceError, OperationalError) as e:
                if n == ATTEMPTS or isinstance(e.__cause__, PoolTimeout):
                    raise
                time.sleep(0.2)
    return attempt


class BinaryReads:
    """Reads stored events in binary: the library's text protocol sends ``state`` hex-encoded,
    and decoding a large snapshot's hex in Python cost more than the rest of a load."""

    @retried
    def select_events(self, originator_id: Any, *, gt: int | None = None,
                      lte: int | None = None, desc: bool = False,
                      limit: int | None = None) -> Sequence[StoredEvent]:
        statement, params = self.select_events_statement, [originator_id]
        for value, clause in ((gt, " AND originator_version > %s"),
                              (lte, " AND originator_version <= %s")):
            if value is not None:
                statement, params = statement + SQL(clause), params + [value]
        statement += SQL(" ORDER BY originator_version DESC" if desc
                         else " ORDER BY originator_version ASC")
        if limit is not None:
            statement, params = statement + SQL(" LIMIT %s"), params + [limit]
        with self.datastore.get_connection() as conn, conn.cursor(binary=True) as curs:
            curs.execute(statement, params, prepare=True)
            return [StoredEvent(originator_id=row["originator_id"],
                                originator_version=row["originator_version"],
                                topic=row["topic"], state=bytes(row["state"]))
                    for row in curs.fetchall()]


class LedgerPostgresRecorder(BinaryReads, PostgresApplicationRecorder):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sql_create_statements.extend(SQL(s) for s in [*POSTGRES_TABLES, RECEIPTS])  # type: ignore[arg-type]

    @retried
    def insert_events(self, stored_events: Sequence[StoredEvent],
                      **kwargs: Any) -> Sequence[int] | None:
        if not stored_events:
            return []
        failure: Exception | None = None
        ids: Sequence[int] | None = None
        with self.datastore.get_connection() as conn:
            with conn.pipeline() as pipeline, conn.transaction():
                with conn.cursor() as events, conn.cursor() as head:
                    try:
                        self._insert_stored_events(events, stored_events, **kwargs)  # locks
                        head.execute(POSTGRES_FRONTIER, prepare=True)
                        pipeline.sync()  # the one round trip: conflicts surface here
                        ids = self._fetch_ids_after_insert_events(events, stored_events)
                        self._append(head, append(*_frontier(head.fetchall()), stored_events))
                        if receipt := kwargs.get("receipt"):
                            head.execute(INSERT_RECEIPT, receipt.row(postgres=True))
                    except Exception as e:  # re-raised once the pipeline has closed
                        failure = e
            if failure:
                raise failure
        return ids

    @staticmethod
    def _append(cursor: Any, appended: Appended) -> None:
        leaves = appended.leaves
        cursor.execute(POSTGRES_INSERT_LEAVES, (
            [i for i, _, _ in leaves], [e.originator_id for _, e, _ in leaves],
            [e.originator_version for _, e, _ in leaves], [h for _, _, h in leaves]),
            prepare=True)
        if appended.nodes:
            levels, idxs, hashes = zip(*appended.nodes)
            cursor.execute(POSTGRES_INSERT_NODES, (list(levels), list(idxs), list(hashes)),
                           prepare=True)


def _frontier(rows: list[dict]) -> tuple[int, list[bytes]]:
    size = rows[0]["size"]
    return size, [bytes(r["hash"]) for r in rows if r["level"] is not None]


class SnapshotRecorder(BinaryReads, PostgresAggregateRecorder):
    pass


class Factory(PostgresFactory):
    application_recorder_class = LedgerPostgresRecorder
    aggregate_recorder_class = SnapshotRecorder
