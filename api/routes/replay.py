"""Read-only replay routes for appeal boards and auditors."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse, JSONResponse
from pydantic import BaseModel, ConfigDict, with_config

from api import subjects
from api.deps import Caller, ReadAccess
from api.history import between
from api.journal import whose
from api.problems import ProblemError, responses
from api.routes import rows
from api.schemas_in import DAY_PATTERN, MOMENT_PATTERN
from replay import timeline as timelines
from replay.asof import AsOf
from replay.diff import diff, state
from replay.dossier import DossierError, build
from replay.points import parse_point
from replay.report import html
from replay.timeline import Timelines

router = APIRouter(prefix="/replay", tags=["replay"])
READ = responses(400, 401, 403, 404, 422)
# What replay.points reads, as a generated client should write it (days in the years of
# domain.periods); a number beyond replay.points.MAX_POSITION is still 400 bad_point.
POINT_PATTERN = (r"^([vV]?[0-9]{1,19}|leaf:[0-9]{1,19}|"
                 + DAY_PATTERN[1:-1] + "|" + MOMENT_PATTERN[1:-1] + ")$")
POINT = Query(max_length=40, pattern=POINT_PATTERN, description=(
    "7 (a version), leaf:1234 (a ledger position), 2025-01-20 (end of that day in "
    "Asia/Jakarta) or 2025-01-20T03:00:00Z (a moment)"))
Point = Annotated[str | None, POINT]
EXTRA = {"x-permission": "replay.read"}


class Replayed(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [
        {"id": "1e647ebd-3aaa-5844-920e-083e6ba43d2b", "version": 4,
         "state": {"stage": "reported", "ratings": {}}}]})
    id: UUID
    version: int
    state: dict[str, Any]


class Change(BaseModel):
    field: str
    old: Any = None
    new: Any = None


class Diff(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"from_version": 4, "to_version": 8,
        "changes": [{"field": "stage", "old": "reported", "new": "finalised"}],
        "events": ["kinerja/Evaluation/Finalised v8"]}]})
    from_version: int
    to_version: int
    changes: list[Change]
    events: list[str]


@with_config(ConfigDict(json_schema_extra={"examples": [{
    "record_id": "1e647ebd-3aaa-5844-920e-083e6ba43d2b", "version": 6,
    "topic": "kinerja/Evaluation/RatingRevised", "at": "2025-01-08T03:00:00+00:00",
    "actor": "197501012000031002", "actor_name": "Siti Rahayu", "role": "reviewer",
    "reason": "Setelah dialog kinerja", "request_id": "9f1c…",
    "changes": [{"field": "rating.results", "old": "above", "new": "meets"}],
    "rule_version": None, "leaf_index": 4032, "leaf_hash": "6e34…",
    "data": {"dimension": "results", "rating": "meets"}}]}))
class Entry(timelines.Entry):  # as the API documents it: replay.timeline's, with an example
    pass


class Dossier(BaseModel):
    """The appeal board's dossier (kinerja-dossier/1, docs/REPLAY.md)."""

    model_config = ConfigDict(extra="allow", json_schema_extra={"examples": [{
        "format": "kinerja-dossier/1", "origin": "kinerja.semarangkota.go.id/ledger",
        "evaluation_id": "1e647ebd-3aaa-5844-920e-083e6ba43d2b", "version_then": 4,
        "version_now": 9, "timeline": [], "proofs": [], "checkpoint": "…"}]})
    format: str
    origin: str
    evaluation_id: str
    generated_at: str
    point: dict[str, Any]
    version_then: int
    version_now: int
    state_then: dict[str, Any]
    state_now: dict[str, Any]
    diff: list[Change]
    rules: list[dict[str, Any]]
    timeline: list[Entry]
    checkpoint: str
    verifier_keys: list[str]
    proofs: list[dict[str, Any]]


def _point(text: str | None) -> dict[str, Any]:
    try:
        return parse_point(text) if text else {}
    except ValueError as e:
        raise ProblemError(400, "bad_point", str(e)) from None


def _authorised(caller: Caller, record_id: UUID) -> None:
    """Need to know: the role first (no read for a role that may not replay), then the
    caller's relationship to the record as it is now."""
    caller.authorise_role("replay.read")
    caller.authorise("replay.read", subjects.of_record(caller.app, record_id))


@router.get("/{record_id}", response_model=Replayed, responses=READ, openapi_extra=EXTRA)
def show(record_id: UUID, caller: ReadAccess, at: Point = None) -> Replayed:
    _authorised(caller, record_id)
    found = AsOf(caller.app).record(record_id, **_point(at))
    whose(caller, getattr(found, "nip", None))  # a person's record, or a unit's (no one's)
    return Replayed(id=found.id, version=found.version, state=state(found))


@router.get("/{record_id}/diff", response_model=Diff, responses=READ, openapi_extra=EXTRA)
def compare(record_id: UUID, a: Annotated[str, POINT], b: Annotated[str, POINT],
            caller: ReadAccess) -> Diff:
    _authorised(caller, record_id)
    as_of = AsOf(caller.app)
    first, second = as_of.record(record_id, **_point(a)), as_of.record(record_id, **_point(b))
    whose(caller, getattr(first, "nip", None))
    low, high = sorted((first.version, second.version))
    return Diff(from_version=first.version, to_version=second.version,
                changes=rows(Change, diff(first, second)),
                events=between(caller.app, record_id, low, high))


@router.get("/evaluations/{evaluation_id}/timeline", response_model=list[Entry],
            responses=READ, openapi_extra=EXTRA)
def timeline(evaluation_id: UUID, caller: ReadAccess) -> list[dict[str, Any]]:
    _authorised(caller, evaluation_id)
    findings = caller.services.queries.findings_naming
    entries = Timelines(caller.app, findings).evaluation(evaluation_id)
    whose(caller, caller.app.evaluation(evaluation_id).nip)
    return [entry.as_dict() for entry in entries]  # read as the documented Entry


@router.get("/evaluations/{evaluation_id}/dossier", response_model=Dossier, responses={
    200: {"content": {"text/html": {"schema": {"type": "string"},
                                    "example": "<!doctype html>…"}}}, **READ, **responses(409)},
    openapi_extra=EXTRA)
def dossier(evaluation_id: UUID, caller: ReadAccess, at: Point = None,
            format: Annotated[str, Query(pattern="^(json|html)$")] = "json",
            lang: Annotated[str, Query(pattern="^(id|en)$")] = "id"):
    """The self-verifying dossier (check it with `kinerja verify --dossier FILE`)."""
    _authorised(caller, evaluation_id)
    latest = caller.app.ledger.latest_checkpoint()
    try:
        if latest is None:
            raise DossierError("no checkpoint is signed yet")
        settings = caller.services.settings
        document = build(caller.app, evaluation_id,
                         findings=caller.services.queries.findings_naming,
                         checkpoint_note=latest.note, origin=settings.origin, verifier_keys=[],
                         **_point(at))
    except DossierError as e:
        raise ProblemError(409, e.code, str(e)) from None
    whose(caller, document["state_now"].get("nip"))
    if format == "html":
        return HTMLResponse(html(document, lang))
    return JSONResponse(document)
