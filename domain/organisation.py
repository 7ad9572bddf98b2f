"""Units (OPD / unit kerja) and employees (ASN) with their reporting lines over time.

Transfers and supervisor changes are events with an effective date, so the reporting line on
any past day can be recovered: a rating checks the line as it was on the day of the rating.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any, TypeVar, cast
from uuid import UUID

from domain.asn import ASN_TYPES, contract_period, layout_type, standing
from domain.base import Created, Meta, Record, local_day, stable_id, text
from domain.errors import InvalidStateError, InvalidValueError, LeaveOverlapsError, NotAllowedError
from domain.limits import MAX_CODE, MAX_ITEM, MAX_NAME
from domain.nip import parse_nip
from domain.periods import Period
from domain.rules import OrganisationPredikat
from domain.state import (
    ActingCapacity,
    ActingJSON,
    ActingState,
    DecisionState,
    EmployeeState,
    InactiveSpanState,
    LeaveState,
    LineEntryState,
    OutcomeState,
    PostingState,
    RatingState,
    UnitState,
)

EMPLOYMENT_TYPES = ASN_TYPES  # the API's name for them
ORG_PREDIKAT = tuple(p.value for p in OrganisationPredikat)
ACTING_KINDS = ("Plt", "Plh")  # Pelaksana Tugas: the post is vacant; Harian: its holder is away
# Periods without service (docs/DOMAIN.md §5): cuti besar, cuti di luar tanggungan negara,
# tugas belajar (full-time study by assignment), pemberhentian sementara (suspension).
LEAVE_KINDS = ("cuti_besar", "cltn", "tugas_belajar", "pemberhentian_sementara")

# An entry of a history ordered by its "from" date: a posting or a reporting-line entry.
Dated = TypeVar("Dated", PostingState, LineEntryState)
# The state of an act a Plt/Plh may do: a rating, an outcome, a keberatan decision.
Acted = TypeVar("Acted", RatingState, OutcomeState, DecisionState)


def unit_id(code: str) -> UUID:
    return stable_id("unit", code)


def employee_id(nip: str) -> UUID:
    return stable_id("employee", nip)


def ancestry(unit: str, parents: Mapping[str, str | None]) -> list[str]:
    """The unit and its ancestors (by id), up to the city: the unit with no parent.
    ``parents``: each unit's parent id."""
    chain = [unit]
    while (parent := parents.get(chain[-1])) is not None:
        chain.append(parent)
    return chain


def opd_of(unit: str, parents: Mapping[str, str | None]) -> str:
    """The OPD a unit rolls up to: its ancestor just below the city; a unit with no parent
    is its own."""
    chain = ancestry(unit, parents)
    return chain[-2] if len(chain) > 1 else chain[0]


class Unit(Record, UnitState):
    TOPIC = "kinerja/Unit"

    class Established(Created):
        TOPIC = "kinerja/Unit/Established"
        code: str
        name: str
        parent_id: str | None

        def apply(self, unit: Unit) -> None:
            unit.code, unit.name, unit.parent_id = self.code, self.name, self.parent_id
            unit.service_standard = []
            unit.org_predikat = {}

    class ServiceStandardSet(Record.Event):
        TOPIC = "kinerja/Unit/ServiceStandardSet"
        items: list[str]

        def apply(self, unit: Unit) -> None:
            unit.service_standard = list(self.items)

    class OrganisationPredikatSet(Record.Event):
        """The penetapan of the organisation's performance (capaian kinerja organisasi) for a
        period, by the official above the OPD's head, under a numbered and dated document."""

        TOPIC = "kinerja/Unit/OrganisationPredikatSet"
        class_version = 2
        period: str
        predikat: str
        document_number: str
        document_date: date | None
        head_nip: str | None  # the OPD's head, whose direct supervisor recorded it

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            # Version 1 was a yearly grade by an admin, with no document and no head named:
            # the year is the annual period's key.
            state["period"] = str(state.pop("year"))
            state.update(document_number="", document_date=None, head_nip=None)

        def apply(self, unit: Unit) -> None:
            unit.org_predikat[self.period] = self.predikat

    @classmethod
    def establish(cls, meta: Meta, code: str, name: str, parent: Unit | None = None) -> Unit:
        code = text(code, "code", limit=MAX_CODE).strip()
        parent_id = str(parent.id) if parent else None
        return cls._begin(cls.Established, meta, unit_id(code), code=code,
                          name=text(name, "name", limit=MAX_NAME), parent_id=parent_id)

    def set_service_standard(self, meta: Meta, items: list[str]) -> None:
        items = [text(i, "service standard item", limit=MAX_ITEM) for i in items]
        if not items or len(set(items)) != len(items):
            raise InvalidValueError("a service standard lists distinct items")
        self._record(self.ServiceStandardSet, meta, items=items)

    def set_organisation_predikat(self, meta: Meta, period: Period, predikat: str, *,
                                  document_number: str, document_date: date, head: Employee,
                                  parent: Unit | None) -> None:
        """The penetapan: the official above the OPD's head (the head's direct supervisor on
        the document's date) sets the predikat that selects the curve for the period.
        ``parent``: this unit's parent, to tell an OPD from its sub-units."""
        if predikat not in ORG_PREDIKAT:
            raise InvalidValueError(f"organisation predikat is one of {', '.join(ORG_PREDIKAT)}")
        if parent is not None and parent.parent_id is not None:
            raise InvalidValueError(f"{self.code} is a sub-unit: it rolls up to its OPD, whose "
                                    "organisation predikat applies")
        if document_date > local_day(meta.at):
            raise InvalidValueError("the penetapan cannot be dated after today")
        self._require_official_above(meta, head, document_date)
        if period.key in self.org_predikat:
            meta.require_reason()  # a second penetapan for the period says why
        self._record(self.OrganisationPredikatSet, meta, period=period.key, predikat=predikat,
                     document_number=text(document_number, "document number", limit=MAX_CODE),
                     document_date=document_date, head_nip=head.nip)

    def _require_official_above(self, meta: Meta, head: Employee, day: date) -> None:
        if head.unit_on(day) != str(self.id) or not head.is_unit_head_on(day):
            raise InvalidValueError(f"{head.nip} does not head {self.code} on {day}")
        official = head.supervisor_on(day)
        if official is None:
            raise NotAllowedError(f"the head of {self.code} has no official above them on {day}")
        if meta.actor != official:
            raise NotAllowedError(f"only the official above the head of {self.code} (their "
                                  "direct supervisor on the document's date) sets its predikat")


class Employee(Record, EmployeeState):
    TOPIC = "kinerja/Employee"
    class_version = 4

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        # Snapshots of version 1 predate the ASN's standing: as Registered.upcast_v2_v3 says.
        state["employment_type"] = layout_type(state["nip"]) or state["employment_type"]
        state.update(golongan=None, pangkat=None, contract=None)

    @staticmethod
    def upcast_v2_v3(state: dict[str, Any]) -> None:
        state["acting"] = []  # snapshots of version 2 predate Plt/Plh tenures

    @staticmethod
    def upcast_v3_v4(state: dict[str, Any]) -> None:
        state["leave"] = []  # snapshots of version 3 predate leave and inactive periods

    class Registered(Created):
        TOPIC = "kinerja/Employee/Registered"
        class_version = 3
        nip: str
        name: str
        employment_type: str  # the ASN type: PNS, PPPK or PPPK paruh waktu (domain.asn)
        golongan: str | None  # a PNS's golongan ruang, if given; never a PPPK's
        pangkat: str | None  # the golongan's pangkat (domain.asn.PANGKAT)
        contract_start: date | None  # a PPPK's contract period; never a PNS's
        contract_end: date | None
        position: str  # the jabatan
        unit_id: str
        is_unit_head: bool
        effective_from: date

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            # Version 1 predates PPPK contracts in this system: every record was a PNS.
            state["employment_type"] = "PNS"

        @staticmethod
        def upcast_v2_v3(state: dict[str, Any]) -> None:
            # Version 2 knew PNS and PPPK only, and took real NI PPPK numbers as invalid: a
            # number laid out as an NI PPPK says its type; otherwise what was stored stands (a
            # PPPK then had to be given a NIP-shaped number). No pangkat nor contract was kept.
            state["employment_type"] = layout_type(state["nip"]) or state["employment_type"]
            state.update(golongan=None, pangkat=None, contract_start=None, contract_end=None)

        def apply(self, employee: Employee) -> None:
            employee.nip, employee.name = self.nip, self.name
            employee.employment_type = self.employment_type
            employee.golongan, employee.pangkat = self.golongan, self.pangkat
            employee.contract = contract_period(self.contract_start, self.contract_end)
            employee.postings = [posting(self.effective_from, self.unit_id, self.position,
                                         self.is_unit_head)]
            employee.reporting_line = []
            employee.acting = []
            employee.leave = []

    class Transferred(Record.Event):
        TOPIC = "kinerja/Employee/Transferred"
        unit_id: str
        position: str
        is_unit_head: bool
        effective_from: date

        def apply(self, employee: Employee) -> None:
            employee.postings.append(posting(self.effective_from, self.unit_id, self.position,
                                             self.is_unit_head))

    class SupervisorAssigned(Record.Event):
        TOPIC = "kinerja/Employee/SupervisorAssigned"
        supervisor_id: str | None
        supervisor_nip: str | None
        effective_from: date

        def apply(self, employee: Employee) -> None:
            employee.reporting_line.append(
                line_entry(self.effective_from, self.supervisor_id, self.supervisor_nip))

    class ActingSupervisorAppointed(Record.Event):
        TOPIC = "kinerja/Employee/ActingSupervisorAppointed"
        kind: str
        acting_id: str
        acting_nip: str
        start: date
        end: date
        letter_number: str
        letter_date: date

        def apply(self, employee: Employee) -> None:
            employee.acting.append({
                "kind": self.kind, "acting_id": self.acting_id, "acting_nip": self.acting_nip,
                "start": self.start.isoformat(), "end": self.end.isoformat(),
                "letter_number": self.letter_number,
                "letter_date": self.letter_date.isoformat()})

    class LeaveRecorded(Record.Event):
        """A period without service, by decree: the evaluations it falls in are excused or
        shortened (``Evaluation.account_for_leave``)."""

        TOPIC = "kinerja/Employee/LeaveRecorded"
        kind: str
        start: date
        end: date
        decree_number: str
        decree_date: date

        def apply(self, employee: Employee) -> None:
            employee.leave = sorted([*employee.leave, leave_entry(self)],
                                    key=lambda period: period["start"])

    @classmethod
    def register(cls, meta: Meta, nip: str, name: str, *, unit: Unit, position: str,
                 effective_from: date, employment_type: str | None = None,
                 golongan: str | None = None, contract: tuple[date, date] | None = None,
                 is_unit_head: bool = False) -> Employee:
        """Register an ASN: the type defaults to what the number's layout says, and must agree
        with it; a PNS may give a golongan, a PPPK gives the contract period (domain.asn)."""
        number = parse_nip(nip)
        kind = standing(number, employment_type, golongan, contract)
        return cls._begin(cls.Registered, meta, employee_id(number.value), nip=number.value,
                          name=text(name, "name", limit=MAX_NAME), **kind.fields(),
                          position=text(position, "position", limit=MAX_NAME), unit_id=str(unit.id),
                          is_unit_head=bool(is_unit_head), effective_from=effective_from)

    def transfer(self, meta: Meta, unit: Unit, position: str, effective_from: date,
                 *, is_unit_head: bool = False) -> None:
        self._check_not_before_last(effective_from, self.postings)
        self._record(self.Transferred, meta, unit_id=str(unit.id), is_unit_head=is_unit_head,
                     position=text(position, "position", limit=MAX_NAME),
                     effective_from=effective_from)

    def assign_supervisor(self, meta: Meta, supervisor: Employee | None,
                          effective_from: date) -> None:
        if supervisor is not None and supervisor.id == self.id:
            raise NotAllowedError("an ASN cannot supervise themself")
        self._check_not_before_last(effective_from, self.reporting_line)
        self._record(self.SupervisorAssigned, meta, effective_from=effective_from,
                     supervisor_id=str(supervisor.id) if supervisor else None,
                     supervisor_nip=supervisor.nip if supervisor else None)

    def appoint_acting(self, meta: Meta, kind: str, acting: Employee, start: date, end: date,
                       letter_number: str, letter_date: date) -> None:
        """A Plt or Plh acts as this ASN's direct supervisor from ``start`` to ``end``: rates,
        agrees plans, finalises in the tenure (UU 30/2014 Pasal 14; SE BKN 2/SE/VII/2019)."""
        if kind not in ACTING_KINDS:
            raise InvalidValueError(f"an acting official is a {' or a '.join(ACTING_KINDS)}")
        if acting.id == self.id:
            raise NotAllowedError("an ASN cannot act as their own supervisor")
        if end < start:
            raise InvalidValueError(f"the tenure ends ({end}) before it starts ({start})")
        if letter_date > start:
            raise InvalidValueError(f"the appointment letter is dated ({letter_date}) after the"
                                    f" tenure starts ({start})")
        for held in self.acting:
            if held["start"] <= end.isoformat() and start.isoformat() <= held["end"]:
                raise InvalidStateError(f"the tenure overlaps {held['acting_nip']}'s"
                                        f" ({held['start']} to {held['end']})")
        self._record(self.ActingSupervisorAppointed, meta, kind=kind, acting_id=str(acting.id),
                     acting_nip=acting.nip, start=start, end=end, letter_date=letter_date,
                     letter_number=text(letter_number, "letter number", limit=MAX_CODE))

    def record_leave(self, meta: Meta, kind: str, start: date, end: date, decree_number: str,
                     decree_date: date) -> None:
        """Cuti besar, CLTN, tugas belajar or pemberhentian sementara from ``start`` to ``end``
        (both included), under a decree that may be dated after the start (a suspension is
        often decided after the fact), never after today. Never overlapping another."""
        if kind not in LEAVE_KINDS:
            raise InvalidValueError(f"a period without service is one of {', '.join(LEAVE_KINDS)}")
        if end < start:
            raise InvalidValueError(f"the period ends ({end}) before it starts ({start})")
        if decree_date > local_day(meta.at):
            raise InvalidValueError("the decree cannot be dated after today")
        for held in self.leave:
            if held["start"] <= end.isoformat() and start.isoformat() <= held["end"]:
                raise LeaveOverlapsError(f"the period overlaps the {held['kind']} from"
                                         f" {held['start']} to {held['end']}")
        self._record(self.LeaveRecorded, meta, kind=kind, start=start, end=end,
                     decree_number=text(decree_number, "decree number", limit=MAX_CODE),
                     decree_date=decree_date)

    def inactive_within(self, period: Period) -> list[InactiveSpanState]:
        """The leave that falls within the period, each clipped to it, in order of time."""
        first, last = period.start.isoformat(), period.end.isoformat()
        return [{"kind": held["kind"], "start": max(held["start"], first),
                 "end": min(held["end"], last), "decree_number": held["decree_number"]}
                for held in self.leave if held["start"] <= last and first <= held["end"]]

    def supervisor_on(self, day: date) -> str | None:
        """The NIP of who rates as direct supervisor on ``day``: a Plt/Plh in their tenure,
        otherwise the atasan langsung by the line then."""
        tenure = tenure_on(self.acting, day)
        if tenure is not None:
            return tenure["acting_nip"]
        line = in_force(self.reporting_line, day)
        return line["supervisor_nip"] if line is not None else None

    def acting_on(self, day: date) -> ActingCapacity | None:
        """The capacity in which the supervisor on ``day`` acts, to be written on what they
        do: a Plt/Plh tenure then, standing in for the atasan langsung by the line (None: the
        atasan langsung rates in their own right)."""
        tenure = tenure_on(self.acting, day)
        if tenure is None:
            return None
        line = in_force(self.reporting_line, day)
        return {"kind": tenure["kind"], "letter_number": tenure["letter_number"],
                "letter_date": tenure["letter_date"], "start": tenure["start"],
                "end": tenure["end"], "in_place_of": line["supervisor_nip"] if line else None}

    def unit_on(self, day: date) -> str | None:
        post = in_force(self.postings, day)
        return post["unit_id"] if post is not None else None

    def is_unit_head_on(self, day: date) -> bool:
        post = in_force(self.postings, day)
        # bool(): a Transferred event records is_unit_head as the caller gave it.
        return post is not None and bool(post["is_unit_head"])

    @staticmethod
    def _check_not_before_last(day: date, history: Sequence[Dated]) -> None:
        # Back-dating before the latest change would rewrite what was in force: use a correction.
        if history and day.isoformat() < history[-1]["from"]:
            raise InvalidStateError(f"{day} is before the latest change ({history[-1]['from']})")


def with_acting(entry: Acted, capacity: ActingJSON | None) -> Acted:
    """The state entry of an act, with its ``acting`` key only when a Plt/Plh did it."""
    if capacity is not None:
        entry["acting"] = as_capacity(capacity)
    return entry


def as_capacity(stored: ActingJSON) -> ActingCapacity:
    # The event's field holds exactly an ActingCapacity's keys: acting_on wrote it.
    return cast(ActingCapacity, dict(stored))


def recorded_before_acting(state: dict[str, Any]) -> None:
    """Upcast of an act stored before acts recorded their capacity: recorded as not acting
    (then, a Plt/Plh's capacity was read from the ASN's tenure on the day)."""
    state["acting"] = None


def posting(day: date, unit: str, position: str, head: bool) -> PostingState:
    return {"from": day.isoformat(), "unit_id": unit, "position": position, "is_unit_head": head}


def line_entry(day: date, supervisor_id: str | None,
               supervisor_nip: str | None) -> LineEntryState:
    return {"from": day.isoformat(), "supervisor_id": supervisor_id,
            "supervisor_nip": supervisor_nip}


def leave_entry(event: Employee.LeaveRecorded) -> LeaveState:
    return {"kind": event.kind, "start": event.start.isoformat(), "end": event.end.isoformat(),
            "decree_number": event.decree_number, "decree_date": event.decree_date.isoformat()}


def leave_on(leave: Sequence[LeaveState], day: date) -> LeaveState | None:
    """The leave or inactive period that covers ``day`` (they never overlap)."""
    return next((held for held in leave if held["start"] <= day.isoformat() <= held["end"]),
                None)


def tenure_on(tenures: Sequence[ActingState], day: date) -> ActingState | None:
    """The Plt/Plh tenure that covers ``day`` (tenures never overlap)."""
    return next((t for t in tenures if t["start"] <= day.isoformat() <= t["end"]), None)


def in_force(history: Sequence[Dated], day: date) -> Dated | None:
    """The entry in force on ``day``: the last one from that day or before (None: none yet)."""
    current = None
    for entry in history:  # short lists, ordered by date
        if entry["from"] > day.isoformat():
            break
        current = entry
    return current


__all__ = ["Employee", "Unit", "ancestry", "as_capacity", "employee_id", "in_force",
           "leave_entry", "leave_on", "line_entry", "opd_of", "posting",
           "recorded_before_acting", "tenure_on", "unit_id", "with_acting"]
