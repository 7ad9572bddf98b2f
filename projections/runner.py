"""Keeping views up to date: read the log in batches, fold each batch into every view that is
behind, and commit rows and positions together. Runs in the service process (embedded) or as
``kinerja project run`` following PostgreSQL's notifications.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from eventsourcing.persistence import Notification

from ledger.db import LedgerDB
from projections.store import ViewStore
from projections.view import Doc, View
from projections.views import ALL

BATCH = 1000
REBUILD_BATCH = 5000  # a rebuild reads far more than it waits for: fewer, larger transactions
FOLLOWER_LOCK = 0x6B696E70  # "kinp"
log = logging.getLogger("kinerja.projections")
LINGER = 0.05  # seconds a follower lets writes gather after a batch, at most (and added to lag)
LINGER_PER_EVENT = 0.005  # ... for each event the batch had beyond the first


class Projector:
    def __init__(self, app: Any, views: Sequence[View] = ALL, *, batch: int = BATCH) -> None:
        self.app, self.views, self.batch = app, list(views), batch
        self.store = ViewStore(LedgerDB.of(app.recorder), app.factory.tracking_recorder())
        self.topics = {topic for view in self.views for topic in view.topics}

    def positions(self) -> dict[str, int]:
        return self.store.positions(self.views)

    def catch_up(self, progress: Callable[[int], None] | None = None,
                 max_batches: int | None = None, *,
                 positions: dict[str, int] | None = None) -> int:
        """Process everything recorded so far; returns how many notifications were read.
        ``positions``: where the views stand, as a caller that keeps them (``follow``) knows;
        brought up to date here."""
        positions = self.positions() if positions is None else positions
        done, batches = 0, 0
        while max_batches is None or batches < max_batches:
            start = min(positions.values()) + 1
            notes = self.app.recorder.select_notifications(start=start, limit=self.batch)
            if not notes:
                break
            self._apply(notes, positions)
            done, batches = done + len(notes), batches + 1
            if progress:
                progress(notes[-1].id)
        return done

    def rebuild(self, names: Iterable[str] | None = None, **options: Any) -> int:
        chosen = [v for v in self.views if names is None or v.name in set(names)]
        for view in chosen:
            self.store.reset(view)
        return Projector(self.app, chosen, batch=max(self.batch, REBUILD_BATCH)).catch_up(**options)

    def _apply(self, notes: list[Notification], positions: dict[str, int]) -> None:
        events = [(n.id, self.app.mapper.to_domain_event(n)) for n in notes
                  if n.topic in self.topics]
        last = notes[-1].id
        behind = [view for view in self.views if positions[view.name] < last]
        with self.store.db.writer() as writer:  # every view's rows and position, or nothing
            for view in behind:
                mine = [e for i, e in events if i > positions[view.name]
                        and type(e).TOPIC in view.topics]
                self.store.save(writer, view, self._fold(writer, view, mine))
            self.store.advance(writer, behind, positions, last)
        for view in behind:
            positions[view.name] = last

    def _fold(self, writer: Any, view: View, events: list[Any]) -> dict[str, Doc | None]:
        keyed = [(list(view.keys(e)), e) for e in events]
        wanted = sorted({k for keys, _ in keyed for k in keys})
        docs: dict[str, Doc | None] = dict(self.store.docs(writer, view, wanted))
        touched: dict[str, Doc | None] = {}
        for keys, event in keyed:
            for key in keys:
                touched[key] = docs[key] = view.apply(key, docs.get(key), event)
        return touched

    def run(self, stop: threading.Event) -> None:
        """``follow`` until ``stop`` is set, starting again from the stored positions after a
        failure (the database away, a view moved or reset by someone else), logged."""
        while not stop.is_set():
            try:
                self.follow(stop)
            except Exception:
                log.exception("projection failed; resuming from the last committed position")
                stop.wait(1.0)

    def follow(self, stop: threading.Event, *, idle: float = 0.2,
               linger: float = LINGER) -> None:
        """Keep up until ``stop`` is set: woken by PostgreSQL's notifications (listening before
        each catch-up, so none is missed), polling every ``idle`` seconds on SQLite.
        After a batch of several events, wait before the next (``_lingering``): under a stream
        of writes the next batch gathers more of them, and a batch costs about the same for one
        event as for twenty. The views' positions are read once: this follower is their only
        writer (PostgreSQL: an advisory lock; SQLite: one service process), and
        ``ViewStore.advance`` refuses to move a position that someone else moved."""
        if not self.store.db.is_postgres:
            positions = self.positions()
            while not stop.is_set():
                read = self.catch_up(max_batches=1, positions=positions)
                stop.wait(_lingering(read, linger, self.batch) if read else idle)
            return
        with self.store.db.datastore.get_connection() as conn:
            # One follower per database does the work (several service workers each start
            # one); the others stand by and take over when its session ends.
            while not conn.execute("SELECT pg_try_advisory_lock(%s)", (FOLLOWER_LOCK,)).fetchone()[
                    "pg_try_advisory_lock"]:
                if stop.wait(1.0):
                    return
            conn.execute(f"LISTEN {self.app.recorder.channel_name}")
            try:
                positions = self.positions()
                while not stop.is_set():
                    for _ in conn.notifies(timeout=0):  # what they announce, the catch-up reads
                        pass
                    if read := self.catch_up(max_batches=1, positions=positions):
                        stop.wait(_lingering(read, linger, self.batch))
                    else:
                        for _ in conn.notifies(timeout=idle, stop_after=1):
                            pass
            finally:
                conn.execute(f"UNLISTEN {self.app.recorder.channel_name}")
                conn.execute("SELECT pg_advisory_unlock(%s)", (FOLLOWER_LOCK,))

    def wait_for(self, position: int, timeout: float = 2.0) -> bool:
        """Read-your-writes: wait (bounded) until every view has reached ``position``."""
        deadline = time.monotonic() + timeout
        while min(self.positions().values()) < position:
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.01)
        return True


def _lingering(read: int, longest: float, full: int = BATCH) -> float:
    """How long to let writes gather after a batch of ``read`` events: nothing after one (a
    lone write is applied at once) or after a full batch (a backlog: go on with it), longer the
    more a stream of writes filled the batch."""
    if read >= full:
        return 0.0
    return min(longest, LINGER_PER_EVENT * (read - 1))
