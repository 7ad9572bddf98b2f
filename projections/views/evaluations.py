"""One row per evaluation: stage, ratings, predikat, who rated, lateness, revisions, keberatan.

Dashboards, the reviewer's queue and the fairness signals are queries over these rows.
"""

from __future__ import annotations

from projections.view import Doc
from projections.views.base import TopicView, at

E = "kinerja/Evaluation/"


class EvaluationsView(TopicView):
    name = "evaluations"
    columns = {"nip": "text", "employee_id": "text", "unit_id": "text", "period": "text",
               "year": "int", "stage": "text", "predikat": "text", "finalised_by": "text"}
    topics = tuple(E + n for n in (
        "Opened", "PlanDrafted", "PlanAgreed", "ReportSubmitted", "RatingRecorded",
        "RatingRevised", "TeamAssigned", "TeamReviewRecorded", "Finalised", "OutcomeCorrected",
    )) + ("kinerja/Keberatan/Filed",)

    def key_of(self, e) -> str:
        return e.evaluation_id if type(e).TOPIC == "kinerja/Keberatan/Filed" else str(e.originator_id)

    def on_Opened(self, doc: Doc, e) -> Doc:
        return {"evaluation_id": str(e.originator_id), "employee_id": e.employee_id,
                "nip": e.nip, "period": e.period, "year": int(e.period[:4]),
                "unit_id": e.unit_id, "rater_nip": e.rater_nip, "is_unit_head": e.is_unit_head,
                "report_due": e.report_due.isoformat(), "rating_due": e.rating_due.isoformat(),
                "stage": "planning", "plan": "none", "results": None, "behaviour": None,
                "revisions": 0, "late_ratings": 0, "team": [], "team_reviews": 0,
                "predikat": None, "predikat_given": None, "rule_version": None,
                "finalised_by": None, "finalised_at": None, "overturned": False,
                "keberatan_id": None, "updated_at": at(e)}

    def on_PlanDrafted(self, doc: Doc, e) -> Doc:
        return doc | {"plan": "drafted", "updated_at": at(e)}

    def on_PlanAgreed(self, doc: Doc, e) -> Doc:
        return doc | {"plan": "agreed", "stage": "plan_agreed", "updated_at": at(e)}

    def on_ReportSubmitted(self, doc: Doc, e) -> Doc:
        return doc | {"stage": "reported", "reported_at": at(e), "updated_at": at(e)}

    def on_RatingRecorded(self, doc: Doc, e) -> Doc:
        return doc | {e.dimension: e.rating, "rated_by": e.actor,
                      "late_ratings": doc["late_ratings"] + e.late, "updated_at": at(e)}

    def on_RatingRevised(self, doc: Doc, e) -> Doc:
        return self.on_RatingRecorded(doc, e) | {"revisions": doc["revisions"] + 1}

    def on_TeamAssigned(self, doc: Doc, e) -> Doc:
        return doc | {"team": list(e.members), "updated_at": at(e)}

    def on_TeamReviewRecorded(self, doc: Doc, e) -> Doc:
        return doc | {"team_reviews": doc["team_reviews"] + 1, "updated_at": at(e)}

    def on_Finalised(self, doc: Doc, e) -> Doc:
        return doc | {"stage": "finalised", "predikat": e.predikat, "predikat_given": e.predikat,
                      "rule_version": e.rule_version, "finalised_by": e.actor,
                      "finalised_at": at(e), "curve_departure": e.curve_departure,
                      "updated_at": at(e)}

    def on_OutcomeCorrected(self, doc: Doc, e) -> Doc:
        return doc | {"predikat": e.predikat, "results": e.results, "behaviour": e.behaviour,
                      "rule_version": e.rule_version, "overturned": True, "updated_at": at(e)}

    def on_Filed(self, doc: Doc, e) -> Doc:
        return doc | {"keberatan_id": str(e.originator_id), "updated_at": at(e)}
