"""Units as they stand now; employees with their dated postings and reporting lines.

An employee's document keeps every posting and reporting-line entry with the day it takes
effect, never a "current" one: an assignment may be recorded before the day it starts, so
what is in force depends on the day asked (``projections/queries.py``: ``employee_on``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypedDict

from domain.asn import contract_period
from domain.calendar import PeriodCalendar
from domain.evaluation import Evaluation
from domain.inspection import Inspection
from domain.keberatan import Keberatan
from domain.organisation import Employee, Unit, leave_entry, line_entry, posting
from domain.skm import Survey
from domain.state import ActingState, ContractState, LeaveState, LineEntryState, PostingState
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
    """One employee's row, as ``EmployeesView`` writes it: who they are, and their histories."""

    employee_id: str
    nip: str
    name: str
    employment_type: str  # as EmployeeState, and the four below
    golongan: str | None
    pangkat: str | None
    contract: ContractState | None
    postings: list[PostingState]  # ordered by the day each takes effect
    reporting_line: list[LineEntryState]  # likewise
    acting: list[ActingState]  # Plt/Plh tenures, as EmployeeState
    leave: list[LeaveState]  # leave and inactive periods, as EmployeeState


class UnitsView(EventView):
    name = "units"
    document = UnitDoc
    columns = {"code": "text", "parent_id": "text"}
    ignores = (Unit.ServiceStandardSet, Employee, Evaluation, Keberatan, Inspection, Survey,
               PeriodCalendar)

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
    # unit_id and supervisor_nip hold every unit and supervisor the histories name, ",a,b,":
    # the candidates a filter reads, of which the query keeps those in force on the day.
    columns = {"nip": "text", "unit_id": "text", "supervisor_nip": "text"}
    ignores = (Unit, Evaluation, Keberatan, Inspection, Survey, PeriodCalendar)

    def row(self, doc: Doc) -> dict[str, Any]:
        return {"nip": doc["nip"], "unit_id": listed(p["unit_id"] for p in doc["postings"]),
                "supervisor_nip": listed([*(e["supervisor_nip"] for e in doc["reporting_line"]),
                                          *(t["acting_nip"] for t in doc["acting"])])}

    @on(Employee.Registered)
    def on_Registered(self, doc: Doc, e) -> Doc:
        return {"employee_id": str(e.originator_id), "nip": e.nip, "name": e.name,
                "employment_type": e.employment_type, "golongan": e.golongan,
                "pangkat": e.pangkat, "contract": contract_period(e.contract_start, e.contract_end),
                "postings": [_posting(e)], "reporting_line": [], "acting": [], "leave": []}

    @on(Employee.Transferred)
    def on_Transferred(self, doc: Doc, e) -> Doc:
        return doc | {"postings": [*doc["postings"], _posting(e)]}

    @on(Employee.SupervisorAssigned)
    def on_SupervisorAssigned(self, doc: Doc, e) -> Doc:
        entry = line_entry(e.effective_from, e.supervisor_id, e.supervisor_nip)
        return doc | {"reporting_line": [*doc["reporting_line"], entry]}

    @on(Employee.ActingSupervisorAppointed)
    def on_ActingSupervisorAppointed(self, doc: Doc, e) -> Doc:
        tenure = {"kind": e.kind, "acting_id": e.acting_id, "acting_nip": e.acting_nip,
                  "start": e.start.isoformat(), "end": e.end.isoformat(),
                  "letter_number": e.letter_number, "letter_date": e.letter_date.isoformat()}
        return doc | {"acting": [*doc["acting"], tenure]}

    @on(Employee.LeaveRecorded)
    def on_LeaveRecorded(self, doc: Doc, e) -> Doc:
        return doc | {"leave": sorted([*doc["leave"], leave_entry(e)],
                                      key=lambda held: held["start"])}


def listed(values: Iterable[str | None]) -> str:
    """",a,b,": the distinct values, each found by LIKE '%,a,%' (None left out)."""
    return "".join(f",{v}" for v in dict.fromkeys(v for v in values if v)) + ","


def _posting(e: Any) -> PostingState:
    return posting(e.effective_from, e.unit_id, e.position, e.is_unit_head)
