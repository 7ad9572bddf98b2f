"""Use cases for units and employees (admins manage the organisation)."""

from __future__ import annotations

from datetime import date
from typing import Unpack
from uuid import UUID

from domain.organisation import Employee, Unit, employee_id, unit_id
from domain.periods import parse_period
from service.core import Actor, Core, RequestOptions


class OrganisationUseCases(Core):
    def establish_unit(self, actor: Actor, code: str, name: str, *, parent_code: str | None = None,
                       **request: Unpack[RequestOptions]) -> Unit:
        parent = self.unit(parent_code) if parent_code else None
        unit = Unit.establish(self.meta(actor, request), code, name, parent)
        return self.create(unit, f"unit {code} already exists", request)

    def set_service_standard(self, actor: Actor, code: str, items: list[str],
                             **request: Unpack[RequestOptions]) -> Unit:
        return self.change(actor, unit_id(code), Unit, request, Unit.set_service_standard,
                           items)

    def set_organisation_predikat(self, actor: Actor, code: str, period: str, predikat: str, *,
                                  document_number: str, document_date: date, head_nip: str,
                                  reason: str = "", **request: Unpack[RequestOptions]) -> Unit:
        """The penetapan by the official above the OPD's head, who is named (``head_nip``):
        the unit keeps no index of its people, and the domain checks the name against the
        reporting line on the document's date."""
        meta = self.meta(actor, request, reason)
        unit = self.to_change(unit_id(code), Unit, request)
        parent = self.load(UUID(unit.parent_id), Unit, copy=False) if unit.parent_id else None
        unit.set_organisation_predikat(meta, parse_period(period), predikat,
                                       document_number=document_number,
                                       document_date=document_date,
                                       head=self.load(employee_id(head_nip), Employee, copy=False),
                                       parent=parent)
        return self.save_changed(meta, request, unit)

    def register_employee(self, actor: Actor, nip: str, name: str, *, unit_code: str,
                          position: str, effective_from: date,
                          employment_type: str | None = None, golongan: str | None = None,
                          contract: tuple[date, date] | None = None,
                          is_unit_head: bool = False, supervisor_nip: str | None = None,
                          **request: Unpack[RequestOptions]) -> Employee:
        meta = self.meta(actor, request)
        employee = Employee.register(meta, nip, name, unit=self.unit(unit_code),
                                     position=position, effective_from=effective_from,
                                     employment_type=employment_type, golongan=golongan,
                                     contract=contract, is_unit_head=is_unit_head)
        if supervisor_nip:
            employee.assign_supervisor(meta, self.employee(supervisor_nip), effective_from)
        return self.create(employee, f"an employee with NIP {employee.nip} is already registered",
                           request)

    def transfer_employee(self, actor: Actor, nip: str, *, unit_code: str, position: str,
                          effective_from: date, is_unit_head: bool = False,
                          **request: Unpack[RequestOptions]) -> Employee:
        unit = self.unit(unit_code)
        return self.change(actor, employee_id(nip), Employee, request, Employee.transfer,
                           unit, position, effective_from, is_unit_head=is_unit_head)

    def assign_supervisor(self, actor: Actor, nip: str, supervisor_nip: str | None, *,
                          effective_from: date, **request: Unpack[RequestOptions]) -> Employee:
        supervisor = self.employee(supervisor_nip) if supervisor_nip else None
        return self.change(actor, employee_id(nip), Employee, request,
                           Employee.assign_supervisor, supervisor, effective_from)

    def appoint_acting_supervisor(self, actor: Actor, nip: str, acting_nip: str, *, kind: str,
                                  start: date, end: date, letter_number: str, letter_date: date,
                                  **request: Unpack[RequestOptions]) -> Employee:
        acting = self.employee(acting_nip)
        return self.change(actor, employee_id(nip), Employee, request, Employee.appoint_acting,
                           kind, acting, start, end, letter_number, letter_date)

    def unit(self, code: str, *, version: int | None = None) -> Unit:
        return self.load(unit_id(code), Unit, version=version)

    def employee(self, nip: str, *, version: int | None = None) -> Employee:
        return self.load(employee_id(nip), Employee, version=version)
