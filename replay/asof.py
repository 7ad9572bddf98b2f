"""Any record as it stood: at one of its own versions, at a ledger position (leaf index), or at
a moment (UTC, or a local date in Asia/Jakarta), rebuilt by the same domain code that wrote it.

Loading starts from the newest snapshot at or below the chosen version, so it stays fast for
long histories; finding the version for a moment is a binary search over event timestamps.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta, timezone
from typing import Any, cast
from uuid import UUID
from zoneinfo import ZoneInfo

from domain.errors import NotFoundError
from ledger.db import LedgerDB
from ledger.log import version_at_leaf
from replay.source import Records

JAKARTA = ZoneInfo("Asia/Jakarta")


def end_of_local_day(day: date, zone: ZoneInfo = JAKARTA) -> datetime:
    """The last instant of ``day`` in Asia/Jakarta, in UTC."""
    return datetime.combine(day + timedelta(days=1), time(), zone).astimezone(timezone.utc) \
        - timedelta(microseconds=1)


class AsOf:
    def __init__(self, app: Records) -> None:
        self.app, self.db = app, LedgerDB.of(app.recorder)

    def record(self, record_id: UUID, *, version: int | None = None, leaf: int | None = None,
               moment: datetime | None = None, day: date | None = None) -> Any:
        """The record as of one point (at most one of the four; none means now)."""
        return self.app.load(record_id, version=self.version(
            record_id, version=version, leaf=leaf, moment=moment, day=day))

    def version(self, record_id: UUID, *, version: int | None = None, leaf: int | None = None,
                moment: datetime | None = None, day: date | None = None) -> int | None:
        if sum(x is not None for x in (version, leaf, moment, day)) > 1:
            raise ValueError("name one point: a version, a leaf, a moment or a day")
        if leaf is not None:
            return self._at_leaf(record_id, leaf)
        if day is not None:
            moment = end_of_local_day(day)
        if moment is not None:
            return self._at_moment(record_id, moment)
        return version

    def _at_leaf(self, record_id: UUID, leaf: int) -> int:
        with self.db.snapshot() as r:
            found = version_at_leaf(self.db, r, record_id, leaf)
        return self._existing(record_id, found, f"ledger position {leaf}")

    def _at_moment(self, record_id: UUID, moment: datetime) -> int:
        if moment.tzinfo is None:
            raise ValueError("a moment needs a time zone (UTC, or a local date)")
        if self.db.is_postgres and self.app.mapper.cipher is None:
            return self._existing(record_id, self._at_moment_in_sql(record_id, moment),
                                  moment.isoformat())
        low, high = 0, self._latest(record_id)  # invariant: version low is at or before moment
        while low < high:
            middle = (low + high + 1) // 2
            if self._timestamp(record_id, middle) <= moment:
                low = middle
            else:
                high = middle - 1
        return self._existing(record_id, low or None, moment.isoformat())

    def _at_moment_in_sql(self, record_id: UUID, moment: datetime) -> int | None:
        """The binary search, run by the server in one statement (about log2(n) index lookups):
        event times never run backwards within a record, and stored state is plain JSON (no
        cipher), so each probe reads one event's timestamp."""
        probe = (f"(SELECT (convert_from(state, 'UTF8')::jsonb ->> 'timestamp')::timestamptz"
                 f" FROM {self.db.events_table} WHERE originator_id = %(id)s"
                 f" AND originator_version = (lo + hi + 1) / 2) <= %(moment)s")
        rows = self.db.query(
            "WITH RECURSIVE search(lo, hi) AS ("
            " SELECT 0::bigint, (SELECT max(originator_version)::bigint"
            f"             FROM {self.db.events_table} WHERE originator_id = %(id)s)"
            f" UNION ALL SELECT CASE WHEN {probe} THEN (lo + hi + 1) / 2 ELSE lo END,"
            f"                  CASE WHEN {probe} THEN hi ELSE (lo + hi + 1) / 2 - 1 END"
            "  FROM search WHERE lo < hi)"
            " SELECT lo AS v FROM search WHERE lo >= hi",
            # Named parameters, which psycopg takes; LedgerDB.query types only positional ones.
            cast(Sequence[Any], {"id": record_id, "moment": moment}))
        return rows[0]["v"] if rows else None

    def _latest(self, record_id: UUID) -> int:
        events = list(self.app.events.get(record_id, desc=True, limit=1))
        if not events:
            raise NotFoundError(f"no record {record_id}")
        return events[0].originator_version

    def _timestamp(self, record_id: UUID, version: int) -> datetime:
        (event,) = self.app.events.get(record_id, gt=version - 1, lte=version)
        return event.timestamp

    @staticmethod
    def _existing(record_id: UUID, version: int | None, point: str) -> int:
        if not version:
            raise NotFoundError(f"record {record_id} did not exist yet at {point}")
        return version
