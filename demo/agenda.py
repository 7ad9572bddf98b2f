"""How the demo moves through its year: a settable clock, the dates of the cycle, an agenda.

Every step of the demo is put on the agenda at the office hour it happens; the agenda runs
them in time order and sets the Application's clock before each, so deadlines hold as they
would in a real year and the stored timestamps never go backwards.
"""

from __future__ import annotations

import heapq
import itertools
import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from functools import partial
from typing import Any, TypeVar

from demo.org import OrgChart
from domain.periods import parse_period
from domain.rules import CycleCalendar
from service.core import Actor

T = TypeVar("T")
OPENING = time(1, 0)  # 08:00 WIB (UTC+7), when the offices of Kota Semarang open
OFFICE_DAY = timedelta(hours=7)
STEP = timedelta(seconds=2)  # between two commands of one step, and between two steps
ADMIN = Actor("system:demo", "admin")
Progress = Callable[[str, int, int], None]  # (phase, steps done, steps known so far)


class DemoClock:
    """The clock the Application reads; the agenda sets it."""

    def __init__(self, now: datetime = datetime(2024, 1, 1, tzinfo=timezone.utc)) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def working_days(first: date, last: date) -> list[date]:
    """Monday to Friday from ``first`` to ``last``; every day if the span holds no weekday."""
    days = [first + timedelta(n) for n in range((last - first).days + 1)]
    return [d for d in days if d.weekday() < 5] or days


def office_hour(day: date, fraction: float = 0.0) -> datetime:
    return datetime.combine(day, OPENING, timezone.utc) + OFFICE_DAY * fraction


@dataclass(frozen=True)
class Timeline:
    """The dates of one annual cycle, derived from the deadlines the Application will set."""

    year: int
    report_due: date
    rating_due: date

    @classmethod
    def of(cls, year: int, calendar: CycleCalendar) -> Timeline:
        period = parse_period(str(year))
        return cls(year, *calendar.deadlines(period.key, period.end))

    @property
    def period(self) -> str:
        return str(self.year)

    def day(self, month: int, day: int) -> date:
        return date(self.year, month, day)

    def planning(self, level: int) -> tuple[date, date]:
        """Plans cascade: each level agrees its plans after the level above has agreed."""
        first, last = ((8, 8), (9, 10), (11, 15), (16, 19), (22, 31))[level]
        return self.day(1, first), self.day(1, last)

    def after(self, deadline: date, first: int, last: int) -> tuple[date, date]:
        return deadline + timedelta(first), deadline + timedelta(last)

    @property
    def reports(self) -> tuple[date, date]:
        return date(self.year + 1, 1, 2), self.report_due - timedelta(1)

    @property
    def ratings(self) -> tuple[date, date]:
        return self.report_due + timedelta(1), self.rating_due - timedelta(5)

    @property
    def appeal_ratings(self) -> tuple[date, date]:
        """Ratings that will be appealed come last, so that filing stays within the window."""
        return self.after(self.rating_due, -4, 0)


class Agenda:
    """Steps ordered by when they happen; a step may put later steps on the agenda."""

    def __init__(self) -> None:
        self._queue: list[tuple[datetime, int, str, Callable[[], Any]]] = []
        self._order = itertools.count()
        self.done = 0

    def at(self, when: datetime, phase: str, step: Callable[[], Any]) -> None:
        heapq.heappush(self._queue, (when, next(self._order), phase, step))

    def spread(self, phase: str, items: Iterable[T], span: tuple[date, date],
               step: Callable[[T], Any]) -> None:
        """Spread the steps evenly over the working days of ``span``, within office hours."""
        items, days = list(items), working_days(*span)
        cut = [d * len(items) // len(days) for d in range(len(days) + 1)]
        for day, start, end in zip(days, cut, cut[1:]):
            for rank, item in enumerate(items[start:end]):
                self.at(office_hour(day, rank / (end - start)), phase, partial(step, item))

    def run(self, clock: Any, progress: Progress | None = None) -> None:
        while self._queue:
            when, _, phase, step = heapq.heappop(self._queue)
            clock.now = max(when, clock.now + STEP)
            step()
            self.done += 1
            if progress:
                progress(phase, self.done, self.done + len(self._queue))


@dataclass
class Demo:
    """One run: the Application, its clock, the chart, and what the steps remember."""

    app: Any
    clock: Any
    rng: random.Random
    chart: OrgChart
    timeline: Timeline
    seed: int
    agenda: Agenda = field(default_factory=Agenda)
    stories: dict[str, Any] = field(default_factory=dict)  # NIP -> Story
    plans: dict[str, Any] = field(default_factory=dict)  # NIP -> the agreed Plan
    org_predikat: dict[str, str] = field(default_factory=dict)  # OPD code -> predikat
    moves: list[Any] = field(default_factory=list)  # the mid-year Moves
    inspections: list[Any] = field(default_factory=list)  # ids of the inspections recorded
    _requests: itertools.count = field(default_factory=itertools.count)

    def call(self, command: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run a use case a moment later, under a request id that the seed determines."""
        self.clock.now += STEP
        return command(*args, request_id=f"demo-{self.seed}-{next(self._requests):07d}", **kwargs)

    def later(self, days: int, phase: str, step: Callable[[], Any]) -> None:
        """Put a step on the agenda ``days`` from now, in the morning."""
        day = self.clock.now.date() + timedelta(days)
        self.agenda.at(office_hour(day, self.rng.random() / 2), phase, step)
