"""SKM survey totals per unit and period; the index is computed from them when read."""

from __future__ import annotations

from typing import TypedDict

from domain.calendar import PeriodCalendar
from domain.evaluation import Evaluation
from domain.inspection import Inspection
from domain.keberatan import Keberatan
from domain.organisation import Employee, Unit
from domain.skm import ELEMENTS, Survey, tallied
from projections.view import Doc
from projections.views.base import EventView, on


class SurveyDoc(TypedDict):
    """One survey's totals, as ``SurveysView`` writes them (``tests/projections`` checks)."""

    survey_id: str
    unit_id: str
    period: str
    totals: list[int]  # sum of the answers, per element in ELEMENTS order, as SurveyState
    counts: list[int]  # number of answers, per element in ELEMENTS order
    responses: int


class SurveysView(EventView):
    name = "surveys"
    document = SurveyDoc
    columns = {"unit_id": "text", "period": "text"}
    ignores = (Unit, Employee, Evaluation, Keberatan, Inspection, PeriodCalendar)

    @on(Survey.Opened)
    def on_Opened(self, doc: Doc, e) -> Doc:
        return {"survey_id": str(e.originator_id), "unit_id": e.unit_id, "period": e.period,
                "totals": [0] * len(ELEMENTS), "counts": [0] * len(ELEMENTS), "responses": 0}

    @on(Survey.ResponsesRecorded)
    def on_ResponsesRecorded(self, doc: Doc, e) -> Doc:
        totals, counts = tallied(doc["totals"], doc["counts"], e.responses)
        return doc | {"totals": totals, "counts": counts,
                      "responses": doc["responses"] + len(e.responses)}
