"""View tables, and the position each view has reached in the event log.

A batch of documents and the view's position are written in one transaction, through the
library's tracking recorder, so a crash can neither lose nor double-count an event.
"""

from __future__ import annotations

from typing import Any, Iterable, Iterator

import orjson
from eventsourcing.persistence import Tracking

from ledger.db import LedgerDB
from projections.view import Doc, View

SQL_TYPES = {"text": "TEXT", "int": "BIGINT", "bool": "BOOLEAN"}
CHUNK = 500


class ViewStore:
    def __init__(self, db: LedgerDB, tracking: Any) -> None:
        self.db, self.tracking = db, tracking
        self.tracking_table = getattr(tracking, "tracking_table_name", "tracking")

    def create(self, views: Iterable[View]) -> None:
        with self.db.writer() as w:
            for view in views:
                columns = "".join(f", {c} {SQL_TYPES[t]}" for c, t in view.columns.items())
                w.execute(f"CREATE TABLE IF NOT EXISTS view_{view.name}"
                          f" (key TEXT PRIMARY KEY, doc TEXT NOT NULL{columns})")
                for column in view.columns:
                    w.execute(f"CREATE INDEX IF NOT EXISTS view_{view.name}_{column}"
                              f" ON view_{view.name} ({column})")

    def position(self, view: View) -> int:
        return self.tracking.max_tracking_id(tracking_name(view)) or 0

    def docs(self, writer: Any, view: View, keys: list[str]) -> dict[str, Doc]:
        found: dict[str, Doc] = {}
        for start in range(0, len(keys), CHUNK):
            part = keys[start:start + CHUNK]
            marks = ", ".join(["%s"] * len(part))
            for row in writer.rows(f"SELECT key, doc FROM view_{view.name} WHERE key IN ({marks})",
                                   part):
                found[row["key"]] = orjson.loads(row["doc"])
        return found

    def save(self, writer: Any, view: View, docs: dict[str, Doc | None], position: int) -> None:
        """Write changed documents and the view's new position, in the caller's transaction."""
        kept = [(k, d) for k, d in docs.items() if d is not None]
        gone = [k for k, d in docs.items() if d is None]
        if kept:
            self._upsert(writer, view, kept)
        for key in gone:
            writer.execute(f"DELETE FROM view_{view.name} WHERE key = %s", (key,))
        self.tracking._insert_tracking(writer.cursor, Tracking(tracking_name(view), position))

    def _upsert(self, writer: Any, view: View, docs: list[tuple[str, Doc]]) -> None:
        names = ["key", "doc", *view.columns]
        update = ", ".join(f"{n} = excluded.{n}" for n in names[1:])
        rows = [(key, orjson.dumps(doc).decode(), *view.row(doc).values()) for key, doc in docs]
        if self.db.is_postgres:  # one statement for the whole batch
            casts = ", ".join(f"%b::{SQL_TYPES.get(view.columns.get(n, 'text'))}[]" for n in names)
            writer.execute(f"INSERT INTO view_{view.name} ({', '.join(names)})"
                           f" SELECT * FROM unnest({casts})"
                           f" ON CONFLICT (key) DO UPDATE SET {update}",
                           [list(column) for column in zip(*rows)])
        else:
            marks = ", ".join(["?"] * len(names))
            writer.cursor.executemany(f"INSERT INTO view_{view.name} ({', '.join(names)})"
                                      f" VALUES ({marks}) ON CONFLICT (key) DO UPDATE SET {update}",
                                      rows)

    def reset(self, view: View) -> None:
        """Empty a view and forget its position, together (for a rebuild)."""
        with self.db.writer() as w:
            w.execute(f"DELETE FROM view_{view.name}")
            w.execute(f"DELETE FROM {self.tracking_table} WHERE application_name = %s",
                      (tracking_name(view),))

    def rows(self, sql: str, params: Iterable[Any] = ()) -> Iterator[Any]:
        with self.db.snapshot() as r:
            yield from r.rows(sql, list(params))


def tracking_name(view: View) -> str:
    return f"view:{view.name}"
