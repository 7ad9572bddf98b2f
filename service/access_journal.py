"""The access journal: every look at a person's file, in a table of its own (docs/ACCESS-LOG.md).

A read changes nothing of the record, so it is not an event of the ledger: it would grow the
Merkle log with every page view and put reads and their reasons into the bundles auditors
export. The journal is append-only all the same: SQLite refuses UPDATE and DELETE with
triggers; on PostgreSQL a trigger refuses them (and TRUNCATE) to everyone but the owner's
maintenance, and the service role may only INSERT and SELECT.

Reads stay fast: a look is queued in memory and one thread writes the queue in batches (one
statement per batch), so a read pays no round trip for its record. A look is never dropped
quietly: while the queue is full (the database slow or away) a read waits, then is refused
(``JournalUnavailableError``) rather than made unrecorded; shutdown writes what is queued, and
looks that still cannot be written are logged whole, at ERROR, for an operator to restore.
"""

from __future__ import annotations

import itertools
import logging
import threading
import time
from collections import deque
from collections.abc import Sequence
from dataclasses import astuple, dataclass, fields
from datetime import datetime
from typing import Any

from domain.errors import JournalUnavailableError
from ledger.db import LedgerDB, Row

log = logging.getLogger("kinerja.journal")

TABLE = "access_journal"
GRANTED, REFUSED = "granted", "refused"  # the look's outcome: let in, or turned away (403)
CAPACITY = 10_000  # looks queued at most before reads wait (and, after WAIT_SECONDS, fail)
WAIT_SECONDS = 2.0
BATCH = 400  # looks per INSERT
PAUSE = 0.05  # the writer's wait for the first look of a batch
LINGER = 0.01  # then how long it lets more gather: one INSERT for many reads, not one each
RETRY_SECONDS = (0.1, 0.5, 2.0, 5.0)  # after a failed write, then 5 s until it succeeds
CLOSE_SECONDS = 10.0  # at shutdown, how long to keep trying before logging what is left

_COLUMNS = ("at TEXT NOT NULL, actor TEXT NOT NULL, role TEXT NOT NULL, outcome TEXT NOT NULL,"
            " what TEXT NOT NULL, record_id TEXT, subject_nip TEXT, reason TEXT,"
            " request_id TEXT")
_REFUSAL = "kinerja-ledger: the access journal is append-only"
SQLITE_TABLES = [
    f"CREATE TABLE IF NOT EXISTS {TABLE} (seq INTEGER PRIMARY KEY AUTOINCREMENT, {_COLUMNS})",
    *[f"CREATE TRIGGER IF NOT EXISTS {TABLE}_no_{op.lower()} BEFORE {op} ON {TABLE}"
      f" BEGIN SELECT RAISE(ABORT, '{_REFUSAL}'); END" for op in ("UPDATE", "DELETE")],
]
POSTGRES_TABLES = [
    f"CREATE TABLE IF NOT EXISTS {TABLE} (seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
    f" {_COLUMNS.replace('TEXT', 'text')})",
    # '%%': the writer runs statements with (empty) parameters, so psycopg reads placeholders
    f"""CREATE OR REPLACE FUNCTION kinerja_refuse_journal_change() RETURNS trigger
    LANGUAGE plpgsql AS $$ BEGIN
      RAISE EXCEPTION '{_REFUSAL}: %% refused', TG_OP USING ERRCODE = 'insufficient_privilege';
    END $$""",
    f"""DO $$ BEGIN
      CREATE TRIGGER {TABLE}_append_only BEFORE UPDATE OR DELETE ON {TABLE}
        FOR EACH ROW EXECUTE FUNCTION kinerja_refuse_journal_change();
      CREATE TRIGGER {TABLE}_no_truncate BEFORE TRUNCATE ON {TABLE}
        FOR EACH STATEMENT EXECUTE FUNCTION kinerja_refuse_journal_change();
    EXCEPTION WHEN duplicate_object THEN NULL; END $$""",
]
INDEX = f"CREATE INDEX IF NOT EXISTS {TABLE}_subject ON {TABLE} (subject_nip, seq)"


def postgres_journal_role(role: str) -> list[str]:
    """The service role reads and appends, nothing more (run after ``postgres_service_role``,
    which checks the name)."""
    return [f'REVOKE ALL ON {TABLE} FROM "{role}"', f'GRANT SELECT, INSERT ON {TABLE} TO "{role}"']


@dataclass(frozen=True)
class Look:
    """One look at a file: who, as what, when (UTC), with what outcome, at what (the route and
    the record), whose file, why (a stated reason), in which request."""

    at: datetime
    actor: str
    role: str
    outcome: str
    what: str
    record_id: str | None
    subject_nip: str | None
    reason: str | None
    request_id: str | None

    def row(self) -> tuple[Any, ...]:
        return (self.at.isoformat(), *astuple(self)[1:])


NAMES = tuple(f.name for f in fields(Look))


class AccessJournal:
    """The journal's table, and the thread that writes queued looks to it."""

    def __init__(self, db: LedgerDB, *, capacity: int = CAPACITY,
                 wait_seconds: float = WAIT_SECONDS) -> None:
        self.db, self.capacity, self.wait_seconds = db, capacity, wait_seconds
        self._queue: deque[Look] = deque()
        self._changed = threading.Condition()
        self._queued = self._written = 0
        self._writer: threading.Thread | None = None
        self._closing = False
        self._close_by = float("inf")  # when closing: give up writing at this moment

    def create_table(self) -> None:
        with self.db.writer() as w:
            for statement in (*(POSTGRES_TABLES if self.db.is_postgres else SQLITE_TABLES),
                              INDEX):
                w.execute(statement)

    def missing(self) -> bool:
        """The table is not there yet (a store from before the journal: run ``db init``)."""
        sql = ("SELECT to_regclass(%s) IS NULL AS missing" if self.db.is_postgres else
               "SELECT count(*) = 0 AS missing FROM sqlite_master WHERE name = %s")
        return bool(self.db.query(sql, (TABLE,))[0]["missing"])

    def admit(self) -> None:
        """Wait until the queue has room for another look; refuse after ``wait_seconds``. Called
        before a read goes ahead, so that its look will be taken (``record`` never waits)."""
        deadline = time.monotonic() + self.wait_seconds
        with self._changed:
            while len(self._queue) >= self.capacity:
                left = deadline - time.monotonic()
                if left <= 0 or self._closing:
                    raise JournalUnavailableError(
                        "the access journal cannot record this look now; try again shortly")
                self._changed.wait(left)

    def record(self, looks: Sequence[Look]) -> None:
        """Queue looks for writing. Never waits (it may run on the event loop): ``admit``
        bounds the queue, to its capacity plus the reads admitted and still running."""
        if not looks:
            return
        with self._changed:
            self._queue.extend(looks)
            self._queued += len(looks)
            self._changed.notify_all()
            if self._writer is None and not self._closing:
                self._writer = threading.Thread(target=self._write_queued, daemon=True,
                                                name="access-journal")
                self._writer.start()

    def flush(self, timeout: float = 10.0) -> bool:
        """Wait until every look queued so far is written; False if ``timeout`` passed first."""
        deadline = time.monotonic() + timeout
        with self._changed:
            target = self._queued
            while self._written < target:
                left = deadline - time.monotonic()
                if left <= 0 or (self._writer is None and self._queue):
                    return False
                self._changed.wait(left)
        return True

    def close(self) -> None:
        """Write what is queued, then stop; log whatever could not be written."""
        with self._changed:
            self._closing, self._close_by = True, time.monotonic() + CLOSE_SECONDS
            self._changed.notify_all()
            writer = self._writer
        if writer is not None:
            writer.join(CLOSE_SECONDS + max(RETRY_SECONDS))
        with self._changed:
            lost = list(self._queue)  # perhaps written yet, late: twice beats never
        for look in lost:  # not silently: an operator can insert these lines again
            log.error("access journal: look not written: %s", dict(zip(NAMES, look.row())))

    def page(self, nip: str, *, before: int | None, limit: int) -> list[Row]:
        """The looks at ``nip``'s file, newest first, ``limit`` of them before ``before`` (a
        ``seq``; None: from the newest)."""
        return self.db.query(
            f"SELECT seq, {', '.join(NAMES)} FROM {TABLE} WHERE subject_nip = %s AND seq < %s"
            " ORDER BY seq DESC LIMIT %s", (nip, before if before is not None else 2**62, limit))

    def _write_queued(self) -> None:
        while True:
            with self._changed:
                if not self._queue:
                    if self._closing:
                        return
                    self._changed.wait(PAUSE)
                    continue
                gathering = len(self._queue) < BATCH and not self._closing
            if gathering:
                time.sleep(LINGER)
            with self._changed:
                batch = [self._queue[i] for i in range(min(BATCH, len(self._queue)))]
            if not self._write(batch):
                return  # closing, and the database is still away: close() logs the rest
            with self._changed:
                for _ in batch:
                    self._queue.popleft()
                self._written += len(batch)
                self._changed.notify_all()

    def _write(self, batch: list[Look]) -> bool:
        """Write ``batch`` in one statement, retrying while the database is away (when
        closing, until ``_close_by``)."""
        for attempt in itertools.count():
            try:
                self._insert(batch)
                return True
            except Exception as e:  # the store's errors vary by driver; retried, not lost
                pause = RETRY_SECONDS[min(attempt, len(RETRY_SECONDS) - 1)]
                log.warning("access journal: writing %d looks failed (%s); retrying in %s s",
                            len(batch), type(e).__name__, pause)
                if time.monotonic() + pause > self._close_by:
                    return False
                time.sleep(pause)
        return False

    def _insert(self, batch: list[Look]) -> None:
        values = ", ".join(["(" + ", ".join(["%s"] * len(NAMES)) + ")"] * len(batch))
        params = [value for look in batch for value in look.row()]
        with self.db.writer() as w:
            w.execute(f"INSERT INTO {TABLE} ({', '.join(NAMES)}) VALUES {values}", params)
