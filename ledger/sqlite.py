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
    def construct_create_table_statements(self) -> list[str]:
        return super().construct_create_table_statements() + SQLITE_TABLES + [RECEIPTS]

    def _insert_events(self, c: SQLiteCursor, stored_events: Sequence[StoredEvent],
                       **kwargs: Any) -> Sequence[int] | None:
        # SQLite holds the write lock from the first insert until commit: one writer at a time.
        ids = super()._insert_events(c, stored_events, **kwargs)
        size = self._size(c)
        appended = append(size, self._frontier(c, size), stored_events)
        c.executemany("INSERT INTO ledger_leaves VALUES (?, ?, ?, ?)",
                      [(i, e.originator_id.hex, e.originator_version, h)
                       for i, e, h in appended.leaves])
        c.executemany("INSERT INTO ledger_nodes VALUES (?, ?, ?)", appended.nodes)
        if receipt := kwargs.get("receipt"):
            c.execute(INSERT_RECEIPT.replace("%s", "?"), receipt.row(postgres=False))
        return ids

    @staticmethod
    def _size(c: SQLiteCursor) -> int:
        c.execute("SELECT coalesce(max(leaf_index) + 1, 0) FROM ledger_leaves")
        return c.fetchone()[0]

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
