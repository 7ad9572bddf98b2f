"""Response bodies: the current state of each record, with its version (also the ETag)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, computed_field
from pydantic.config import JsonValue

from api.derive import model_of, models_of
from domain import state
from domain.rules import label_of


class Out(BaseModel):
    """A record's current state, with its version (also the ETag)."""

    model_config = ConfigDict(from_attributes=True)
    id: UUID
    version: int

    @classmethod
    def of(cls, aggregate: Any) -> Out:
        return cls.model_validate({**vars(aggregate), "id": aggregate.id,
                                   "version": aggregate.version})


# Each model's fields are the domain's declaration of the state (domain/state.py); only the
# names and the examples, which are the API's, are given here. Inner shapes come first, named
# as the OpenAPI document names them.
models_of({
    state.PostingState: "Posting", state.LineEntryState: "LineEntry",
    state.ContractState: "Contract", state.ActingState: "ActingTenure",
    state.LeaveState: "LeavePeriod", state.InactiveSpanState: "InactiveSpan",
    state.PreviousRaterState: "PreviousRater",
    state.ActingCapacity: "ActingCapacity",
    state.EvidenceJSON: "EvidenceOut", state.PlanLineJSON: "PlanLineOut",
    state.SkpRefState: "SkpRefOut", state.PlanRevisionState: "PlanRevisionOut",
    state.PlanState: "PlanOut",
    state.RealisationJSON: "RealisationOut", state.LineEvidenceJSON: "LineEvidenceOut",
    state.FeedbackState: "FeedbackOut", state.ReportState: "ReportOut",
    state.RatingState: "RatingOut", state.TeamReviewState: "TeamReviewOut",
    state.NumericOutcome: "NumericOutcomeOut",
    state.OutcomeState: "OutcomeOut", state.ReceiptState: "ReceiptOut",
    state.ExplanationState: "ExplanationOut", state.DecisionState: "DecisionOut",
    state.PassedOverState: "PassedOverOut",
    state.ChecklistJSON: "ChecklistOut", state.FindingState: "FindingOut",
    state.ResolutionState: "ResolutionOut", state.FollowUpState: "FollowUpOut",
    state.ExtensionState: "ExtensionOut",
})

UnitOut = model_of(state.UnitState, "UnitOut", base=Out, examples=[{
    "id": "f5ef4f8a-0f8a-5a26-9f45-6426594e6a93", "version": 2, "code": "DISDUKCAPIL",
    "name": "Dinas Kependudukan dan Pencatatan Sipil", "parent_id": None,
    "service_standard": ["Antrian tertib"], "org_predikat": {"2024": "Baik"}}])

EmployeeOut = model_of(state.EmployeeState, "EmployeeOut", base=Out, examples=[{
    "id": "bd5473d8-a9ab-5177-9fd0-4d5f87244a2f", "version": 2, "nip": "198001012005011001",
    "name": "Budi Santoso", "employment_type": "PNS", "golongan": "III/b",
    "pangkat": "Penata Muda Tingkat I", "contract": None,
    "postings": [{"from": "2024-01-01", "unit_id": "f5ef4f8a-0f8a-5a26-9f45-6426594e6a93",
                  "position": "Analis", "is_unit_head": False}],
    "reporting_line": [{"from": "2024-01-01",
                        "supervisor_id": "b66830ab-644b-557e-b07b-b51c9c7b948b",
                        "supervisor_nip": "197501012000031002"}],
    "acting": [{"kind": "Plh", "acting_id": "0b4e1d55-7f0e-5c55-8d2b-5a86cfa0d3f1",
                "acting_nip": "197802022003121001", "start": "2024-08-01", "end": "2024-08-31",
                "letter_number": "800/123/2024", "letter_date": "2024-07-29"}],
    "leave": [{"kind": "cuti_besar", "start": "2024-03-01", "end": "2024-05-29",
               "decree_number": "800/45/BKPP/2024", "decree_date": "2024-02-20"}]}])

COMMENTS: list[JsonValue] = [{  # the example of a comment, and of a thread
    "id": 6, "by": "197501012000031002", "role": "reviewer",
    "text": "Mohon lampirkan bukti layanan bulan Desember.", "in_reply_to": 4,
    "at": "2025-01-08T02:15:00+00:00"}]
CommentOut = model_of(state.CommentEntry, "CommentOut", examples=COMMENTS)


class ThreadOut(BaseModel):
    """An evaluation's comment thread (dialog kinerja), oldest first."""

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "evaluation_id": "1e647ebd-3aaa-5844-920e-083e6ba43d2b", "version": 6,
        "comments": COMMENTS}]})

    evaluation_id: UUID
    version: int  # of the evaluation when read
    # CommentOut is derived at import (a variable to mypy, not a type); pydantic reads it.
    comments: list[CommentOut]  # type: ignore[valid-type]  # see above


class Evaluated(Out):
    """An evaluation as read: its outcome keeps the stored predikat code, and
    ``predikat_label`` gives it as the outcome's rule set writes it ("Kurang/Misconduct")."""

    @computed_field  # type: ignore[prop-decorator]  # pydantic's own way: a property it serialises
    @property
    def predikat_label(self) -> str | None:
        outcome = getattr(self, "outcome", None)  # a field of the model derived below
        return None if outcome is None else label_of(outcome.predikat, outcome.rule_version)


EvaluationOut = model_of(state.EvaluationState, "EvaluationOut", base=Evaluated, examples=[{
    "id": "1e647ebd-3aaa-5844-920e-083e6ba43d2b", "version": 10,
    "employee_id": "bd5473d8-a9ab-5177-9fd0-4d5f87244a2f", "nip": "198001012005011001",
    "period": "2024", "unit_id": "f5ef4f8a-0f8a-5a26-9f45-6426594e6a93",
    "rater_nip": "197501012000031002", "is_unit_head": False, "report_due": "2025-01-10",
    "rating_due": "2025-01-31", "stage": "finalised", "plan": None, "report": None,
    "ratings": {}, "comment_ids": [4, 6], "team": [], "team_reviews": [],
    "outcome": {"predikat": "Baik", "rule_version": "permenpanrb-6-2022/1",
                "results": "meets", "behaviour": "meets", "by": "197501012000031002",
                "at": "2025-01-20T03:00:00+00:00", "version": 9},
    "corrections": [], "predikat_label": "Baik",
    "receipt": {"how": "acknowledged", "notice_ref": None, "by": "198001012005011001",
                "at": "2025-01-21T01:30:00+00:00", "received_on": "2025-01-21",
                "keberatan_until": "2025-02-04", "version": 10},
    "inactive": [{"kind": "cuti_besar", "start": "2024-03-01", "end": "2024-05-29",
                  "decree_number": "800/45/BKPP/2024"}], "active_days": 276,
    "previous_raters": []}])

KeberatanOut = model_of(state.KeberatanState, "KeberatanOut", base=Out, examples=[{
    "id": "4b1a0c3e-5d1f-5a8e-9a0c-2b7d8e6f1a22", "version": 1,
    "evaluation_id": "1e647ebd-3aaa-5844-920e-083e6ba43d2b", "nip": "198001012005011001",
    "rater_nip": "197501012000031002", "authority_nip": "197001012000031001",
    "passed_over": [{"nip": "197201012000031003", "why": "sat on its supervisory team"}],
    "grounds": "Bukti capaian tidak dipertimbangkan", "predikat": "Baik",
    "decision_due": "2025-02-10T03:00:00+00:00", "filed_at": "2025-01-27T03:00:00+00:00",
    "explanations": [], "decision": None}])

InspectionOut = model_of(state.InspectionState, "InspectionOut", base=Out, examples=[{
    "id": "7c2d8f0e-1a2b-5c3d-8e4f-5a6b7c8d9e0f", "version": 2,
    "unit_id": "f5ef4f8a-0f8a-5a26-9f45-6426594e6a93", "place": "Loket 1",
    "started_at": "2024-03-12T02:00:00+00:00", "inspector": "198501012010011003",
    "checklist": [{"item": "Antrian tertib", "result": "not_met", "note": "", "evidence": []}],
    "findings": {"2": {"item": "Antrian tertib", "description": "Antrian menumpuk",
                       "severity": "major", "employee_ids": [],
                       "at": "2024-03-12T02:30:00+00:00"}},
    "follow_ups": {}, "closed": False}])


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
        {"index": 0,
         "leaf": "AQAAABC2QyaZWdFO/qxgmUVOY2OYAAAACAAAAAAAAAADAAAACWtpbmVyamEvWAAAAAJ7fQ==",
         "hash": "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"}]}]})
    start: int
    end: int
    leaves: list[LeafOut]


class Proof(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"tree_size": 8, "hashes": [
        "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"]}]})
    tree_size: int
    hashes: list[str]

PeriodCalendarOut = model_of(state.PeriodCalendarState, "PeriodCalendarOut", base=Out, examples=[{
    "id": "0b7f7c36-4a55-5d0e-8a3c-2d7f1f0f3a11", "version": 2, "period": "2024",
    "report_opens": "2025-01-02", "report_due": "2025-01-10", "rating_due": "2025-01-31",
    "decision_target": "2025-03-31", "closed": False,
    "extensions": [{"circular_number": "800/12/BKPP", "circular_date": "2025-01-08",
                    "report_due": "2025-01-17", "rating_due": "2025-02-07", "scope": "unit",
                    "unit_id": "f5ef4f8a-0f8a-5a26-9f45-6426594e6a93", "evaluation_ids": []}]}])
