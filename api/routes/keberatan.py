"""Keberatan: the result received, filed on an evaluation by its ASN, explained by both sides,
decided once."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter

from api import subjects
from api.deps import Caller, ReadAccess, WriteAccess
from api.history import history
from api.routes import READ, WRITE, permission
from api.schemas_in import (
    AuthorityIn,
    DecisionIn,
    ExplanationIn,
    KeberatanIn,
    NoticeIn,
    ReceiptIn,
)
from api.schemas_out import EvaluationOut, History, KeberatanOut
from domain.evaluation import Evaluation
from domain.keberatan import Keberatan

router = APIRouter(tags=["keberatan"])


def _evaluation(caller: Caller, evaluation_id: UUID, name: str) -> tuple[Evaluation]:
    """Authorise against the evaluation as it is now and return it for its command."""
    evaluation = caller.app.evaluation(evaluation_id)
    caller.authorise(name, subjects.of_evaluation(caller.app, evaluation))
    return (evaluation,)


def _authorised(caller: Caller, keberatan_id: UUID, name: str) -> tuple[Keberatan]:
    """Authorise against the keberatan as it is now and return it: a write hands it to its
    command (``loaded=``), which changes that very copy."""
    keberatan = caller.app.keberatan(keberatan_id)
    caller.authorise(name, subjects.of_keberatan(keberatan))
    return (keberatan,)


@router.post("/evaluations/{evaluation_id}/receipt", response_model=EvaluationOut,
             responses=WRITE,
             openapi_extra=permission("results.acknowledge"))
def acknowledge_result(evaluation_id: UUID, body: ReceiptIn, caller: WriteAccess):
    """The ASN opened or acknowledged their finalised result: the keberatan window starts."""
    loaded = _evaluation(caller, evaluation_id, "results.acknowledge")
    return caller.run(caller.app.acknowledge_result, evaluation_id, body.how,
                      body=body, render=EvaluationOut.of, loaded=loaded)


@router.post("/evaluations/{evaluation_id}/notices", response_model=EvaluationOut,
             responses=WRITE, openapi_extra=permission("results.notify"))
def record_notice(evaluation_id: UUID, body: NoticeIn, caller: WriteAccess):
    """A notice of the result was delivered to the ASN: the keberatan window starts."""
    loaded = _evaluation(caller, evaluation_id, "results.notify")
    return caller.run(caller.app.record_notice_delivered, evaluation_id, body.notice_ref,
                      body=body, render=EvaluationOut.of, loaded=loaded)


@router.post("/evaluations/{evaluation_id}/keberatan", status_code=201,
             response_model=KeberatanOut, responses=WRITE,
             openapi_extra=permission("keberatan.file"))
def file_keberatan(evaluation_id: UUID, body: KeberatanIn, caller: WriteAccess):
    caller.authorise("keberatan.file",
                     subjects.of_evaluation(caller.app, caller.app.evaluation(evaluation_id)))
    return caller.run(caller.app.file_keberatan, evaluation_id, body.grounds,
                      body=body, render=KeberatanOut.of, status=201, location="/keberatan/{id}")


@router.get("/keberatan/{keberatan_id}", response_model=KeberatanOut, responses=READ,
            openapi_extra=permission("keberatan.read"))
def get_keberatan(keberatan_id: UUID, caller: ReadAccess):
    keberatan = caller.app.keberatan(keberatan_id)
    caller.authorise("keberatan.read", subjects.of_keberatan(keberatan))
    return caller.render(keberatan, KeberatanOut.of)


@router.get("/keberatan/{keberatan_id}/history", response_model=History, responses=READ,
            openapi_extra=permission("keberatan.read"))
def keberatan_history(keberatan_id: UUID, caller: ReadAccess):
    _authorised(caller, keberatan_id, "keberatan.read")
    return history(caller.app, keberatan_id)


@router.post("/keberatan/{keberatan_id}/explanations", response_model=KeberatanOut,
             responses=WRITE, openapi_extra=permission("keberatan.explain"))
def record_explanation(keberatan_id: UUID, body: ExplanationIn, caller: WriteAccess):
    loaded = _authorised(caller, keberatan_id, "keberatan.explain")
    return caller.run(caller.app.record_explanation, keberatan_id, body.party, body.text,
                      body=body, render=KeberatanOut.of, loaded=loaded)


@router.post("/keberatan/{keberatan_id}/authority", response_model=KeberatanOut,
             responses=WRITE, openapi_extra=permission("keberatan.assign"))
def assign_authority(keberatan_id: UUID, body: AuthorityIn, caller: WriteAccess):
    """BKPP assigns who decides: when everyone up the line took part in the evaluation (the
    case waits with no authority), or the one named cannot act."""
    loaded = _authorised(caller, keberatan_id, "keberatan.assign")
    return caller.run(caller.app.assign_keberatan_authority, keberatan_id, body.nip,
                      reason=body.reason, body=body, render=KeberatanOut.of, loaded=loaded)


@router.post("/keberatan/{keberatan_id}/decision", response_model=KeberatanOut,
             responses=WRITE, openapi_extra=permission("keberatan.decide"))
def decide(keberatan_id: UUID, body: DecisionIn, caller: WriteAccess):
    loaded = _authorised(caller, keberatan_id, "keberatan.decide")
    return caller.run(caller.app.decide_keberatan, keberatan_id, body.outcome, reason=body.reason,
                      results=body.results, behaviour=body.behaviour, scores=body.scores(),
                      body=body, render=KeberatanOut.of, loaded=loaded)
