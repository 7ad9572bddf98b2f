"""Use cases for inspections (sidak) by the civil-service agency's inspectors."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Unpack
from uuid import UUID

from domain.inspection import Inspection
from domain.values import ChecklistResult, Evidence
from service.core import Actor, RequestOptions
from service.organisation import OrganisationUseCases


class InspectionUseCases(OrganisationUseCases):
    def record_inspection(self, actor: Actor, unit_code: str, place: str, started_at: datetime,
                          checklist: list[ChecklistResult],
                          **request: Unpack[RequestOptions]) -> Inspection:
        meta = self.meta(actor, request)
        inspection = Inspection.record(meta, self.unit(unit_code), place, started_at, checklist)
        return self.create(inspection, "this inspection is already recorded", request)

    def record_finding(self, actor: Actor, inspection: UUID, description: str, severity: str, *,
                       item: str | None = None, nips: Sequence[str] = (),
                       **request: Unpack[RequestOptions]) -> Inspection:
        people = [str(self.employee(nip).id) for nip in nips]
        return self.change(actor, inspection, Inspection, request, Inspection.record_finding,
                           description, severity, item=item, employee_ids=people)

    def assign_follow_up(self, actor: Actor, inspection: UUID, finding_id: str, action: str,
                         due: date, assignee_nip: str | None = None,
                         **request: Unpack[RequestOptions]) -> Inspection:
        if assignee_nip:
            self.employee(assignee_nip)
        return self.change(actor, inspection, Inspection, request, Inspection.assign_follow_up,
                           finding_id, action, due, assignee_nip)

    def resolve_follow_up(self, actor: Actor, inspection: UUID, follow_up_id: str,
                          resolution: str, evidence: Sequence[Evidence] = (),
                          **request: Unpack[RequestOptions]) -> Inspection:
        return self.change(actor, inspection, Inspection, request, Inspection.resolve_follow_up,
                           follow_up_id, resolution, list(evidence))

    def close_inspection(self, actor: Actor, inspection: UUID,
                         **request: Unpack[RequestOptions]) -> Inspection:
        return self.change(actor, inspection, Inspection, request, Inspection.close)

    def inspection(self, inspection: UUID, *, version: int | None = None) -> Inspection:
        return self.load(inspection, Inspection, version=version)
