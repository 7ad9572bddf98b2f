"""How the demo moves through its months: a settable clock, the dates of each period, an agenda.

Every step of the demo is put on the agenda at the office hour it happens; the agenda runs
them in time order and sets the Application's clock before each, so deadlines hold as they
would in a real year and the stored timestamps never go backwards. The agenda stops at the
demo's ``today``: a step planned for today or later never happens, so nothing is stamped in
the future of the day the demo is run for.
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
from domain.periods import Period, parse_period
from service.core import Actor

T = TypeVar("T")
OPENING = time(1, 0)  # 08:00 WIB (UTC+7), when the offices of Kota Semarang open
MIDNIGHT = time(17, 0)  # 00:00 WIB of the next day, in UTC
OFFICE_DAY = timedelta(hours=7)
STEP = timedelta(seconds=2)  # between two commands of one step, and between two steps
ADMIN = Actor("system:demo", "admin")
Progress = Callable[[str, int, int], None]  # (phase, steps done, steps known so far)
# BKPP's calendar for every period, in days after it ends: the report window opens the next
# day and closes after ten; ratings are due after a month; a keberatan decided a month later.
REPORT_DAYS, RATING_DAYS, DECISION_DAYS = 10, 31, 61
# Days after a quarter starts by which each level of the line has agreed its plan (the Sekda
# first, staff last), so that each plan can cascade from the one above it.
QUARTER_PLANNING = ((2, 2), (3, 3), (4, 5), (6, 7), (8, 11))
ANNUAL_PLANNING = ((7, 7), (8, 9), (10, 14), (15, 18), (21, 30))  # from 1 January


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


def start_of(day: date) -> datetime:
    """00:00 in Asia/Jakarta on ``day``, as a UTC moment."""
    return datetime.combine(day - timedelta(1), MIDNIGHT, timezone.utc)


@dataclass(frozen=True)
class PeriodDates:
    """The dates of one period (a quarter or the year), as BKPP's calendar sets them."""

    period: Period

    @classmethod
    def of(cls, key: str) -> PeriodDates:
        return cls(parse_period(key))

    @property
    def key(self) -> str:
        return self.period.key

    @property
    def end(self) -> date:
        return self.period.end

    def after_end(self, days: int) -> date:
        return self.end + timedelta(days)

    @property
    def report_due(self) -> date:
        return self.after_end(REPORT_DAYS)

    @property
    def rating_due(self) -> date:
        return self.after_end(RATING_DAYS)

    @property
    def decision_target(self) -> date:
        return self.after_end(DECISION_DAYS)

    def planning(self, level: int) -> tuple[date, date]:
        """Plans cascade: each level agrees its plans after the level above has agreed. A
        year's first quarter is planned once the annual SKP is agreed (February)."""
        start = self.period.start
        if self.period.is_annual:
            first, last = ANNUAL_PLANNING[level]
        else:
            first, last = QUARTER_PLANNING[level]
            if start.month == 1:
                start = start.replace(month=2)
        return start + timedelta(first), start + timedelta(last)

    @property
    def opening(self) -> tuple[date, date]:
        """When the evaluations are opened: the first days of the period; a year's (and its
        first quarter's) once the organisation is in place, after New Year."""
        start = self.period.start
        if start.month == 1:
            return start + timedelta(2), start + timedelta(4)
        return start, start + timedelta(1)

    @property
    def reports(self) -> tuple[date, date]:
        return self.after_end(1), self.report_due - timedelta(1)

    @property
    def ratings(self) -> tuple[date, date]:
        return self.report_due + timedelta(1), self.rating_due - timedelta(5)

    @property
    def appeal_ratings(self) -> tuple[date, date]:
        """Ratings that will be appealed come last, so that filing stays within the window."""
        return self.rating_due - timedelta(4), self.rating_due

    @property
    def late_ratings(self) -> tuple[date, date]:
        return self.rating_due + timedelta(1), self.rating_due + timedelta(3)

    @property
    def filings(self) -> tuple[date, date]:
        return self.rating_due + timedelta(4), self.rating_due + timedelta(6)


class Agenda:
    """Steps ordered by when they happen; a step may put later steps on the agenda."""

    def __init__(self, until: datetime) -> None:
        self._queue: list[tuple[datetime, int, str, Callable[[], Any]]] = []
        self._order = itertools.count()
        self.until = until  # nothing happens from this moment on
        self.done = 0

    def at(self, when: datetime, phase: str, step: Callable[[], Any]) -> None:
        if when < self.until:
            heapq.heappush(self._queue, (when, next(self._order), phase, step))

    def on(self, day: date, phase: str, step: Callable[[], Any]) -> None:
        self.at(office_hour(day), phase, step)

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
            if clock.now >= self.until:
                break  # a busy day ran late: what is left would be stamped today
            step()
            self.done += 1
            if progress:
                progress(phase, self.done, self.done + len(self._queue))
        self._queue.clear()


@dataclass
class Demo:
    """One run: the Application, its clock, the chart, and what the steps remember."""

    app: Any
    clock: Any
    rng: random.Random
    chart: OrgChart
    today: date
    seed: int
    agenda: Agenda
    stories: dict[tuple[str, str], Any] = field(default_factory=dict)  # (period, NIP) -> Story
    plans: dict[tuple[str, str], Any] = field(default_factory=dict)  # (NIP, period) -> Plan
    org_predikat: dict[tuple[str, str], str] = field(default_factory=dict)  # (OPD, period) ->
    moves: list[Any] = field(default_factory=list)  # the mid-year Moves
    inspections: list[Any] = field(default_factory=list)  # ids of the inspections recorded
    waiting: Any = None  # the stories that leave work waiting today (demo.today)
    _requests: itertools.count = field(default_factory=itertools.count)

    def call(self, command: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run a use case a moment later, under a request id that the seed determines."""
        self.clock.now += STEP
        return command(*args, request_id=f"demo-{self.seed}-{next(self._requests):07d}", **kwargs)

    def later(self, days: int, phase: str, step: Callable[[], Any]) -> None:
        """Put a step on the agenda ``days`` from now, in the morning."""
        day = self.clock.now.date() + timedelta(days)
        self.agenda.at(office_hour(day, self.rng.random() / 2), phase, step)

    @property
    def day(self) -> date:
        """The demo's day now (office hours fall on the same date in UTC and WIB)."""
        return self.clock.now.date()
