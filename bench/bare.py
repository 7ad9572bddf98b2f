"""The baseline: the bare ``eventsourcing`` library with a trivial aggregate.

Default transcoder and mapper, the library's own SQLite or PostgreSQL recorders, no metadata,
no snapshots. Whatever our application costs beyond this is the price of our domain.
"""

from __future__ import annotations

from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event

from bench.common import chunks


class Counter(Aggregate):
    def __init__(self, name: str) -> None:
        self.name = name
        self.count = 0

    @event("Incremented")
    def increment(self, by: int) -> None:
        self.count += by


class BareApp(Application):
    name = "Bare"

    def counters(self, count: int, *, events: int = 1) -> list[UUID]:
        """``count`` new counters of ``events`` events each, saved a hundred at a time."""
        made = []
        for chunk in chunks(range(count), 100):
            batch = [Counter(f"counter {n}") for n in chunk]
            for counter in batch:
                for _ in range(events - 1):
                    counter.increment(1)
            self.save(*batch)
            made += [counter.id for counter in batch]
        return made

    def increment(self, counter_id: UUID, times: int = 1) -> None:
        """One command: load, trigger ``times`` events, save them in one transaction."""
        counter = self.repository.get(counter_id)
        for _ in range(times):
            counter.increment(1)
        self.save(counter)

    def counter(self, counter_id: UUID) -> Counter:
        return self.repository.get(counter_id)
