"""Evaluations: plan, report, rate, revise, comment, team review, finalise, and their history."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from fastapi import APIRouter

from api import subjects
from api.deps import Caller, ReadAccess, WriteAccess, WriteRequest
from api.history import history
from api.routes import READ, WRITE, permission, rows
from api.schemas_in import (
    Body,
    CommentIn,
    EmptyIn,
    EvaluationIn,
    FeedbackIn,
    FinaliseIn,
    PlanIn,
    PlanRevisionIn,
    RatingIn,
    ReportIn,
    RevisionIn,
    TeamIn,
    TeamReviewIn,
)
from api.schemas_out import CommentOut, EvaluationOut, ThreadOut
from api.schemas_views import EvaluationHistory, SidakFinding
from domain.evaluation import Evaluation
from domain.organisation import Employee
from domain.rules import Dimension
from domain.values import LineEvidence, PlanLine, Realisation
from replay.timeline import findings_in_period
from service.evaluations import evaluated_employee_id

router = APIRouter(prefix="/evaluations", tags=["evaluations"])


def _authorised(caller: Caller, evaluation_id: UUID, name: str) -> tuple[Evaluation, Employee]:
    """Authorise against the evaluation and its employee as they are now, and return both: a
    write hands them to its command (``loaded=``), which changes that very evaluation."""
    evaluation, employee = caller.app.load_with(evaluation_id, Evaluation,
                                                evaluated_employee_id, Employee)
    caller.authorise(name, subjects.of_evaluation(caller.app, evaluation, employee))
    return evaluation, employee


def _for_command(caller: Caller, evaluation_id: UUID, name: str) -> tuple[Any, ...]:
    """``_authorised``, for a command that reads the period's calendar too (a report, a
    rating, a finalisation): the calendar, or that there is none, comes in the same query."""
    loaded = caller.app.for_command(evaluation_id)
    caller.authorise(name, subjects.of_evaluation(caller.app, loaded[0], loaded[1]))
    return loaded


def _changed(caller: WriteRequest, evaluation_id: UUID, name: str, use_case: Callable[..., Any],
             *args: Any, body: Body, **options: Any) -> Any:
    """Authorise ``name`` against the evaluation, run the use case on that very copy, and
    answer the evaluation: the steps of a write route that answers the evaluation."""
    loaded = _authorised(caller, evaluation_id, name)
    return caller.run(use_case, evaluation_id, *args, **options, body=body,
                      render=EvaluationOut.of, loaded=loaded)


@router.post("", status_code=201, response_model=EvaluationOut, responses=WRITE,
             openapi_extra=permission("evaluations.open"))
def open_evaluation(body: EvaluationIn, caller: WriteAccess):
    caller.authorise("evaluations.open")
    return caller.run(caller.app.open_evaluation, body.nip, body.period, top_rater=body.top_rater,
                      body=body, render=EvaluationOut.of, status=201, location="/evaluations/{id}")


@router.get("/{evaluation_id}", response_model=EvaluationOut, responses=READ,
            openapi_extra=permission("evaluations.read"))
def get_evaluation(evaluation_id: UUID, caller: ReadAccess):
    evaluation = caller.app.evaluation(evaluation_id)
    caller.authorise("evaluations.read", subjects.of_evaluation(caller.app, evaluation))
    return caller.render(evaluation, EvaluationOut.of)


@router.get("/{evaluation_id}/history", response_model=EvaluationHistory, responses=READ,
            openapi_extra=permission("evaluations.read"))
def evaluation_history(evaluation_id: UUID, caller: ReadAccess):
    """Every event of the evaluation, and as context the sidak findings naming the ASN in its
    period (no command reads them: they never score)."""
    evaluation, _ = _authorised(caller, evaluation_id, "evaluations.read")
    recorded = history(caller.app, evaluation_id)
    context = findings_in_period(caller.services.queries.findings_naming, evaluation)
    return EvaluationHistory(id=recorded.id, events=recorded.events,
                             context=rows(SidakFinding, context))


@router.post("/{evaluation_id}/plan", response_model=EvaluationOut, responses=WRITE,
             openapi_extra=permission("plans.draft"))
def draft_plan(evaluation_id: UUID, body: PlanIn, caller: WriteAccess):
    loaded = _authorised(caller, evaluation_id, "plans.draft")
    lines = [PlanLine(**line.model_dump()) for line in body.lines]
    return caller.run(caller.app.draft_plan, evaluation_id, body.plan_type, lines,
                      dict(body.behaviour_expectations),
                      body=body, render=EvaluationOut.of, loaded=loaded)


@router.post("/{evaluation_id}/plan/revisions", response_model=EvaluationOut, responses=WRITE,
             openapi_extra=permission("plans.revise"))
def revise_plan(evaluation_id: UUID, body: PlanRevisionIn, caller: WriteAccess):
    """Revise the agreed annual SKP; the year's periodic evaluations not yet reported on adopt
    the revision in the same transaction."""
    lines = [PlanLine(**line.model_dump()) for line in body.lines]
    expectations = None if body.behaviour_expectations is None \
        else dict(body.behaviour_expectations)
    return _changed(caller, evaluation_id, "plans.revise", caller.app.revise_plan, body.cause,
                    lines, reason=body.reason, behaviour_expectations=expectations, body=body)


@router.post("/{evaluation_id}/plan/agreement", response_model=EvaluationOut, responses=WRITE,
             openapi_extra=permission("plans.agree"))
def agree_plan(evaluation_id: UUID, body: EmptyIn, caller: WriteAccess):
    loaded = _authorised(caller, evaluation_id, "plans.agree")
    return caller.run(caller.app.agree_plan, evaluation_id,
                      body=body, render=EvaluationOut.of, loaded=loaded)


@router.post("/{evaluation_id}/report", response_model=EvaluationOut, responses=WRITE,
             openapi_extra=permission("reports.submit"))
def submit_report(evaluation_id: UUID, body: ReportIn, caller: WriteAccess):
    loaded = _for_command(caller, evaluation_id, "reports.submit")
    return caller.run(caller.app.submit_report, evaluation_id,
                      [Realisation(**r.model_dump()) for r in body.realisations],
                      body.achievements, body.challenges, body.next_plan,
                      [LineEvidence(**e.model_dump()) for e in body.evidence],
                      body=body, render=EvaluationOut.of, loaded=loaded)


@router.post("/{evaluation_id}/feedback", response_model=EvaluationOut, responses=WRITE,
             openapi_extra=permission("feedback.give"))
def give_feedback(evaluation_id: UUID, body: FeedbackIn, caller: WriteAccess):
    """The rater's feedback on one plan line's realisation (words, never a rating)."""
    return _changed(caller, evaluation_id, "feedback.give", caller.app.give_feedback,
                    body.line_id, body.text, body=body)


@router.post("/{evaluation_id}/ratings", response_model=EvaluationOut, responses=WRITE,
             openapi_extra=permission("ratings.write"))
def record_rating(evaluation_id: UUID, body: RatingIn, caller: WriteAccess):
    loaded = _for_command(caller, evaluation_id, "ratings.write")
    return caller.run(caller.app.record_rating, evaluation_id, body.dimension, body.rating,
                      reason=body.reason, details=dict(body.details), basis=body.basis,
                      body=body, render=EvaluationOut.of, loaded=loaded)


@router.post("/{evaluation_id}/ratings/{dimension}/revisions", response_model=EvaluationOut,
             responses=WRITE, openapi_extra=permission("ratings.write"))
def revise_rating(evaluation_id: UUID, dimension: Dimension, body: RevisionIn,
                  caller: WriteAccess):
    loaded = _for_command(caller, evaluation_id, "ratings.write")
    return caller.run(caller.app.revise_rating, evaluation_id, dimension.value, body.rating,
                      reason=body.reason, details=dict(body.details), basis=body.basis,
                      body=body, render=EvaluationOut.of, loaded=loaded)


@router.post("/{evaluation_id}/comments", response_model=CommentOut, responses=WRITE,
             openapi_extra=permission("comments.write"))
def comment(evaluation_id: UUID, body: CommentIn, caller: WriteAccess):
    """Add a comment; the answer is the comment (its id is the evaluation's new version)."""
    loaded = _authorised(caller, evaluation_id, "comments.write")

    def added(evaluation):
        [entry] = caller.app.comments(evaluation.id, since=evaluation.version - 1,
                                      upto=evaluation.version)
        return CommentOut(**entry)
    return caller.run(caller.app.comment, evaluation_id, body.text, body.in_reply_to,
                      body=body, render=added, loaded=loaded)


@router.get("/{evaluation_id}/comments", response_model=ThreadOut, responses=READ,
            openapi_extra=permission("evaluations.read"))
def comment_thread(evaluation_id: UUID, caller: ReadAccess):
    evaluation, _ = _authorised(caller, evaluation_id, "evaluations.read")
    thread = caller.app.comments(evaluation_id, upto=evaluation.version)
    return ThreadOut(evaluation_id=evaluation_id, version=evaluation.version, comments=thread)


@router.post("/{evaluation_id}/team", response_model=EvaluationOut, responses=WRITE,
             openapi_extra=permission("teams.assign"))
def assign_team(evaluation_id: UUID, body: TeamIn, caller: WriteAccess):
    loaded = _authorised(caller, evaluation_id, "teams.assign")
    return caller.run(caller.app.assign_team, evaluation_id, body.members,
                      body=body, render=EvaluationOut.of, loaded=loaded)


@router.post("/{evaluation_id}/team-reviews", response_model=EvaluationOut, responses=WRITE,
             openapi_extra=permission("teams.review"))
def record_team_review(evaluation_id: UUID, body: TeamReviewIn, caller: WriteAccess):
    loaded = _authorised(caller, evaluation_id, "teams.review")
    return caller.run(caller.app.record_team_review, evaluation_id, body.recommendation, body.note,
                      body=body, render=EvaluationOut.of, loaded=loaded)


@router.post("/{evaluation_id}/finalisation", response_model=EvaluationOut, responses=WRITE,
             openapi_extra=permission("evaluations.finalise"))
def finalise(evaluation_id: UUID, body: FinaliseIn, caller: WriteAccess):
    loaded = _for_command(caller, evaluation_id, "evaluations.finalise")
    return caller.run(caller.app.finalise, evaluation_id, curve_departure=body.curve_departure,
                      body=body, render=EvaluationOut.of, loaded=loaded)
