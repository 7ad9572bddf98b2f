"""SQLite persistence for kinerja: the library's recorders, with the Merkle log written inline.

Used as ``PERSISTENCE_MODULE=ledger.sqlite:Factory``.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Sequence
from functools import lru_cache
from itertools import count
from typing import Any
from uuid import UUID

from eventsourcing.persistence import IntegrityError, InterfaceError, StoredEvent
from eventsourcing.sqlite import (
    SQLITE3_DEFAULT_LOCK_TIMEOUT,
    SQLiteApplicationRecorder,
    SQLiteConnection,
    SQLiteConnectionPool,
    SQLiteCursor,
    SQLiteFactory,
)

from ledger.append import EMPTY, Frontier, append
from ledger.log import hashes_in_leaf_rows, leaf_rows_query
from ledger.merkle import CompactRange, root_nodes
from ledger.receipts import INSERT as INSERT_RECEIPT
from ledger.receipts import SQLITE_TABLE as RECEIPTS
from ledger.schema import SQLITE_EARLIER, SQLITE_TABLES, nodes_by_leaf
from ledger.upgrade import move_nodes_into_leaves

HEAD = "SELECT leaf_index + 1, leaf_hash FROM ledger_leaves ORDER BY leaf_index DESC LIMIT 1"
STATEMENT_CACHE = 64  # prepared statements kept per connection
LEAVES_PER_INSERT = 100  # rows in one INSERT: cheaper than a statement run per row


class LedgerSQLiteRecorder(SQLiteApplicationRecorder):
    # The tree as our last commit left it: reused while the log's head (size and last leaf
    # hash) says nobody else has written since.
    _frontier: Frontier = EMPTY

    def construct_create_table_statements(self) -> list[str]:
        return super().construct_create_table_statements() + SQLITE_TABLES + [RECEIPTS]

    def _create_table(self, c: SQLiteCursor) -> None:
        super()._create_table(c)
        c.execute(SQLITE_EARLIER)
        if c.fetchone():
            move_nodes_into_leaves(c)  # a database made before: brought up to date

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pending = threading.local()  # each writing thread's tree, until it commits

    def insert_events(self, stored_events: Sequence[StoredEvent],
                      **kwargs: Any) -> Sequence[int] | None:
        self._pending.frontier = None
        with self.datastore.transaction(commit=True) as c:
            ids = self._insert_events(c, stored_events, **kwargs)
        if self._pending.frontier:  # committed
            self._frontier = self._pending.frontier
        return ids

    def _insert_events(self, c: SQLiteCursor, stored_events: Sequence[StoredEvent],
                       **kwargs: Any) -> Sequence[int] | None:
        # SQLite holds the write lock from the first insert until commit: one writer at a time.
        ids = super()._insert_events(c, stored_events, **kwargs)
        if not stored_events:
            return ids
        c.execute(HEAD)
        size, last = c.fetchone() or (0, None)
        tree = self._frontier.reusable(size, last) or self._tree(c, size)
        appended = append(tree, stored_events)
        formed = nodes_by_leaf(appended.nodes)
        values = [value for index, event, digest in zip(count(appended.first), stored_events,
                                                        appended.hashes)
                  # An id is UUID | str to the library, a UUID in our aggregates (as in append)
                  for value in (index, event.originator_id.hex,  # type: ignore[union-attr]
                                event.originator_version, digest, formed.get(index))]
        for start in range(0, len(values), LEAVES_PER_INSERT * 5):
            chunk = values[start:start + LEAVES_PER_INSERT * 5]
            c.execute(_insert_leaves(len(chunk) // 5), chunk)
        if receipt := kwargs.get("receipt"):
            c.execute(INSERT_RECEIPT.replace("%s", "?"), receipt.row(postgres=False))
        self._pending.frontier = Frontier(tree, appended.hashes[-1])
        return ids

    def select_events_after(self, versions: Sequence[tuple[UUID, int]]) -> Sequence[StoredEvent]:
        """The events of several records, each after the version given with it, in one
        statement: ordered by record, then version."""
        after = " OR ".join(["(originator_id = ? AND originator_version > ?)"] * len(versions))
        with self.datastore.transaction(commit=False) as c:
            c.execute(f"SELECT * FROM {self.events_table_name} WHERE {after}"
                      " ORDER BY originator_id, originator_version",
                      [v for oid, version in versions for v in (oid.hex, version)])
            return [StoredEvent(originator_id=self.convert_originator_id(row["originator_id"]),
                                originator_version=row["originator_version"],
                                topic=row["topic"], state=row["state"])
                    for row in c.fetchall()]

    def _tree(self, c: SQLiteCursor, size: int) -> CompactRange:
        """The tree as stored: the rows of the leaves that complete its perfect subtrees."""
        wanted = root_nodes(size)
        query, leaves = leaf_rows_query(wanted)
        c.execute(query.replace("%s", "?"), leaves)
        found = hashes_in_leaf_rows(wanted, c.fetchall())
        if len(found) < len(wanted):  # a rogue removed one: appending can't go on from a guess
            raise IntegrityError(f"the stored tree of {size} leaves lacks a subtree hash;"
                                 " run `kinerja verify`")
        return CompactRange(size, [found[node] for node in wanted])


@lru_cache(maxsize=LEAVES_PER_INSERT)
def _insert_leaves(rows: int) -> str:
    return "INSERT INTO ledger_leaves VALUES " + ", ".join(["(?, ?, ?, ?, ?)"] * rows)


class _Pool(SQLiteConnectionPool):
    """The library's pool, with a statement cache per connection. The library opens its
    connections with ``cached_statements=True``, a cache of one statement: a save runs four
    (BEGIN, the events' INSERT, the head query, the leaves' INSERT) and each
    was parsed and planned again every time."""

    def _create_connection(self) -> SQLiteConnection:  # the library's, but for the cache
        if not self.is_sqlite_memory_mode:
            _create_private(self.db_name)
        try:
            c = sqlite3.connect(database=self.db_name, uri=True, check_same_thread=False,
                                isolation_level=None, cached_statements=STATEMENT_CACHE,
                                timeout=self.lock_timeout or SQLITE3_DEFAULT_LOCK_TIMEOUT)
        except (sqlite3.Error, TypeError) as e:
            raise InterfaceError(e) from e
        if not self.is_sqlite_memory_mode and not self.is_journal_mode_wal:
            if c.execute("PRAGMA journal_mode;").fetchone()[0].lower() != "wal":
                c.execute("PRAGMA journal_mode=WAL;")
                self.journal_mode_was_changed_to_wal = True
            self.is_journal_mode_wal = True
        c.row_factory = sqlite3.Row
        return SQLiteConnection(sqlite_conn=c, max_age=self.max_age)


def _create_private(path: str) -> None:
    """Create the database file, if new, readable by its owner only: SQLite would create it
    0644 under the usual umask, and gives its -wal and -shm files the database file's mode.
    (os.umask around the connect would change the mode of every file any thread creates.)"""
    try:
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except FileExistsError:
        pass


class Factory(SQLiteFactory):
    application_recorder_class = LedgerSQLiteRecorder

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        library_pool, self.datastore.pool = self.datastore.pool, _Pool(
            db_name=self.datastore.pool.db_name, lock_timeout=self.datastore.pool.lock_timeout)
        library_pool.close()  # unused: it opens connections only when asked
