"""Our application on a scratch store, and the records a benchmark needs before it times anything.

Setup goes through the domain's own commands and ``commit`` (a hundred records per transaction,
to be quick); what a benchmark times goes through the Application's use cases.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from uuid import UUID

from bench.common import Clock, Store, chunks
from domain.evaluation import Evaluation
from domain.organisation import Employee, Unit
from domain.periods import parse_period
from domain.values import PlanLine, Realisation
from service.application import Actor, KinerjaApplication
from service.config import Settings
from service.store import init_db, open_app

NOW = datetime(2025, 1, 3, tzinfo=timezone.utc)  # after the 2024 period, before reports are due
PERIOD = parse_period("2024")
ADMIN = Actor("system:bench", "admin")
RATER = Actor("pejabat:bench", "reviewer")  # rates every ASN here: each heads a reporting line
COMMENT = "Terima kasih atas laporannya; mohon lampirkan bukti layanan bulan Desember."


def open_ours(store: Store) -> KinerjaApplication:
    """Our application as it runs: configured by URL, tables made once, the ledger inline."""
    settings = Settings(store.url)
    init_db(settings)
    return open_app(settings, clock=Clock(NOW))


class WithoutLedger(KinerjaApplication):
    """Our domain and metadata on the library's own recorders: what the ledger adds, left out."""

    name = "KinerjaWithoutLedger"  # its own tables beside ours on PostgreSQL


def open_without_ledger(store: Store) -> KinerjaApplication:
    return WithoutLedger(store.library_env("without_ledger"), clock=Clock(NOW))


class Org:
    """One unit and as many ASN, each with an evaluation for 2024, as a benchmark asks for."""

    def __init__(self, app: KinerjaApplication) -> None:
        self.app = app
        self.serial = 0
        self.unit = Unit.establish(app.meta(ADMIN), "BENCH", "Unit benchmark")
        app.commit(self.unit)

    def evaluations(self, count: int, *, reported: bool = False) -> list[UUID]:
        """``count`` new evaluations (opened, or reported and ready to rate)."""
        made = []
        for chunk in chunks(range(count), 50):
            records = [record for _ in chunk for record in self._employee_evaluation(reported)]
            self.app.commit(*records)
            made += [record.id for record in records[1::2]]
        return made

    def grow(self, evaluation_id: UUID, comments: int, per_save: int = 20) -> None:
        """Add ``comments`` comments, ``per_save`` to a transaction (snapshots as they fall due)."""
        for chunk in chunks(range(comments), per_save):
            evaluation = self.app.evaluation(evaluation_id)
            for _ in chunk:
                evaluation.comment(self.app.meta(RATER), COMMENT)
            self.app.commit(evaluation)

    def _employee_evaluation(self, reported: bool) -> tuple[Employee, Evaluation]:
        meta, nip = self.app.meta(ADMIN), self._next_nip()
        employee = Employee.register(meta, nip, "Pegawai Benchmark", unit=self.unit,
                                     position="Analis", effective_from=date(2024, 1, 1))
        report_due, rating_due = self.app.calendar.deadlines(PERIOD.key, PERIOD.end)
        evaluation = Evaluation.open(meta, employee, PERIOD, rater_nip=RATER.id,
                                     report_due=report_due, rating_due=rating_due)
        if reported:
            self._report(evaluation, Actor(nip, "asn"))
        return employee, evaluation

    def _report(self, evaluation: Evaluation, asn: Actor) -> None:
        line = PlanLine("S1", "utama", "", "Verifikasi berkas", "quantity", "berkas", "500")
        evaluation.draft_plan(self.app.meta(asn), "quantitative", [line])
        evaluation.agree_plan(self.app.meta(RATER), None, None)
        evaluation.submit_report(self.app.meta(asn), [Realisation("S1", "520")],
                                 "cepat", "server lambat", "lanjut")

    def _next_nip(self) -> str:
        self.serial += 1
        born = date(1970, 1, 1) + timedelta(days=self.serial // 999)
        return f"{born:%Y%m%d}2000011{self.serial % 999 + 1:03d}"
