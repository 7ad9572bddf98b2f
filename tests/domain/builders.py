"""Arrange through the domain's own commands: a unit, a reporting line, an evaluation by stage."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from domain.base import Meta
from domain.conflict import involvement
from domain.evaluation import Evaluation
from domain.keberatan import Keberatan
from domain.organisation import Employee, Unit
from domain.periods import parse_period
from domain.rules import RuleBook
from domain.skm import ELEMENTS
from domain.values import PlanLine, Realisation

ADMIN = "system:test"
HEAD_NIP = "197001012000031001"  # the rater's supervisor: decides keberatan
RATER_NIP = "197501012000031002"
ASN_NIP = "198001012005011001"
T0 = datetime(2024, 1, 8, 9, 0, tzinfo=timezone.utc)
RULES = RuleBook()


def meta(actor: str = ADMIN, role: str = "admin", at: datetime = T0, reason: str = "") -> Meta:
    return Meta(actor=actor, role=role, at=at, request_id="req-test", reason=reason)


def asn(at: datetime = T0, reason: str = "") -> Meta:
    return meta(ASN_NIP, "asn", at, reason)


def rater(at: datetime = T0, reason: str = "") -> Meta:
    return meta(RATER_NIP, "reviewer", at, reason)


def head(at: datetime = T0, reason: str = "") -> Meta:
    return meta(HEAD_NIP, "appeal_board", at, reason)


def unit() -> Unit:
    u = Unit.establish(meta(), "DISDUKCAPIL", "Dinas Kependudukan dan Pencatatan Sipil")
    u.set_service_standard(meta(), ["Antrian tertib", "Petugas ramah", "Biaya sesuai tarif"])
    return u


def staff(u: Unit, *, is_unit_head: bool = False) -> tuple[Employee, Employee]:
    """The evaluated ASN and their direct supervisor, on one reporting line from 1 Jan 2024."""
    boss = Employee.register(meta(), RATER_NIP, "Siti Rahayu", unit=u, position="Kepala Bidang",
                             effective_from=date(2024, 1, 1))
    worker = Employee.register(meta(), ASN_NIP, "Budi Santoso", unit=u, position="Analis",
                               effective_from=date(2024, 1, 1), is_unit_head=is_unit_head)
    worker.assign_supervisor(meta(), boss, date(2024, 1, 1))
    return worker, boss


LINES = [PlanLine("S1", "utama", "R1", "Verifikasi berkas KTP", "quantity", "berkas", "500"),
         PlanLine("S2", "tambahan", "R2", "Sosialisasi", "quality", "peserta puas", "80%")]


def evaluation(stage: str = "opened", *, is_unit_head: bool = False) -> Evaluation:
    """An annual 2024 evaluation moved through the cycle up to ``stage``."""
    worker, _ = staff(unit(), is_unit_head=is_unit_head)
    ev = Evaluation.open(meta(), worker, parse_period("2024"), rater_nip=RATER_NIP,
                         report_due=date(2025, 1, 10), rating_due=date(2025, 1, 31))
    steps = ["drafted", "agreed", "reported", "rated", "finalised"]
    for step in steps[: steps.index(stage) + 1] if stage in steps else []:
        _STEPS[step](ev, is_unit_head)
    return ev


AT_REPORT = datetime(2025, 1, 6, 8, 0, tzinfo=timezone.utc)


def _rate(ev: Evaluation, unit_head: bool) -> None:
    basis = "unit_achievement" if unit_head else "rater"
    ev.record_rating(rater(AT_REPORT + timedelta(days=1), "target terlampaui"), RATER_NIP,
                     "results", "above", basis=basis)
    ev.record_rating(rater(AT_REPORT + timedelta(days=1), "perilaku baik"), RATER_NIP,
                     "behaviour", "meets")


_STEPS = {
    "drafted": lambda ev, _: ev.draft_plan(asn(), "quantitative", LINES, {"akuntabel": "tepat"}),
    "agreed": lambda ev, _: ev.agree_plan(rater(), RATER_NIP, ["R1", "R2"]),
    "reported": lambda ev, _: ev.submit_report(asn(AT_REPORT), [Realisation("S1", "520")],
                                               "cepat", "server lambat", "digitalisasi"),
    "rated": _rate,
    "finalised": lambda ev, _: ev.finalise(rater(AT_REPORT + timedelta(days=2)), RATER_NIP, RULES),
}


def took_part(ev: Evaluation) -> dict[str, list[str]]:
    """Who took part in ``ev`` so far, read from its (not yet collected) events."""
    return involvement(ev.pending_events)


def filed_on(at: Meta, ev: Evaluation, grounds: str = "x") -> Keberatan:
    """A keberatan filed by ``at``'s actor, decided by the head (who took no part)."""
    return Keberatan.file(at, ev, grounds, chain=[HEAD_NIP], involved=took_part(ev), rules=RULES)


def event_names(aggregate) -> list[str]:
    return [type(e).__name__ for e in aggregate.collect_events()]


def answers(*values: int) -> dict[str, int]:
    """One SKM response: these answers given, by name, to the elements in ELEMENTS order."""
    return dict(zip(ELEMENTS, values, strict=True))


OFFICIAL_NIP = "196501012000031004"  # the Sekda: the official above an OPD's head
CHIEF_NIP = "196801012000031005"  # the OPD's head (kepala dinas)


def led(u: Unit) -> tuple[Employee, Employee]:
    """The unit's head from 1 Jan 2024, and the official above them (in the unit above)."""
    chief = Employee.register(meta(), CHIEF_NIP, "Kepala Dinas", unit=u, position="Kepala Dinas",
                              effective_from=date(2024, 1, 1), is_unit_head=True)
    official = Employee.register(meta(), OFFICIAL_NIP, "Sekretaris Daerah", unit=u,
                                 position="Sekretaris Daerah", effective_from=date(2024, 1, 1))
    chief.assign_supervisor(meta(), official, date(2024, 1, 1))
    return chief, official


def official(at: datetime = T0, reason: str = "") -> Meta:
    return meta(OFFICIAL_NIP, "reviewer", at, reason)


def graded(u: Unit, predikat: str = "Baik", period: str = "2024") -> Unit:
    """The penetapan of the unit's predikat by the official above its head."""
    chief, _ = led(u)
    u.set_organisation_predikat(official(), parse_period(period), predikat,
                                document_number="800/1/2024", document_date=T0.date(),
                                head=chief, parent=None)
    return u


def year(stage: str = "agreed") -> tuple[Employee, Evaluation]:
    """An ASN and their annual 2024 evaluation, its SKP drafted (and agreed)."""
    worker, _ = staff(unit())
    annual = Evaluation.open(meta(), worker, parse_period("2024"), rater_nip=RATER_NIP,
                             report_due=date(2025, 1, 10), rating_due=date(2025, 1, 31))
    annual.draft_plan(asn(), "quantitative", LINES, {"akuntabel": "tepat"})
    if stage == "agreed":
        annual.agree_plan(rater(), RATER_NIP, ["R1", "R2"])
    return worker, annual


def periodic(worker: Employee, annual: Evaluation | None, key: str = "2024-Q4") -> Evaluation:
    """A periodic evaluation of 2024 opened on ``annual``'s SKP."""
    return Evaluation.open(meta(), worker, parse_period(key), rater_nip=RATER_NIP,
                           report_due=date(2025, 1, 10), rating_due=date(2025, 1, 31),
                           skp=annual)
