"""Inspections, their findings (with the ASN named) and follow-ups (with their age)."""

from __future__ import annotations

from typing import Iterable

from projections.view import Doc
from projections.views.base import TopicView, at

I = "kinerja/Inspection/"


class InspectionsView(TopicView):
    name = "inspections"
    columns = {"unit_id": "text", "closed": "bool"}
    topics = tuple(I + n for n in ("Recorded", "FindingRecorded", "Closed"))

    def on_Recorded(self, doc: Doc, e) -> Doc:
        return {"inspection_id": str(e.originator_id), "unit_id": e.unit_id, "place": e.place,
                "started_at": e.started_at.isoformat(), "inspector": e.actor,
                "items": len(e.checklist),
                "not_met": sum(c.result == "not_met" for c in e.checklist),
                "findings": 0, "closed": False}

    def on_FindingRecorded(self, doc: Doc, e) -> Doc:
        return doc | {"findings": doc["findings"] + 1}

    def on_Closed(self, doc: Doc, e) -> Doc:
        return doc | {"closed": True, "closed_at": at(e)}


class FindingsView(TopicView):
    name = "findings"
    columns = {"inspection_id": "text", "item": "text", "severity": "text", "employees": "text"}
    topics = (I + "FindingRecorded",)

    def key_of(self, e) -> str:
        return f"{e.originator_id}/{e.originator_version}"

    def on_FindingRecorded(self, doc: Doc, e) -> Doc:
        return {"inspection_id": str(e.originator_id), "finding_id": str(e.originator_version),
                "item": e.item, "severity": e.severity, "description": e.description,
                "employee_ids": list(e.employee_ids), "at": at(e),
                "employees": "".join(f",{x}" for x in e.employee_ids) + ","}


class FollowUpsView(TopicView):
    name = "follow_ups"
    columns = {"inspection_id": "text", "assignee_nip": "text", "resolved": "bool"}
    topics = (I + "FollowUpAssigned", I + "FollowUpResolved")

    def keys(self, e) -> Iterable[str]:
        number = e.originator_version if type(e).TOPIC.endswith("Assigned") else e.follow_up_id
        return (f"{e.originator_id}/{number}",)

    def on_FollowUpAssigned(self, doc: Doc, e) -> Doc:
        return {"inspection_id": str(e.originator_id), "follow_up_id": str(e.originator_version),
                "finding_id": e.finding_id, "action": e.action, "due": e.due.isoformat(),
                "assignee_nip": e.assignee_nip, "assigned_at": at(e), "resolved": False,
                "resolved_at": None}

    def on_FollowUpResolved(self, doc: Doc, e) -> Doc:
        return doc | {"resolved": True, "resolved_at": at(e), "resolved_by": e.actor}
