"""Inspections, their findings (with the ASN named) and follow-ups (with their age)."""

from __future__ import annotations

from collections.abc import Iterable

from domain.evaluation import Evaluation
from domain.inspection import Inspection
from domain.keberatan import Keberatan
from domain.organisation import Employee, Unit
from domain.skm import Survey
from projections.view import Doc
from projections.views.base import EventView, at, on

OTHERS = (Unit, Employee, Evaluation, Keberatan, Survey)  # no view here reads their events


class InspectionsView(EventView):
    name = "inspections"
    columns = {"unit_id": "text", "closed": "bool"}
    ignores = (Inspection.FollowUpAssigned, Inspection.FollowUpResolved, *OTHERS)

    @on(Inspection.Recorded)
    def on_Recorded(self, doc: Doc, e) -> Doc:
        return {"inspection_id": str(e.originator_id), "unit_id": e.unit_id, "place": e.place,
                "started_at": e.started_at.isoformat(), "inspector": e.actor,
                "items": len(e.checklist),
                "not_met": sum(c.result == "not_met" for c in e.checklist),
                "findings": 0, "closed": False}

    @on(Inspection.FindingRecorded)
    def on_FindingRecorded(self, doc: Doc, e) -> Doc:
        return doc | {"findings": doc["findings"] + 1}

    @on(Inspection.Closed)
    def on_Closed(self, doc: Doc, e) -> Doc:
        return doc | {"closed": True, "closed_at": at(e)}


class FindingsView(EventView):
    name = "findings"
    columns = {"inspection_id": "text", "item": "text", "severity": "text", "employees": "text"}
    ignores = (Inspection.Recorded, Inspection.FollowUpAssigned, Inspection.FollowUpResolved,
               Inspection.Closed, *OTHERS)

    def key_of(self, e) -> str:
        return f"{e.originator_id}/{e.originator_version}"

    @on(Inspection.FindingRecorded)
    def on_FindingRecorded(self, doc: Doc, e) -> Doc:
        return {"inspection_id": str(e.originator_id), "finding_id": str(e.originator_version),
                "item": e.item, "severity": e.severity, "description": e.description,
                "employee_ids": list(e.employee_ids), "at": at(e),
                "employees": "".join(f",{x}" for x in e.employee_ids) + ","}


class FollowUpsView(EventView):
    name = "follow_ups"
    columns = {"inspection_id": "text", "assignee_nip": "text", "resolved": "bool"}
    ignores = (Inspection.Recorded, Inspection.FindingRecorded, Inspection.Closed, *OTHERS)

    def keys(self, e) -> Iterable[str]:
        number = e.originator_version if type(e) is Inspection.FollowUpAssigned else e.follow_up_id
        return (f"{e.originator_id}/{number}",)

    @on(Inspection.FollowUpAssigned)
    def on_FollowUpAssigned(self, doc: Doc, e) -> Doc:
        return {"inspection_id": str(e.originator_id), "follow_up_id": str(e.originator_version),
                "finding_id": e.finding_id, "action": e.action, "due": e.due.isoformat(),
                "assignee_nip": e.assignee_nip, "assigned_at": at(e), "resolved": False,
                "resolved_at": None}

    @on(Inspection.FollowUpResolved)
    def on_FollowUpResolved(self, doc: Doc, e) -> Doc:
        return doc | {"resolved": True, "resolved_at": at(e), "resolved_by": e.actor}
