"""The facts about a record that authorisation needs (see policy.Subject), read from the app."""

from __future__ import annotations

from api.policy import Subject
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
                   team=frozenset(evaluation.team), rater=rater)


def of_keberatan(keberatan: Keberatan) -> Subject:
    return Subject(nip=keberatan.nip, rater=keberatan.rater_nip,
                   authority=keberatan.authority_nip)


def of_follow_up(inspection: Inspection, follow_up_id: str) -> Subject:
    follow_up = inspection.follow_ups.get(follow_up_id)
    assignee = follow_up.get("assignee_nip") if follow_up else None
    return Subject(assignees=frozenset([assignee] if assignee else []))
