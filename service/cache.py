"""The aggregate cache: loading records, bringing cached ones up to date, and snapshots.

Recently used aggregates are cached and fast-forwarded from the store on each use (one query
for newer events), so other processes' writes are always seen.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from copy import deepcopy
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Protocol, cast, runtime_checkable
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import StoredEvent

from domain.errors import NotFoundError


@dataclass(frozen=True)
class Absent:
    """A record known, at this load, to have no events yet (a period with no calendar): handed
    to a command in ``RequestOptions.loaded`` so it does not look again."""

    id: UUID


def fold(aggregate: Any, events: Iterable[Any]) -> Any:
    """The library's ``project_aggregate`` without its per-event runtime Protocol check, which
    costs more than applying most events (our events are all the library's own kind)."""
    for event in events:
        aggregate = event.mutate(aggregate)
    return aggregate


@runtime_checkable
class ReadsAfter(Protocol):
    """A recorder that reads several records' new events in one query: ours
    (``ledger.sqlite``, ``ledger.postgres``) add this to the library's recorders."""

    def select_events_after(self, versions: Sequence[tuple[UUID, int]]) -> Sequence[StoredEvent]:
        """The events of each record after the version given with it."""
        ...


class AggregateCache(Application):
    """Loading records through the repository's cache, bringing them up to date."""

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
        record, other, _ = self.load_with_maybe(aggregate_id, kind, names, other_kind)
        return record, other

    def load_with_maybe(self, aggregate_id: UUID, kind: type, names: Callable[[Any], UUID],
                        other_kind: type, maybe: Callable[[Any], UUID] | None = None,
                        maybe_kind: type | None = None) -> tuple[Any, Any, Any]:
        """``load_with``, and a third record the first names that may not exist yet (an
        evaluation's period calendar): itself, or an ``Absent`` saying it has no events. When
        the first two are cached, the same one query answers for the third."""
        reader, cache = self._reads_after, self.repository.cache
        record = None if reader is None else self._cached(aggregate_id, kind)
        other = None if record is None else self._cached(names(record), other_kind)
        if reader is None or cache is None or record is None or other is None:
            record = self.load(aggregate_id, kind)
            other = self.load(names(record), other_kind)
            return record, other, None if maybe is None else self._load_maybe(
                maybe(record), maybe_kind)
        third_id = None if maybe is None else maybe(record)
        third = None if third_id is None else self._cached(third_id, cast(type, maybe_kind))
        ids = [record.id, other.id, *([third_id] if third_id else [])]
        with self._fast_forwarding(*ids):  # their versions read under the locks
            stored = reader.select_events_after(
                [(record.id, record.version), (other.id, other.version),
                 *([(third_id, third.version if third else 0)] if third_id else [])])
            for aggregate_id_, aggregate in zip(ids, (record, other, third), strict=False):
                newer = [self.mapper.to_domain_event(event) for event in stored
                         if event.originator_id == aggregate_id_]
                if aggregate is not None or newer:
                    cache.put(aggregate_id_, fold(aggregate, newer))
        if third_id is None:
            return deepcopy(record), deepcopy(other), None
        found = self._cached(third_id, cast(type, maybe_kind))
        return deepcopy(record), deepcopy(other), Absent(third_id) if found is None \
            else deepcopy(found)

    def _load_maybe(self, aggregate_id: UUID, kind: type | None) -> Any:
        try:
            return self.load(aggregate_id, kind)
        except NotFoundError:
            return Absent(aggregate_id)

    @cached_property
    def loads_together(self) -> bool:
        """Whether the recorder reads several records' new events in one query (ours do; the
        library's own, used to measure the domain alone, do not)."""
        return self._reads_after is not None

    @cached_property
    def _reads_after(self) -> ReadsAfter | None:
        """The recorder, if it is one that ``loads_together``; looked at once, not per load."""
        return self.recorder if isinstance(self.recorder, ReadsAfter) else None

    def _cached(self, aggregate_id: UUID, kind: type) -> Any:
        cache = self.repository.cache
        if cache is None:  # no cache (AGGREGATE_CACHE_MAXSIZE set empty)
            return None
        try:
            aggregate = cache.get(aggregate_id)
        except KeyError:  # not in it
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

    def _remember(self, aggregates: list[Any]) -> None:
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
            # No snapshot store: snapshotting is switched off, so none (as in the library's own).
            if interval is None or event.originator_version % interval or self.snapshots is None:
                continue
            if aggregate.version == event.originator_version:
                self.snapshots.put([type(aggregate).Snapshot.take(aggregate)])
            else:  # a point inside a batch of events: rebuild it as of that version
                self.take_snapshot(event.originator_id, event.originator_version, fold)
