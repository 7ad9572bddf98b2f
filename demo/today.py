"""Which periods are live on the demo's day, and the stories that leave work waiting then.

The rule (docs/DEMO.md): the quarter being rated is the latest one that ended at least two
days before ``today`` (so its first reports are in); the anchor quarter is the latest that
ended at least three weeks before (room for a report, a rating, a receipt and a keberatan
before today). The demo plays from 1 January of the anchor quarter's year: in the first weeks
of a year (up to three weeks after the first quarter ends) that is the year before, whose
fourth quarter and annual evaluation are then the ones at work.

Pure: the dates follow from ``today`` and the people from the seeded ``random.Random``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from demo.agenda import PeriodDates
from demo.org import SECTION, STAFF, OrgChart

RATED_AFTER, ANCHORED_AFTER = 2, 21  # days after its end that a quarter is rated, anchored
EXTENDED_BEYOND_TODAY = 7  # the extension in force runs at least a week past today


def quarter_ended(today: date, days_before: int) -> PeriodDates:
    """The latest quarter that ended at least ``days_before`` days before ``today``."""
    day = today - timedelta(days_before - 1)  # a quarter ending the day before it counts
    year, quarter = day.year, (day.month - 1) // 3  # the quarter before the one day is in
    if quarter == 0:
        year, quarter = year - 1, 4
    return PeriodDates.of(f"{year}-Q{quarter}")


def quarters(first_year: int, last: PeriodDates) -> list[PeriodDates]:
    """Every quarter from the first of ``first_year`` up to the one running after ``last``."""
    keys = [f"{y}-Q{q}" for y in range(first_year, last.period.year + 2) for q in range(1, 5)]
    periods = [PeriodDates.of(k) for k in keys]
    return [p for p in periods if p.period.start <= last.after_end(1)]


@dataclass(frozen=True)
class Waiting:
    """Who has work waiting on the demo's day, and in which periods.

    ``rated``: the quarter being rated; ``anchor``: the quarter of the keberatan stories and
    of the Plt's tenure. ``extended``: the section whose staff BKPP's circular gives more time
    for ``rated`` (its ratings fall after today, so its raters have ratings due);
    ``acting``: the section head away (on leave) whose staff a Plt rates in ``anchor``;
    ``in_window``: the ASN who received their result two days ago; ``objecting``: the ASN
    whose keberatan awaits its decision."""

    today: date
    rated: PeriodDates
    anchor: PeriodDates
    extended: str
    acting: str
    in_window: str
    objecting: str

    @property
    def first_year(self) -> int:
        return self.anchor.period.year

    @property
    def circular_date(self) -> date:
        return min(self.rated.after_end(8), self.today - timedelta(1))

    @property
    def extended_dues(self) -> tuple[date, date]:
        report = self.rated.report_due + timedelta(7)
        return report, max(self.rated.after_end(45), self.today + timedelta(EXTENDED_BEYOND_TODAY))

    @property
    def tenure(self) -> tuple[date, date]:
        """The Plt's: from after the anchor's reports are due, through its ratings; after the
        next quarter's plans are agreed, so the Plt only rates."""
        return self.anchor.after_end(13), self.anchor.after_end(45)

    @property
    def anchor_rating_day(self) -> date:
        return self.anchor.after_end(14)


def plan_waiting(rng: random.Random, chart: OrgChart, today: date, excluded: set[str],
                 busy: set[str]) -> Waiting:
    """Choose the sections and people of the stories that leave work waiting today. Two
    sections with staff (one extended, one under a Plt), not ``busy`` (left or joined by a
    mid-year move) if there are two such; two staff with an Atasan Pejabat Penilai, outside
    those sections and ``excluded`` (who move mid-year)."""
    staffed = [u for u in chart.sections() if _staff_of(chart, u)]
    sections = [u for u in staffed if u not in busy]
    sections = sections if len(sections) > 1 else staffed
    extended, acting = rng.sample(sections, 2) if len(sections) > 1 else (sections[0],) * 2
    eligible = [p.nip for p in chart.people if p.level == STAFF and p.nip not in excluded
                and p.unit not in (extended, acting)
                and chart.person(p.supervisor or "").level >= SECTION]
    in_window, objecting = rng.sample(eligible, 2)
    return Waiting(today, quarter_ended(today, RATED_AFTER), quarter_ended(today, ANCHORED_AFTER),
                   extended, acting, in_window, objecting)


def _staff_of(chart: OrgChart, unit: str) -> list[str]:
    return [p.nip for p in chart.people if p.unit == unit and p.level == STAFF]
