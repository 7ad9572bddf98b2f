"""The auditor contract (DESIGN.md): checkpoints and proofs are public; leaves carry event
state (personal data), so reading them needs the auditor or admin role."""

from __future__ import annotations

import base64
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import PlainTextResponse

from api.deps import ReadAccess, services
from api.problems import ProblemError, responses
from api.schemas_out import LeafOut, Leaves, Proof
from ledger.merkle import ProofError

router = APIRouter(prefix="/ledger", tags=["ledger"])
MAX_LEAVES = 1000
Position = Annotated[int, Query(ge=0, le=2**62)]


@router.get("/checkpoint", response_class=PlainTextResponse, responses={
    200: {"content": {"text/plain": {"example": "kinerja.semarangkota.go.id/ledger\n140\n"
                                                "8y5lyD6DfBU6oy817hsMy3M/lePornNhFkwXMDHrBus=\n\n"
                                                "— kinerja.semarangkota.go.id/ledger yHbi…\n"}}},
    **responses(404)}, openapi_extra={"x-permission": "public"})
def checkpoint(request: Request) -> PlainTextResponse:
    latest = services(request).app.ledger.latest_checkpoint()
    if latest is None:
        raise ProblemError(404, "no_checkpoint", "no checkpoint has been signed yet")
    return PlainTextResponse(latest.note)


@router.get("/leaves", response_model=Leaves, responses=responses(400, 401, 403, 422),
            openapi_extra={"x-permission": "ledger.read"})
def leaves(start: Position, end: Position, caller: ReadAccess) -> Leaves:
    caller.authorise("ledger.read")
    if not start < end <= start + MAX_LEAVES:
        raise ProblemError(400, "bad_range", f"ask for 1 to {MAX_LEAVES} leaves: start < end")
    found = caller.app.ledger.leaves(start, end)
    return Leaves(start=start, end=end, leaves=[
        LeafOut(index=leaf.index, leaf=base64.b64encode(leaf.leaf or b"").decode(),
                hash=leaf.hash.hex()) for leaf in found])


@router.get("/proofs/inclusion", response_model=Proof, responses=responses(400, 422),
            openapi_extra={"x-permission": "public"})
def inclusion(request: Request, index: Position, tree_size: Position) -> Proof:
    return Proof(tree_size=tree_size,
                 hashes=_proof(lambda log: log.inclusion_proof(index, tree_size), request))


@router.get("/proofs/consistency", response_model=Proof, responses=responses(400, 422),
            openapi_extra={"x-permission": "public"})
def consistency(request: Request, first: Position, second: Position) -> Proof:
    return Proof(tree_size=second,
                 hashes=_proof(lambda log: log.consistency_proof(first, second), request))


def _proof(build, request: Request) -> list[str]:
    try:
        return [h.hex() for h in build(services(request).app.ledger)]
    except ProofError as e:
        raise ProblemError(400, e.code, str(e)) from None
