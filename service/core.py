"""The plumbing every use case shares: identity, clock, loading, and saving in one transaction.

A use case loads what it needs, lets the aggregate decide (domain rules), and saves every
changed aggregate in one transaction. The clock, the rule book and the cycle calendar are
injected, so deadlines and rule versions are testable and replays reproduce old decisions.
"""

from __future__ import annotations

import logging
import threading
import uuid
from contextlib import contextmanager
from copy import deepcopy
from dataclasses import dataclass
from functools import cached_property
from datetime import datetime, timezone
from typing import Any, Callable, Iterable, Iterator, Mapping, TypedDict
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import IntegrityError, PersistenceError
from eventsourcing.utils import Environment

from domain.base import Meta
from domain.errors import DomainError, NotFoundError
from domain.evaluation import Evaluation
from domain.inspection import Inspection
from domain.keberatan import Keberatan
from domain.organisation import Employee, Unit
from domain.skm import Survey
from domain.rules import CycleCalendar, RuleBook
from ledger.checkpoints import Checkpointer, CheckpointRefusedError
from ledger.codec import OrjsonTranscoder, TypedMapper
from ledger.db import LedgerDB
from ledger.log import MerkleLog
from ledger.receipts import Receipt, find_receipt

SNAPSHOT_EVERY = 100
# Appeal boards rebuild evaluations as of any version: a snapshot every 25 events bounds that
# rebuild to 24 events after the snapshot (a snapshot holds no comment text, so it is small).
EVALUATION_SNAPSHOT_EVERY = 25
log = logging.getLogger("kinerja.ledger")


def fold(aggregate: Any, events: Iterable[Any]) -> Any:
    """The library's ``project_aggregate`` without its per-event runtime Protocol check, which
    costs more than applying most events (our events are all the library's own kind)."""
    for event in events:
        aggregate = event.mutate(aggregate)
    return aggregate


class ConflictError(DomainError):
    """Another writer changed the same record first; reload and try again."""

    code = "conflict"


class StaleVersionError(DomainError):
    code = "stale_version"


class DuplicateRequestError(DomainError):
    """The idempotency key was used first by a request that has since committed."""

    code = "duplicate_request"


@dataclass(frozen=True)
class Idempotency:
    """A client's idempotency key for one request, and what to answer when it is repeated."""

    key: str
    fingerprint: bytes  # hash of the request: the same key with another request is refused
    status: int = 200


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


class Core(Application):
    name = "Kinerja"
    checkpointer: Checkpointer | None = None  # set by service.store.open_app when a key exists
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
        # Recently used aggregates are cached and fast-forwarded from the store on each use (one
        # query for newer events), so other processes' writes are always seen.
        defaults = {"IS_SNAPSHOTTING_ENABLED": "y", "AGGREGATE_CACHE_MAXSIZE": "5000"}
        return Environment(name, {**type(self).env, **defaults, **(env or {})})

    def construct_transcoder(self) -> OrjsonTranscoder:
        return OrjsonTranscoder()

    def construct_mapper(self) -> TypedMapper:
        return TypedMapper(transcoder=self.construct_transcoder(),
                           cipher=self.factory.cipher(), compressor=self.factory.compressor())

    # ---- plumbing ------------------------------------------------------------------------

    def meta(self, actor: Actor, request: Mapping[str, Any] | None = None,
             reason: str = "") -> Meta:
        request_id = (request or {}).get("request_id") or uuid.uuid4().hex
        return Meta(actor=actor.id, role=actor.role, at=self.clock(), request_id=request_id,
                    reason=reason)

    def load(self, aggregate_id: UUID, kind: type | None = None, *,
             version: int | None = None, copy: bool = True) -> Any:
        """The record (as of ``version``). ``copy=False`` hands out the cached object itself:
        only for reading a fact there and then, never to change it or to keep it (another
        thread may be bringing it up to date)."""
        try:
            aggregate = self.repository.get(aggregate_id, version=version, projector_func=fold,
                                            deepcopy_from_cache=copy)
        except AggregateNotFoundError:
            raise NotFoundError(f"no record {aggregate_id}") from None
        if kind is not None and not isinstance(aggregate, kind):
            raise NotFoundError(f"no {kind.__name__.lower()} {aggregate_id}")
        return aggregate

    def load_with(self, aggregate_id: UUID, kind: type, names: Callable[[Any], UUID],
                  other_kind: type) -> tuple[Any, Any]:
        """A record and another it names (an evaluation and its employee), each a private
        copy as ``load`` gives it. When both are cached, one query brings both up to date
        instead of one each."""
        record = self.loads_together and self._cached(aggregate_id, kind)
        other = record and self._cached(names(record), other_kind)
        if not other:
            record = self.load(aggregate_id, kind)
            return record, self.load(names(record), other_kind)
        with self._fast_forwarding(record.id, other.id):  # their versions read under the locks
            stored = self.recorder.select_events_after(
                [(record.id, record.version), (other.id, other.version)])
            for aggregate in (record, other):
                newer = [self.mapper.to_domain_event(event) for event in stored
                         if event.originator_id == aggregate.id]
                self.repository.cache.put(aggregate.id, fold(aggregate, newer))
        return deepcopy(record), deepcopy(other)

    @cached_property
    def loads_together(self) -> bool:
        """Whether the recorder reads several records' new events in one query (ours do; the
        library's own, used to measure the domain alone, do not)."""
        return hasattr(self.recorder, "select_events_after")

    def _cached(self, aggregate_id: UUID, kind: type) -> Any:
        try:
            aggregate = self.repository.cache.get(aggregate_id)
        except (AttributeError, KeyError):  # no cache, or not in it
            return None
        return aggregate if isinstance(aggregate, kind) else None

    @contextmanager
    def _fast_forwarding(self, *aggregate_ids: UUID) -> Iterator[None]:
        """Hold the repository's own fast-forward lock of each record (the library's, private
        in eventsourcing 9.5.6, pinned): no other thread brings these cached records up to
        date meanwhile. Taken in id order, so two such calls cannot wait on each other."""
        repository, held = self.repository, []
        ordered = sorted(aggregate_ids)
        locks = [repository._use_fastforward_lock(i) for i in ordered]
        try:
            for lock in locks:
                lock.acquire()
                held.append(lock)
            yield
        finally:
            for lock in held:
                lock.release()
            for i in ordered:
                repository._disuse_fastforward_lock(i)

    @cached_property
    def ledger(self) -> MerkleLog:
        return MerkleLog(LedgerDB.of(self.recorder))

    def commit(self, *aggregates: Any, receipt: Receipt | None = None) -> int | None:
        """Save in one transaction; a lost race becomes a ConflictError, nothing half-written.

        A ``receipt`` (idempotency key) is recorded in the same transaction as the events.
        """
        created = [a for a in aggregates
                   if a.pending_events and a.pending_events[0].originator_version == 1]
        try:
            recordings = self.save(*aggregates, receipt=receipt)
        except IntegrityError as e:
            if "request_receipts" in (violated := _violated(e)):
                raise DuplicateRequestError("this idempotency key was used already") from e
            if self.recorder.events_table_name not in violated:
                raise  # not a version clash: never disguise it as one
            raise ConflictError("the record was changed by someone else; reload and retry") from e
        self._remember(created)
        if self.checkpointer and recordings:
            self._checkpoint(len(recordings))
        position = recordings[-1].notification.id if recordings else None
        self._last.position = position
        return position

    def _remember(self, aggregates: list) -> None:
        # A record just created is likely read next, and is not in the cache yet (a changed one
        # is: its load put it there). A copy of the state just recorded in the cache makes that
        # read one query (the fast-forward, which also picks up any newer writes) instead of
        # two (the latest snapshot, then the events after it).
        if self.repository.cache is not None:
            for aggregate in aggregates:
                self.repository.cache.put(aggregate.id, deepcopy(aggregate))

    def _take_snapshots(self, processing_event: Any) -> None:
        # The library rebuilds each snapshot from the store (two more queries and a fold), even
        # when the aggregate in hand is exactly the state just recorded: snapshot that instead.
        for event in processing_event.events:
            aggregate = processing_event.aggregates.get(event.originator_id)
            interval = self.snapshotting_intervals.get(type(aggregate))
            if interval is None or event.originator_version % interval:
                continue
            if aggregate.version == event.originator_version:
                self.snapshots.put([type(aggregate).Snapshot.take(aggregate)])
            else:  # a point inside a batch of events: rebuild it as of that version
                self.take_snapshot(event.originator_id, event.originator_version, fold)

    @cached_property
    def _last(self) -> threading.local:
        return threading.local()

    def last_position(self) -> int | None:
        """The log position of this thread's last commit (for read-your-writes)."""
        return getattr(self._last, "position", None)

    def sign_if_due(self, *, now: bool = False) -> None:
        """Timer-driven checkpoint: signs new events once the interval has passed (or now)."""
        if self.checkpointer:
            self._checkpoint(lambda c: c.checkpoint() if now else c.tick())

    def _checkpoint(self, events: int | Callable[[Checkpointer], Any]) -> None:
        # The events are committed: a failure to sign must not turn them into an error for the
        # caller (who would retry and write twice). It is an alarm for the operator instead.
        sign = events if callable(events) else (lambda c: c.after_append(events))
        try:
            sign(self.checkpointer)
        except CheckpointRefusedError:
            log.critical("checkpoint refused: the ledger may have been tampered with", exc_info=True)
        except PersistenceError:
            log.error("checkpoint not written; will retry after the next commit", exc_info=True)

    def change(self, actor: Actor, aggregate_id: UUID, kind: type,
               request: Mapping[str, Any], command: Callable[[Any, Meta], Any], *,
               reason: str = "", also: Callable[[Any], tuple] = lambda _: ()) -> Any:
        """Load, check the caller's expected version (If-Match), run the command, save.

        ``also`` names further aggregates the command changed, saved in the same transaction.
        """
        meta = self.meta(actor, request, reason)
        aggregate = self.loaded(request, aggregate_id, kind) or self.load(aggregate_id, kind)
        expected = request.get("expected_version")
        if expected is not None and aggregate.version != expected:
            raise StaleVersionError(
                f"version {expected} is stale; the record is at {aggregate.version}")
        command(aggregate, meta)
        self.commit(aggregate, *also(aggregate), receipt=self.receipt(meta, aggregate, request))
        return aggregate

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

    @staticmethod
    def receipt(meta: Any, aggregate: Any, request: Mapping[str, Any]) -> Receipt | None:
        idempotency = request.get("idempotency")
        if idempotency is None:
            return None
        return Receipt(meta.actor, idempotency.key, idempotency.fingerprint, aggregate.id,
                       aggregate.version, idempotency.status)

    def find_receipt(self, actor: Actor, key: str) -> Receipt | None:
        return find_receipt(self.ledger.db, actor.id, key)


def _violated(error: IntegrityError) -> str:
    """What a unique violation names: PostgreSQL's constraint, if any (the whole message names
    more: the function a save runs in, for one), or SQLite's message (its table and
    columns)."""
    diag = getattr(error.__cause__, "diag", None)
    if diag is None:
        return str(error)
    return diag.constraint_name or ""
