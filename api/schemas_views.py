"""Response bodies of the views (projections), and the SKM responses body.

The fields of each row are declared where the row is built: a view's document
(``projections/views/*``, e.g. ``EvaluationDoc``) or a query's row (``projections/queries``).
The models here are derived from those declarations (``api.derive.model_of``); only what is
the API's own is given here: which fields a model publishes and in what order, the names,
the examples and the defaults.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal, get_type_hints

from pydantic import BaseModel, ConfigDict, Field
from pydantic.config import JsonValue

from api import schemas_out  # noqa: F401  # derives Posting, LineEntry, Contract: named here too
from api.derive import model_of, models_of
from api.schemas_in import Body, example
from api.schemas_out import History
from domain.rules import Predikat
from domain.skm import ANSWERS, ELEMENTS, WEIGHTING
from projections import queries
from projections.views.appeals import AppealDoc
from projections.views.inspections import FindingDoc


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
    "results", "behaviour", "predikat", "predikat_label", "rule_version", "rater_nip",
    "finalised_by", "finalised_at", "revisions", "late_ratings", "overturned"), base=Row)


class EvaluationRow(_EvaluationRow):  # type: ignore[misc, valid-type]  # derived at import
    # Declared in queries.EvaluationRow; an ASN's history leaves it out, and reads as none.
    keberatan: str = queries.NO_KEBERATAN
    # The result's receipt (Asia/Jakarta days, as ResultReceived fixed them); none before it.
    received_on: str | None = None
    keberatan_until: str | None = None
    # Whether the report came after its deadline in force (accepted, marked); none before it.
    report_late: bool | None = None


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
    "acting": [], "acting_tenure": None, "leave": [], "on_leave": None,
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


# The SKM shapes come first: the dashboard holds a trend of them.
models_of({queries.ElementFigures: "ElementFigures", queries.SkmPoint: "SkmPoint"})
SkmTrend = derived("SkmTrend", fields(queries.SkmTrend))
SKM_TREND: list[JsonValue] = [{
    "unit_id": "f5ef4f8a-0f8a-5a26-9f45-6426594e6a93", "code": "DISDUKCAPIL",
    "name": "Dinas Kependudukan dan Pencatatan Sipil", "periods": [
        {"period": "2024-Q1", "responses": 410, "index": "76.20", "category": "C",
         "category_label": "Kurang Baik"},
        {"period": "2024-Q2", "responses": 452, "index": "81.35", "category": "B",
         "category_label": "Baik"}]}]

PREDIKAT_LABELS: dict[str, str] = {p: Predikat(p).label for p in queries.PREDIKAT}

model_of(queries.CurveDeparture, "CurveDeparture")  # the dashboard's rows, derived first
_Dashboard = derived("Dashboard", fields(queries.DashboardFigures), examples=[{
    "unit_id": "f5ef4f8a-0f8a-5a26-9f45-6426594e6a93", "year": 2024,
    "opd_id": "f5ef4f8a-0f8a-5a26-9f45-6426594e6a93", "evaluations": 12,
    "finalised": 12, "not_finalised": [], "predikat": {"Baik": 11, "Sangat Baik": 1},
    "shares": {"Baik": 0.9167, "Sangat Baik": 0.0833}, "organisation_predikat": "Baik",
    "departures": ["Baik: 92% is above the 70% allowed"], "skm": SKM_TREND,
    "predikat_labels": PREDIKAT_LABELS,
    "curve_departures": [{
        "evaluation_id": "1e647ebd-3aaa-5844-920e-083e6ba43d2b", "nip": "198001012005011001",
        "unit_id": "f5ef4f8a-0f8a-5a26-9f45-6426594e6a93", "predikat": "Baik",
        "departures": ["Baik: 92% is above the 70% allowed"],
        "reason": "Seluruh seksi melampaui target layanan", "finalised_by": "197501012000031002",
        "finalised_at": "2025-01-20T03:00:00+00:00"}], "position": 120}])


class Dashboard(_Dashboard):  # type: ignore[misc, valid-type]  # derived at import
    position: int
    # "individual": the whole figures; "aggregate": small cells (fewer than 5 evaluations) and
    # lists of names withheld (null), for a reader who may not see the OPD's people.
    disclosure: Literal["individual", "aggregate"]
    # Its service units' SKM beside its performance (queries.Queries.skm_trend).
    skm: list[SkmTrend]  # type: ignore[valid-type]  # a model derived at import
    # How people read each predikat counted (the keys stay the stored codes): "Kurang/Misconduct".
    predikat_labels: dict[str, str] = PREDIKAT_LABELS


Finding = derived("Finding", fields(
    queries.FindingRow, "inspection_id", "finding_id", "unit_id", "item", "severity",
    "description", "employee_ids", "at"), base=Row)
# A finding as context of an evaluation's history (its inspection names the unit).
SidakFinding = derived("SidakFinding", fields(
    FindingDoc, "inspection_id", "finding_id", "item", "severity", "description",
    "employee_ids", "at"), base=Row)


class AsnFindings(BaseModel):
    """The sidak findings that name one ASN, oldest first."""

    model_config = ConfigDict(json_schema_extra={"examples": [
        {"nip": "198001012005011001", "findings": [], "position": 120}]})
    nip: str
    findings: list[Finding]  # type: ignore[valid-type]  # a model derived at import
    position: int


class EvaluationHistory(History):
    """An evaluation's events, and as context (never a score) the sidak findings naming the
    ASN within its period."""

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "id": "1e647ebd-3aaa-5844-920e-083e6ba43d2b", "events": [], "context": [{
            "inspection_id": "5b0e2a8c-8d4e-5f0a-9a51-2f1c3e7d9b10", "finding_id": "2",
            "item": "Antrian tertib", "severity": "major", "description": "Antrian menumpuk",
            "employee_ids": ["0b7f3c1e-2a4d-5e6f-8a9b-1c2d3e4f5a6b"],
            "at": "2024-03-04T02:00:00+00:00"}]}]})
    context: list[SidakFinding]  # type: ignore[valid-type]  # a model derived at import


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


# A survey row names its unit and period first, then its figures.
SKM_ROW = fields(queries.SkmRow, "unit_id", "period", "responses", "elements", "weighting",
                 "index", "category", "category_label")
SkmRow = derived("SkmRow", SKM_ROW)
SKM_EXAMPLE: dict[str, JsonValue] = {
    "unit_id": "f5ef4f8a-0f8a-5a26-9f45-6426594e6a93", "period": "2024", "responses": 120,
    "elements": {name: {"answers": 120, "total": 396, "nrr": "3.30"} for name in ELEMENTS},
    "weighting": WEIGHTING, "index": "82.50", "category": "B", "category_label": "Baik"}


class Skm(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"surveys": [SKM_EXAMPLE],
                                                               "position": 120}]})
    surveys: list[SkmRow]  # type: ignore[valid-type]  # a model derived at import
    position: int


Answer = Annotated[int, Field(ge=ANSWERS[0], le=ANSWERS[1])]


# One respondent's answers by element name; the domain refuses a name that is not an element
# (unknown_skm_element) or an element left out (missing_skm_element).
Response = Annotated[dict[str, Answer], Field(description=(
    "one answer (1-4) to each of the nine elements, by name: " + ", ".join(ELEMENTS)))]


class SurveyResponsesIn(Body):
    model_config = example(responses=[dict(zip(ELEMENTS, (4, 3, 3, 4, 4, 3, 4, 3, 4)))])
    responses: list[Response] = Field(min_length=1, max_length=5000)


class Recorded:
    """A record's id and version (also the ETag), as text: a survey after its responses."""

    id: str
    version: int


# A survey as its responses leave it: its figures as the SKM view reads them (queries.SkmRow).
SurveyOut = derived("SurveyOut", fields(Recorded) | SKM_ROW, examples=[{
    "id": "3f0c…", "version": 2, **SKM_EXAMPLE}])


class Lag(BaseModel):
    view: str
    position: int
    lag: int
