"""SQLite persistence for kinerja: the library's recorders, with the Merkle log written inline.

Used as ``PERSISTENCE_MODULE=ledger.sqlite:Factory``.
"""

from __future__ import annotations

from typing import Any, Sequence

from eventsourcing.persistence import StoredEvent
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteCursor, SQLiteFactory

from ledger.append import append
from ledger.merkle import root_nodes
from ledger.receipts import INSERT as INSERT_RECEIPT, SQLITE_TABLE as RECEIPTS
from ledger.schema import SQLITE_TABLES


class LedgerSQLiteRecorder(SQLiteApplicationRecorder):
    # The frontier after our last append, reused while the log's head (size and last leaf
    # hash) says nobody else wrote since and our transaction was not rolled back.
    _last: tuple[tuple[int, bytes | None], list[bytes]] = ((-1, None), [])

    def construct_create_table_statements(self) -> list[str]:
        return super().construct_create_table_statements() + SQLITE_TABLES + [RECEIPTS]

    def _insert_events(self, c: SQLiteCursor, stored_events: Sequence[StoredEvent],
                       **kwargs: Any) -> Sequence[int] | None:
        # SQLite holds the write lock from the first insert until commit: one writer at a time.
        ids = super()._insert_events(c, stored_events, **kwargs)
        head = self._head(c)
        cached_head, cached = self._last
        frontier = cached if cached_head == head else self._frontier(c, head[0])
        appended = append(head[0], frontier, stored_events)
        c.executemany("INSERT INTO ledger_leaves VALUES (?, ?, ?, ?)",
                      [(i, e.originator_id.hex, e.originator_version, h)
                       for i, e, h in appended.leaves])
        c.executemany("INSERT INTO ledger_nodes VALUES (?, ?, ?)", appended.nodes)
        if receipt := kwargs.get("receipt"):
            c.execute(INSERT_RECEIPT.replace("%s", "?"), receipt.row(postgres=False))
        self._last = ((appended.size, appended.leaves[-1][2]), appended.frontier)
        return ids

    @staticmethod
    def _head(c: SQLiteCursor) -> tuple[int, bytes | None]:
        c.execute("SELECT leaf_index, leaf_hash FROM ledger_leaves ORDER BY leaf_index DESC LIMIT 1")
        row = c.fetchone()
        return (row[0] + 1, bytes(row[1])) if row else (0, None)

    @staticmethod
    def _frontier(c: SQLiteCursor, size: int) -> list[bytes]:
        hashes = []
        for level, idx in root_nodes(size):
            if level == 0:
                c.execute("SELECT leaf_hash FROM ledger_leaves WHERE leaf_index = ?", (idx,))
            else:
                c.execute("SELECT hash FROM ledger_nodes WHERE level = ? AND idx = ?", (level, idx))
            hashes.append(bytes(c.fetchone()[0]))
        return hashes


class Factory(SQLiteFactory):
    application_recorder_class = LedgerSQLiteRecorder
