"""Keberatan: filed on an evaluation by its ASN, explained by both sides, decided once."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter

from api import subjects
from api.deps import Ctx, WriteCtx
from api.history import history
from api.routes import READ, WRITE, permission
from api.schemas_in import DecisionIn, ExplanationIn, KeberatanIn
from api.schemas_out import History, KeberatanOut
from domain.keberatan import Keberatan

router = APIRouter(tags=["keberatan"])


def _authorised(call: Ctx, keberatan_id: UUID, name: str) -> tuple[Keberatan]:
    """Authorise against the keberatan as it is now and return it: a write hands it to its
    command (``loaded=``), which changes that very copy."""
    keberatan = call.app.keberatan(keberatan_id)
    call.authorise(name, subjects.of_keberatan(keberatan))
    return (keberatan,)


@router.post("/evaluations/{evaluation_id}/keberatan", status_code=201,
             response_model=KeberatanOut, responses=WRITE,
             openapi_extra=permission("keberatan.file"))
def file_keberatan(evaluation_id: UUID, body: KeberatanIn, call: WriteCtx):
    call.authorise("keberatan.file",
                   subjects.of_evaluation(call.app, call.app.evaluation(evaluation_id)))
    return call.run(lambda **o: call.app.file_keberatan(
        call.actor, evaluation_id, body.grounds, **o),
        body=body, render=KeberatanOut.of, status=201, location="/keberatan/{id}")


@router.get("/keberatan/{keberatan_id}", response_model=KeberatanOut, responses=READ,
            openapi_extra=permission("keberatan.read"))
def get_keberatan(keberatan_id: UUID, call: Ctx):
    keberatan = call.app.keberatan(keberatan_id)
    call.authorise("keberatan.read", subjects.of_keberatan(keberatan))
    return call.render(keberatan, KeberatanOut.of)


@router.get("/keberatan/{keberatan_id}/history", response_model=History, responses=READ,
            openapi_extra=permission("keberatan.read"))
def keberatan_history(keberatan_id: UUID, call: Ctx):
    _authorised(call, keberatan_id, "keberatan.read")
    return history(call.app, keberatan_id)


@router.post("/keberatan/{keberatan_id}/explanations", response_model=KeberatanOut,
             responses=WRITE, openapi_extra=permission("keberatan.explain"))
def record_explanation(keberatan_id: UUID, body: ExplanationIn, call: WriteCtx):
    loaded = _authorised(call, keberatan_id, "keberatan.explain")
    return call.run(lambda **o: call.app.record_explanation(
        call.actor, keberatan_id, body.party, body.text, **o),
        body=body, render=KeberatanOut.of, loaded=loaded)


@router.post("/keberatan/{keberatan_id}/decision", response_model=KeberatanOut,
             responses=WRITE, openapi_extra=permission("keberatan.decide"))
def decide(keberatan_id: UUID, body: DecisionIn, call: WriteCtx):
    loaded = _authorised(call, keberatan_id, "keberatan.decide")
    return call.run(lambda **o: call.app.decide_keberatan(
        call.actor, keberatan_id, body.outcome, reason=body.reason, results=body.results,
        behaviour=body.behaviour, **o),
        body=body, render=KeberatanOut.of, loaded=loaded)
