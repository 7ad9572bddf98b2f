"""Arrange through the Application's own use cases: a unit, a reporting line, an evaluation."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date, datetime, timezone

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
    evaluation = reported(app, clock, line)
    reviewer = line.actor("rater", "reviewer")
    app.record_rating(reviewer, evaluation.id, "results", results, reason="hasil")
    app.record_rating(reviewer, evaluation.id, "behaviour", behaviour, reason="perilaku")
    return app.finalise(reviewer, evaluation.id)
