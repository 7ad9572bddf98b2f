"""Use cases for evaluations: open, plan, report, rate, revise, comment, review, finalise."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any, Unpack, cast
from uuid import UUID

from domain.base import Meta
from domain.calendar import PeriodCalendar
from domain.errors import NotFoundError
from domain.evaluation import Evaluation, evaluation_id
from domain.organisation import Employee, employee_id
from domain.periods import Period, parse_period, periodic_keys
from domain.state import ActingCapacity, CommentEntry
from domain.values import Evidence, PlanLine, Realisation
from domain.wib import wib_day
from service.calendar import CalendarUseCases, calendar_of
from service.core import Actor, RequestOptions
from service.curve import CurveUseCases


class EvaluationUseCases(CalendarUseCases, CurveUseCases):
    """Most commands are one ``change``. Those that need the direct supervisor on the day of
    the command (agreeing a plan, rating, finalising) write its steps out, since that day is
    the command's own (``meta.at``): meta, ``to_change``, the command, ``save_changed``."""

    def open_evaluation(self, actor: Actor, nip: str, period: str, *,
                        top_rater: str | None = None,
                        **request: Unpack[RequestOptions]) -> Evaluation:
        """Open the evaluation; ``top_rater`` names the rater (e.g. the regional head) only
        for an ASN at the top of a reporting line, who has no supervisor in the system. A
        period wholly on leave opens excused."""
        meta, span = self.meta(actor, request), parse_period(period)
        employee = self.employee(nip)
        day = min(wib_day(meta.at), span.end)
        report_due, rating_due = self._dues(span.key, span.end, employee.id, employee.unit_on(day))
        rater = employee.supervisor_on(day) or top_rater
        evaluation = Evaluation.open(meta, employee, span, rater_nip=rater,
                                     report_due=report_due, rating_due=rating_due,
                                     skp=self._skp_of(employee.id, span))
        # Leave already recorded in the period: it opens excused, or shortened (DOMAIN.md §5).
        evaluation.account_for_leave(meta, employee.inactive_within(span))
        return self.create(evaluation, f"{nip} already has an evaluation for {span.key}", request)

    def import_history(self, actor: Actor, nip: str, year: int, *, skp: float,
                       behaviour: float, peer_input: bool, new_idea: bool, source_ref: str,
                       rater_nip: str | None = None,
                       **request: Unpack[RequestOptions]) -> Evaluation:
        """Record a 2019-2021 evaluation as PP 30/2019 scored it (one record, atomically)."""
        meta, span = self.meta(actor, request), parse_period(str(year))
        employee = self.employee(nip)
        rater = rater_nip or employee.supervisor_on(span.end)
        evaluation = Evaluation.import_history(
            meta, employee, span, self.rules, rater_nip=rater, skp=skp, behaviour=behaviour,
            peer_input=peer_input, new_idea=new_idea, source_ref=source_ref)
        return self.create(evaluation, f"{nip} already has an evaluation for {span.key}", request)

    def draft_plan(self, actor: Actor, evaluation: UUID, plan_type: str, lines: list[PlanLine],
                   behaviour_expectations: dict[str, str] | None = None,
                   **request: Unpack[RequestOptions]) -> Evaluation:
        return self.change(actor, evaluation, Evaluation, request, Evaluation.draft_plan,
                           plan_type, lines, behaviour_expectations)

    def agree_plan(self, actor: Actor, evaluation: UUID,
                   **request: Unpack[RequestOptions]) -> Evaluation:
        meta = self.meta(actor, request)
        record = self.to_change(evaluation, Evaluation, request)
        supervisor, acting = self._supervisor_on(record, meta, request)
        upstream = self._upstream(supervisor, acting, record.period)
        record.agree_plan(meta, supervisor, upstream, acting=acting)
        return self.save_changed(meta, request, record)

    def revise_plan(self, actor: Actor, evaluation: UUID, cause: str, lines: list[PlanLine], *,
                    reason: str, behaviour_expectations: dict[str, str] | None = None,
                    **request: Unpack[RequestOptions]) -> Evaluation:
        """Revise the annual SKP (the rater on the day), and have the year's periodic
        evaluations not yet reported on adopt the revision, all in one transaction."""
        meta = self.meta(actor, request, reason)
        record = self.to_change(evaluation, Evaluation, request)
        readopting = self.revise_skp(meta, record, cause, lines, behaviour_expectations,
                                     request)
        return self.save_changed(meta, request, record, *readopting)

    def revise_skp(self, meta: Meta, skp: Evaluation, cause: str, lines: list[PlanLine],
                   behaviour_expectations: dict[str, str] | None,
                   request: RequestOptions) -> list[Evaluation]:
        """The revision's steps, for any use case that revises an SKP in its own transaction
        (a transfer does, with cause "transfer"): revise it as its rater on the day agrees,
        then re-adopt it in each periodic evaluation not yet reported on. Returns those
        periodic evaluations that changed, for the caller to save with ``skp``."""
        supervisor, acting = self._supervisor_on(skp, meta, request)
        upstream = self._upstream(supervisor, acting, skp.period)
        skp.revise_plan(meta, supervisor, upstream, cause, lines, behaviour_expectations)
        return [p for p in self.periodic_evaluations(skp) if p.adopt_plan(meta, skp)]

    def periodic_evaluations(self, annual: Evaluation) -> list[Evaluation]:
        """The periodic evaluations of the annual one's ASN in its year (semesters, quarters,
        months)."""
        return self.evaluations_of(UUID(annual.employee_id), periodic_keys(int(annual.period[:4])))

    def submit_report(self, actor: Actor, evaluation: UUID, realisations: list[Realisation],
                      achievements: str, challenges: str, next_plan: str,
                      evidence: Sequence[Evidence] = (),
                      **request: Unpack[RequestOptions]) -> Evaluation:
        meta = self.meta(actor, request)
        record = self.to_change(evaluation, Evaluation, request)
        calendar = self.bring_dues_in_force(meta, record, request)
        record.submit_report(meta, realisations, achievements, challenges, next_plan,
                             list(evidence), period_closed=calendar is not None and calendar.closed,
                             window_opens=calendar.opens if calendar else None)
        return self.save_changed(meta, request, record)

    def record_rating(self, actor: Actor, evaluation: UUID, dimension: str, rating: str, *,
                      reason: str, details: dict[str, str] | None = None, basis: str = "rater",
                      **request: Unpack[RequestOptions]) -> Evaluation:
        return self._rate(Evaluation.record_rating, actor, evaluation, dimension, rating,
                          reason=reason, details=details, basis=basis, request=request)

    def revise_rating(self, actor: Actor, evaluation: UUID, dimension: str, rating: str, *,
                      reason: str, details: dict[str, str] | None = None, basis: str = "rater",
                      **request: Unpack[RequestOptions]) -> Evaluation:
        return self._rate(Evaluation.revise_rating, actor, evaluation, dimension, rating,
                          reason=reason, details=details, basis=basis, request=request)

    def give_feedback(self, actor: Actor, evaluation: UUID, line_id: str, text: str,
                      **request: Unpack[RequestOptions]) -> Evaluation:
        meta = self.meta(actor, request)
        record = self.to_change(evaluation, Evaluation, request)
        supervisor, _ = self._supervisor_on(record, meta, request)
        record.give_feedback(meta, supervisor, line_id, text)
        return self.save_changed(meta, request, record)

    def comment(self, actor: Actor, evaluation: UUID, text: str, in_reply_to: int | None = None,
                **request: Unpack[RequestOptions]) -> Evaluation:
        return self.change(actor, evaluation, Evaluation, request, Evaluation.comment,
                           text, in_reply_to)

    def assign_team(self, actor: Actor, evaluation: UUID, members: list[str],
                    **request: Unpack[RequestOptions]) -> Evaluation:
        for nip in members:
            self.employee(nip)  # every member must be a registered ASN
        return self.change(actor, evaluation, Evaluation, request, Evaluation.assign_team,
                           members)

    def record_team_review(self, actor: Actor, evaluation: UUID, recommendation: str,
                           note: str = "", **request: Unpack[RequestOptions]) -> Evaluation:
        return self.change(actor, evaluation, Evaluation, request,
                           Evaluation.record_team_review, recommendation, note)

    def finalise(self, actor: Actor, evaluation: UUID, *, curve_departure: str = "",
                 **request: Unpack[RequestOptions]) -> Evaluation:
        meta = self.meta(actor, request)
        record = self.to_change(evaluation, Evaluation, request)
        self.bring_dues_in_force(meta, record, request)
        periodic = self.periodic_evaluations(record) if parse_period(record.period).is_annual \
            else []
        supervisor, acting = self._supervisor_on(record, meta, request)
        record.finalise(meta, supervisor, self.rules, curve=self.curve_standing(record),
                        curve_departure=curve_departure, periodic=periodic, acting=acting)
        return self.save_changed(meta, request, record)

    def evaluation(self, evaluation: UUID, *, version: int | None = None) -> Evaluation:
        return self.load(evaluation, Evaluation, version=version)

    def comments(self, evaluation: UUID, *, upto: int | None = None,
                 since: int | None = None) -> list[CommentEntry]:
        """The comment thread (versions ``since`` < v <= ``upto``), read from the events: the
        evaluation's state keeps only the comment ids."""
        stored = self.recorder.select_events(evaluation, gt=since, lte=upto)
        # Stored under CommentAdded's topic, so the mapper makes a CommentAdded of it (it is
        # typed to make just some domain event).
        return [cast(Evaluation.CommentAdded, self.mapper.to_domain_event(s)).entry()
                for s in stored if s.topic == Evaluation.CommentAdded.TOPIC]

    def evaluation_of(self, nip: str, period: str) -> Evaluation:
        return self.evaluation(evaluation_id(employee_id(nip), parse_period(period).key))

    def _rate(self, command: Callable[..., None], actor: Actor, evaluation: UUID,
              dimension: str, rating: str, *, reason: str, details: dict[str, str] | None,
              basis: str, request: RequestOptions) -> Evaluation:
        """Record or revise a rating: ``command`` checks the rater against the supervisor on
        the day, so the evaluation and its employee are loaded together."""
        request = self._with_employee(evaluation, request)
        meta = self.meta(actor, request, reason)
        record = self.to_change(evaluation, Evaluation, request)
        self.bring_dues_in_force(meta, record, request)  # a late rating is late against these
        supervisor, acting = self._supervisor_on(record, meta, request)
        command(record, meta, supervisor, dimension, rating, details=details, basis=basis,
                acting=acting)
        return self.save_changed(meta, request, record)

    def _dues(self, period: str, end: date, employee: UUID,
              unit: str | None) -> tuple[date, date]:
        """A new evaluation's deadlines: from the period's calendar with any extension that
        names it, once BKPP has set one; the configured defaults before."""
        calendar = self.calendar_if_set(period)
        if calendar is None:
            return self.calendar.deadlines(period, end)
        report, rating, _ = calendar.dues(str(evaluation_id(employee, period)), unit)
        return report, rating

    def _with_employee(self, evaluation: UUID, request: RequestOptions) -> RequestOptions:
        """The request, with the evaluation, its employee and its period's calendar (or that
        there is none) loaded together (one query when the first two are cached) unless the
        caller loaded them already."""
        if request.get("loaded") or not self.loads_together:
            return request
        return {**request, "loaded": self.for_command(evaluation)}

    def for_command(self, evaluation: UUID) -> tuple[Evaluation, Employee, Any]:
        """What a command on an evaluation reads: the evaluation, its employee, and its
        period's calendar or ``Absent`` (one query when the first two are cached)."""
        return self.load_with_maybe(evaluation, Evaluation, evaluated_employee_id, Employee,
                                    calendar_of, PeriodCalendar)

    def _supervisor_on(self, evaluation: Evaluation, meta: Any,
                       request: RequestOptions) -> tuple[str | None, ActingCapacity | None]:
        """The direct supervisor by the reporting line in force on the day of the command (WIB;
        the employee as the caller loaded it for this request, if it did), and the capacity
        of a Plt/Plh then, which the act records."""
        key = UUID(evaluation.employee_id)
        employee = self.loaded(request, key) or self.load(key, copy=False)
        day = wib_day(meta.at)
        return employee.supervisor_on(day), employee.acting_on(day)

    def _upstream(self, supervisor: str | None, acting: ActingCapacity | None,
                  period: str) -> list[str] | None:
        """The RHK a plan agreed by ``supervisor`` cascades from: the post's plan, its holder's
        when a Plt/Plh stands in for them (a vacant post's: the acting official's own, there
        being no other)."""
        post = acting["in_place_of"] if acting and acting["in_place_of"] else supervisor
        return self._supervisor_plan(post, period) if post else None

    def _skp_of(self, employee: UUID, span: Period) -> Evaluation | None:
        """The annual evaluation holding the SKP a periodic evaluation adopts (None: none
        opened, or the period is the year itself)."""
        if span.is_annual:
            return None
        try:
            return self.evaluation(evaluation_id(employee, str(span.year)))
        except NotFoundError:
            return None

    def _supervisor_plan(self, supervisor_nip: str, period: str) -> list[str] | None:
        try:
            return self.evaluation_of(supervisor_nip, period).plan_results()
        except NotFoundError:
            return None


def evaluated_employee_id(evaluation: Evaluation) -> UUID:
    return UUID(evaluation.employee_id)
