"""Inspections, their findings (with the ASN named) and follow-ups (with their age)."""

from collections.abc import Iterable
from typing import NotRequired, TypedDict  # evaluated at once: NotRequired is seen only so

from domain.calendar import PeriodCalendar
from domain.evaluation import Evaluation
from domain.inspection import Inspection
from domain.keberatan import Keberatan
from domain.organisation import Employee, Unit
from domain.skm import Survey
from domain.values import CHECKLIST_RESULTS
from projections.view import Doc
from projections.views.base import EventView, at, on

NOT_MET = CHECKLIST_RESULTS[1]
# No view here reads their events.
OTHERS = (Unit, Employee, Evaluation, Keberatan, Survey, PeriodCalendar)


class InspectionDoc(TypedDict):
    """One inspection's row, as ``InspectionsView`` writes it (``tests/projections`` checks)."""

    inspection_id: str
    unit_id: str
    place: str
    started_at: str
    inspector: str
    items: int  # of the checklist
    not_met: int  # checklist items not met
    findings: int
    closed: bool
    closed_at: NotRequired[str]


class FindingDoc(TypedDict):
    """One finding's row, as ``FindingsView`` writes it."""

    inspection_id: str
    finding_id: str  # the version of the event that recorded it
    item: str | None  # as FindingState
    severity: str
    description: str
    employee_ids: list[str]
    at: str
    employees: str  # ",id1,id2,": a column to find the findings naming one employee


class FollowUpDoc(TypedDict):
    """One follow-up's row, as ``FollowUpsView`` writes it."""

    inspection_id: str
    follow_up_id: str  # the version of the event that assigned it
    finding_id: str
    action: str
    due: str
    assignee_nip: str | None  # as FollowUpState
    assigned_at: str
    resolved: bool
    resolved_at: str | None
    resolved_by: NotRequired[str]


class InspectionsView(EventView):
    name = "inspections"
    document = InspectionDoc
    columns = {"unit_id": "text", "closed": "bool"}
    ignores = (Inspection.FollowUpAssigned, Inspection.FollowUpResolved, *OTHERS)

    @on(Inspection.Recorded)
    def on_Recorded(self, doc: Doc, e) -> Doc:
        return {"inspection_id": str(e.originator_id), "unit_id": e.unit_id, "place": e.place,
                "started_at": e.started_at.isoformat(), "inspector": e.actor,
                "items": len(e.checklist),
                "not_met": sum(c.result == NOT_MET for c in e.checklist),
                "findings": 0, "closed": False}

    @on(Inspection.FindingRecorded)
    def on_FindingRecorded(self, doc: Doc, e) -> Doc:
        return doc | {"findings": doc["findings"] + 1}

    @on(Inspection.Closed)
    def on_Closed(self, doc: Doc, e) -> Doc:
        return doc | {"closed": True, "closed_at": at(e)}


class FindingsView(EventView):
    name = "findings"
    document = FindingDoc
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
    document = FollowUpDoc
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
