"""The facts about a record that authorisation needs (see policy.Subject), read from the app."""

from __future__ import annotations

from functools import partial
from uuid import UUID

from api.policy import Subject
from domain.errors import NotFoundError
from domain.evaluation import Evaluation
from domain.inspection import Inspection
from domain.keberatan import Keberatan
from domain.organisation import Employee
from domain.wib import wib_day
from service.application import KinerjaApplication
from service.evaluations import evaluated_employee_id


def of_employee(app: KinerjaApplication, employee: Employee) -> Subject:
    return Subject(nip=employee.nip, supervisor=employee.supervisor_on(wib_day(app.clock())))


def employee_of(app: KinerjaApplication, evaluation: Evaluation) -> Employee:
    """The evaluated employee, a copy of its own (a command may be handed it: see
    ``RequestOptions.loaded``)."""
    return app.load(evaluated_employee_id(evaluation), Employee)


def of_evaluation(app: KinerjaApplication, evaluation: Evaluation,
                  employee: Employee | None = None) -> Subject:
    employee = employee or employee_of(app, evaluation)
    rater = evaluation.outcome["by"] if evaluation.outcome else evaluation.rater_nip
    return Subject(nip=evaluation.nip, supervisor=employee.supervisor_on(wib_day(app.clock())),
                   team=frozenset(evaluation.team), rater=rater,
                   authority_lookup=partial(_authority_on, app, evaluation.id))


def of_record(app: KinerjaApplication, record_id: UUID) -> Subject | None:
    """A replayed record's subject: an evaluation's or a keberatan's (people's files); None
    for records that are nobody's file (units, registers, inspections, surveys, calendars),
    which only roles that read anything may replay."""
    record = app.load(record_id)
    if isinstance(record, Evaluation):
        return of_evaluation(app, record)
    if isinstance(record, Keberatan):
        return of_keberatan(record)
    return None


def _authority_on(app: KinerjaApplication, evaluation: UUID) -> str | None:
    """Who decides the keberatan on the evaluation, while one is filed."""
    try:
        return app.keberatan_on(evaluation).authority_nip
    except NotFoundError:
        return None


def of_keberatan(keberatan: Keberatan) -> Subject:
    return Subject(nip=keberatan.nip, rater=keberatan.rater_nip,
                   authority=keberatan.authority_nip)


def of_follow_up(inspection: Inspection, follow_up_id: str) -> Subject:
    follow_up = inspection.follow_ups.get(follow_up_id)
    assignee = follow_up.get("assignee_nip") if follow_up else None
    return Subject(assignees=frozenset([assignee] if assignee else []))
