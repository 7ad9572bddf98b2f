"""Units and employees: admins manage them; reads follow the policy table."""

from __future__ import annotations

from fastapi import APIRouter

from api import subjects
from api.deps import Ctx, WriteCtx
from api.history import history
from api.routes import READ, WRITE, permission
from api.schemas_in import (
    EmployeeIn, OrganisationPredikatIn, ServiceStandardIn, SupervisorIn, TransferIn, UnitIn,
)
from api.schemas_out import EmployeeOut, History, UnitOut
from domain.organisation import employee_id

router = APIRouter(tags=["organisation"])


@router.post("/units", status_code=201, response_model=UnitOut, responses=WRITE,
             openapi_extra=permission("units.write"))
def establish_unit(body: UnitIn, call: WriteCtx):
    call.authorise("units.write")
    return call.run(lambda **o: call.app.establish_unit(
        call.actor, body.code, body.name, parent_code=body.parent_code, **o),
        body=body, render=UnitOut.of, status=201,
        location=f"/units/{body.code}")


@router.get("/units/{code}", response_model=UnitOut, responses=READ,
            openapi_extra=permission("units.read"))
def get_unit(code: str, call: Ctx):
    call.authorise("units.read")
    return call.render(call.app.unit(code), UnitOut.of)


@router.post("/units/{code}/service-standard", response_model=UnitOut, responses=WRITE,
             openapi_extra=permission("units.write"))
def set_service_standard(code: str, body: ServiceStandardIn, call: WriteCtx):
    call.authorise("units.write")
    return call.run(lambda **o: call.app.set_service_standard(call.actor, code, body.items, **o),
                    body=body, render=UnitOut.of)


@router.post("/units/{code}/organisation-predikat", response_model=UnitOut, responses=WRITE,
             openapi_extra=permission("units.write"))
def set_organisation_predikat(code: str, body: OrganisationPredikatIn, call: WriteCtx):
    call.authorise("units.write")
    return call.run(lambda **o: call.app.set_organisation_predikat(
        call.actor, code, body.year, body.predikat, **o),
        body=body, render=UnitOut.of)


@router.post("/employees", status_code=201, response_model=EmployeeOut, responses=WRITE,
             openapi_extra=permission("employees.write"))
def register_employee(body: EmployeeIn, call: WriteCtx):
    call.authorise("employees.write")
    return call.run(lambda **o: call.app.register_employee(
        call.actor, body.nip, body.name, unit_code=body.unit_code, position=body.position,
        effective_from=body.effective_from, employment_type=body.employment_type,
        is_unit_head=body.is_unit_head, supervisor_nip=body.supervisor_nip, **o),
        body=body, render=EmployeeOut.of, status=201,
        location=f"/employees/{body.nip}")


@router.get("/employees/{nip}", response_model=EmployeeOut, responses=READ,
            openapi_extra=permission("employees.read"))
def get_employee(nip: str, call: Ctx):
    call.authorise("employees.read", _employee_subject(call, nip))
    return call.render(call.app.employee(nip), EmployeeOut.of)


@router.get("/employees/{nip}/history", response_model=History, responses=READ,
            openapi_extra=permission("employees.read"))
def employee_history(nip: str, call: Ctx):
    call.authorise("employees.read", _employee_subject(call, nip))
    return history(call.app, employee_id(nip))


@router.post("/employees/{nip}/transfers", response_model=EmployeeOut, responses=WRITE,
             openapi_extra=permission("employees.write"))
def transfer_employee(nip: str, body: TransferIn, call: WriteCtx):
    call.authorise("employees.write")
    return call.run(lambda **o: call.app.transfer_employee(
        call.actor, nip, unit_code=body.unit_code, position=body.position,
        effective_from=body.effective_from, is_unit_head=body.is_unit_head, **o),
        body=body, render=EmployeeOut.of)


@router.post("/employees/{nip}/supervisor", response_model=EmployeeOut, responses=WRITE,
             openapi_extra=permission("employees.write"))
def assign_supervisor(nip: str, body: SupervisorIn, call: WriteCtx):
    call.authorise("employees.write")
    return call.run(lambda **o: call.app.assign_supervisor(
        call.actor, nip, body.supervisor_nip, effective_from=body.effective_from, **o),
        body=body, render=EmployeeOut.of)


def _employee_subject(call: Ctx, nip: str):
    return subjects.of_employee(call.app, call.app.employee(nip))
