"""Liveness, readiness and who am I."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse

from api.deps import ReadAccess, services
from api.problems import ProblemError, responses
from api.schemas_out import Health, Me, Ready

router = APIRouter(tags=["system"])


@router.get("/health", response_model=Health, openapi_extra={"x-permission": "public"})
async def health() -> Health:
    """Answered on the event loop: never queued behind requests holding worker threads."""
    return Health(status="ok")


@router.get("/ready", response_model=Ready, responses=responses(503),
            openapi_extra={"x-permission": "public"})
def ready(request: Request) -> Ready:
    held = services(request)
    try:
        size, head = held.app.ledger.size(), held.app.recorder.max_notification_id() or 0
        views = min(held.projector.positions().values())
    except Exception as e:  # any database failure means not ready
        raise ProblemError(503, "unavailable",
                           f"the database is not reachable: {type(e).__name__}") from None
    return Ready(status="ready", database=held.settings.backend, ledger_size=size,
                 log_position=head, views_position=views, views_lag=max(head - views, 0))


METRICS_EXAMPLE = ('kinerja_ledger_leaves 20493\nkinerja_log_position 20493\n'
                   'kinerja_view_lag{view="evaluations"} 0\n')


@router.get("/metrics", response_class=PlainTextResponse, responses={
    200: {"content": {"text/plain": {"example": METRICS_EXAMPLE}}}, **responses(503)},
    openapi_extra={"x-permission": "public"})
def metrics(request: Request) -> PlainTextResponse:
    """Prometheus text: ledger size, log head, and each view's position and lag."""
    held = services(request)
    head = held.app.recorder.max_notification_id() or 0
    lines = [f"kinerja_ledger_leaves {held.app.ledger.size()}", f"kinerja_log_position {head}"]
    for view, position in held.projector.positions().items():
        lines += [f'kinerja_view_position{{view="{view}"}} {position}',
                  f'kinerja_view_lag{{view="{view}"}} {max(head - position, 0)}']
    return PlainTextResponse("\n".join(lines) + "\n", media_type="text/plain; version=0.0.4")


@router.get("/me", response_model=Me, responses=responses(401, 422),
            openapi_extra={"x-permission": "authenticated"})
def me(caller: ReadAccess) -> Me:
    return Me(nip=caller.user.nip, role=caller.user.role.value)
