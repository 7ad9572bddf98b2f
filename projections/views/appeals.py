"""One row per keberatan: who filed, against whom, before whom, deadline, decision."""

from __future__ import annotations

from domain.evaluation import Evaluation
from domain.inspection import Inspection
from domain.keberatan import Keberatan
from domain.organisation import Employee, Unit
from domain.skm import Survey
from projections.view import Doc
from projections.views.base import EventView, at, on


class AppealsView(EventView):
    name = "appeals"
    columns = {"evaluation_id": "text", "nip": "text", "rater_nip": "text",
               "authority_nip": "text", "outcome": "text"}
    ignores = (Keberatan.ExplanationRecorded, Unit, Employee, Evaluation, Inspection, Survey)

    @on(Keberatan.Filed)
    def on_Filed(self, doc: Doc, e) -> Doc:
        return {"keberatan_id": str(e.originator_id), "evaluation_id": e.evaluation_id,
                "nip": e.nip, "rater_nip": e.rater_nip, "authority_nip": e.authority_nip,
                "predikat": e.predikat, "filed_at": at(e),
                "decision_due": e.decision_due.isoformat(), "outcome": "open",
                "decided_at": None, "overdue": None}

    @on(Keberatan.Decided)
    def on_Decided(self, doc: Doc, e) -> Doc:
        return doc | {"outcome": e.outcome, "decided_at": at(e), "decided_by": e.actor,
                      "overdue": e.overdue}
