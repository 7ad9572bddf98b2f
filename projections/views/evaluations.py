"""One row per evaluation: stage, ratings, predikat, who rated, lateness, revisions, the
result's receipt and keberatan window, keberatan.

Dashboards, the reviewer's queue and the fairness signals are queries over these rows.
"""

from typing import NotRequired, TypedDict  # evaluated at once: NotRequired is seen only so

from domain.calendar import PeriodCalendar
from domain.evaluation import EXCUSED, FINALISED, PLAN_AGREED, PLANNING, REPORTED, Evaluation
from domain.inspection import Inspection
from domain.keberatan import Keberatan
from domain.organisation import Employee, Unit
from domain.skm import Survey
from domain.state import InactiveSpanState, PreviousRaterState
from projections.view import Doc
from projections.views.base import EventView, at, on

# How far the plan has come: a column of the row, not a stage of the evaluation.
NO_PLAN, DRAFTED, AGREED = "none", "drafted", "agreed"


class EvaluationDoc(TypedDict):
    """One evaluation's row, as the handlers below write it (``tests/projections`` checks)."""

    evaluation_id: str
    employee_id: str
    nip: str
    period: str
    year: int
    unit_id: str | None  # as EvaluationState.unit_id
    rater_nip: str | None
    is_unit_head: bool
    report_due: str
    rating_due: str
    stage: str  # PLANNING, PLAN_AGREED, REPORTED, FINALISED or EXCUSED (domain.evaluation)
    plan: str  # NO_PLAN, DRAFTED or AGREED
    results: str | None  # the latest rating of each dimension
    behaviour: str | None
    revisions: int
    late_ratings: int
    team: list[str]
    team_reviews: int
    predikat: str | None  # after a correction, the corrected one
    predikat_given: str | None  # the one the rater finalised
    rule_version: str | None
    finalised_by: str | None
    finalised_at: str | None
    overturned: bool
    keberatan_id: str | None
    updated_at: str
    reported_at: NotRequired[str]
    report_late: NotRequired[bool]  # the report came after the deadline in force
    rated_by: NotRequired[str]
    rated_as: NotRequired[str]  # "Plt" or "Plh": the latest rating was by an acting official
    finalised_as: NotRequired[str]  # likewise, the finalisation
    curve_departure: NotRequired[str]  # the reason given for departing from the curve
    departures: NotRequired[list[str]]  # how the finalisation departed from it (none: [])
    received_on: NotRequired[str]  # the day (Asia/Jakarta) the ASN received the result
    keberatan_until: NotRequired[str]  # the last day a keberatan is filed in time
    skp_version: NotRequired[int]  # the annual SKP's version a periodic evaluation adopted
    skp_revisions: NotRequired[int]  # an annual SKP's revisions after agreement
    from_period: NotRequired[str | None]  # the period an annual predikat was taken from
    extended_by: NotRequired[str]  # the circular of the last extension naming it (queries)
    score: NotRequired[float]  # an imported PP 30/2019 outcome, 0-120
    source_ref: NotRequired[str]  # the document it was imported from
    inactive: NotRequired[list[InactiveSpanState]]  # leave within the period, as recorded
    active_days: NotRequired[int]  # days served of period_days (0: excused)
    period_days: NotRequired[int]
    previous_raters: NotRequired[list[PreviousRaterState]]  # before each mid-year transfer


class EvaluationsView(EventView):
    name = "evaluations"
    document = EvaluationDoc
    columns = {"nip": "text", "employee_id": "text", "unit_id": "text", "period": "text",
               "year": "int", "stage": "text", "predikat": "text", "finalised_by": "text"}
    # The comment thread is dialogue, not a figure; the keberatan's course is the appeals view's.
    ignores = (Evaluation.CommentAdded, Evaluation.FeedbackGiven,
               Keberatan.ExplanationRecorded, Keberatan.Decided, Keberatan.AuthorityAssigned,
               Unit, Employee, Inspection, Survey, PeriodCalendar)

    def key_of(self, e) -> str:
        return e.evaluation_id if type(e) is Keberatan.Filed else str(e.originator_id)

    @on(Evaluation.Opened)
    def on_Opened(self, doc: Doc, e) -> Doc:
        return {"evaluation_id": str(e.originator_id), "employee_id": e.employee_id,
                "nip": e.nip, "period": e.period, "year": int(e.period[:4]),
                "unit_id": e.unit_id, "rater_nip": e.rater_nip, "is_unit_head": e.is_unit_head,
                "report_due": e.report_due.isoformat(), "rating_due": e.rating_due.isoformat(),
                "stage": PLANNING, "plan": NO_PLAN, "results": None, "behaviour": None,
                "revisions": 0, "late_ratings": 0, "team": [], "team_reviews": 0,
                "predikat": None, "predikat_given": None, "rule_version": None,
                "finalised_by": None, "finalised_at": None, "overturned": False,
                "keberatan_id": None, "updated_at": at(e)}

    @on(Evaluation.HistoryImported)
    def on_HistoryImported(self, doc: Doc, e) -> Doc:
        """A PP 30/2019 record opens finalised, with its numeric score beside the predikat."""
        return {"evaluation_id": str(e.originator_id), "employee_id": e.employee_id,
                "nip": e.nip, "period": e.period, "year": int(e.period[:4]),
                "unit_id": e.unit_id, "rater_nip": e.rater_nip, "is_unit_head": False,
                "report_due": "", "rating_due": "", "stage": FINALISED, "plan": NO_PLAN,
                "results": None, "behaviour": None, "revisions": 0, "late_ratings": 0,
                "team": [], "team_reviews": 0, "predikat": e.predikat,
                "predikat_given": e.predikat, "rule_version": e.rule_version,
                "finalised_by": e.rater_nip or e.actor, "finalised_at": at(e),
                "overturned": False,
                "keberatan_id": None, "updated_at": at(e), "score": e.score,
                "source_ref": e.source_ref}

    @on(Evaluation.PlanDrafted)
    def on_PlanDrafted(self, doc: Doc, e) -> Doc:
        return doc | {"plan": DRAFTED, "updated_at": at(e)}

    @on(Evaluation.PlanAgreed)
    def on_PlanAgreed(self, doc: Doc, e) -> Doc:
        return doc | {"plan": AGREED, "stage": PLAN_AGREED, "updated_at": at(e)}

    @on(Evaluation.PlanAdopted)
    def on_PlanAdopted(self, doc: Doc, e) -> Doc:
        return self.on_PlanAgreed(doc, e) | {"skp_version": e.skp_version}

    @on(Evaluation.PlanRevised)
    def on_PlanRevised(self, doc: Doc, e) -> Doc:
        return doc | {"skp_revisions": doc.get("skp_revisions", 0) + 1, "updated_at": at(e)}

    @on(Evaluation.ReportSubmitted)
    def on_ReportSubmitted(self, doc: Doc, e) -> Doc:
        return doc | {"stage": REPORTED, "reported_at": at(e), "report_late": e.late,
                      "updated_at": at(e)}

    @on(Evaluation.DeadlinesExtended)
    def on_DeadlinesExtended(self, doc: Doc, e) -> Doc:
        return doc | {"report_due": e.report_due.isoformat(),
                      "rating_due": e.rating_due.isoformat(), "extended_by": e.circular_number,
                      "updated_at": at(e)}

    @on(Evaluation.RatingRecorded)
    def on_RatingRecorded(self, doc: Doc, e) -> Doc:
        return _acting_as(doc | {e.dimension: e.rating, "rated_by": e.actor,
                                 "late_ratings": doc["late_ratings"] + e.late,
                                 "updated_at": at(e)}, "rated_as", e)

    @on(Evaluation.RatingRevised)
    def on_RatingRevised(self, doc: Doc, e) -> Doc:
        return self.on_RatingRecorded(doc, e) | {"revisions": doc["revisions"] + 1}

    @on(Evaluation.TeamAssigned)
    def on_TeamAssigned(self, doc: Doc, e) -> Doc:
        return doc | {"team": list(e.members), "updated_at": at(e)}

    @on(Evaluation.TeamReviewRecorded)
    def on_TeamReviewRecorded(self, doc: Doc, e) -> Doc:
        return doc | {"team_reviews": doc["team_reviews"] + 1, "updated_at": at(e)}

    @on(Evaluation.Finalised)
    def on_Finalised(self, doc: Doc, e) -> Doc:
        return doc | {"stage": FINALISED, "predikat": e.predikat, "predikat_given": e.predikat,
                      "rule_version": e.rule_version, "finalised_by": e.actor,
                      "finalised_at": at(e), "curve_departure": e.curve_departure,
                      "departures": list(e.departures), "from_period": e.from_period,
                      "updated_at": at(e),
                      **({"finalised_as": e.acting["kind"]} if e.acting else {})}

    @on(Evaluation.OutcomeCorrected)
    def on_OutcomeCorrected(self, doc: Doc, e) -> Doc:
        return doc | {"predikat": e.predikat, "results": e.results, "behaviour": e.behaviour,
                      "rule_version": e.rule_version, "overturned": True, "updated_at": at(e),
                      **({"score": e.numeric["score"]} if e.numeric else {})}

    @on(Evaluation.ResultReceived)
    def on_ResultReceived(self, doc: Doc, e) -> Doc:
        return doc | {"received_on": e.received_on.isoformat(),
                      "keberatan_until": e.keberatan_until.isoformat(), "updated_at": at(e)}

    @on(Keberatan.Filed)
    def on_Filed(self, doc: Doc, e) -> Doc:
        return doc | {"keberatan_id": str(e.originator_id), "updated_at": at(e)}

    @on(Evaluation.ServiceShortened)
    def on_ServiceShortened(self, doc: Doc, e) -> Doc:
        return doc | {"inactive": list(e.inactive), "active_days": e.active_days,
                      "period_days": e.period_days, "updated_at": at(e)}

    @on(Evaluation.Excused)
    def on_Excused(self, doc: Doc, e) -> Doc:
        return doc | {"stage": EXCUSED, "inactive": list(e.inactive), "active_days": 0,
                      "period_days": e.period_days, "updated_at": at(e)}

    @on(Evaluation.Transferred)
    def on_Transferred(self, doc: Doc, e) -> Doc:
        """The row follows the ASN to the new unit and rater (so dashboards count it there)."""
        return doc | {"unit_id": e.to_unit, "rater_nip": e.new_rater,
                      "is_unit_head": e.is_unit_head,
                      "previous_raters": [*doc.get("previous_raters", []), e.previous()],
                      "updated_at": at(e)}


def _acting_as(doc: Doc, key: str, e) -> Doc:
    """``doc`` saying under ``key`` whether the act ``e`` was a Plt's or a Plh's (no key: the
    official in their own right)."""
    doc = {k: v for k, v in doc.items() if k != key}
    return doc | ({key: e.acting["kind"]} if e.acting else {})
