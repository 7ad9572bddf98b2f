"""Use cases for units and employees (admins manage the organisation), and what a change of an
employee does to their open evaluations: leave excuses or shortens them, a transfer moves
them, in the same transaction as the change."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Unpack
from uuid import UUID

from domain.errors import NotFoundError
from domain.evaluation import Evaluation, evaluation_id
from domain.organisation import Employee, Unit, employee_id, unit_id
from domain.periods import parse_period
from service.core import Actor, Core, RequestOptions

# Every period key of a year (domain/periods.py): an evaluation's id is its employee's and its
# period's, so these are every evaluation a year can hold.
PERIOD_LETTERS = (("S", 2), ("Q", 4), ("M", 12))


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
                          supervisor_nip: str | None = None, handover_note: str = "",
                          **request: Unpack[RequestOptions]) -> Employee:
        """Post the ASN to another unit (and, when named, under a new direct supervisor) from
        ``effective_from``; their open evaluations of that year whose period had not ended
        move to the new unit and line, the SKP handed over with ``handover_note``."""
        meta = self.meta(actor, request)
        unit = self.unit(unit_code)
        supervisor = self.employee(supervisor_nip) if supervisor_nip else None
        employee = self.to_change(employee_id(nip), Employee, request)
        employee.transfer(meta, unit, position, effective_from, is_unit_head=is_unit_head)
        if supervisor is not None:
            employee.assign_supervisor(meta, supervisor, effective_from)
        moved = [ev for ev in self.open_evaluations(employee, [effective_from.year])
                 if parse_period(ev.period).end >= effective_from
                 and ev.transfer(meta, employee, effective_from, handover_note)]
        return self.save_changed(meta, request, employee, *moved)

    def record_leave(self, actor: Actor, nip: str, *, kind: str, start: date, end: date,
                     decree_number: str, decree_date: date,
                     **request: Unpack[RequestOptions]) -> Employee:
        """Record a period without service; each open evaluation it falls in is excused (all
        of its period) or shortened (part), in the same transaction."""
        meta = self.meta(actor, request)
        employee = self.to_change(employee_id(nip), Employee, request)
        employee.record_leave(meta, kind, start, end, decree_number, decree_date)
        years = range(start.year, end.year + 1)
        changed = [ev for ev in self.open_evaluations(employee, years)
                   if ev.account_for_leave(meta, employee.inactive_within(
                       parse_period(ev.period)))]
        return self.save_changed(meta, request, employee, *changed)

    def open_evaluations(self, employee: Employee, years: Iterable[int]) -> list[Evaluation]:
        """The employee's evaluations of these years still to be decided, each a copy to
        change."""
        keys = [key for year in years for key in period_keys(year)]
        return [ev for ev in self.evaluations_of(employee.id, keys) if ev.is_open]

    def evaluations_of(self, employee: UUID, keys: Iterable[str]) -> list[Evaluation]:
        """The employee's evaluations of these period keys that exist, in their order, each a
        copy to change. No record lists them: every key is looked up, in one query (which have
        events) where the recorder reads several records at once."""
        ids = [evaluation_id(employee, key) for key in keys]
        if (reader := self._reads_after) is not None:  # load only the ids that have events
            found = {e.originator_id for e in reader.select_events_after([(i, 0) for i in ids])}
            ids = [i for i in ids if i in found]
        evaluations = []
        for i in ids:
            try:
                evaluations.append(self.load(i, Evaluation))
            except NotFoundError:
                continue
        return evaluations

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


def period_keys(year: int) -> list[str]:
    """Every period of a year: annual, semesters, quarters, months (``domain.periods``)."""
    return [str(year), *(parse_period(f"{year}-{letter}{n}").key
                         for letter, count in PERIOD_LETTERS for n in range(1, count + 1))]
