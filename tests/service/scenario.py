"""Arrange through the Application's own use cases: a unit, a reporting line, an evaluation."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from domain.organisation import Unit
from domain.values import PlanLine, Realisation
from service.application import Actor, KinerjaApplication

ADMIN = Actor("system:test", "admin")
WALIKOTA = "pejabat:walikota"
_serial = itertools.count(1)


def new_nip(birth_year: int = 1975, sex: str = "1") -> str:
    n = next(_serial)
    return f"{birth_year}{(n % 12) + 1:02d}01{birth_year + 25}01{sex}{n % 999 + 1:03d}"


@dataclass
class Line:
    """A three-person reporting line: head -> rater -> asn, in one unit."""

    unit: str
    head: str
    rater: str
    asn: str

    def actor(self, who: str, role: str = "asn") -> Actor:
        return Actor(getattr(self, who), role)


def reporting_line(app: KinerjaApplication, code: str | None = None) -> Line:
    code = code or f"U{next(_serial)}"
    app.establish_unit(ADMIN, code, f"Unit {code}")
    app.set_service_standard(ADMIN, code, ["Antrian tertib", "Petugas ramah"])
    head, rater, asn = (new_nip(1965 + i * 5) for i in range(3))
    start = date(2024, 1, 1)
    app.register_employee(ADMIN, head, "Kepala", unit_code=code, position="Kepala Dinas",
                          effective_from=start, is_unit_head=True)
    app.register_employee(ADMIN, rater, "Kabid", unit_code=code, position="Kepala Bidang",
                          effective_from=start, supervisor_nip=head)
    app.register_employee(ADMIN, asn, "Staf", unit_code=code, position="Analis",
                          effective_from=start, supervisor_nip=rater)
    return Line(code, head, rater, asn)


def agreed_plans(app: KinerjaApplication, line: Line, period: str = "2024"):
    """Plans cascade top-down; returns the ASN's evaluation with its plan agreed."""
    supports = ""
    evaluation = None
    for who, rater in (("head", WALIKOTA), ("rater", line.head), ("asn", line.rater)):
        nip = getattr(line, who)
        evaluation = app.open_evaluation(ADMIN, nip, period, top_rater=WALIKOTA)
        app.draft_plan(Actor(nip, "asn"), evaluation.id, "quantitative",
                       [PlanLine(f"{who}-1", "utama", supports, "Hasil", "quantity", "IKI", "10")])
        app.agree_plan(Actor(rater, "reviewer"), evaluation.id)
        supports = f"{who}-1"
    return evaluation


REPORT_DAY = datetime(2025, 1, 6, 8, 0, tzinfo=timezone.utc)


def reported(app: KinerjaApplication, clock, line: Line):
    evaluation = agreed_plans(app, line)
    clock.now = REPORT_DAY
    app.submit_report(line.actor("asn"), evaluation.id, [Realisation("asn-1", "12")],
                      "capaian", "kendala", "rencana")
    return evaluation


def finalised(app: KinerjaApplication, clock, line: Line, results="above", behaviour="meets"):
    return rated_and_finalised(app, line, reported(app, clock, line), results, behaviour)


def rated_and_finalised(app: KinerjaApplication, line: Line, evaluation, results="above",
                        behaviour="meets", curve_departure: str = ""):
    reviewer = line.actor("rater", "reviewer")
    app.record_rating(reviewer, evaluation.id, "results", results, reason="hasil")
    app.record_rating(reviewer, evaluation.id, "behaviour", behaviour, reason="perilaku")
    return app.finalise(reviewer, evaluation.id, curve_departure=curve_departure)


def appoint(app: KinerjaApplication, line: Line, kind: str, whose: str, start: date,
            end: date, supervisor: str | None = None) -> str:
    """A new official of the line's unit (under ``supervisor``, else the line's head) acting
    as ``whose`` direct supervisor from ``start`` to ``end``; their NIP."""
    official = new_nip(1972)
    app.register_employee(ADMIN, official, f"{kind} pejabat", unit_code=line.unit,
                          position="Kepala Seksi", effective_from=date(2024, 1, 1),
                          supervisor_nip=supervisor or line.head)
    app.appoint_acting_supervisor(ADMIN, whose, official, kind=kind, start=start, end=end,
                                  letter_number=f"800/{official[-3:]}/{start.year}",
                                  letter_date=start - timedelta(days=3))
    return official


def with_plh(app: KinerjaApplication, line: Line, start: date = date(2025, 1, 6),
             end: date = date(2025, 1, 31), supervisor: str | None = None) -> Line:
    """A Plh for the ASN from ``start`` to ``end``, standing in for the rater: the line as it
    is in the tenure (its ``rater`` is the Plh)."""
    plh = appoint(app, line, "Plh", line.asn, start, end, supervisor)
    return Line(line.unit, line.head, plh, line.asn)


def graded(app: KinerjaApplication, line: Line, predikat: str, period: str = "2024") -> str:
    """The penetapan of the line's unit, dated the report day, by an official put above its
    head from December (after the head's plan was agreed by the regional head); returns the
    official's NIP."""
    official = new_nip(1960)
    app.register_employee(ADMIN, official, "Sekda", unit_code=line.unit,
                          position="Sekretaris Daerah", effective_from=date(2024, 1, 1))
    app.assign_supervisor(ADMIN, line.head, official, effective_from=date(2024, 12, 1))
    app.set_organisation_predikat(Actor(official, "reviewer"), line.unit, period, predikat,
                                  document_number=f"800/{official[-3:]}/2025",
                                  document_date=REPORT_DAY.date(), head_nip=line.head)
    return official


def reported_staff(app: KinerjaApplication, clock, unit: str, rater: str):
    """A new staff member of ``unit`` rated by ``rater`` (named at opening: no line in the
    system), their evaluation for 2024 up to the report."""
    nip = new_nip(1990)
    app.register_employee(ADMIN, nip, "Staf", unit_code=unit, position="Perawat",
                          effective_from=date(2024, 1, 1))
    clock.set(2024, 1, 8, 9)
    evaluation = app.open_evaluation(ADMIN, nip, "2024", top_rater=rater)
    app.draft_plan(Actor(nip, "asn"), evaluation.id, "quantitative",
                   [PlanLine("s-1", "utama", "", "Layanan", "quantity", "pasien", "100")])
    app.agree_plan(Actor(rater, "reviewer"), evaluation.id)
    clock.now = REPORT_DAY
    return app.submit_report(Actor(nip, "asn"), evaluation.id, [Realisation("s-1", "120")],
                             "capaian", "kendala", "rencana")


@dataclass
class City:
    """A city, one OPD under it with a section below; the Sekda above the OPD's head."""

    opd: str
    section: str
    sekda: str
    kadis: str

    def grade(self, app: KinerjaApplication, predikat: str, by: str | None = None,
              unit: str | None = None) -> Unit:
        """The penetapan for 2024, dated the report day."""
        return app.set_organisation_predikat(Actor(by or self.sekda, "reviewer"),
                                             unit or self.opd, "2024", predikat,
                                             document_number="800/7/2025",
                                             document_date=REPORT_DAY.date(),
                                             head_nip=self.kadis)


def city(app: KinerjaApplication) -> City:
    n = next(_serial)
    root, opd, section = f"KOTA{n}", f"DINKES{n}", f"DINKES{n}.1"
    app.establish_unit(ADMIN, root, "Pemerintah Kota")
    app.establish_unit(ADMIN, opd, "Dinas Kesehatan", parent_code=root)
    app.establish_unit(ADMIN, section, "Bidang Pelayanan", parent_code=opd)
    sekda, kadis = new_nip(1962), new_nip(1966)
    start = date(2024, 1, 1)
    app.register_employee(ADMIN, sekda, "Sekda", unit_code=root, position="Sekretaris Daerah",
                          effective_from=start, is_unit_head=True)
    app.register_employee(ADMIN, kadis, "Kadis", unit_code=opd, position="Kepala Dinas",
                          effective_from=start, is_unit_head=True, supervisor_nip=sekda)
    return City(opd, section, sekda, kadis)
