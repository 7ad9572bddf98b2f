"""A period's calendar as BKPP sets it: the report window, the rating deadline, the keberatan
decision target, the extensions it grants by circular, and the period's closure.

Each is a fact BKPP recorded, so a late report can be told from an extended one years later.
An extension only ever moves deadlines later and names whom it applies to: the whole period,
one unit, or a list of evaluations. Once BKPP closes the period nothing more is accepted.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from functools import lru_cache
from itertools import pairwise
from uuid import UUID

from domain.base import Created, Meta, Record, stable_id, text
from domain.errors import (
    ExtensionShortensError,
    InvalidValueError,
    PeriodClosedError,
)
from domain.limits import MAX_CODE
from domain.periods import parse_period
from domain.state import ExtensionState, PeriodCalendarState
from domain.values import distinct

SCOPES = ("period", "unit", "evaluations")


@lru_cache(maxsize=1024)  # every report, rating and finalisation asks; periods are few
def calendar_id(period_key: str) -> UUID:
    """One calendar per period, so setting it twice is a conflict, not a second calendar."""
    return stable_id("calendar", parse_period(period_key).key)


class PeriodCalendar(Record, PeriodCalendarState):
    TOPIC = "kinerja/PeriodCalendar"

    class CalendarSet(Created):
        TOPIC = "kinerja/PeriodCalendar/CalendarSet"
        period: str
        report_opens: date
        report_due: date
        rating_due: date
        decision_target: date

        def apply(self, c: PeriodCalendar) -> None:
            c.period = self.period
            c.report_opens = self.report_opens.isoformat()
            c.report_due, c.rating_due = self.report_due.isoformat(), self.rating_due.isoformat()
            c.decision_target = self.decision_target.isoformat()
            c.extensions, c.closed = [], False

    class ExtensionGranted(Record.Event):
        TOPIC = "kinerja/PeriodCalendar/ExtensionGranted"
        circular_number: str
        circular_date: date
        report_due: date
        rating_due: date
        scope: str
        unit_id: str | None
        evaluation_ids: list[str]

        def apply(self, c: PeriodCalendar) -> None:
            c.extensions.append(self.entry())

        def entry(self) -> ExtensionState:
            """The extension as the calendar (and the calendars view) keeps it."""
            return {"circular_number": self.circular_number,
                    "circular_date": self.circular_date.isoformat(),
                    "report_due": self.report_due.isoformat(),
                    "rating_due": self.rating_due.isoformat(),
                    "scope": self.scope, "unit_id": self.unit_id,
                    "evaluation_ids": list(self.evaluation_ids)}

    class PeriodClosed(Record.Event):
        TOPIC = "kinerja/PeriodCalendar/PeriodClosed"

        def apply(self, c: PeriodCalendar) -> None:
            c.closed = True

    @classmethod
    def set(cls, meta: Meta, period_key: str, *, report_opens: date, report_due: date,
            rating_due: date, decision_target: date) -> PeriodCalendar:
        period = parse_period(period_key)
        if report_opens <= period.end:
            raise InvalidValueError(
                f"the report window opens after the period ends ({period.end.isoformat()})")
        _ordered(report_opens=report_opens, report_due=report_due, rating_due=rating_due,
                 decision_target=decision_target)
        return cls._begin(cls.CalendarSet, meta, calendar_id(period.key),
                          period=period.key, report_opens=report_opens, report_due=report_due,
                          rating_due=rating_due, decision_target=decision_target)

    def grant_extension(self, meta: Meta, circular_number: str, circular_date: date, *,
                        report_due: date, rating_due: date, scope: str = "period",
                        unit_id: str | None = None,
                        evaluation_ids: Sequence[str] = ()) -> None:
        self._require_open()
        _named(scope, unit_id, list(evaluation_ids))
        if report_due < date.fromisoformat(self.report_due) or \
                rating_due < date.fromisoformat(self.rating_due):
            raise ExtensionShortensError(
                f"an extension keeps reports due no earlier than {self.report_due} and ratings "
                f"no earlier than {self.rating_due}")
        _ordered(report_due=report_due, rating_due=rating_due)
        self._record(self.ExtensionGranted, meta, circular_date=circular_date,
                     circular_number=text(circular_number, "circular number", limit=MAX_CODE),
                     report_due=report_due, rating_due=rating_due, scope=scope,
                     unit_id=unit_id, evaluation_ids=list(evaluation_ids))

    def close(self, meta: Meta) -> None:
        self._require_open()
        self._record(self.PeriodClosed, meta)

    def dues(self, evaluation_id: str, unit_id: str | None) -> tuple[date, date, str | None]:
        return dues_in_force(self.report_due, self.rating_due, self.extensions, evaluation_id,
                             unit_id)

    @property
    def opens(self) -> date:
        """The first day a report for the period is taken."""
        return date.fromisoformat(self.report_opens)

    def _require_open(self) -> None:
        if self.closed:
            raise PeriodClosedError(f"BKPP has closed period {self.period}")


def dues_in_force(report_due: str, rating_due: str, extensions: Sequence[ExtensionState],
                  evaluation_id: str, unit_id: str | None) -> tuple[date, date, str | None]:
    """The report and rating deadlines in force for one evaluation (the latest of the
    calendar's, ISO, and of every extension that names it) and the circular of the last
    extension that names it (None: the calendar's own dates). The commands and the views
    read them alike."""
    report, rating = date.fromisoformat(report_due), date.fromisoformat(rating_due)
    circular = None
    for extension in extensions:
        if names(extension, evaluation_id, unit_id):
            report = max(report, date.fromisoformat(extension["report_due"]))
            rating = max(rating, date.fromisoformat(extension["rating_due"]))
            circular = extension["circular_number"]
    return report, rating, circular


def names(extension: ExtensionState, evaluation_id: str, unit_id: str | None) -> bool:
    """Whether an extension applies to this evaluation (in that unit)."""
    if extension["scope"] == "period":
        return True
    if extension["scope"] == "unit":
        return unit_id is not None and extension["unit_id"] == unit_id
    return evaluation_id in extension["evaluation_ids"]


def _named(scope: str, unit_id: str | None, evaluation_ids: list[str]) -> None:
    if scope not in SCOPES:
        raise InvalidValueError(f"an extension's scope is one of {', '.join(SCOPES)}")
    if (scope == "unit") != (unit_id is not None):
        raise InvalidValueError("a unit is named exactly when the extension is for a unit")
    if (scope == "evaluations") != bool(evaluation_ids):
        raise InvalidValueError("evaluations are listed exactly when the extension names them")
    distinct(evaluation_ids, "evaluations of an extension")


def _ordered(**dates: date) -> None:
    """Each deadline no earlier than the one before it, in the order given."""
    for (earlier, first), (later, second) in pairwise(dates.items()):
        if second < first:
            raise InvalidValueError(f"{later.replace('_', ' ')} comes before "
                                    f"{earlier.replace('_', ' ')}")
