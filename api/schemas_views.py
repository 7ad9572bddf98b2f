"""Response bodies of the views (projections), and the SKM responses body.

The fields of each row are declared where the row is built: a view's document
(``projections/views/*``, e.g. ``EvaluationDoc``) or a query's row (``projections/queries``).
The models here are derived from those declarations (``api.derive.model_of``); only what is
the API's own is given here: which fields a model publishes and in what order, the names,
the examples and the defaults.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, get_type_hints

from pydantic import BaseModel, ConfigDict, Field

from api import schemas_out  # noqa: F401  # derives Posting, LineEntry, Contract: named here too
from api.derive import model_of
from api.schemas_in import Body, example
from domain.skm import ANSWERS, ELEMENTS
from projections import queries
from projections.views.appeals import AppealDoc


def fields(shape: type, *keys: str) -> dict[str, Any]:
    """The types ``shape`` declares for ``keys`` (all its keys if none), in the order given."""
    hints = get_type_hints(shape)
    return {key: hints[key] for key in keys or hints}


def derived(name: str, declared: dict[str, Any], **options: Any) -> Any:
    """``model_of`` a shape of these declared fields, in this order."""
    return model_of(type(name, (), {"__annotations__": declared}), name, **options)


class Row(BaseModel):
    """A view's row: the fields not published in the document still pass through."""

    model_config = ConfigDict(extra="allow")


_EvaluationRow = derived("EvaluationRow", fields(
    queries.EvaluationRow, "evaluation_id", "nip", "period", "unit_id", "stage", "plan",
    "results", "behaviour", "predikat", "rule_version", "rater_nip", "finalised_by",
    "finalised_at", "revisions", "late_ratings", "overturned"), base=Row)


class EvaluationRow(_EvaluationRow):  # type: ignore[misc, valid-type]  # derived at import
    # Declared in queries.EvaluationRow; an ASN's history leaves it out, and reads as none.
    keberatan: str = queries.NO_KEBERATAN


class EvaluationPage(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "items": [], "total": 0, "page": 1, "size": 50, "position": 120}]})
    items: list[EvaluationRow]
    total: int
    page: int
    size: int
    position: int  # how far into the log the view has read


class AsnHistory(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [
        {"nip": "198001012005011001", "evaluations": [], "position": 120}]})
    nip: str
    evaluations: list[EvaluationRow]
    position: int


EXAMPLE_ON_DAY: dict[str, Any] = {
    "employee_id": "bd5473d8-a9ab-5177-9fd0-4d5f87244a2f", "nip": "198001012005011001",
    "name": "Budi Santoso", "employment_type": "PNS", "golongan": "III/b",
    "pangkat": "Penata Muda Tingkat I", "contract": None,
    "postings": [{"from": "2024-01-01", "unit_id": "f5ef4f8a-0f8a-5a26-9f45-6426594e6a93",
                  "position": "Analis", "is_unit_head": False}],
    "reporting_line": [
        {"from": "2024-01-01", "supervisor_id": "b66830ab-644b-557e-b07b-b51c9c7b948b",
         "supervisor_nip": "197501012000031002"},
        {"from": "2025-07-01", "supervisor_id": "0b4e1d55-7f0e-5c55-8d2b-5a86cfa0d3f1",
         "supervisor_nip": "197802022003121001"}],
    "acting": [], "acting_tenure": None,
    "on": "2025-06-30", "unit_id": "f5ef4f8a-0f8a-5a26-9f45-6426594e6a93",
    "position": "Analis", "is_unit_head": False, "supervisor_nip": "197501012000031002"}

EmployeeOnDay = derived("EmployeeOnDay", fields(queries.EmployeeOnDay),
                        examples=[EXAMPLE_ON_DAY])


class EmployeeLookup(BaseModel):
    """An employee as on a day (``employee``), and how far the view has read."""

    model_config = ConfigDict(json_schema_extra={"examples": [
        {"employee": EXAMPLE_ON_DAY, "position": 120}]})
    employee: EmployeeOnDay  # type: ignore[valid-type]  # a model derived at import
    position: int


class EmployeesOnDay(BaseModel):
    """The employees as on ``on``: those under a supervisor or in a unit on that day."""

    model_config = ConfigDict(json_schema_extra={"examples": [
        {"on": "2025-06-30", "employees": [], "position": 120}]})
    on: date
    employees: list[EmployeeOnDay]  # type: ignore[valid-type]  # a model derived at import
    position: int


Task = derived("Task", fields(queries.Task))


class Queue(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "reviewer": "197501012000031002", "position": 120, "tasks": [{
            "evaluation_id": "1e647ebd-3aaa-5844-920e-083e6ba43d2b", "nip": "198001012005011001",
            "period": "2024", "task": "rate", "due": "2025-01-31", "overdue": False,
            "near": True}]}]})
    reviewer: str
    tasks: list[Task]  # type: ignore[valid-type]  # a model derived at import
    position: int


_Dashboard = derived("Dashboard", fields(queries.DashboardFigures), examples=[{
    "unit_id": "f5ef4f8a-0f8a-5a26-9f45-6426594e6a93", "year": 2024, "evaluations": 12,
    "finalised": 12, "not_finalised": [], "predikat": {"Baik": 11, "Sangat Baik": 1},
    "shares": {"Baik": 0.9167, "Sangat Baik": 0.0833}, "organisation_predikat": "Baik",
    "departures": ["Baik: 92% is above the 70% allowed"], "position": 120}])


class Dashboard(_Dashboard):  # type: ignore[misc, valid-type]  # derived at import
    position: int


Finding = derived("Finding", fields(
    queries.FindingRow, "inspection_id", "finding_id", "unit_id", "item", "severity",
    "description", "employee_ids", "at"), base=Row)
FollowUp = derived("FollowUp", fields(
    queries.FollowUpRow, "inspection_id", "follow_up_id", "finding_id", "unit_id", "action",
    "due", "assignee_nip", "assigned_at", "age_days"), base=Row)
RepeatFinding = derived("RepeatFinding", fields(queries.RepeatFinding))


class InspectionsView(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "findings": [], "open_follow_ups": [], "repeat_findings": [], "position": 120}]})
    findings: list[Finding]  # type: ignore[valid-type]  # each a model derived at import
    open_follow_ups: list[FollowUp]  # type: ignore[valid-type]
    repeat_findings: list[RepeatFinding]  # type: ignore[valid-type]
    position: int


Appeal = derived("Appeal", fields(
    AppealDoc, "keberatan_id", "evaluation_id", "nip", "rater_nip", "authority_nip", "predikat",
    "filed_at", "decision_due", "outcome", "decided_at", "overdue"), base=Row)


class AppealsView(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "appeals": [], "outcomes_by_unit": {}, "outcomes_by_reviewer": {}, "position": 120}]})
    appeals: list[Appeal]  # type: ignore[valid-type]  # a model derived at import
    outcomes_by_unit: dict[str, dict[str, int]]
    outcomes_by_reviewer: dict[str, dict[str, int]]
    position: int


FairnessSignal = derived("FairnessSignal", fields(queries.FairnessSignal))


class Fairness(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"year": 2024, "reviewers": [],
                                                               "position": 120}]})
    year: int
    reviewers: list[FairnessSignal]  # type: ignore[valid-type]  # a model derived at import
    position: int


SkmRow = derived("SkmRow", fields(queries.SkmRow))


class Skm(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"surveys": [{
        "unit_id": "f5ef4f8a-0f8a-5a26-9f45-6426594e6a93", "period": "2024", "responses": 120,
        "index": "82.41", "category": "B"}], "position": 120}]})
    surveys: list[SkmRow]  # type: ignore[valid-type]  # a model derived at import
    position: int


Answer = Annotated[int, Field(ge=ANSWERS[0], le=ANSWERS[1])]


class SurveyResponsesIn(Body):
    model_config = example(responses=[[4, 3, 3, 4, 4, 3, 4, 3, 4]])
    responses: list[Annotated[list[Answer], Field(min_length=len(ELEMENTS),
                                                  max_length=len(ELEMENTS))]] = Field(
        min_length=1, max_length=5000)


class Recorded:
    """A record's id and version (also the ETag), as text: a survey after its responses."""

    id: str
    version: int


# A survey as its responses leave it: its figures as the SKM view reads them (queries.SkmRow).
SurveyOut = derived("SurveyOut", fields(Recorded) | fields(queries.SkmRow), examples=[{
    "id": "3f0c…", "version": 2, "unit_id": "f5ef4f8a-0f8a-5a26-9f45-6426594e6a93",
    "period": "2024", "responses": 120, "index": "82.41", "category": "B"}])


class Lag(BaseModel):
    view: str
    position: int
    lag: int
