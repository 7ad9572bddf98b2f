"""Liveness, readiness and who am I."""

from __future__ import annotations

from fastapi import APIRouter, Request

from api.deps import Ctx, services
from api.problems import ProblemError, responses
from api.schemas_out import Health, Me, Ready

router = APIRouter(tags=["system"])


@router.get("/health", response_model=Health, openapi_extra={"x-permission": "public"})
def health() -> Health:
    return Health(status="ok")


@router.get("/ready", response_model=Ready, responses=responses(503),
            openapi_extra={"x-permission": "public"})
def ready(request: Request) -> Ready:
    held = services(request)
    try:
        size = held.app.ledger.size()
    except Exception as e:  # any database failure means not ready
        raise ProblemError(503, "unavailable", f"the database is not reachable: {type(e).__name__}") from None
    return Ready(status="ready", database=held.settings.backend, ledger_size=size)


@router.get("/me", response_model=Me, responses=responses(401),
            openapi_extra={"x-permission": "authenticated"})
def me(call: Ctx) -> Me:
    return Me(nip=call.user.nip, role=call.user.role.value)
