"""Read routes over the views (projections): paginated, filterable, and able to wait (briefly)
until the view has read a write the caller just made (``after=<Kinerja-Position>``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import Caller, ReadAccess, WriteAccess
from api.policy import Subject
from api.problems import ProblemError, responses
from api.routes import permission, rows
from api.schemas_in import Code, Period
from api.schemas_views import (
    Appeal,
    AppealsView,
    AsnHistory,
    Dashboard,
    EvaluationPage,
    EvaluationRow,
    Fairness,
    FairnessSignal,
    Finding,
    FollowUp,
    InspectionsView,
    Queue,
    RepeatFinding,
    Skm,
    SkmRow,
    SurveyOut,
    SurveyResponsesIn,
    Task,
)
from domain.skm import category

router = APIRouter(tags=["views"])
READ = responses(400, 401, 403, 404, 422, 503)
WAIT_SECONDS = 2.0
After = Annotated[int | None, Query(ge=0, le=2**62, description=(
    "Wait (at most 2 s) until the view has read up to this log position, e.g. the "
    "Kinerja-Position header of your last write."))]
Year = Annotated[int, Query(ge=2000, le=2100)]


def caught_up(caller: Caller, after: int | None) -> int:
    """The views' position, after waiting for ``after`` if asked."""
    projector = caller.services.projector
    if after is not None and not projector.wait_for(after, WAIT_SECONDS):
        raise ProblemError(503, "view_behind", f"the views have not reached position {after} yet; "
                                               "retry shortly", retry_after=1)
    return min(projector.positions().values())


@router.get("/views/evaluations", response_model=EvaluationPage, responses=READ,
            openapi_extra=permission("views.summary"))
def evaluations(caller: ReadAccess, after: After = None, unit_id: str | None = None,
                period: Annotated[str | None, Query(pattern=r"^\d{4}(-[SQM]\d{1,2})?$")] = None,
                stage: str | None = None, nip: str | None = None,
                page: Annotated[int, Query(ge=1, le=100_000)] = 1,
                size: Annotated[int, Query(ge=1, le=500)] = 50) -> EvaluationPage:
    caller.authorise("views.summary")
    position = caught_up(caller, after)
    found = caller.services.queries.evaluations(unit=unit_id, period=period, stage=stage,
                                                nip=nip, page=page, size=size)
    return EvaluationPage(items=rows(EvaluationRow, found.items), total=found.total, page=page,
                          size=size, position=position)


@router.get("/views/asn/{nip}/history", response_model=AsnHistory, responses=READ,
            openapi_extra=permission("views.history"))
def asn_history(nip: str, caller: ReadAccess, after: After = None) -> AsnHistory:
    employee = caller.app.employee(nip)
    caller.authorise("views.history", Subject(nip=employee.nip, supervisor=employee.supervisor_on(
        caller.app.clock().date())))
    position = caught_up(caller, after)
    found = caller.services.queries.history(nip)
    return AsnHistory(nip=nip, evaluations=rows(EvaluationRow, found), position=position)


@router.get("/views/reviewer-queue", response_model=Queue, responses=READ,
            openapi_extra=permission("views.queue"))
def reviewer_queue(caller: ReadAccess, after: After = None,
                   nip: Annotated[str | None, Query(pattern=r"^[0-9]{18}$")] = None) -> Queue:
    reviewer = nip or caller.user.nip
    caller.authorise("views.queue", Subject(nip=reviewer))
    position = caught_up(caller, after)
    tasks = caller.services.queries.queue(reviewer, caller.app.clock().date())
    return Queue(reviewer=reviewer, tasks=rows(Task, tasks), position=position)


@router.get("/views/units/{unit_id}/dashboard", response_model=Dashboard, responses=READ,
            openapi_extra=permission("views.dashboard"))
def dashboard(unit_id: str, year: Year, caller: ReadAccess, after: After = None) -> Dashboard:
    caller.authorise("views.dashboard")
    position = caught_up(caller, after)
    return Dashboard(**caller.services.queries.dashboard(unit_id, year), position=position)


@router.get("/views/inspections", response_model=InspectionsView, responses=READ,
            openapi_extra=permission("views.inspections"))
def inspections(caller: ReadAccess, after: After = None, unit_id: str | None = None,
                employee_id: str | None = None) -> InspectionsView:
    caller.authorise("views.inspections")
    position = caught_up(caller, after)
    q, today = caller.services.queries, caller.app.clock().date()
    return InspectionsView(
        findings=rows(Finding, q.findings(unit=unit_id, employee=employee_id)),
        open_follow_ups=rows(FollowUp, q.open_follow_ups(today, unit=unit_id)),
        repeat_findings=rows(RepeatFinding, q.repeat_findings(unit=unit_id)), position=position)


@router.get("/views/appeals", response_model=AppealsView, responses=READ,
            openapi_extra=permission("views.appeals"))
def appeals(caller: ReadAccess, after: After = None,
            status: Annotated[str | None,
                              Query(pattern="^(open|rejected|partly_upheld|upheld)$")] = None
            ) -> AppealsView:
    caller.authorise("views.appeals")
    position = caught_up(caller, after)
    q = caller.services.queries
    return AppealsView(appeals=rows(Appeal, q.appeals(caller.app.clock().date(), status=status)),
                       outcomes_by_unit=q.appeal_outcomes("unit"),
                       outcomes_by_reviewer=q.appeal_outcomes("reviewer"), position=position)


@router.get("/views/fairness", response_model=Fairness, responses=READ,
            openapi_extra=permission("views.fairness"))
def fairness(year: Year, caller: ReadAccess, after: After = None) -> Fairness:
    caller.authorise("views.fairness")
    position = caught_up(caller, after)
    signals = caller.services.queries.fairness(year)
    return Fairness(year=year, reviewers=rows(FairnessSignal, signals), position=position)


@router.get("/views/skm", response_model=Skm, responses=READ, openapi_extra=permission("views.skm"))
def skm(caller: ReadAccess, after: After = None, unit_id: str | None = None,
        period: Annotated[str | None, Query(pattern=r"^\d{4}(-[SQM]\d{1,2})?$")] = None) -> Skm:
    caller.authorise("views.skm")
    position = caught_up(caller, after)
    surveys = caller.services.queries.skm(unit=unit_id, period=period)
    return Skm(surveys=rows(SkmRow, surveys), position=position)


@router.post("/surveys/{unit_code}/{period}/responses", response_model=SurveyOut,
             responses=responses(400, 401, 403, 404, 409, 412, 413, 422),
             openapi_extra=permission("surveys.write"))
def record_survey_responses(unit_code: Code, period: Period, body: SurveyResponsesIn,
                            caller: WriteAccess):
    caller.authorise("surveys.write")
    return caller.run(caller.app.record_survey_responses, unit_code, period, body.responses,
                      body=body, render=_survey)


def _survey(survey) -> SurveyOut:
    value = survey.index
    row = SkmRow(unit_id=survey.unit_id, period=survey.period, responses=survey.responses,
                 index=str(value) if value is not None else None,
                 category=None if value is None else category(value))
    return SurveyOut(id=str(survey.id), version=survey.version, **row.model_dump())
