"""Saving in one transaction, and what a failed save means to the caller.

A unique violation is translated by what it names: the events table means another writer
changed the record first (ConflictError); the receipts table means the idempotency key was
used already (DuplicateRequestError). Anything else is a fault and is raised as it is.
"""

from __future__ import annotations

import threading
from functools import cached_property
from typing import TYPE_CHECKING, Any

from eventsourcing.persistence import IntegrityError

from domain.errors import DomainError
from ledger.receipts import Receipt
from service.cache import AggregateCache
from service.signing import Signing

if TYPE_CHECKING:  # for the annotation only: a SQLite process need not import psycopg_pool
    from eventsourcing.postgres import PostgresApplicationRecorder
    from eventsourcing.sqlite import SQLiteApplicationRecorder


class ConflictError(DomainError):
    """Another writer changed the same record first; reload and try again."""

    code = "conflict"


class StaleVersionError(DomainError):
    code = "stale_version"


class DuplicateRequestError(DomainError):
    """The idempotency key was used first by a request that has since committed."""

    code = "duplicate_request"


class Commits(AggregateCache, Signing):
    """Saving: a commit remembers the records it created in the cache and signs what it
    appended."""

    # What the store is: ours (ledger.sqlite, ledger.postgres, which service.config names) or,
    # in the benchmarks, the library's own. Each names its events table; the interface does not.
    recorder: SQLiteApplicationRecorder | PostgresApplicationRecorder

    def commit(self, *aggregates: Any, receipt: Receipt | None = None) -> int | None:
        """Save in one transaction; a lost race becomes a ConflictError, nothing half-written.

        A ``receipt`` (idempotency key) is recorded in the same transaction as the events.
        """
        created = [a for a in aggregates
                   if a.pending_events and a.pending_events[0].originator_version == 1]
        try:
            recordings = self.save(*aggregates, receipt=receipt)
        except IntegrityError as e:
            if (translated := self._translated(e)) is None:
                raise  # not a version clash: never disguise it as one
            raise translated from e
        self._remember(created)
        self._sign_appended(len(recordings))
        position = recordings[-1].notification.id if recordings else None
        self._last.position = position
        return position

    def _translated(self, error: IntegrityError) -> DomainError | None:
        """What a unique violation means to the caller, or None when it is no clash at all."""
        violated = _violated(error)
        if "request_receipts" in violated:
            return DuplicateRequestError("this idempotency key was used already")
        if self.recorder.events_table_name not in violated:
            return None
        return ConflictError("the record was changed by someone else; reload and retry")

    @cached_property
    def _last(self) -> threading.local:
        return threading.local()

    def last_position(self) -> int | None:
        """The log position of this thread's last commit (for read-your-writes)."""
        return getattr(self._last, "position", None)


def _violated(error: IntegrityError) -> str:
    """What a unique violation names: PostgreSQL's constraint, if any (the whole message names
    more: the function a save runs in, for one), or SQLite's message (its table and
    columns)."""
    diag = getattr(error.__cause__, "diag", None)
    if diag is None:
        return str(error)
    return diag.constraint_name or ""
