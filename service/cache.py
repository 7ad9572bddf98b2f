"""The aggregate cache: loading records, bringing cached ones up to date, and snapshots.

Recently used aggregates are cached and fast-forwarded from the store on each use (one query
for newer events), so other processes' writes are always seen.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from copy import deepcopy
from functools import cached_property
from typing import Any, Protocol, runtime_checkable
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import StoredEvent

from domain.errors import NotFoundError


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
        reader, cache = self._reads_after, self.repository.cache
        record = None if reader is None else self._cached(aggregate_id, kind)
        other = None if record is None else self._cached(names(record), other_kind)
        if reader is None or cache is None or record is None or other is None:
            record = self.load(aggregate_id, kind)
            return record, self.load(names(record), other_kind)
        with self._fast_forwarding(record.id, other.id):  # their versions read under the locks
            stored = reader.select_events_after(
                [(record.id, record.version), (other.id, other.version)])
            for aggregate in (record, other):
                newer = [self.mapper.to_domain_event(event) for event in stored
                         if event.originator_id == aggregate.id]
                cache.put(aggregate.id, fold(aggregate, newer))
        return deepcopy(record), deepcopy(other)

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
