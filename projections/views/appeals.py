"""One row per keberatan: who filed, against whom, before whom, deadline, decision."""

from typing import NotRequired, TypedDict  # evaluated at once: NotRequired is seen only so

from domain.calendar import PeriodCalendar
from domain.evaluation import Evaluation
from domain.inspection import Inspection
from domain.keberatan import Keberatan
from domain.organisation import Employee, Unit
from domain.skm import Survey
from projections.view import Doc
from projections.views.base import EventView, at, on

OPEN = "open"  # the outcome of a keberatan not yet decided (decided: domain.keberatan.OUTCOMES)


class AppealDoc(TypedDict):
    """One keberatan's row, as the handlers below write it (``tests/projections`` checks)."""

    keberatan_id: str
    evaluation_id: str
    nip: str
    rater_nip: str | None  # as KeberatanState.rater_nip
    authority_nip: str | None  # None until BKPP assigns one (everyone in line took part)
    passed_over: list[str]  # NIPs passed over up the line for having taken part
    predikat: str
    filed_at: str
    decision_due: str
    outcome: str  # OPEN, or one of domain.keberatan.OUTCOMES
    decided_at: str | None
    overdue: bool | None  # decided late; None while open
    decided_by: NotRequired[str]
    decided_as: NotRequired[str]  # "Plt" or "Plh": the authority decided as an acting official


class AppealsView(EventView):
    name = "appeals"
    document = AppealDoc
    columns = {"evaluation_id": "text", "nip": "text", "rater_nip": "text",
               "authority_nip": "text", "outcome": "text"}
    ignores = (Keberatan.ExplanationRecorded, Unit, Employee, Evaluation, Inspection, Survey,
               PeriodCalendar)

    @on(Keberatan.Filed)
    def on_Filed(self, doc: Doc, e) -> Doc:
        return {"keberatan_id": str(e.originator_id), "evaluation_id": e.evaluation_id,
                "nip": e.nip, "rater_nip": e.rater_nip, "authority_nip": e.authority_nip,
                "passed_over": [p["nip"] for p in e.passed_over],
                "predikat": e.predikat, "filed_at": at(e),
                "decision_due": e.decision_due.isoformat(), "outcome": OPEN,
                "decided_at": None, "overdue": None}

    @on(Keberatan.AuthorityAssigned)
    def on_AuthorityAssigned(self, doc: Doc, e) -> Doc:
        return doc | {"authority_nip": e.authority_nip}

    @on(Keberatan.Decided)
    def on_Decided(self, doc: Doc, e) -> Doc:
        return doc | {"outcome": e.outcome, "decided_at": at(e), "decided_by": e.actor,
                      "overdue": e.overdue,
                      **({"decided_as": e.acting["kind"]} if e.acting else {})}
