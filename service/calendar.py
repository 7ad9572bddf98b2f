"""Use cases for BKPP's period calendars: set, extend by circular, close; and what an
evaluation's commands read from them (the deadlines in force, whether the period is closed)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any, Unpack
from uuid import UUID

from domain.base import Meta
from domain.calendar import PeriodCalendar, calendar_id
from domain.errors import NotFoundError
from domain.evaluation import FINALISED, Evaluation
from domain.periods import parse_period
from service.core import Actor, RequestOptions
from service.organisation import OrganisationUseCases


class CalendarUseCases(OrganisationUseCases):
    def set_calendar(self, actor: Actor, period: str, *, report_opens: date, report_due: date,
                     rating_due: date, decision_target: date,
                     **request: Unpack[RequestOptions]) -> PeriodCalendar:
        calendar = PeriodCalendar.set(self.meta(actor, request), period,
                                      report_opens=report_opens, report_due=report_due,
                                      rating_due=rating_due, decision_target=decision_target)
        key = parse_period(period).key
        return self.create(calendar, f"the calendar of {key} is already set", request)

    def grant_extension(self, actor: Actor, period: str, circular_number: str,
                        circular_date: date, *, report_due: date, rating_due: date,
                        scope: str = "period", unit_code: str | None = None,
                        evaluation_ids: Sequence[str] = (),
                        **request: Unpack[RequestOptions]) -> PeriodCalendar:
        unit = str(self.unit(unit_code).id) if unit_code else None
        for evaluation in evaluation_ids:  # an extension names only evaluations of the period
            if self.load(_uuid(evaluation), Evaluation, copy=False).period != \
                    parse_period(period).key:
                raise NotFoundError(f"no evaluation {evaluation} in period {period}")
        return self.change(actor, calendar_id(period), PeriodCalendar, request,
                           PeriodCalendar.grant_extension, circular_number, circular_date,
                           report_due=report_due, rating_due=rating_due, scope=scope,
                           unit_id=unit, evaluation_ids=list(evaluation_ids))

    def close_period(self, actor: Actor, period: str,
                     **request: Unpack[RequestOptions]) -> PeriodCalendar:
        return self.change(actor, calendar_id(period), PeriodCalendar, request,
                           PeriodCalendar.close)

    def period_calendar(self, period: str) -> PeriodCalendar:
        return self.load(calendar_id(period), PeriodCalendar)

    def calendar_if_set(self, period: str, request: Mapping[str, Any] | None = None
                        ) -> PeriodCalendar | None:
        """The period's calendar, or None while BKPP has set none (the defaults apply); as
        the caller loaded it for this request, if it did (``calendar_of``)."""
        key = calendar_id(period)
        known = self.loaded(request or {}, key)
        if known is not None:
            return known if isinstance(known, PeriodCalendar) else None  # else: Absent
        try:
            return self.load(key, PeriodCalendar, copy=False)
        except NotFoundError:
            return None

    def bring_dues_in_force(self, meta: Meta, record: Evaluation,
                            request: Mapping[str, Any] | None = None) -> PeriodCalendar | None:
        """Before a command on an evaluation: record the extension that names it, if one
        moved its deadlines since (so views and replays see the dues the command used).
        Returns the period's calendar, if set."""
        calendar = self.calendar_if_set(record.period, request)
        if calendar is not None and record.stage != FINALISED:
            report, rating, circular = calendar.dues(str(record.id), record.unit_id)
            if circular is not None:
                record.extend_deadlines(meta, circular, report, rating)
        return calendar


def calendar_of(evaluation: Evaluation) -> UUID:
    """The id of the calendar of an evaluation's period (``load_with_maybe``)."""
    return calendar_id(evaluation.period)


def _uuid(text: str) -> UUID:
    try:
        return UUID(text)
    except ValueError:
        raise NotFoundError(f"no evaluation {text}") from None
