"""Response bodies: the current state of each record, with its version (also the ETag)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict


class Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    @classmethod
    def of(cls, aggregate: Any) -> Out:
        return cls.model_validate({**vars(aggregate), "id": aggregate.id,
                                   "version": aggregate.version})


class UnitOut(Out):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "id": "f5ef4f8a-0f8a-5a26-9f45-6426594e6a93", "version": 2, "code": "DISDUKCAPIL",
        "name": "Dinas Kependudukan dan Pencatatan Sipil", "parent_id": None,
        "service_standard": ["Antrian tertib"], "org_predikat": {"2024": "Baik"}}]})
    id: UUID
    version: int
    code: str
    name: str
    parent_id: str | None
    service_standard: list[str]
    org_predikat: dict[str, str]


class Posting(BaseModel):
    from_: str
    unit_id: str
    position: str
    is_unit_head: bool
    model_config = ConfigDict(populate_by_name=True,
                              alias_generator=lambda name: "from" if name == "from_" else name)


class LineEntry(BaseModel):
    from_: str
    supervisor_id: str | None
    supervisor_nip: str | None
    model_config = ConfigDict(populate_by_name=True,
                              alias_generator=lambda name: "from" if name == "from_" else name)


class EmployeeOut(Out):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "id": "bd5473d8-a9ab-5177-9fd0-4d5f87244a2f", "version": 2, "nip": "198001012005011001",
        "name": "Budi Santoso", "employment_type": "PNS",
        "postings": [{"from": "2024-01-01", "unit_id": "f5ef4f8a-0f8a-5a26-9f45-6426594e6a93",
                      "position": "Analis", "is_unit_head": False}],
        "reporting_line": [{"from": "2024-01-01", "supervisor_id": "b66830ab-644b-557e-b07b-b51c9c7b948b",
                            "supervisor_nip": "197501012000031002"}]}]})
    id: UUID
    version: int
    nip: str
    name: str
    employment_type: str
    postings: list[Posting]
    reporting_line: list[LineEntry]


class PlanLineOut(BaseModel):
    id: str
    kind: str
    supports: str
    rhk: str
    aspect: str
    indicator: str
    target: str


class PlanOut(BaseModel):
    type: str
    lines: list[PlanLineOut]
    behaviour_expectations: dict[str, str]
    drafted_version: int
    agreed_version: int | None


class EvidenceOut(BaseModel):
    uri: str
    sha256: str


class RealisationOut(BaseModel):
    line_id: str
    value: str
    note: str


class ReportOut(BaseModel):
    realisations: list[RealisationOut]
    achievements: str
    challenges: str
    next_plan: str
    evidence: list[EvidenceOut]
    version: int


class RatingOut(BaseModel):
    rating: str
    by: str
    basis: str
    details: dict[str, str]
    late: bool
    version: int
    revisions: int
    at: str


class CommentOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "id": 6, "by": "197501012000031002", "role": "reviewer",
        "text": "Mohon lampirkan bukti layanan bulan Desember.", "in_reply_to": 4,
        "at": "2025-01-08T02:15:00+00:00"}]})
    id: int  # the version of the event that added it
    by: str
    role: str
    text: str
    in_reply_to: int | None
    at: str


class ThreadOut(BaseModel):
    """An evaluation's comment thread (dialog kinerja), oldest first."""

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "evaluation_id": "1e647ebd-3aaa-5844-920e-083e6ba43d2b", "version": 6,
        "comments": CommentOut.model_config["json_schema_extra"]["examples"]}]})

    evaluation_id: UUID
    version: int  # of the evaluation when read
    comments: list[CommentOut]


class TeamReviewOut(BaseModel):
    by: str
    recommendation: str
    note: str
    version: int


class OutcomeOut(BaseModel):
    predikat: str
    rule_version: str
    results: str
    behaviour: str
    by: str
    at: str
    version: int
    keberatan_id: str | None = None


class EvaluationOut(Out):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "id": "1e647ebd-3aaa-5844-920e-083e6ba43d2b", "version": 9,
        "employee_id": "bd5473d8-a9ab-5177-9fd0-4d5f87244a2f", "nip": "198001012005011001",
        "period": "2024", "unit_id": "f5ef4f8a-0f8a-5a26-9f45-6426594e6a93",
        "rater_nip": "197501012000031002", "is_unit_head": False, "report_due": "2025-01-10",
        "rating_due": "2025-01-31", "stage": "finalised", "plan": None, "report": None,
        "ratings": {}, "comment_ids": [4, 6], "team": [], "team_reviews": [],
        "outcome": {"predikat": "Baik", "rule_version": "permenpanrb-6-2022/1",
                    "results": "meets", "behaviour": "meets", "by": "197501012000031002",
                    "at": "2025-01-20T03:00:00+00:00", "version": 9},
        "corrections": []}]})
    id: UUID
    version: int
    employee_id: str
    nip: str
    period: str
    unit_id: str | None
    rater_nip: str | None
    is_unit_head: bool
    report_due: str
    rating_due: str
    stage: str
    plan: PlanOut | None
    report: ReportOut | None
    ratings: dict[str, RatingOut]
    comment_ids: list[int]  # the thread itself: GET /evaluations/{id}/comments
    team: list[str]
    team_reviews: list[TeamReviewOut]
    outcome: OutcomeOut | None
    corrections: list[OutcomeOut]


class ExplanationOut(BaseModel):
    party: str
    by: str
    text: str
    at: str


class DecisionOut(BaseModel):
    outcome: str
    results: str | None
    behaviour: str | None
    overdue: bool
    by: str
    reason: str
    at: str
    version: int


class KeberatanOut(Out):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "id": "4b1a0c3e-5d1f-5a8e-9a0c-2b7d8e6f1a22", "version": 1,
        "evaluation_id": "1e647ebd-3aaa-5844-920e-083e6ba43d2b", "nip": "198001012005011001",
        "rater_nip": "197501012000031002", "authority_nip": "197001012000031001",
        "grounds": "Bukti capaian tidak dipertimbangkan", "predikat": "Baik",
        "decision_due": "2025-02-10T03:00:00+00:00", "filed_at": "2025-01-27T03:00:00+00:00",
        "explanations": [], "decision": None}]})
    id: UUID
    version: int
    evaluation_id: str
    nip: str
    rater_nip: str | None
    authority_nip: str
    grounds: str
    predikat: str
    decision_due: str
    filed_at: str
    explanations: list[ExplanationOut]
    decision: DecisionOut | None


class ChecklistOut(BaseModel):
    item: str
    result: str
    note: str
    evidence: list[EvidenceOut]


class FindingOut(BaseModel):
    item: str | None
    description: str
    severity: str
    employee_ids: list[str]
    at: str


class ResolutionOut(BaseModel):
    text: str
    evidence: list[EvidenceOut]
    by: str
    at: str


class FollowUpOut(BaseModel):
    finding_id: str
    action: str
    due: str
    assignee_nip: str | None
    assigned_at: str
    resolution: ResolutionOut | None


class InspectionOut(Out):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "id": "7c2d8f0e-1a2b-5c3d-8e4f-5a6b7c8d9e0f", "version": 2,
        "unit_id": "f5ef4f8a-0f8a-5a26-9f45-6426594e6a93", "place": "Loket 1",
        "started_at": "2024-03-12T02:00:00+00:00", "inspector": "198501012010011003",
        "checklist": [{"item": "Antrian tertib", "result": "not_met", "note": "", "evidence": []}],
        "findings": {"2": {"item": "Antrian tertib", "description": "Antrian menumpuk",
                           "severity": "major", "employee_ids": [],
                           "at": "2024-03-12T02:30:00+00:00"}},
        "follow_ups": {}, "closed": False}]})
    id: UUID
    version: int
    unit_id: str
    place: str
    started_at: str
    inspector: str
    checklist: list[ChecklistOut]
    findings: dict[str, FindingOut]
    follow_ups: dict[str, FollowUpOut]
    closed: bool


class HistoryEntry(BaseModel):
    """One event of a record, as recorded: who, when, why, and what it said."""

    version: int
    topic: str
    timestamp: str
    actor: str
    role: str
    reason: str
    request_id: str
    data: dict[str, Any]


class History(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "id": "1e647ebd-3aaa-5844-920e-083e6ba43d2b", "events": [{
            "version": 5, "topic": "kinerja/Evaluation/RatingRecorded",
            "timestamp": "2025-01-07T03:00:00+00:00", "actor": "197501012000031002",
            "role": "reviewer", "reason": "Target terlampaui", "request_id": "9f1c…",
            "data": {"dimension": "results", "rating": "above", "basis": "rater",
                     "details": {}, "late": False}}]}]})
    id: UUID
    events: list[HistoryEntry]


class Health(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"status": "ok"}]})
    status: str


class Ready(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [
        {"status": "ready", "database": "postgresql", "ledger_size": 20493,
         "log_position": 20493, "views_position": 20490, "views_lag": 3}]})
    status: str
    database: str
    ledger_size: int
    log_position: int
    views_position: int
    views_lag: int  # events recorded but not yet in every view


class Me(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [
        {"nip": "198001012005011001", "role": "asn"}]})
    nip: str
    role: str


class LeafOut(BaseModel):
    index: int
    leaf: str  # base64 of the canonical leaf bytes (docs/LEDGER-FORMAT.md)
    hash: str  # hex


class Leaves(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"start": 0, "end": 1, "leaves": [
        {"index": 0, "leaf": "AQAAABC2QyaZWdFO/qxgmUVOY2OYAAAACAAAAAAAAAADAAAACWtpbmVyamEvWAAAAAJ7fQ==",
         "hash": "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"}]}]})
    start: int
    end: int
    leaves: list[LeafOut]


class Proof(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"tree_size": 8, "hashes": [
        "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"]}]})
    tree_size: int
    hashes: list[str]
