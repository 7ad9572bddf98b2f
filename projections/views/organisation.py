"""Units and employees as they stand now (names, units, current supervisor)."""

from __future__ import annotations

from typing import TypedDict

from domain.evaluation import Evaluation
from domain.inspection import Inspection
from domain.keberatan import Keberatan
from domain.organisation import Employee, Unit
from domain.skm import Survey
from projections.view import Doc
from projections.views.base import EventView, on


class UnitDoc(TypedDict):
    """One unit's row, as ``UnitsView`` writes it (``tests/projections`` checks)."""

    unit_id: str
    code: str
    name: str
    parent_id: str | None  # as UnitState
    org_predikat: dict[str, str]  # period -> organisation predikat, as UnitState


class EmployeeDoc(TypedDict):
    """One employee's row, as ``EmployeesView`` writes it: where they stand now."""

    employee_id: str
    nip: str
    name: str
    employment_type: str
    unit_id: str
    position: str
    is_unit_head: bool
    supervisor_nip: str | None


class UnitsView(EventView):
    name = "units"
    document = UnitDoc
    columns = {"code": "text", "parent_id": "text"}
    ignores = (Unit.ServiceStandardSet, Employee, Evaluation, Keberatan, Inspection, Survey)

    @on(Unit.Established)
    def on_Established(self, doc: Doc, e) -> Doc:
        return {"unit_id": str(e.originator_id), "code": e.code, "name": e.name,
                "parent_id": e.parent_id, "org_predikat": {}}

    @on(Unit.OrganisationPredikatSet)
    def on_OrganisationPredikatSet(self, doc: Doc, e) -> Doc:
        return doc | {"org_predikat": doc["org_predikat"] | {e.period: e.predikat}}


class EmployeesView(EventView):
    name = "employees"
    document = EmployeeDoc
    columns = {"nip": "text", "unit_id": "text", "supervisor_nip": "text"}
    ignores = (Unit, Evaluation, Keberatan, Inspection, Survey)

    @on(Employee.Registered)
    def on_Registered(self, doc: Doc, e) -> Doc:
        return {"employee_id": str(e.originator_id), "nip": e.nip, "name": e.name,
                "employment_type": e.employment_type, "unit_id": e.unit_id,
                "position": e.position, "is_unit_head": e.is_unit_head, "supervisor_nip": None}

    @on(Employee.Transferred)
    def on_Transferred(self, doc: Doc, e) -> Doc:
        return doc | {"unit_id": e.unit_id, "position": e.position,
                      "is_unit_head": e.is_unit_head}

    @on(Employee.SupervisorAssigned)
    def on_SupervisorAssigned(self, doc: Doc, e) -> Doc:
        return doc | {"supervisor_nip": e.supervisor_nip}
