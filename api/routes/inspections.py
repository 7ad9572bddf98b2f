"""Inspections (sidak): recorded by inspectors; a follow-up is resolved by its assignee too."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter

from api import subjects
from api.deps import ReadAccess, WriteAccess
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
def record_inspection(body: InspectionIn, caller: WriteAccess):
    caller.authorise("inspections.write")
    checklist = [ChecklistResult(c.item, c.result, c.note, tuple(_evidence(c.evidence)))
                 for c in body.checklist]
    return caller.run(caller.app.record_inspection, body.unit_code, body.place,
                      body.started_at, checklist,
                      body=body, render=InspectionOut.of, status=201, location="/inspections/{id}")


@router.get("/{inspection_id}", response_model=InspectionOut, responses=READ,
            openapi_extra=permission("inspections.read"))
def get_inspection(inspection_id: UUID, caller: ReadAccess):
    caller.authorise("inspections.read")
    return caller.render(caller.app.inspection(inspection_id), InspectionOut.of)


@router.get("/{inspection_id}/history", response_model=History, responses=READ,
            openapi_extra=permission("inspections.read"))
def inspection_history(inspection_id: UUID, caller: ReadAccess):
    caller.authorise("inspections.read")
    caller.app.inspection(inspection_id)
    return history(caller.app, inspection_id)


@router.post("/{inspection_id}/findings", response_model=InspectionOut, responses=WRITE,
             openapi_extra=permission("inspections.write"))
def record_finding(inspection_id: UUID, body: FindingIn, caller: WriteAccess):
    caller.authorise("inspections.write")
    return caller.run(caller.app.record_finding, inspection_id, body.description, body.severity,
                      item=body.item, nips=body.nips,
                      body=body, render=InspectionOut.of)


@router.post("/{inspection_id}/follow-ups", response_model=InspectionOut, responses=WRITE,
             openapi_extra=permission("inspections.write"))
def assign_follow_up(inspection_id: UUID, body: FollowUpIn, caller: WriteAccess):
    caller.authorise("inspections.write")
    return caller.run(caller.app.assign_follow_up, inspection_id, body.finding_id, body.action,
                      body.due, body.assignee_nip,
                      body=body, render=InspectionOut.of)


@router.post("/{inspection_id}/follow-ups/{follow_up_id}/resolution",
             response_model=InspectionOut, responses=WRITE,
             openapi_extra=permission("inspections.resolve"))
def resolve_follow_up(inspection_id: UUID, follow_up_id: str, body: ResolutionIn,
                      caller: WriteAccess):
    inspection = caller.app.inspection(inspection_id)  # the very copy the command changes
    caller.authorise("inspections.resolve", subjects.of_follow_up(inspection, follow_up_id))
    return caller.run(caller.app.resolve_follow_up, inspection_id, follow_up_id, body.resolution,
                      _evidence(body.evidence),
                      body=body, render=InspectionOut.of, loaded=(inspection,))


@router.post("/{inspection_id}/closure", response_model=InspectionOut, responses=WRITE,
             openapi_extra=permission("inspections.write"))
def close_inspection(inspection_id: UUID, body: EmptyIn, caller: WriteAccess):
    caller.authorise("inspections.write")
    return caller.run(caller.app.close_inspection, inspection_id,
                      body=body, render=InspectionOut.of)
