"""Inspections (sidak): a surprise visit by the civil-service agency to a public-service unit.

The checklist follows the unit's service standard; findings name the ASN involved; follow-ups
are assigned with a due date and resolved with evidence.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from domain.base import Created, Meta, Record, stable_id, text
from domain.errors import InvalidStateError, InvalidValueError, UnknownReferenceError
from domain.limits import MAX_LINE, MAX_NOTE
from domain.organisation import Unit
from domain.state import InspectionState
from domain.values import ChecklistResult, Evidence, as_json, distinct

SEVERITIES = ("minor", "major", "critical")


class Inspection(Record, InspectionState):
    TOPIC = "kinerja/Inspection"

    class Recorded(Created):
        TOPIC = "kinerja/Inspection/Recorded"
        unit_id: str
        place: str
        started_at: datetime
        checklist: list[ChecklistResult]

        def apply(self, i: Inspection) -> None:
            i.unit_id, i.place, i.started_at = self.unit_id, self.place, self.started_at.isoformat()
            i.inspector = self.actor
            i.checklist = [as_json(c) for c in self.checklist]
            i.findings, i.follow_ups, i.closed = {}, {}, False

    class FindingRecorded(Record.Event):
        TOPIC = "kinerja/Inspection/FindingRecorded"
        item: str | None
        description: str
        severity: str
        employee_ids: list[str]

        def apply(self, i: Inspection) -> None:
            i.findings[str(self.originator_version)] = {
                "item": self.item, "description": self.description, "severity": self.severity,
                "employee_ids": list(self.employee_ids), "at": self.timestamp.isoformat()}

    class FollowUpAssigned(Record.Event):
        TOPIC = "kinerja/Inspection/FollowUpAssigned"
        finding_id: str
        action: str
        due: date
        assignee_nip: str | None

        def apply(self, i: Inspection) -> None:
            i.follow_ups[str(self.originator_version)] = {
                "finding_id": self.finding_id, "action": self.action, "due": self.due.isoformat(),
                "assignee_nip": self.assignee_nip, "assigned_at": self.timestamp.isoformat(),
                "resolution": None}

    class FollowUpResolved(Record.Event):
        TOPIC = "kinerja/Inspection/FollowUpResolved"
        follow_up_id: str
        resolution: str
        evidence: list[Evidence]

        def apply(self, i: Inspection) -> None:
            i.follow_ups[self.follow_up_id]["resolution"] = {
                "text": self.resolution, "evidence": [as_json(e) for e in self.evidence],
                "by": self.actor, "at": self.timestamp.isoformat()}

    class Closed(Record.Event):
        TOPIC = "kinerja/Inspection/Closed"

        def apply(self, i: Inspection) -> None:
            i.closed = True

    @classmethod
    def record(cls, meta: Meta, unit: Unit, place: str, started_at: datetime,
               checklist: list[ChecklistResult]) -> Inspection:
        checklist = [c.checked() for c in checklist]
        distinct([c.item for c in checklist], "checklist items")
        if unknown := {c.item for c in checklist} - set(unit.service_standard):
            raise UnknownReferenceError(
                f"not in the unit's service standard: {', '.join(sorted(unknown))}")
        if started_at > meta.at:
            raise InvalidValueError("an inspection cannot start in the future")
        identity = stable_id("inspection", str(unit.id), started_at.isoformat(), meta.actor)
        return cls._begin(cls.Recorded, meta, identity, unit_id=str(unit.id),
                          place=text(place, "place", limit=MAX_LINE), started_at=started_at,
                          checklist=checklist)

    def record_finding(self, meta: Meta, description: str, severity: str, *,
                       item: str | None = None, employee_ids: Sequence[str] = ()) -> str:
        self._require_open()
        if severity not in SEVERITIES:
            raise InvalidValueError(f"severity is one of {', '.join(SEVERITIES)}")
        if item is not None and item not in {c["item"] for c in self.checklist}:
            raise UnknownReferenceError(f"no checklist item {item!r}")
        distinct(list(employee_ids), "employees in a finding")
        self._record(self.FindingRecorded, meta, item=item, severity=severity,
                     description=text(description, "description"), employee_ids=list(employee_ids))
        return str(self.version)

    def assign_follow_up(self, meta: Meta, finding_id: str, action: str, due: date,
                         assignee_nip: str | None = None) -> str:
        self._require_open()
        if finding_id not in self.findings:
            raise UnknownReferenceError(f"no finding {finding_id}")
        self._record(self.FollowUpAssigned, meta, finding_id=finding_id, due=due,
                     action=text(action, "action", limit=MAX_NOTE), assignee_nip=assignee_nip)
        return str(self.version)

    def resolve_follow_up(self, meta: Meta, follow_up_id: str, resolution: str,
                          evidence: Sequence[Evidence] = ()) -> None:
        self._require_open()
        follow_up = self.follow_ups.get(follow_up_id)
        if follow_up is None:
            raise UnknownReferenceError(f"no follow-up {follow_up_id}")
        if follow_up["resolution"] is not None:
            raise InvalidStateError("the follow-up is already resolved")
        self._record(self.FollowUpResolved, meta, follow_up_id=follow_up_id,
                     resolution=text(resolution, "resolution"),
                     evidence=[e.checked() for e in evidence])

    def close(self, meta: Meta) -> None:
        self._require_open()
        if self.open_follow_ups():
            raise InvalidStateError("resolve every follow-up before closing the inspection")
        self._record(self.Closed, meta)

    def open_follow_ups(self) -> list[str]:
        return [k for k, f in self.follow_ups.items() if f["resolution"] is None]

    def _require_open(self) -> None:
        if self.closed:
            raise InvalidStateError("the inspection is closed")
