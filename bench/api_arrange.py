"""Our store, arranged through the Application's use cases for the API load benchmark.

Each client is one rater with a reporting line of its own (head -> rater -> ASN) in a unit of
its own; every ASN has a 2024 evaluation with its plan agreed (cascading from the rater's, which
cascades from the head's) and its report submitted, ready to rate. The clock stands at 6 January
2025, inside the reporting window; the service under load runs on the real clock, so its
ratings are late (allowed, and flagged).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from uuid import UUID

from bench.common import Clock
from domain.values import PlanLine, Realisation
from ledger.db import LedgerDB
from service.application import Actor, KinerjaApplication
from service.config import Settings
from service.store import open_app
from service.tokens import TokenStore

REPORT_DAY = datetime(2025, 1, 6, 8, 0, tzinfo=timezone.utc)
PERIOD = "2024"
ADMIN = Actor("system:bench", "admin")
TOP_RATER = "pejabat:walikota"
LINE_START = date(2024, 1, 1)


@dataclass(frozen=True)
class Rater:
    """One client's identity and the evaluations only it rates."""

    nip: str
    token: str
    evaluations: tuple[UUID, ...]


class Arranger:
    def __init__(self, app: KinerjaApplication) -> None:
        self.app = app
        self.people = 0

    def rater(self, unit: str, staff: int) -> Rater:
        """A unit with a head, a rater under them and ``staff`` ASN under the rater."""
        self.app.establish_unit(ADMIN, unit, f"Unit benchmark {unit}")
        head = self._employee(unit, "Kepala", None, is_unit_head=True)
        rater = self._employee(unit, "Kepala Bidang", head)
        self._agreed(head, TOP_RATER, supports="")
        self._agreed(rater, head, supports=f"{head}-1")
        evaluations = tuple(self._reported(self._employee(unit, "Analis", rater), rater)
                            for _ in range(staff))
        token = TokenStore(LedgerDB.of(self.app.recorder)).issue(rater, "reviewer")
        return Rater(rater, token, evaluations)

    def _employee(self, unit: str, position: str, supervisor: str | None, *,
                  is_unit_head: bool = False) -> str:
        self.people += 1
        born = date(1965, 1, 1) + timedelta(days=self.people)
        nip = f"{born:%Y%m%d}199001{self.people % 2 + 1}{self.people % 999 + 1:03d}"
        self.app.register_employee(ADMIN, nip, f"Pegawai {self.people}", unit_code=unit,
                                   position=position, effective_from=LINE_START,
                                   is_unit_head=is_unit_head, supervisor_nip=supervisor)
        return nip

    def _agreed(self, nip: str, rater: str, *, supports: str) -> UUID:
        evaluation = self.app.open_evaluation(ADMIN, nip, PERIOD, top_rater=TOP_RATER).id
        line = PlanLine(f"{nip}-1", "utama", supports, "Verifikasi berkas", "quantity",
                        "berkas", "500")
        self.app.draft_plan(Actor(nip, "asn"), evaluation, "quantitative", [line])
        self.app.agree_plan(Actor(rater, "reviewer"), evaluation)
        return evaluation

    def _reported(self, nip: str, rater: str) -> UUID:
        evaluation = self._agreed(nip, rater, supports=f"{rater}-1")
        self.app.submit_report(Actor(nip, "asn"), evaluation, [Realisation(f"{nip}-1", "520")],
                               "cepat", "server lambat", "lanjut")
        return evaluation


def arrange_ours(url: str, clients: int, per_client: int) -> list[Rater]:
    """``clients`` raters of ``per_client`` reported evaluations each, on a store made already."""
    app = open_app(Settings(url), sign=False, clock=Clock(REPORT_DAY))
    try:
        arranger = Arranger(app)
        return [arranger.rater(f"API{n}", per_client) for n in range(clients)]
    finally:
        app.close()
