"""The Application every use case shares: identity, clock, and a command's steps.

A use case loads what it needs, lets the aggregate decide (domain rules), and saves every
changed aggregate in one transaction. The clock, the rule book and the cycle calendar are
injected, so deadlines and rule versions are testable and replays reproduce old decisions.

``Core`` composes one Application subclass per job: ``Commits`` (saving, and what a failed
save means), ``AggregateCache`` (loading), ``Signing`` (checkpoints) and ``Receipts``
(idempotency). Subclasses, not collaborators: the library calls back into the Application
itself (``_take_snapshots``), and callers use ``app.load`` and ``app.commit`` directly.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import cached_property
from typing import Any, TypedDict
from uuid import UUID

from eventsourcing.utils import Environment

from domain.base import Meta
from domain.evaluation import Evaluation
from domain.inspection import Inspection
from domain.keberatan import Keberatan
from domain.organisation import Employee, Unit
from domain.rules import CycleCalendar, RuleBook
from domain.skm import Survey
from ledger.codec import OrjsonTranscoder, TypedMapper
from ledger.db import LedgerDB
from ledger.log import MerkleLog
from service.cache import AggregateCache
from service.commit import Commits, ConflictError, StaleVersionError
from service.receipts import Idempotency, Receipts
from service.signing import Signing

SNAPSHOT_EVERY = 100
# Appeal boards rebuild evaluations as of any version: a snapshot every 25 events bounds that
# rebuild to 24 events after the snapshot (a snapshot holds no comment text, so it is small).
EVALUATION_SNAPSHOT_EVERY = 25


class RequestOptions(TypedDict, total=False):
    """What every command accepts besides its own arguments."""

    request_id: str  # traced on every event it writes
    expected_version: int  # If-Match: refuse when the record has moved on
    idempotency: Idempotency  # record a receipt in the same transaction as the events
    # Records the caller already loaded for this request (e.g. to authorise against them), each
    # a private copy from ``load``: used as they are instead of being loaded again, and the
    # record a command changes is the very one that was authorised (a write in between makes
    # the commit a conflict). Never a ``copy=False`` object: the command changes what it gets.
    loaded: tuple[Any, ...]


@dataclass(frozen=True)
class Actor:
    """The authenticated identity a command runs as (never taken from a request body)."""

    id: str  # NIP, or a service id such as "system:demo"
    role: str


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


class Core(Commits, AggregateCache, Signing, Receipts):
    name = "Kinerja"
    snapshotting_intervals = {Evaluation: EVALUATION_SNAPSHOT_EVERY,
                              **{cls: SNAPSHOT_EVERY
                                 for cls in (Employee, Unit, Inspection, Keberatan, Survey)}}

    def __init__(self, env: dict[str, str], *, clock: Callable[[], datetime] = utc_now,
                 rules: RuleBook | None = None, calendar: CycleCalendar | None = None) -> None:
        self.clock = clock
        self.rules = rules or RuleBook()
        self.calendar = calendar or CycleCalendar()
        super().__init__(env)

    def construct_env(self, name: str, env: Any = None) -> Environment:
        # Only what our settings chose: stray POSTGRES_* variables must not redirect the store.
        defaults = {"IS_SNAPSHOTTING_ENABLED": "y", "AGGREGATE_CACHE_MAXSIZE": "5000"}
        return Environment(name, {**type(self).env, **defaults, **(env or {})})

    def construct_transcoder(self) -> OrjsonTranscoder:
        return OrjsonTranscoder()

    def construct_mapper(self) -> TypedMapper:
        return TypedMapper(transcoder=self.construct_transcoder(),
                           cipher=self.factory.cipher(), compressor=self.factory.compressor())

    @cached_property
    def ledger(self) -> MerkleLog:
        return MerkleLog(LedgerDB.of(self.recorder))

    # ---- a command's steps ---------------------------------------------------------------

    def meta(self, actor: Actor, request: Mapping[str, Any] | None = None,
             reason: str = "") -> Meta:
        """Who, when, why and in which request: what every event of the command carries."""
        request_id = (request or {}).get("request_id") or uuid.uuid4().hex
        return Meta(actor=actor.id, role=actor.role, at=self.clock(), request_id=request_id,
                    reason=reason)

    def change(self, actor: Actor, aggregate_id: UUID, kind: type,
               request: Mapping[str, Any], command: Callable[..., Any], *args: Any,
               **kwargs: Any) -> Any:
        """Run ``command(record, meta, *args, **kwargs)`` on the record and save it, e.g.
        ``self.change(actor, id, Evaluation, request, Evaluation.comment, text, None)``."""
        meta = self.meta(actor, request)
        record = self.to_change(aggregate_id, kind, request)
        command(record, meta, *args, **kwargs)
        return self.save_changed(meta, request, record)

    def to_change(self, aggregate_id: UUID, kind: type, request: Mapping[str, Any]) -> Any:
        """The record a command is to change: the copy the caller loaded for this request, or
        one loaded now; refused when the caller expected another version (If-Match)."""
        record = self.loaded(request, aggregate_id, kind) or self.load(aggregate_id, kind)
        expected = request.get("expected_version")
        if expected is not None and record.version != expected:
            raise StaleVersionError(
                f"version {expected} is stale; the record is at {record.version}")
        return record

    def save_changed(self, meta: Meta, request: Mapping[str, Any], record: Any,
                     *also_changed: Any) -> Any:
        """Save the record and whatever else the command changed in one transaction, with the
        request's receipt (which names the record); return the record."""
        self.commit(record, *also_changed, receipt=self.receipt(meta, record, request))
        return record

    @staticmethod
    def loaded(request: Mapping[str, Any], aggregate_id: UUID, kind: type | None = None) -> Any:
        """The record the caller already loaded for this request (``RequestOptions.loaded``),
        or None."""
        for aggregate in request.get("loaded", ()):
            if aggregate.id == aggregate_id and (kind is None or isinstance(aggregate, kind)):
                return aggregate
        return None

    def create(self, aggregate: Any, message: str, request: Mapping[str, Any]) -> Any:
        """Save a new aggregate; its id is a natural key, so a second one is a conflict."""
        created = aggregate.pending_events[0]  # carries the actor, like every event
        try:
            self.commit(aggregate, receipt=self.receipt(created, aggregate, request))
        except ConflictError:
            raise ConflictError(message) from None
        return aggregate
