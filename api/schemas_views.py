"""Response bodies of the views (projections), and the SKM responses body."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from api.schemas_in import Body, example
from domain.skm import ANSWERS, ELEMENTS


class EvaluationRow(BaseModel):
    model_config = ConfigDict(extra="allow")
    evaluation_id: str
    nip: str
    period: str
    unit_id: str | None
    stage: str
    plan: str
    results: str | None
    behaviour: str | None
    predikat: str | None
    rule_version: str | None
    rater_nip: str | None
    finalised_by: str | None
    finalised_at: str | None
    revisions: int
    late_ratings: int
    overturned: bool
    keberatan: str = "none"


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


class Task(BaseModel):
    evaluation_id: str
    nip: str
    period: str
    task: str  # agree_plan, rate, finalise
    due: str
    overdue: bool
    near: bool


class Queue(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "reviewer": "197501012000031002", "position": 120, "tasks": [{
            "evaluation_id": "1e647ebd-3aaa-5844-920e-083e6ba43d2b", "nip": "198001012005011001",
            "period": "2024", "task": "rate", "due": "2025-01-31", "overdue": False,
            "near": True}]}]})
    reviewer: str
    tasks: list[Task]
    position: int


class Dashboard(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "unit_id": "f5ef4f8a-0f8a-5a26-9f45-6426594e6a93", "year": 2024, "evaluations": 12,
        "finalised": 12, "not_finalised": [], "predikat": {"Baik": 11, "Sangat Baik": 1},
        "shares": {"Baik": 0.9167, "Sangat Baik": 0.0833}, "organisation_predikat": "Baik",
        "departures": ["Baik: 92% is above the 70% allowed"], "position": 120}]})
    unit_id: str
    year: int
    evaluations: int
    finalised: int
    not_finalised: list[str]
    predikat: dict[str, int]
    shares: dict[str, float]
    organisation_predikat: str | None
    departures: list[str]
    position: int


class Finding(BaseModel):
    model_config = ConfigDict(extra="allow")
    inspection_id: str
    finding_id: str
    unit_id: str
    item: str | None
    severity: str
    description: str
    employee_ids: list[str]
    at: str


class FollowUp(BaseModel):
    model_config = ConfigDict(extra="allow")
    inspection_id: str
    follow_up_id: str
    finding_id: str
    unit_id: str
    action: str
    due: str
    assignee_nip: str | None
    assigned_at: str
    age_days: int


class RepeatFinding(BaseModel):
    unit_id: str
    item: str
    findings: int


class InspectionsView(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "findings": [], "open_follow_ups": [], "repeat_findings": [], "position": 120}]})
    findings: list[Finding]
    open_follow_ups: list[FollowUp]
    repeat_findings: list[RepeatFinding]
    position: int


class Appeal(BaseModel):
    model_config = ConfigDict(extra="allow")
    keberatan_id: str
    evaluation_id: str
    nip: str
    rater_nip: str | None
    authority_nip: str
    predikat: str
    filed_at: str
    decision_due: str
    outcome: str
    decided_at: str | None
    overdue: bool | None


class AppealsView(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "appeals": [], "outcomes_by_unit": {}, "outcomes_by_reviewer": {}, "position": 120}]})
    appeals: list[Appeal]
    outcomes_by_unit: dict[str, dict[str, int]]
    outcomes_by_reviewer: dict[str, dict[str, int]]
    position: int


class FairnessSignal(BaseModel):
    reviewer: str
    evaluations: int
    shares: dict[str, float]
    unit_shares: dict[str, float]
    city_shares: dict[str, float]
    revised: int
    overturned_on_appeal: int
    late_ratings: int


class Fairness(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"year": 2024, "reviewers": [],
                                                               "position": 120}]})
    year: int
    reviewers: list[FairnessSignal]
    position: int


class SkmRow(BaseModel):
    unit_id: str
    period: str
    responses: int
    index: str | None
    category: str | None


class Skm(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"surveys": [{
        "unit_id": "f5ef4f8a-0f8a-5a26-9f45-6426594e6a93", "period": "2024", "responses": 120,
        "index": "82.41", "category": "B"}], "position": 120}]})
    surveys: list[SkmRow]
    position: int


Answer = Annotated[int, Field(ge=ANSWERS[0], le=ANSWERS[1])]


class SurveyResponsesIn(Body):
    model_config = example(responses=[[4, 3, 3, 4, 4, 3, 4, 3, 4]])
    responses: list[Annotated[list[Answer], Field(min_length=len(ELEMENTS),
                                                  max_length=len(ELEMENTS))]] = Field(
        min_length=1, max_length=5000)


class SurveyOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "id": "3f0c…", "version": 2, "unit_id": "f5ef4f8a-0f8a-5a26-9f45-6426594e6a93",
        "period": "2024", "responses": 120, "index": "82.41", "category": "B"}]})
    id: str
    version: int
    unit_id: str
    period: str
    responses: int
    index: str | None
    category: str | None


class Lag(BaseModel):
    view: str
    position: int
    lag: int
