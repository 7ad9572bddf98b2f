"""Changes to the reporting line in the demo: mid-year transfers, and someone on leave whose
staff a Plt rates meanwhile.

Someone on leave: a section head takes cuti di luar tanggungan negara (CLTN), which frees
their post, so the official above them is appointed Plt for their staff for a tenure that
covers the anchor quarter's ratings (``demo.today.Waiting``). The leave is recorded on the
section head (``record_leave``): their evaluations in it are shortened, or excused when a whole
period falls in it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from demo.agenda import ADMIN, Demo
from demo.org import STAFF, Move, OrgChart
from demo.today import Waiting

LETTER_BEFORE = 3  # days: the Plt's appointment letter comes before the tenure starts


@dataclass(frozen=True)
class Leave:
    nip: str  # the section head on leave
    kind: str
    start: date
    end: date
    acting: str  # the Plt: the official above them
    staff: tuple[str, ...]  # whom the Plt rates

    @property
    def letter_date(self) -> date:
        return self.start - timedelta(LETTER_BEFORE)


def plan_leave(chart: OrgChart, waiting: Waiting) -> Leave:
    head = chart.person(chart.heads[waiting.acting])
    assert head.supervisor is not None  # a section head always has a head of division
    staff = tuple(p.nip for p in chart.people if p.unit == waiting.acting and p.level == STAFF)
    return Leave(head.nip, "cltn", *waiting.tenure, head.supervisor, staff)


def go_on_leave(demo: Demo, leave: Leave) -> None:
    """The section head leaves (BKPP's decree); the official above them is Plt for their
    staff meanwhile."""
    number = f"800/{leave.letter_date:%m%d}/PLT/{leave.letter_date.year}"
    demo.call(demo.app.record_leave, ADMIN, leave.nip, kind=leave.kind, start=leave.start,
              end=leave.end, decree_number=f"800/{leave.letter_date:%m%d}/CLTN/"
              f"{leave.letter_date.year}", decree_date=leave.letter_date)
    for nip in leave.staff:
        demo.call(demo.app.appoint_acting_supervisor, ADMIN, nip, leave.acting, kind="Plt",
                  start=leave.start, end=leave.end, letter_number=number,
                  letter_date=leave.letter_date)


def move(demo: Demo, planned: Move) -> None:
    """Mutasi or rotation: a new post and, from the same day, a new direct supervisor; the
    open evaluations move with the ASN, the SKP handed over."""
    today = demo.day
    demo.call(demo.app.transfer_employee, ADMIN, planned.nip, unit_code=planned.unit,
              position=planned.position, effective_from=today,
              supervisor_nip=planned.supervisor,
              handover_note="SKP diserahterimakan ke atasan baru")
    person = demo.chart.person(planned.nip)
    person.opd, person.unit, person.position, person.supervisor = (
        planned.opd, planned.unit, planned.position, planned.supervisor)
