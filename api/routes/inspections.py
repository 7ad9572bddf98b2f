"""Inspections (sidak): recorded by inspectors; a follow-up is resolved by its assignee too."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter

from api import subjects
from api.deps import Ctx, WriteCtx
from api.history import history
from api.routes import READ, WRITE, permission
from api.schemas_in import EmptyIn, FindingIn, FollowUpIn, InspectionIn, ResolutionIn
from api.schemas_out import History, InspectionOut
from domain.values import ChecklistResult, Evidence

router = APIRouter(prefix="/inspections", tags=["inspections"])


def _evidence(items) -> list[Evidence]:
    return [Evidence(**e.model_dump()) for e in items]


@router.post("", status_code=201, response_model=InspectionOut, responses=WRITE,
             openapi_extra=permission("inspections.write"))
def record_inspection(body: InspectionIn, call: WriteCtx):
    call.authorise("inspections.write")
    checklist = [ChecklistResult(c.item, c.result, c.note, tuple(_evidence(c.evidence)))
                 for c in body.checklist]
    return call.run(lambda **o: call.app.record_inspection(
        call.actor, body.unit_code, body.place, body.started_at, checklist, **o),
        body=body, render=InspectionOut.of, status=201, location="/inspections/{id}")


@router.get("/{inspection_id}", response_model=InspectionOut, responses=READ,
            openapi_extra=permission("inspections.read"))
def get_inspection(inspection_id: UUID, call: Ctx):
    call.authorise("inspections.read")
    return call.render(call.app.inspection(inspection_id), InspectionOut.of)


@router.get("/{inspection_id}/history", response_model=History, responses=READ,
            openapi_extra=permission("inspections.read"))
def inspection_history(inspection_id: UUID, call: Ctx):
    call.authorise("inspections.read")
    call.app.inspection(inspection_id)
    return history(call.app, inspection_id)


@router.post("/{inspection_id}/findings", response_model=InspectionOut, responses=WRITE,
             openapi_extra=permission("inspections.write"))
def record_finding(inspection_id: UUID, body: FindingIn, call: WriteCtx):
    call.authorise("inspections.write")
    return call.run(lambda **o: call.app.record_finding(
        call.actor, inspection_id, body.description, body.severity, item=body.item,
        nips=body.nips, **o),
        body=body, render=InspectionOut.of)


@router.post("/{inspection_id}/follow-ups", response_model=InspectionOut, responses=WRITE,
             openapi_extra=permission("inspections.write"))
def assign_follow_up(inspection_id: UUID, body: FollowUpIn, call: WriteCtx):
    call.authorise("inspections.write")
    return call.run(lambda **o: call.app.assign_follow_up(
        call.actor, inspection_id, body.finding_id, body.action, body.due, body.assignee_nip,
        **o), body=body, render=InspectionOut.of)


@router.post("/{inspection_id}/follow-ups/{follow_up_id}/resolution",
             response_model=InspectionOut, responses=WRITE,
             openapi_extra=permission("inspections.resolve"))
def resolve_follow_up(inspection_id: UUID, follow_up_id: str, body: ResolutionIn, call: WriteCtx):
    inspection = call.app.inspection(inspection_id)  # the very copy the command changes
    call.authorise("inspections.resolve", subjects.of_follow_up(inspection, follow_up_id))
    return call.run(lambda **o: call.app.resolve_follow_up(
        call.actor, inspection_id, follow_up_id, body.resolution, _evidence(body.evidence), **o),
        body=body, render=InspectionOut.of, loaded=(inspection,))


@router.post("/{inspection_id}/closure", response_model=InspectionOut, responses=WRITE,
             openapi_extra=permission("inspections.write"))
def close_inspection(inspection_id: UUID, body: EmptyIn, call: WriteCtx):
    call.authorise("inspections.write")
    return call.run(lambda **o: call.app.close_inspection(call.actor, inspection_id, **o),
                    body=body, render=InspectionOut.of)
