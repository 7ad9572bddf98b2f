"""PostgreSQL persistence for kinerja: the library's recorders, with the Merkle log inline.

Used as ``PERSISTENCE_MODULE=ledger.postgres:Factory``. A save's leaves and new nodes are made
from the tree as the recorder's last commit left it, and one statement, in a transaction of
its own, writes them with the events and the request's receipt under the events table lock
(``save_function.postgres_save_function``): one round trip, where the library's save takes a
pipelined transaction of four statements. If another writer appended since, the function
makes the nodes itself from the tree as stored, under the lock, and answers the tree it
left, for the recorder to cache.
"""

from __future__ import annotations

import functools
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any, ParamSpec, TypeVar

from eventsourcing.persistence import InterfaceError, OperationalError, StoredEvent
from eventsourcing.postgres import (
    PgStoredEvent,
    PostgresAggregateRecorder,
    PostgresApplicationRecorder,
    PostgresDatastore,
    PostgresFactory,
)
from psycopg.sql import SQL, Composed, Identifier
from psycopg_pool import PoolTimeout

from ledger.append import EMPTY, Appended, Frontier, append
from ledger.merkle import CompactRange
from ledger.receipts import POSTGRES_TABLE as RECEIPTS
from ledger.receipts import Receipt
from ledger.save_function import postgres_save_call, postgres_save_function
from ledger.schema import POSTGRES_TABLES

P = ParamSpec("P")
R = TypeVar("R")

ATTEMPTS = 10
TURN_WAIT = 1.0  # seconds a save waits for this process's earlier saves before going ahead


def retried(method: Callable[P, R]) -> Callable[P, R]:
    """The library's retry (ten attempts, 0.2 s apart) for a connection that broke in use, but
    not when the pool had no connection to give within its timeout: the database is away, and
    nine more waits would hold the request, and its 503, for most of a minute."""
    @functools.wraps(method)
    def attempt(*args: P.args, **kwargs: P.kwargs) -> R:
        for _ in range(ATTEMPTS - 1):
            try:
                return method(*args, **kwargs)
            except (InterfaceError, OperationalError) as e:
                if isinstance(e.__cause__, PoolTimeout):
                    raise
                time.sleep(0.2)
        return method(*args, **kwargs)  # the last attempt: whatever it raises goes up
    return attempt


class BinaryReads:
    """Reads stored events in binary: the library's text protocol sends ``state`` hex-encoded,
    and decoding a large snapshot's hex in Python cost more than the rest of a load."""

    # Given by the library's PostgreSQL recorder this is mixed into (PostgresAggregateRecorder).
    datastore: PostgresDatastore
    events_table_name: str
    select_events_statement: Composed

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
        return self._stored_events(statement, params)

    @retried
    def select_events_after(self, versions: Sequence[tuple[Any, int]]) -> Sequence[StoredEvent]:
        """The events of several records, each after the version given with it, in one
        statement: ordered by record, then version."""
        return self._stored_events(self._after_statement(len(versions)),
                                   [v for pair in versions for v in pair])

    @functools.lru_cache(maxsize=8)  # noqa: B019 - recorders live as long as their process
    def _after_statement(self, count: int) -> bytes:
        after = SQL(" OR ").join([SQL("(originator_id = %s AND originator_version > %s)")]
                                 * count)
        return SQL("SELECT * FROM {}.{} WHERE {} ORDER BY originator_id, originator_version"
                   ).format(Identifier(self.datastore.schema),
                            Identifier(self.events_table_name), after).as_bytes()

    def _stored_events(self, statement: Any, params: list[Any]) -> list[StoredEvent]:
        with self.datastore.get_connection() as conn, conn.cursor(binary=True) as curs:
            curs.execute(statement, params, prepare=True)
            return [StoredEvent(originator_id=row["originator_id"],
                                originator_version=row["originator_version"],
                                topic=row["topic"], state=bytes(row["state"]))
                    for row in curs.fetchall()]


class LedgerPostgresRecorder(BinaryReads, PostgresApplicationRecorder):
    """The library's application recorder, with each save's leaves and new nodes written by
    the statement that inserts its events."""

    # The tree as our last commit left it. A save's leaves and nodes are made from it before
    # the events table is locked, and used only if the log still ends where it did.
    _frontier: Frontier = EMPTY
    stale_saves = 0  # saves whose nodes the database made: another writer had appended

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # One save at a time from this process, each building on the tree the last one left:
        # threads that raced for the frontier found it stale for most saves under concurrent
        # requests (the database then makes the nodes again, under the lock). The events table
        # lock serialises saves anyway; only the work before it now waits its turn.
        self._one_at_a_time = threading.Lock()
        schema, table = self.datastore.schema, self.events_table_name
        # Composed, as the library's list is typed: one part, so the same statement as SQL(s).
        self.sql_create_statements.extend(Composed([SQL(s)])
                                          for s in [*POSTGRES_TABLES, RECEIPTS])
        self.sql_create_statements.extend(postgres_save_function(
            schema, table, self.stored_event_type_name, self.channel_name))
        self._save = postgres_save_call(schema, table, self.stored_event_type_name).as_bytes()
        self._wait = f"{self.datastore.lock_timeout}s"

    @retried
    def insert_events(self, stored_events: Sequence[StoredEvent],
                      **kwargs: Any) -> Sequence[int] | None:
        if not stored_events:
            return []
        # One save at a time (see __init__), but not for long: while the database is away, the
        # save holding the turn waits out the pool's timeout, and the others must not queue
        # behind it one timeout each. A save that did not get its turn is still right (its
        # tree is stale if it lost a race, and the database makes its nodes).
        turn = self._one_at_a_time.acquire(timeout=TURN_WAIT)
        try:
            return self._insert_in_turn(stored_events, kwargs.get("receipt"))
        finally:
            if turn:
                self._one_at_a_time.release()

    def _insert_in_turn(self, stored_events: Sequence[StoredEvent],
                        receipt: Receipt | None) -> Sequence[int]:
        rows = [self.construct_pg_stored_event(e.originator_id, e.originator_version, e.topic,
                                               e.state) for e in stored_events]
        known = self._frontier
        appended = append(known.tree.copy(), stored_events)
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(self._save, self._params(rows, known.last, appended, receipt),
                         prepare=True)
            saved = curs.fetchall()
        if saved[0]["recomputed"]:  # another writer had appended: the database made the nodes
            self.stale_saves += 1
            stored = bytes(saved[0]["tree"])
            tree = CompactRange(saved[0]["placed_at"] + len(stored_events),
                                [stored[i:i + 32] for i in range(0, len(stored), 32)])
            self._frontier = Frontier(tree, appended.hashes[-1])  # a leaf's hash: wherever
        else:
            self._frontier = Frontier(appended.tree, appended.hashes[-1])
        return [row["id"] for row in saved]

    def _params(self, rows: list[PgStoredEvent], last: bytes | None, appended: Appended,
                receipt: Receipt | None) -> dict[str, Any]:
        levels, idxs, hashes = zip(*appended.nodes) if appended.nodes else ((), (), ())
        return {"events": rows, "first": appended.first, "last": last,
                "hashes": b"".join(appended.hashes), "levels": _array(levels),
                "idxs": _array(idxs), "node_hashes": b"".join(hashes), "wait": self._wait,
                **Receipt.named(receipt)}


def _array(values: Sequence[int]) -> str:
    return "{" + ",".join(map(str, values)) + "}"


class SnapshotRecorder(BinaryReads, PostgresAggregateRecorder):
    pass


class Factory(PostgresFactory):
    application_recorder_class = LedgerPostgresRecorder
    aggregate_recorder_class = SnapshotRecorder
