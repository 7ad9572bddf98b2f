"""Read routes over the views (projections): paginated, filterable, and able to wait (briefly)
until the view has read a write the caller just made (``after=<Kinerja-Position>``)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from api import subjects
from api.deps import Caller, ReadAccess, WriteAccess
from api.policy import Subject, allowed
from api.problems import ProblemError, responses
from api.routes import permission, rows
from api.schemas_in import NIP, NIP_PATTERN, Code, Day, Period
from api.schemas_views import (
    Appeal,
    AppealsView,
    AsnFindings,
    AsnHistory,
    Dashboard,
    EmployeeLookup,
    EmployeeOnDay,
    EmployeesOnDay,
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
from domain.errors import NotFoundError
from projections.disclosure import aggregate_dashboard, aggregate_fairness
from projections.queries import skm_figures
from replay.asof import JAKARTA

router = APIRouter(tags=["views"])
READ = responses(400, 401, 403, 404, 422, 429, 503)
WAIT_SECONDS = 2.0


Position = Annotated[int | None, Query(ge=0, le=2**62, description=(
    "Wait (at most 2 s) until the view has read up to this log position, e.g. the "
    "Kinerja-Position header of your last write; beyond the log's head: 400."))]


async def waited(caller: ReadAccess, after: Position = None) -> int | None:
    """``after``, once the views have read it: waited for on the event loop (api/waits.py),
    after the role is authorised (``ReadAccess``), before the route takes a worker thread."""
    if after is not None and not await caller.services.waits.wait(
            f"{caller.user.token_id}/{caller.user.nip}", after, WAIT_SECONDS):
        raise ProblemError(503, "view_behind", f"the views have not reached position {after} yet;"
                                               " retry shortly", retry_after=1)
    return after


After = Annotated[int | None, Depends(waited)]
Year = Annotated[int, Query(ge=2000, le=2100)]
On = Annotated[Day | None, Query(description=(
    "The day to answer for (YYYY-MM-DD); default today in Asia/Jakarta (WIB)."))]


def wib_today(caller: Caller) -> date:
    """Today where the offices are: the day a rule counts in (Asia/Jakarta)."""
    return caller.app.clock().astimezone(JAKARTA).date()


def caught_up(caller: Caller, after: int | None) -> int:
    """The views' position (``After`` has waited for ``after``: it is at least that)."""
    return min(caller.services.projector.positions().values())


@router.get("/views/evaluations", response_model=EvaluationPage, responses=READ,
            openapi_extra=permission("views.summary"))
def evaluations(caller: ReadAccess, after: After = None, unit_id: str | None = None,
                period: Annotated[str | None, Query(pattern=r"^\d{4}(-[SQM]\d{1,2})?$")] = None,
                stage: str | None = None,
                nip: Annotated[str | None, Query(pattern=NIP_PATTERN)] = None,
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
def asn_history(nip: NIP, caller: ReadAccess, after: After = None) -> AsnHistory:
    employee = caller.app.employee(nip)
    caller.authorise("views.history", subjects.of_employee(caller.app, employee))
    position = caught_up(caller, after)
    found = caller.services.queries.history(nip)
    return AsnHistory(nip=nip, evaluations=rows(EvaluationRow, found), position=position)


@router.get("/views/employees", response_model=EmployeesOnDay, responses=READ,
            openapi_extra=permission("views.employees"))
def employees_on(caller: ReadAccess, after: After = None, on: On = None,
                 supervisor_nip: Annotated[str | None, Query(pattern=NIP_PATTERN)] = None,
                 unit_id: str | None = None) -> EmployeesOnDay:
    # A role that may list everyone does so unless it filters; the others list their own staff.
    sees_all = allowed("views.employees", caller.user.role, caller.user.nip, None)
    supervisor = supervisor_nip or (None if sees_all else caller.user.nip)
    caller.authorise("views.employees", Subject(nip=supervisor))
    position = caught_up(caller, after)
    day = on or wib_today(caller)
    found = caller.services.queries.employees_on(day, supervisor=supervisor, unit=unit_id)
    return EmployeesOnDay(on=day, employees=rows(EmployeeOnDay, found), position=position)


@router.get("/views/employees/{nip}", response_model=EmployeeLookup, responses=READ,
            openapi_extra=permission("employees.read"))
def employee_on(nip: NIP, caller: ReadAccess, after: After = None,
                on: On = None) -> EmployeeLookup:
    caller.authorise("employees.read", subjects.of_employee(caller.app, caller.app.employee(nip)))
    position = caught_up(caller, after)
    found = caller.services.queries.employee_on(nip, on or wib_today(caller))
    if found is None:
        raise ProblemError(404, "not_found", f"employee {nip} is not in the view (yet)")
    return EmployeeLookup(employee=EmployeeOnDay.model_validate(found), position=position)


@router.get("/views/asn/{nip}/findings", response_model=AsnFindings, responses=READ,
            openapi_extra=permission("findings.read"))
def asn_findings(nip: NIP, caller: ReadAccess, after: After = None) -> AsnFindings:
    """The sidak findings that name the ASN: theirs to read, and their supervisor's."""
    employee = caller.app.employee(nip)
    caller.authorise("findings.read", subjects.of_employee(caller.app, employee))
    position = caught_up(caller, after)
    found = caller.services.queries.findings_about(str(employee.id))
    return AsnFindings(nip=nip, findings=rows(Finding, found), position=position)


@router.get("/views/reviewer-queue", response_model=Queue, responses=READ,
            openapi_extra=permission("views.queue"))
def reviewer_queue(caller: ReadAccess, after: After = None,
                   nip: Annotated[str | None, Query(pattern=NIP_PATTERN)] = None) -> Queue:
    reviewer = nip or caller.user.nip
    caller.authorise("views.queue", Subject(nip=reviewer))
    position = caught_up(caller, after)
    tasks = caller.services.queries.queue(reviewer, wib_today(caller))
    return Queue(reviewer=reviewer, tasks=rows(Task, tasks), position=position)


@router.get("/views/units/{unit_id}/dashboard", response_model=Dashboard, responses=READ,
            openapi_extra=permission("views.dashboard"))
def dashboard(unit_id: str, year: Year, caller: ReadAccess, after: After = None) -> Dashboard:
    """Whole for those who may see the OPD's people (admins, auditors, the OPD's own head);
    for anyone else small cells and lists of names are withheld (projections/disclosure.py)."""
    caller.authorise("views.dashboard")
    position = caught_up(caller, after)
    queries = caller.services.queries
    figures = queries.dashboard(unit_id, year)
    whole = _sees_people(caller, figures["opd_id"])
    return Dashboard(**(figures if whole else aggregate_dashboard(figures)),
                     disclosure="individual" if whole else "aggregate",
                     skm=queries.skm_trend(unit_id, year), position=position)


def _sees_people(caller: Caller, opd: str) -> bool:
    """Whether the caller may see the OPD's individual results: a role that reads every
    evaluation, or the OPD's head today (the top of every line in it)."""
    if allowed("evaluations.read", caller.user.role, caller.user.nip, None):
        return True
    try:
        employee = caller.app.employee(caller.user.nip)
    except NotFoundError:
        return False  # a service identity, or someone not on the register
    today = wib_today(caller)
    return employee.unit_on(today) == opd and employee.is_unit_head_on(today)


@router.get("/views/inspections", response_model=InspectionsView, responses=READ,
            openapi_extra=permission("views.inspections"))
def inspections(caller: ReadAccess, after: After = None, unit_id: str | None = None,
                employee_id: str | None = None) -> InspectionsView:
    caller.authorise("views.inspections")
    position = caught_up(caller, after)
    q, today = caller.services.queries, wib_today(caller)
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
    found = q.appeals(wib_today(caller), status=status)
    if not allowed("keberatan.read", caller.user.role, caller.user.nip, None):
        # need to know: an appeal-board member's list is the cases they decide
        found = [a for a in found if a["authority_nip"] == caller.user.nip]
    return AppealsView(appeals=rows(Appeal, found),
                       outcomes_by_unit=q.appeal_outcomes("unit"),
                       outcomes_by_reviewer=q.appeal_outcomes("reviewer"), position=position)


@router.get("/views/fairness", response_model=Fairness, responses=READ,
            openapi_extra=permission("views.fairness"))
def fairness(year: Year, caller: ReadAccess, after: After = None) -> Fairness:
    caller.authorise("views.fairness")
    position = caught_up(caller, after)
    signals = caller.services.queries.fairness(year)
    if not allowed("evaluations.read", caller.user.role, caller.user.nip, None):
        signals = aggregate_fairness(signals)  # a reviewer's few results are people's results
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
    row = skm_figures(survey.unit_id, survey.period, survey.totals, survey.counts,
                      survey.responses)
    return SurveyOut(id=str(survey.id), version=survey.version, **row)
