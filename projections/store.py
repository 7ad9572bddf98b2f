"""View tables, and the position each view has reached in the event log.

A batch of documents and the view's position are written in one transaction, through the
library's tracking recorder, so a crash can neither lose nor double-count an event.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import orjson
from eventsourcing.persistence import IntegrityError

from ledger.db import LedgerDB
from projections.view import Doc, View

SQL_TYPES = {"text": "TEXT", "int": "BIGINT", "bool": "BOOLEAN"}
CHUNK = 500


class ViewStore:
    def __init__(self, db: LedgerDB, tracking: Any) -> None:
        self.db, self.tracking = db, tracking
        self.tracking_table = getattr(tracking, "tracking_table_name", "tracking")

    def tables(self, views: Iterable[View]) -> list[str]:
        """The tables the views and their positions are kept in."""
        return [*(f"view_{view.name}" for view in views), self.tracking_table]

    def create(self, views: Iterable[View]) -> None:
        with self.db.writer() as w:
            for view in views:
                columns = "".join(f", {c} {SQL_TYPES[t]}" for c, t in view.columns.items())
                w.execute(f"CREATE TABLE IF NOT EXISTS view_{view.name}"
                          f" (key TEXT PRIMARY KEY, doc TEXT NOT NULL{columns})")
                for column in view.columns:
                    w.execute(f"CREATE INDEX IF NOT EXISTS view_{view.name}_{column}"
                              f" ON view_{view.name} ({column})")

    def positions(self, views: Iterable[View]) -> dict[str, int]:
        """Where each view stands, in one query (0: nothing applied yet)."""
        names = {tracking_name(view): view.name for view in views}
        marks = ", ".join(["%s"] * len(names))
        found = {row["application_name"]: row["notification_id"] for row in self.db.query(
            f"SELECT application_name, notification_id FROM {self.tracking_table}"
            f" WHERE application_name IN ({marks})", list(names))}
        return {name: found.get(tracked) or 0 for tracked, name in names.items()}

    def docs(self, writer: Any, view: View, keys: list[str]) -> dict[str, Doc]:
        found: dict[str, Doc] = {}
        for start in range(0, len(keys), CHUNK):
            part = keys[start:start + CHUNK]
            marks = ", ".join(["%s"] * len(part))
            for row in writer.rows(f"SELECT key, doc FROM view_{view.name} WHERE key IN ({marks})",
                                   part):
                found[row["key"]] = orjson.loads(row["doc"])
        return found

    def save(self, writer: Any, view: View, docs: dict[str, Doc | None]) -> None:
        """Write changed documents, in the caller's transaction (``advance`` goes with it)."""
        kept = [(k, d) for k, d in docs.items() if d is not None]
        gone = [k for k, d in docs.items() if d is None]
        if kept:
            self._upsert(writer, view, kept)
        for key in gone:
            writer.execute(f"DELETE FROM view_{view.name} WHERE key = %s", (key,))

    def advance(self, writer: Any, views: list[View], expected: dict[str, int],
                position: int) -> None:
        """Move every view in ``views`` from where the caller saw it (``expected``, by view
        name) to ``position``, in the caller's transaction and in one statement (two when some
        view has no position yet): the library's tracking row per view. A view that is not
        where the caller saw it (another follower moved it, a rebuild reset it) makes the whole
        transaction fail, so no event is applied twice or over a rebuilt view."""
        table, moved = self.tracking_table, []
        seen = [view for view in views if expected[view.name]]
        if seen:
            pairs = " UNION ALL ".join(["SELECT CAST(%s AS TEXT) AS name,"
                                        " CAST(%s AS BIGINT) AS expected"] * len(seen))
            moved += writer.rows(
                f"UPDATE {table} SET notification_id = %s FROM ({pairs}) AS seen"
                f" WHERE {table}.application_name = seen.name"
                f" AND {table}.notification_id = seen.expected RETURNING application_name",
                [position, *(v for view in seen
                             for v in (tracking_name(view), expected[view.name]))])
        if new := [view for view in views if not expected[view.name]]:
            marks = ", ".join(["(%s, %s)"] * len(new))
            moved += writer.rows(
                f"INSERT INTO {table} (application_name, notification_id) VALUES {marks}"
                f" ON CONFLICT (application_name) DO NOTHING RETURNING application_name",
                [v for view in new for v in (tracking_name(view), position)])
        if len(moved) != len(views):
            taken = {tracking_name(v) for v in views} - {r["application_name"] for r in moved}
            raise IntegrityError(f"not where this follower saw them: {sorted(taken)}")

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

    def documents(self, view: View) -> dict[str, Doc]:
        """Every document of the view, by key, as stored."""
        return {row["key"]: orjson.loads(row["doc"])
                for row in self.rows(f"SELECT key, doc FROM view_{view.name}")}

    def rows(self, sql: str, params: Iterable[Any] = ()) -> Iterator[Any]:
        with self.db.snapshot() as r:
            yield from r.rows(sql, list(params))


def tracking_name(view: View) -> str:
    return f"view:{view.name}"
