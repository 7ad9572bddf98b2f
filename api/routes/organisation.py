"""Units and employees: admins manage them; reads follow the policy table."""

from __future__ import annotations

from fastapi import APIRouter

from api import subjects
from api.deps import Caller, ReadAccess, WriteAccess
from api.history import history
from api.policy import Subject
from api.routes import READ, WRITE, permission
from api.schemas_in import (
    NIP,
    ActingSupervisorIn,
    Code,
    EmployeeIn,
    LeaveIn,
    OrganisationPredikatIn,
    ServiceStandardIn,
    SupervisorIn,
    TransferIn,
    UnitIn,
)
from api.schemas_out import EmployeeOut, History, UnitOut
from domain.organisation import employee_id

router = APIRouter(tags=["organisation"])


@router.post("/units", status_code=201, response_model=UnitOut, responses=WRITE,
             openapi_extra=permission("units.write"))
def establish_unit(body: UnitIn, caller: WriteAccess):
    caller.authorise("units.write")
    return caller.run(caller.app.establish_unit, body.code, body.name,
                      parent_code=body.parent_code,
                      body=body, render=UnitOut.of, status=201, location=f"/units/{body.code}")


@router.get("/units/{code}", response_model=UnitOut, responses=READ,
            openapi_extra=permission("units.read"))
def get_unit(code: Code, caller: ReadAccess):
    caller.authorise("units.read")
    return caller.render(caller.app.unit(code), UnitOut.of)


@router.post("/units/{code}/service-standard", response_model=UnitOut, responses=WRITE,
             openapi_extra=permission("units.write"))
def set_service_standard(code: Code, body: ServiceStandardIn, caller: WriteAccess):
    caller.authorise("units.write")
    return caller.run(caller.app.set_service_standard, code, body.items,
                      body=body, render=UnitOut.of)


@router.post("/units/{code}/organisation-predikat", response_model=UnitOut, responses=WRITE,
             openapi_extra=permission("units.penetapan"))
def set_organisation_predikat(code: Code, body: OrganisationPredikatIn, caller: WriteAccess):
    """The penetapan of the OPD's predikat for a period, by the official above its head: the
    head's direct supervisor on the document's date."""
    caller.authorise_role("units.penetapan")
    head = caller.app.employee(body.head_nip)
    caller.authorise("units.penetapan", Subject(
        nip=head.nip, supervisor=head.supervisor_on(body.document_date)))
    return caller.run(caller.app.set_organisation_predikat, code, body.period, body.predikat,
                      document_number=body.document_number, document_date=body.document_date,
                      head_nip=body.head_nip, reason=body.reason,
                      body=body, render=UnitOut.of)


@router.post("/employees", status_code=201, response_model=EmployeeOut, responses=WRITE,
             openapi_extra=permission("employees.write"))
def register_employee(body: EmployeeIn, caller: WriteAccess):
    caller.authorise("employees.write")
    return caller.run(caller.app.register_employee, body.nip, body.name, unit_code=body.unit_code,
                      position=body.position, effective_from=body.effective_from,
                      employment_type=body.employment_type, golongan=body.golongan,
                      contract=(body.contract.start, body.contract.end) if body.contract else None,
                      is_unit_head=body.is_unit_head,
                      supervisor_nip=body.supervisor_nip,
                      body=body, render=EmployeeOut.of, status=201,
                      location=f"/employees/{body.nip}")


@router.get("/employees/{nip}", response_model=EmployeeOut, responses=READ,
            openapi_extra=permission("employees.read"))
def get_employee(nip: NIP, caller: ReadAccess):
    caller.authorise("employees.read", _employee_subject(caller, nip))
    return caller.render(caller.app.employee(nip), EmployeeOut.of)


@router.get("/employees/{nip}/history", response_model=History, responses=READ,
            openapi_extra=permission("employees.read"))
def employee_history(nip: NIP, caller: ReadAccess):
    caller.authorise("employees.read", _employee_subject(caller, nip))
    return history(caller.app, employee_id(nip))


@router.post("/employees/{nip}/transfers", response_model=EmployeeOut, responses=WRITE,
             openapi_extra=permission("employees.write"))
def transfer_employee(nip: NIP, body: TransferIn, caller: WriteAccess):
    caller.authorise("employees.write")
    return caller.run(caller.app.transfer_employee, nip, unit_code=body.unit_code,
                      position=body.position, effective_from=body.effective_from,
                      is_unit_head=body.is_unit_head, supervisor_nip=body.supervisor_nip,
                      handover_note=body.handover_note,
                      body=body, render=EmployeeOut.of)


@router.post("/employees/{nip}/leave", response_model=EmployeeOut, responses=WRITE,
             openapi_extra=permission("leave.write"))
def record_leave(nip: NIP, body: LeaveIn, caller: WriteAccess):
    caller.authorise("leave.write")
    return caller.run(caller.app.record_leave, nip, kind=body.kind, start=body.start,
                      end=body.end, decree_number=body.decree_number,
                      decree_date=body.decree_date, body=body, render=EmployeeOut.of)


@router.post("/employees/{nip}/supervisor", response_model=EmployeeOut, responses=WRITE,
             openapi_extra=permission("employees.write"))
def assign_supervisor(nip: NIP, body: SupervisorIn, caller: WriteAccess):
    caller.authorise("employees.write")
    return caller.run(caller.app.assign_supervisor, nip, body.supervisor_nip,
                      effective_from=body.effective_from,
                      body=body, render=EmployeeOut.of)


@router.post("/employees/{nip}/acting-supervisor", response_model=EmployeeOut, responses=WRITE,
             openapi_extra=permission("employees.write"))
def appoint_acting_supervisor(nip: NIP, body: ActingSupervisorIn, caller: WriteAccess):
    caller.authorise("employees.write")
    return caller.run(caller.app.appoint_acting_supervisor, nip, body.acting_nip,
                      kind=body.kind, start=body.start, end=body.end,
                      letter_number=body.letter_number, letter_date=body.letter_date,
                      body=body, render=EmployeeOut.of)


def _employee_subject(caller: Caller, nip: str):
    return subjects.of_employee(caller.app, caller.app.employee(nip))
