"""The evaluation of one ASN for one period: plan, report, ratings, comments, finalisation.

Stages: planning -> plan_agreed -> reported -> finalised, or excused from any open stage when
leave covers the whole period (nothing more is recorded then). Ratings are recorded once per
dimension and then only revised (with a reason, naming the event they revise). Nothing changes a
finalised evaluation except an appeal decision (``correct_outcome``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Any, cast
from uuid import UUID

from domain.base import Created, Meta, Record, stable_id, text
from domain.curve import Standing
from domain.errors import (
    AlreadyRatedError,
    CurveDepartureReasonRequiredError,
    ExcusedError,
    ExtensionShortensError,
    FinalisedError,
    FinalPeriodNotFinalisedError,
    ImportYearError,
    InvalidStateError,
    InvalidValueError,
    NoRuleSetError,
    NotAllowedError,
    NotRatedError,
    PeriodClosedError,
    PeriodNotEndedError,
    PlanIsAnnualSkpError,
    RatingUnchangedError,
    ReportWindowNotOpenError,
    ResultAlreadyReceivedError,
    SkpNotAgreedError,
    SupervisorPlanMissingError,
    UnknownReferenceError,
)
from domain.limits import MAX_FIELD, MAX_LINE, MAX_NOTE
from domain.organisation import Employee, as_capacity, recorded_before_acting, with_acting
from domain.periods import Period, parse_period
from domain.rules import BERAKHLAK, Dimension, Rating, RuleBook, RuleSet
from domain.state import (
    ActingCapacity,
    ActingJSON,
    CommentEntry,
    EvaluationState,
    FeedbackState,
    InactiveSpanState,
    NumericOutcome,
    OutcomeState,
    PlanState,
    PreviousRaterState,
    RatingState,
    ReceiptState,
    ReportState,
)
from domain.values import (
    PLAN_TYPES,
    REVISION_CAUSES,
    Evidence,
    LineEvidence,
    PlanLine,
    Realisation,
    as_json,
    distinct,
)
from domain.wib import wib_day

PLANNING, PLAN_AGREED, REPORTED, FINALISED = "planning", "plan_agreed", "reported", "finalised"
BASES = ("rater", "unit_achievement")
# How the ASN came to have the result: opened or acknowledged it themself, or a notice was
# delivered to them (recorded by an admin or the system, with the notice's reference).
OWN_RECEIPTS = ("opened", "acknowledged")
RECEIPT_WAYS = (*OWN_RECEIPTS, "notice")
# Terminal, like FINALISED: the whole period was without service (leave), so nothing is rated.
EXCUSED = "excused"


def evaluation_id(employee: UUID | str, period_key: str) -> UUID:
    return stable_id("evaluation", str(employee), period_key)


class Evaluation(Record, EvaluationState):
    """The state keeps what the rules need. The comment thread is dialogue, not state: only its
    ids stay here (to check replies); the thread itself is read from the events (the
    application's ``comments``), so the state and its snapshot stay small however long the
    dialogue."""

    TOPIC = "kinerja/Evaluation"
    class_version = 4

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        # Snapshots of version 1 kept the whole thread in the state.
        state["comment_ids"] = [comment["id"] for comment in state.pop("comments")]

    @staticmethod
    def upcast_v2_v3(state: dict[str, Any]) -> None:
        # Before the receipt was an event no result had been received on record.
        state["receipt"] = None

    @staticmethod
    def upcast_v3_v4(state: dict[str, Any]) -> None:
        # Before leave and transfers reached evaluations: served whole, never moved.
        state.update(inactive=[], active_days=None, previous_raters=[])

    class Opened(Created):
        TOPIC = "kinerja/Evaluation/Opened"
        employee_id: str
        nip: str
        period: str
        unit_id: str
        rater_nip: str | None
        is_unit_head: bool
        report_due: date
        rating_due: date

        def apply(self, ev: Evaluation) -> None:
            ev.employee_id, ev.nip, ev.period = self.employee_id, self.nip, self.period
            ev.unit_id, ev.rater_nip = self.unit_id, self.rater_nip
            ev.is_unit_head = self.is_unit_head
            ev.report_due, ev.rating_due = self.report_due.isoformat(), self.rating_due.isoformat()
            ev.stage, ev.plan, ev.report, ev.ratings = PLANNING, None, None, {}
            ev.comment_ids, ev.team, ev.team_reviews = [], [], []
            ev.outcome, ev.corrections = None, []
            ev.receipt = None
            ev.inactive, ev.active_days, ev.previous_raters = [], None, []

    class PlanDrafted(Record.Event):
        TOPIC = "kinerja/Evaluation/PlanDrafted"
        plan_type: str
        lines: list[PlanLine]
        behaviour_expectations: dict[str, str]

        def apply(self, ev: Evaluation) -> None:
            ev.plan = _plan(self, agreed_version=None)

    class PlanAgreed(Record.Event):
        TOPIC = "kinerja/Evaluation/PlanAgreed"
        class_version = 2
        acting: ActingJSON | None  # a Plt/Plh agreed it, in this capacity
        upcast_v1_v2 = staticmethod(recorded_before_acting)

        def apply(self, ev: Evaluation) -> None:
            # Never None here: only a drafted plan is agreed.
            plan = cast(PlanState, ev.plan)
            plan["agreed_version"] = self.originator_version
            if self.acting is not None:
                plan["agreed_acting"] = as_capacity(self.acting)
            ev.stage = PLAN_AGREED

    class PlanAdopted(Record.Event):
        """A periodic evaluation takes the year's agreed SKP as its plan, as it stands in the
        annual evaluation at ``skp_version`` (again after each revision until reported on)."""

        TOPIC = "kinerja/Evaluation/PlanAdopted"
        skp_id: str  # the annual evaluation holding the SKP
        skp_period: str
        skp_version: int
        plan_type: str
        lines: list[PlanLine]
        behaviour_expectations: dict[str, str]

        def apply(self, ev: Evaluation) -> None:
            plan = _plan(self, agreed_version=self.originator_version)
            plan["skp"] = {"evaluation_id": self.skp_id, "period": self.skp_period,
                           "version": self.skp_version}
            ev.plan, ev.stage = plan, PLAN_AGREED

    class PlanRevised(Record.Event):
        """The agreed SKP revised (new lines), for a cause, with the reason on the event, by
        the rater on the day: the revision is agreed as it is recorded."""

        TOPIC = "kinerja/Evaluation/PlanRevised"
        cause: str  # REVISION_CAUSES
        lines: list[PlanLine]
        behaviour_expectations: dict[str, str]

        def apply(self, ev: Evaluation) -> None:
            plan = cast(PlanState, ev.plan)  # only an agreed plan is revised
            plan["lines"] = [as_json(x) for x in self.lines]
            plan["behaviour_expectations"] = dict(self.behaviour_expectations)
            plan["agreed_version"] = self.originator_version
            plan.setdefault("revisions", []).append({
                "cause": self.cause, "reason": self.reason, "by": self.actor,
                "at": self.timestamp.isoformat(), "version": self.originator_version})

    class ReportSubmitted(Record.Event):
        TOPIC = "kinerja/Evaluation/ReportSubmitted"
        class_version = 3
        realisations: list[Realisation]
        achievements: str
        challenges: str
        next_plan: str
        evidence: list[LineEvidence]
        late: bool  # after the report deadline in force (a late report is accepted, marked)

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            # Before lateness was recorded a report after its deadline was refused.
            state["late"] = False

        @staticmethod
        def upcast_v2_v3(state: dict[str, Any]) -> None:
            # Before evidence named its line, all of it was the report's as a whole.
            for evidence in state["evidence"]:
                evidence["line_id"] = None

        def apply(self, ev: Evaluation) -> None:
            ev.report = {"realisations": [as_json(r) for r in self.realisations],
                         "achievements": self.achievements, "challenges": self.challenges,
                         "next_plan": self.next_plan,
                         "evidence": [as_json(e) for e in self.evidence],
                         "version": self.originator_version}
            ev.stage = REPORTED

    class FeedbackGiven(Record.Event):
        """The rater's feedback on one line's realisation (words, never a rating)."""

        TOPIC = "kinerja/Evaluation/FeedbackGiven"
        line_id: str
        text: str

        def apply(self, ev: Evaluation) -> None:
            # Only a report is given feedback: never None here.
            report = cast(ReportState, ev.report)
            report.setdefault("feedback", {})[self.line_id] = _feedback(self)

    class DeadlinesExtended(Record.Event):
        """BKPP's extension (by circular) that names this evaluation, as it applies here."""

        TOPIC = "kinerja/Evaluation/DeadlinesExtended"
        circular_number: str
        report_due: date
        rating_due: date

        def apply(self, ev: Evaluation) -> None:
            ev.report_due, ev.rating_due = self.report_due.isoformat(), self.rating_due.isoformat()

    class RatingRecorded(Record.Event):
        TOPIC = "kinerja/Evaluation/RatingRecorded"
        class_version = 2
        dimension: str
        rating: str
        basis: str
        details: dict[str, str]
        late: bool
        acting: ActingJSON | None  # rated by a Plt/Plh, in this capacity
        upcast_v1_v2 = staticmethod(recorded_before_acting)

        def apply(self, ev: Evaluation) -> None:
            ev.ratings[self.dimension] = _rating(self, revisions=0)

    class RatingRevised(Record.Event):
        TOPIC = "kinerja/Evaluation/RatingRevised"
        class_version = 2
        dimension: str
        rating: str
        previous: str
        revises: int  # the version of the event that recorded the rating being replaced
        basis: str
        details: dict[str, str]
        late: bool
        acting: ActingJSON | None  # revised by a Plt/Plh, in this capacity
        upcast_v1_v2 = staticmethod(recorded_before_acting)

        def apply(self, ev: Evaluation) -> None:
            old = ev.ratings[self.dimension]
            ev.ratings[self.dimension] = _rating(self, revisions=old["revisions"] + 1)

    class CommentAdded(Record.Event):
        TOPIC = "kinerja/Evaluation/CommentAdded"
        text: str
        in_reply_to: int | None

        def apply(self, ev: Evaluation) -> None:
            ev.comment_ids.append(self.originator_version)

        def entry(self) -> CommentEntry:
            """This comment as the thread shows it (its id is the event's version)."""
            return {"id": self.originator_version, "by": self.actor, "role": self.role,
                    "text": self.text, "in_reply_to": self.in_reply_to,
                    "at": self.timestamp.isoformat()}

    class TeamAssigned(Record.Event):
        TOPIC = "kinerja/Evaluation/TeamAssigned"
        members: list[str]

        def apply(self, ev: Evaluation) -> None:
            ev.team = list(self.members)

    class TeamReviewRecorded(Record.Event):
        TOPIC = "kinerja/Evaluation/TeamReviewRecorded"
        recommendation: str
        note: str

        def apply(self, ev: Evaluation) -> None:
            ev.team_reviews.append({"by": self.actor, "recommendation": self.recommendation,
                                    "note": self.note, "version": self.originator_version})

    class Finalised(Record.Event):
        TOPIC = "kinerja/Evaluation/Finalised"
        class_version = 3
        predikat: str
        rule_version: str
        results: str
        behaviour: str
        curve_departure: str
        departures: list[str]  # how it departs from the OPD's curve (curve.Standing)
        from_period: str | None  # an annual predikat taken from its final period's evaluation
        acting: ActingJSON | None  # finalised by a Plt/Plh, in this capacity

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            # Version 1 never judged the curve: its departures were not recorded.
            state["departures"] = []

        @staticmethod
        def upcast_v2_v3(state: dict[str, Any]) -> None:
            # Before the annual SKP every evaluation was rated on its own, and before acts
            # recorded their capacity none was recorded as acting.
            state["from_period"] = None
            recorded_before_acting(state)

        def apply(self, ev: Evaluation) -> None:
            ev.outcome = _outcome(self)
            if self.from_period is not None:
                ev.outcome["from_period"] = self.from_period
            ev.stage = FINALISED

    class OutcomeCorrected(Record.Event):
        """A keberatan upheld (wholly or partly) set new ratings; the earlier outcome stays in
        history."""

        TOPIC = "kinerja/Evaluation/OutcomeCorrected"
        class_version = 3
        keberatan_id: str
        predikat: str
        previous_predikat: str
        rule_version: str
        results: str  # "" for a PP 30/2019 result, raised by scores
        behaviour: str
        acting: ActingJSON | None  # decided by a Plt/Plh, in this capacity
        numeric: dict[str, Any] | None  # a PP 30/2019 result: how its new scores weigh up
        upcast_v1_v2 = staticmethod(recorded_before_acting)

        @staticmethod
        def upcast_v2_v3(state: dict[str, Any]) -> None:
            # Before numeric results could be raised every correction set ratings.
            state["numeric"] = None

        def apply(self, ev: Evaluation) -> None:
            # Never None here: only a finalised evaluation is corrected.
            ev.corrections.append(cast(OutcomeState, ev.outcome))
            ev.outcome = _outcome(self) | {"keberatan_id": self.keberatan_id}
            if self.numeric is not None:
                ev.outcome["numeric"] = cast(NumericOutcome, dict(self.numeric))

    class ResultReceived(Record.Event):
        """The ASN has the finalised result: the keberatan window runs from this day."""

        TOPIC = "kinerja/Evaluation/ResultReceived"
        how: str
        notice_ref: str | None
        received_on: date  # in Asia/Jakarta
        keberatan_until: date  # the last day (Asia/Jakarta) a keberatan is in time

        def apply(self, ev: Evaluation) -> None:
            ev.receipt = _receipt(self)

    class HistoryImported(Created):
        """A 2019-2021 evaluation scored with numbers (PP 30/2019 art. 41), imported from its
        source document as it was decided: it opens finalised, with the predikat its rule set
        gives, so it replays and can be shown and disputed under the rules of its time."""

        TOPIC = "kinerja/Evaluation/HistoryImported"
        employee_id: str
        nip: str
        period: str
        unit_id: str | None  # None: the import knows no posting of that year
        rater_nip: str | None
        skp: float
        behaviour: float
        skp_weight: float  # 0.7, or 0.6 with peer and subordinate input (art. 41)
        peer_input: bool
        new_idea: bool
        score: float  # the weighted outcome, 0-120
        source_ref: str
        predikat: str
        rule_version: str

        def apply(self, ev: Evaluation) -> None:
            ev.employee_id, ev.nip, ev.period = self.employee_id, self.nip, self.period
            ev.unit_id, ev.rater_nip, ev.is_unit_head = self.unit_id, self.rater_nip, False
            ev.report_due = ev.rating_due = self.period + "-12-31"
            ev.stage, ev.plan, ev.report, ev.ratings = FINALISED, None, None, {}
            ev.comment_ids, ev.team, ev.team_reviews = [], [], []
            ev.corrections, ev.receipt = [], None
            ev.inactive, ev.active_days, ev.previous_raters = [], None, []
            ev.outcome = {"predikat": self.predikat, "rule_version": self.rule_version,
                          # the rater of that year decided it, not whoever imported it
                          "results": "", "behaviour": "", "by": self.rater_nip or self.actor,
                          "at": self.timestamp.isoformat(), "version": self.originator_version,
                          "numeric": _numeric(self)}

    # ---- leave and mid-year transfers (docs/DOMAIN.md §5) ----------------------------------

    class ServiceShortened(Record.Event):
        """Leave covers part of the period: it is evaluated on the days served. ``inactive``
        is every span of leave in the period so far (each recording says the whole)."""

        TOPIC = "kinerja/Evaluation/ServiceShortened"
        inactive: list[dict[str, str]]  # InactiveSpanState
        active_days: int
        period_days: int

        def apply(self, ev: Evaluation) -> None:
            ev.inactive = _spans(self.inactive)
            ev.active_days = self.active_days

    class Excused(Record.Event):
        """Leave covers the whole period: there is no evaluation for it (project rule), and
        nothing more is recorded here."""

        TOPIC = "kinerja/Evaluation/Excused"
        inactive: list[dict[str, str]]  # InactiveSpanState, covering the period
        period_days: int

        def apply(self, ev: Evaluation) -> None:
            ev.inactive, ev.active_days = _spans(self.inactive), 0
            ev.stage = EXCUSED

    class Transferred(Record.Event):
        """A mid-year transfer moved the evaluation to the ASN's new unit and reporting line;
        the previous rater's part stays (their ratings keep their ``by``), and the SKP is
        handed over with a note."""

        TOPIC = "kinerja/Evaluation/Transferred"
        from_unit: str | None
        to_unit: str
        previous_rater: str | None
        new_rater: str | None
        is_unit_head: bool
        effective_from: date
        handover_note: str

        def apply(self, ev: Evaluation) -> None:
            ev.previous_raters.append(self.previous())
            ev.unit_id, ev.rater_nip = self.to_unit, self.new_rater
            ev.is_unit_head = self.is_unit_head

        def previous(self) -> PreviousRaterState:
            """The rater the evaluation had until the day before the transfer took effect."""
            return {"nip": self.previous_rater, "unit_id": self.from_unit,
                    "until": (self.effective_from - timedelta(days=1)).isoformat(),
                    "handover_note": self.handover_note}

    # ---- commands -------------------------------------------------------------------------

    @classmethod
    def import_history(cls, meta: Meta, employee: Employee, period: Period, rules: RuleBook, *,
                       rater_nip: str | None, skp: float, behaviour: float, peer_input: bool,
                       new_idea: bool, source_ref: str) -> Evaluation:
        """Record an evaluation decided under PP 30/2019 from its source document: every score
        on the scale, the outcome under the ceiling, the year one that rule set scored."""
        ruleset = _numeric_rules_of(period, rules)
        bands = ruleset.bands
        skp, behaviour = bands.checked(skp, "the SKP score"), bands.checked(behaviour,
                                                                            "the behaviour score")
        score = bands.checked(bands.score(skp, behaviour, peer_input=peer_input), "the outcome")
        return cls._begin(cls.HistoryImported, meta, evaluation_id(employee.id, period.key),
                          employee_id=str(employee.id), nip=employee.nip, period=period.key,
                          unit_id=employee.unit_on(period.end), rater_nip=rater_nip,
                          skp=skp, behaviour=behaviour, peer_input=peer_input,
                          skp_weight=bands.skp_weight_with_peers if peer_input
                          else bands.skp_weight, new_idea=new_idea, score=score,
                          source_ref=text(source_ref, "source document", limit=MAX_LINE),
                          rule_version=ruleset.version,
                          predikat=bands.predikat(score, new_idea=new_idea).value)

    @classmethod
    def open(cls, meta: Meta, employee: Employee, period: Period, *, rater_nip: str | None,
             report_due: date, rating_due: date, skp: Evaluation | None = None) -> Evaluation:
        """A periodic evaluation opens on the year's agreed SKP (``skp``: the annual
        evaluation, None when there is none), which it adopts at once."""
        if rating_due < report_due:
            raise InvalidValueError("the rating deadline cannot precede the report deadline")
        if not period.is_annual and skp is None:
            raise SkpNotAgreedError(f"{employee.nip} has no SKP for {period.year} to evaluate "
                                    f"in {period.key}: open and agree the annual one first")
        day = min(wib_day(meta.at), period.end)
        opened = cls._begin(cls.Opened, meta, evaluation_id(employee.id, period.key),
                            employee_id=str(employee.id), nip=employee.nip, period=period.key,
                            unit_id=employee.unit_on(day), rater_nip=rater_nip,
                            is_unit_head=employee.is_unit_head_on(day),
                            report_due=report_due, rating_due=rating_due)
        if skp is not None and not period.is_annual:
            opened.adopt_plan(meta, skp)
        return opened

    def adopt_plan(self, meta: Meta, skp: Evaluation) -> bool:
        """Take the year's agreed SKP (its annual evaluation) as this periodic evaluation's
        plan. Again after a revision, until reported on: a reported period keeps the SKP it
        was reported against. Whether anything was recorded (not when reported on, nor when
        this version is adopted already)."""
        period = parse_period(self.period)
        if period.is_annual:
            raise PlanIsAnnualSkpError("the annual evaluation holds the SKP; it adopts none")
        if skp.id != evaluation_id(self.employee_id, str(period.year)):
            raise UnknownReferenceError(f"{skp.period} of {skp.nip} is not the SKP of "
                                        f"{self.nip} for {period.year}")
        version = skp.skp_version()
        if version is None or skp.plan is None:
            raise SkpNotAgreedError(f"the SKP of {self.nip} for {period.year} is not agreed")
        if self.stage not in (PLANNING, PLAN_AGREED) or self.adopted_version() == version:
            return False
        self._record(self.PlanAdopted, meta, skp_id=str(skp.id), skp_period=skp.period,
                     skp_version=version, plan_type=skp.plan["type"],
                     lines=[PlanLine(**line) for line in skp.plan["lines"]],
                     behaviour_expectations=dict(skp.plan["behaviour_expectations"]))
        return True

    def draft_plan(self, meta: Meta, plan_type: str, lines: list[PlanLine],
                   behaviour_expectations: dict[str, str] | None = None) -> None:
        self._require_open()  # a closed record refuses everything with its own reason first
        self._require_annual("drafted")
        self._require_stage(PLANNING, "a plan can be drafted only before it is agreed")
        lines, expectations = _checked_plan(plan_type, lines, behaviour_expectations)
        self._record(self.PlanDrafted, meta, plan_type=plan_type, lines=lines,
                     behaviour_expectations=expectations)

    def revise_plan(self, meta: Meta, supervisor_nip: str | None,
                    supervisor_results: list[str] | None, cause: str, lines: list[PlanLine],
                    behaviour_expectations: dict[str, str] | None = None) -> None:
        """Revise the agreed SKP (new assignment, transfer, changed target), with a reason:
        the rater on the day makes the revision, so it is agreed as recorded, and the new
        lines cascade as an agreement's do. Not once reported on: a report is against the SKP
        as it stood."""
        self._require_stage(PLAN_AGREED, "only an agreed SKP not yet reported on is revised")
        self._require_annual("revised")
        if cause not in REVISION_CAUSES:
            raise InvalidValueError(f"a revision's cause is one of {', '.join(REVISION_CAUSES)}")
        meta.require_reason()
        plan = cast(PlanState, self.plan)  # an agreed evaluation always has its plan
        lines, expectations = _checked_plan(
            plan["type"], lines,
            plan["behaviour_expectations"] if behaviour_expectations is None
            else behaviour_expectations)
        self._require_supervisor(meta, supervisor_nip, "revises the SKP")
        _check_cascade(supervisor_nip, supervisor_results, [line.supports for line in lines])
        self._record(self.PlanRevised, meta, cause=cause, lines=lines,
                     behaviour_expectations=expectations)

    def agree_plan(self, meta: Meta, supervisor_nip: str | None,
                   supervisor_results: list[str] | None, *,
                   acting: ActingCapacity | None = None) -> None:
        """The direct supervisor agrees the plan, which cascades from the supervisor's own.

        ``supervisor_results`` are the result ids of the supervisor's agreed plan for the
        period; at the top of a reporting line (no supervisor) lines cascade from the
        organisation's goals, named freely.
        """
        self._require_stage(PLANNING, "the plan is already agreed")
        if self.plan is None:
            raise InvalidStateError("there is no plan to agree")
        self._require_supervisor(meta, supervisor_nip, "agrees the plan")
        _check_cascade(supervisor_nip, supervisor_results,
                       [line["supports"] for line in self.plan["lines"]])
        self._record(self.PlanAgreed, meta, acting=acting)

    def submit_report(self, meta: Meta, realisations: list[Realisation], achievements: str,
                      challenges: str, next_plan: str,
                      evidence: Sequence[Evidence] = (), *, period_closed: bool = False,
                      window_opens: date | None = None) -> None:
        """A report after its deadline is accepted and marked late; ``period_closed`` (BKPP
        has closed the period, read by the use case from the period's calendar) refuses it,
        and so does a day before the calendar's report window opens (``window_opens``)."""
        # Past planning there is always a plan (only a drafted plan is agreed); the None check
        # says so to the type checker.
        if self.stage == PLANNING or self.plan is None:
            raise InvalidStateError("the plan must be agreed before a report")
        self._require_open()
        if self.ratings:
            raise InvalidStateError("the report cannot change once rating has begun")
        if meta.actor != self.nip:
            raise NotAllowedError("only the evaluated ASN submits their report")
        self._require_period_ended(meta, "report on")
        if window_opens is not None and wib_day(meta.at) < window_opens:
            raise ReportWindowNotOpenError(f"the report window of {self.period} opens on "
                                           f"{window_opens.isoformat()} (BKPP's calendar)")
        if period_closed:
            raise PeriodClosedError(f"BKPP has closed period {self.period}")
        realisations = [r.checked() for r in realisations]
        distinct([r.line_id for r in realisations], "realisation lines")
        proofs = [LineEvidence.of(e.checked()) for e in evidence]
        self._require_lines({r.line_id for r in realisations}
                            | {e.line_id for e in proofs if e.line_id is not None})
        self._record(self.ReportSubmitted, meta, realisations=realisations,
                     achievements=text(achievements, "achievements", required=False),
                     challenges=text(challenges, "challenges", required=False),
                     next_plan=text(next_plan, "next plan", required=False),
                     evidence=proofs, late=wib_day(meta.at).isoformat() > self.report_due)

    def give_feedback(self, meta: Meta, supervisor_nip: str | None, line_id: str,
                      body: str) -> None:
        """The rater's feedback on a line's realisation, once reported and until finalised;
        feedback again on a line replaces it (the earlier stays in history)."""
        self._require_stage(REPORTED, "feedback is on a report's realisations")
        self._require_supervisor(meta, supervisor_nip, "gives feedback")
        self._require_lines({line_id})
        self._record(self.FeedbackGiven, meta, line_id=line_id,
                     text=text(body, "feedback", limit=MAX_NOTE))

    def extend_deadlines(self, meta: Meta, circular_number: str, report_due: date,
                         rating_due: date) -> bool:
        """Apply an extension that names this evaluation (its dates, as the period's calendar
        works them out); recorded only when it moves a deadline, so applying it twice is
        harmless. It never shortens one. Whether anything was recorded."""
        self._require_open()
        current = date.fromisoformat(self.report_due), date.fromisoformat(self.rating_due)
        if (report_due, rating_due) == current:
            return False
        if report_due < current[0] or rating_due < current[1]:
            raise ExtensionShortensError("an extension never moves a deadline earlier")
        self._record(self.DeadlinesExtended, meta, circular_number=circular_number,
                     report_due=report_due, rating_due=rating_due)
        return True

    def record_rating(self, meta: Meta, supervisor_nip: str | None, dimension: str, rating: str,
                      *, details: dict[str, str] | None = None, basis: str = "rater",
                      acting: ActingCapacity | None = None) -> None:
        """Rate one dimension, with a reason; ``supervisor_nip`` is the line on the day, and
        ``acting`` the capacity of a Plt/Plh then (``Employee.acting_on``)."""
        self._check_rating(meta, supervisor_nip, dimension, rating, details, basis)
        if dimension in self.ratings:
            raise AlreadyRatedError(f"{dimension} is already rated: revise it, with a reason")
        meta.require_reason()
        self._record(self.RatingRecorded, meta, acting=acting,
                     **self._rating_fields(meta, dimension, rating, details, basis))

    def revise_rating(self, meta: Meta, supervisor_nip: str | None, dimension: str, rating: str,
                      *, details: dict[str, str] | None = None, basis: str = "rater",
                      acting: ActingCapacity | None = None) -> None:
        self._check_rating(meta, supervisor_nip, dimension, rating, details, basis)
        current = self.ratings.get(dimension)
        if current is None:
            raise NotRatedError(f"{dimension} has no rating to revise")
        meta.require_reason()
        if current["rating"] == rating and current["details"] == (details or {}):
            raise RatingUnchangedError("the revision changes nothing")
        self._record(self.RatingRevised, meta, previous=current["rating"],
                     revises=current["version"], acting=acting,
                     **self._rating_fields(meta, dimension, rating, details, basis))

    def comment(self, meta: Meta, body: str, in_reply_to: int | None = None) -> None:
        """Dialog kinerja: continuous feedback, open at every stage (comments, not ratings)."""
        self._require_not_excused()  # an excused period has no dialogue either
        if in_reply_to is not None and in_reply_to not in self.comment_ids:
            raise UnknownReferenceError(f"no comment {in_reply_to} to reply to")
        self._record(self.CommentAdded, meta, text=text(body, "comment"), in_reply_to=in_reply_to)

    def assign_team(self, meta: Meta, members: list[str]) -> None:
        self._require_open()
        distinct(members, "team members")
        if self.nip in members:
            raise NotAllowedError("an ASN cannot sit on the team reviewing themself")
        self._record(self.TeamAssigned, meta, members=list(members))

    def record_team_review(self, meta: Meta, recommendation: str, note: str = "") -> None:
        self._require_open()
        if meta.actor not in self.team:
            raise NotAllowedError("only members of the supervisory team record its review")
        self._record(self.TeamReviewRecorded, meta,
                     recommendation=text(recommendation, "recommendation", limit=MAX_NOTE),
                     note=text(note, "note", required=False))

    def finalise(self, meta: Meta, supervisor_nip: str | None, rules: RuleBook, *,
                 curve: Standing | None = None, curve_departure: str = "",
                 periodic: Sequence[Evaluation] = (),
                 acting: ActingCapacity | None = None) -> None:
        """Compute the predikat under the rule set in force today, and record its version.

        ``curve``: the OPD's distribution for the period without this evaluation (None: no
        OPD to judge it in). A finalisation that departs from the pattern says why
        (``curve_departure``), and the departures are recorded with the reason.

        ``periodic``: the year's periodic evaluations of this ASN, for an annual one. With
        any, the annual predikat and ratings are the final period's (the one ending on 31
        December: PermenPANRB 6/2022 as issue 14 states it), under its rule set, and the
        outcome names that period."""
        self._require_open()
        self._require_period_ended(meta, "finalise")
        self._require_supervisor(meta, supervisor_nip, "finalises the evaluation")
        source = self._final_period(periodic)
        if source is None:
            results, behaviour = self._both_ratings()
            ruleset = rules.on(wib_day(meta.at))
            predikat = ruleset.predikat(results, behaviour).value
        else:
            taken = cast(OutcomeState, source.outcome)  # the final period is finalised
            results, behaviour, predikat = taken["results"], taken["behaviour"], taken["predikat"]
            ruleset = rules.version(taken["rule_version"])
        reason = text(curve_departure, "curve departure", required=False, limit=MAX_NOTE)
        departing = _departing(curve, predikat, reason)
        self._record(self.Finalised, meta, predikat=predikat, rule_version=ruleset.version,
                     results=results, behaviour=behaviour, curve_departure=reason,
                     departures=departing, from_period=source.period if source else None,
                     acting=acting)

    def correct_outcome(self, meta: Meta, keberatan_id: UUID, results: str, behaviour: str,
                        rules: RuleBook, *, acting: ActingCapacity | None = None,
                        scores: Mapping[str, float] | None = None) -> None:
        """Only a keberatan decision that raises the result (upheld or partly upheld) calls
        this, in the same transaction as the decision; ``Keberatan.decide`` has checked that
        no rating goes down."""
        # A finalised evaluation always has an outcome; the None check says so to the type checker.
        if self.stage != FINALISED or self.outcome is None:
            raise InvalidStateError("only a finalised evaluation can be corrected")
        meta.require_reason()
        # Under the rules of its time: the result decided on is re-decided by its rule set.
        ruleset = rules.version(self.outcome["rule_version"])
        numeric = _rescored(self.outcome, ruleset, scores) if scores else None
        predikat = ruleset.bands.predikat(numeric["score"], new_idea=numeric["new_idea"]).value \
            if numeric else ruleset.predikat(Rating(results), Rating(behaviour)).value
        self._record(self.OutcomeCorrected, meta, keberatan_id=str(keberatan_id),
                     predikat=predikat, previous_predikat=self.outcome["predikat"],
                     rule_version=ruleset.version, results=results, behaviour=behaviour,
                     acting=acting, numeric=dict(numeric) if numeric else None)

    def receive_result(self, meta: Meta, how: str, rules: RuleBook,
                       notice_ref: str | None = None) -> None:
        """The ASN has the result: they opened or acknowledged it, or a notice was delivered.

        PP 30/2019 art. 59 counts the keberatan window *sejak diterima*, from receipt, so the
        first receipt fixes the window (calendar days in Asia/Jakarta, the receipt day being
        day 0, as many as the result's rule set says); a later one would move it, so it is
        refused."""
        if self.stage != FINALISED or self.outcome is None:
            raise InvalidStateError("a result is received only once it is finalised")
        if self.receipt is not None:
            raise ResultAlreadyReceivedError(
                f"the result was received on {self.receipt['received_on']}; the keberatan "
                f"window runs until {self.receipt['keberatan_until']}")
        if how not in RECEIPT_WAYS:
            raise InvalidValueError(f"a result is received by {', '.join(RECEIPT_WAYS)}")
        self._check_receiver(meta, how, notice_ref)
        day = wib_day(meta.at)
        window = rules.version(self.outcome["rule_version"]).keberatan_window_days
        self._record(self.ResultReceived, meta, how=how, notice_ref=notice_ref, received_on=day,
                     keberatan_until=day + timedelta(days=window))

    def account_for_leave(self, meta: Meta, inactive: list[InactiveSpanState]) -> bool:
        """Apply the ASN's leave within the period (``Employee.inactive_within``): all of it
        without service excuses the evaluation; part of it shortens it to the days served.
        Recorded only when the leave in the period changed. Whether anything was recorded."""
        self._require_open()
        if inactive == self.inactive:
            return False
        period = parse_period(self.period)
        period_days = (period.end - period.start).days + 1
        active = period_days - sum(_days(span) for span in inactive)
        spans = [dict(span) for span in inactive]
        if active == 0:
            self._record(self.Excused, meta, inactive=spans, period_days=period_days)
        else:
            self._record(self.ServiceShortened, meta, inactive=spans, active_days=active,
                         period_days=period_days)
        return True

    def transfer(self, meta: Meta, employee: Employee, effective_from: date,
                 handover_note: str = "") -> bool:
        """Move the evaluation to the unit and the line the ASN has from ``effective_from``
        (a rater at the top of a line, with no supervisor then, stays). Only an open
        evaluation whose period has not ended before the transfer moves. Whether it moved."""
        self._require_open()
        if parse_period(self.period).end < effective_from:
            raise InvalidStateError(f"period {self.period} ended before the transfer took "
                                    f"effect ({effective_from}): it stays where it was")
        unit = employee.unit_on(effective_from)
        if unit is None:
            raise InvalidStateError(f"{employee.nip} has no posting on {effective_from}")
        rater = employee.supervisor_on(effective_from) or self.rater_nip
        if (unit, rater) == (self.unit_id, self.rater_nip):
            return False
        self._record(self.Transferred, meta, from_unit=self.unit_id, to_unit=unit,
                     previous_rater=self.rater_nip, new_rater=rater,
                     is_unit_head=employee.is_unit_head_on(effective_from),
                     effective_from=effective_from,
                     handover_note=text(handover_note, "hand-over note", required=False,
                                        limit=MAX_NOTE))
        return True

    @property
    def is_open(self) -> bool:
        """Still to be decided: neither finalised nor excused."""
        return self.stage not in (FINALISED, EXCUSED)

    # ---- queries and checks ---------------------------------------------------------------

    def skp_version(self) -> int | None:
        """The version of the SKP this annual evaluation holds: of the event that agreed it or
        last revised it (None: not agreed)."""
        if parse_period(self.period).is_annual and self.plan is not None:
            return self.plan["agreed_version"]
        return None

    def adopted_version(self) -> int | None:
        """The version of the year's SKP this periodic evaluation adopted (None: none, or a
        periodic plan of its own, as before the annual SKP)."""
        adopted = self.plan.get("skp") if self.plan is not None else None
        return adopted["version"] if adopted else None

    def _final_period(self, periodic: Sequence[Evaluation]) -> Evaluation | None:
        """The finalised evaluation of the period ending with this year, whose outcome the
        annual one takes; None when the year has no periodic evaluations (nor is this one
        annual). Refused while that period is not finalised (or not opened)."""
        if not periodic or not parse_period(self.period).is_annual:
            return None
        end = parse_period(self.period).end
        final = sorted((p for p in periodic if parse_period(p.period).end == end),
                       key=lambda p: p.period)
        if not final or not final[0].is_finalised:
            raise FinalPeriodNotFinalisedError(
                f"the annual predikat of {self.period} is the final period's: "
                f"{final[0].period if final else 'the period ending on ' + end.isoformat()}"
                " is not finalised yet")
        return final[0]

    def _require_annual(self, what: str) -> None:
        if not parse_period(self.period).is_annual:
            raise PlanIsAnnualSkpError(f"a periodic evaluation's plan is the year's SKP: it is "
                                       f"{what} in the annual evaluation {self.period[:4]}")

    def _require_lines(self, line_ids: set[str]) -> None:
        planned = {line["id"] for line in cast(PlanState, self.plan)["lines"]}
        if unknown := line_ids - planned:
            raise UnknownReferenceError(f"no such plan lines: {', '.join(sorted(unknown))}")

    def _check_receiver(self, meta: Meta, how: str, notice_ref: str | None) -> None:
        """The ASN opens or acknowledges their own result; a notice is delivered to them by
        someone else (an admin, the system), and names the notice."""
        if how == "notice":
            if meta.actor == self.nip:
                raise NotAllowedError("a delivered notice is recorded by whoever delivered it")
            text(notice_ref or "", "notice reference", limit=MAX_LINE)
        elif meta.actor != self.nip:
            raise NotAllowedError("only the evaluated ASN opens or acknowledges their result")
        elif notice_ref is not None:
            raise InvalidValueError("only a delivered notice has a notice reference")

    @property
    def rated_on(self) -> date | None:
        """The day of the rating (finalisation), as the finalising command looked up the
        reporting line: the Atasan Pejabat Penilai is the rater's supervisor on that day."""
        given = self.corrections[0] if self.corrections else self.outcome
        if given and "numeric" in given:  # an imported year: rated at its end
            return parse_period(self.period).end
        return wib_day(datetime.fromisoformat(given["at"])) if given else None

    @property
    def predikat(self) -> str | None:
        return self.outcome["predikat"] if self.outcome else None

    @property
    def is_finalised(self) -> bool:
        return self.stage == FINALISED

    def plan_results(self) -> list[str] | None:
        """The RHK ids of the agreed plan: what subordinates' plans may cascade from."""
        if self.plan is None or self.plan["agreed_version"] is None:
            return None
        return [line["id"] for line in self.plan["lines"]]

    def _check_rating(self, meta: Meta, supervisor_nip: str | None, dimension: str, rating: str,
                      details: dict[str, str] | None, basis: str) -> None:
        self._require_open()
        if self.stage != REPORTED:
            raise InvalidStateError("no rating before the report is submitted")
        self._require_supervisor(meta, supervisor_nip, "rates")
        if dimension not in tuple(Dimension):
            raise InvalidValueError("dimension is results or behaviour")
        if rating not in tuple(Rating):
            raise InvalidValueError("a rating is above, meets or below (expectations)")
        if basis not in BASES or (basis == "unit_achievement") != (
                self.is_unit_head and dimension == Dimension.RESULTS):
            raise InvalidValueError("a unit head's results rating is the unit's achievement; "
                                    "every other is the rater's")
        for key, value in (details or {}).items():
            if key not in BERAKHLAK or value not in tuple(Rating):
                raise InvalidValueError("details rate BerAKHLAK values above, meets or below")

    def _rating_fields(self, meta: Meta, dimension: str, rating: str,
                       details: dict[str, str] | None, basis: str) -> dict[str, Any]:
        return {"dimension": dimension, "rating": rating, "basis": basis,
                "details": dict(details or {}),
                "late": wib_day(meta.at).isoformat() > self.rating_due}

    def _both_ratings(self) -> tuple[str, str]:
        missing = [d.value for d in Dimension if d.value not in self.ratings]
        if missing:
            raise NotRatedError(f"not rated yet: {', '.join(missing)}")
        return self.ratings["results"]["rating"], self.ratings["behaviour"]["rating"]

    def _require_stage(self, stage: str, message: str) -> None:
        self._require_open()
        if self.stage != stage:
            raise InvalidStateError(message)

    def _require_period_ended(self, meta: Meta, what: str) -> None:
        """Nothing is reported or finalised for a period before it ends (in WIB days)."""
        end = parse_period(self.period).end
        if wib_day(meta.at) <= end:
            raise PeriodNotEndedError(f"cannot {what} period {self.period} before it ends "
                                      f"({end.isoformat()})")

    def _require_not_excused(self) -> None:
        if self.stage == EXCUSED:
            raise ExcusedError(f"the evaluation is excused: no service in period {self.period}")

    def _require_open(self) -> None:
        self._require_not_excused()
        if self.stage == FINALISED:
            raise FinalisedError(
                "the evaluation is finalised: only a keberatan decision changes it")

    def _require_supervisor(self, meta: Meta, supervisor_nip: str | None, what: str) -> None:
        """The reporting line on the day decides who rates, not a stale copy of it."""
        if meta.actor == self.nip:
            raise NotAllowedError("an ASN cannot act as the rater of their own evaluation")
        if meta.actor != (supervisor_nip or self.rater_nip):
            raise NotAllowedError(f"only the direct supervisor on the day {what}")


def _rating(event: Evaluation.RatingRecorded | Evaluation.RatingRevised, *,
            revisions: int) -> RatingState:
    rating: RatingState = {
        "rating": event.rating, "by": event.actor, "basis": event.basis,
        "details": dict(event.details), "late": event.late, "version": event.originator_version,
        "revisions": revisions, "at": event.timestamp.isoformat()}
    return with_acting(rating, event.acting)


def _checked_plan(plan_type: str, lines: list[PlanLine],
                  behaviour_expectations: dict[str, str] | None,
                  ) -> tuple[list[PlanLine], dict[str, str]]:
    """An SKP's lines and behaviour expectations, checked as a draft and a revision need."""
    if plan_type not in PLAN_TYPES:
        raise InvalidValueError(f"plan type is one of {', '.join(PLAN_TYPES)}")
    lines = [line.checked() for line in lines]
    if not any(line.kind == "utama" for line in lines):
        raise InvalidValueError("a plan has at least one main (utama) line")
    distinct([line.id for line in lines], "plan line ids")
    expectations = behaviour_expectations or {}
    if unknown := set(expectations) - set(BERAKHLAK):
        raise InvalidValueError(f"not BerAKHLAK values: {', '.join(sorted(unknown))}")
    for value in expectations.values():
        text(value, "behaviour expectation", limit=MAX_FIELD)
    return lines, expectations


def _check_cascade(supervisor_nip: str | None, supervisor_results: list[str] | None,
                   supports: list[str]) -> None:
    """Lines cascade from the supervisor's agreed plan; at the top of a reporting line (no
    supervisor) from the organisation's goals, named freely."""
    if supervisor_nip is None:
        return
    if supervisor_results is None:
        raise SupervisorPlanMissingError("the supervisor has no agreed plan yet")
    if missing := set(supports) - set(supervisor_results):
        raise UnknownReferenceError("lines support results not in the supervisor's plan: "
                                    f"{', '.join(sorted(missing))}")


def _plan(event: Evaluation.PlanDrafted | Evaluation.PlanAdopted, *,
          agreed_version: int | None) -> PlanState:
    return {"type": event.plan_type, "lines": [as_json(x) for x in event.lines],
            "behaviour_expectations": dict(event.behaviour_expectations),
            "drafted_version": event.originator_version, "agreed_version": agreed_version}


def _feedback(event: Evaluation.FeedbackGiven) -> FeedbackState:
    return {"text": event.text, "by": event.actor, "at": event.timestamp.isoformat(),
            "version": event.originator_version}


def _outcome(event: Evaluation.Finalised | Evaluation.OutcomeCorrected) -> OutcomeState:
    outcome: OutcomeState = {
        "predikat": event.predikat, "rule_version": event.rule_version,
        "results": event.results, "behaviour": event.behaviour, "by": event.actor,
        "at": event.timestamp.isoformat(), "version": event.originator_version}
    return with_acting(outcome, event.acting)


def _numeric(event: Evaluation.HistoryImported) -> NumericOutcome:
    return {"skp": event.skp, "behaviour": event.behaviour, "skp_weight": event.skp_weight,
            "peer_input": event.peer_input, "new_idea": event.new_idea, "score": event.score,
            "source_ref": event.source_ref}


def _rescored(given: OutcomeState, ruleset: RuleSet,
              scores: Mapping[str, float]) -> NumericOutcome:
    """A PP 30/2019 outcome with new SKP and behaviour scores, weighed as its source was."""
    numeric = given.get("numeric")
    if numeric is None:
        raise InvalidValueError("only a result scored with numbers is raised by scores")
    bands = ruleset.bands
    score = bands.checked(bands.score(scores["skp"], scores["behaviour"],
                                      peer_input=numeric["peer_input"]), "the outcome")
    return {**numeric, "skp": scores["skp"], "behaviour": scores["behaviour"], "score": score}


def _numeric_rules_of(period: Period, rules: RuleBook) -> RuleSet:
    """The numeric rule set that scored ``period``: a whole year in its configured range."""
    try:
        ruleset = rules.on(period.end)
    except NoRuleSetError:
        ruleset = rules.on(date.max)  # before every rule set: refused below, with the range
    first, last = ruleset.bands.years
    if ruleset.scheme != "numeric" or not period.is_annual or not (
            first <= period.end.year <= last):
        raise ImportYearError(f"{period.key} is not a year scored with numbers "
                              f"({first}-{last}, annual evaluations only)")
    return ruleset


def _departing(curve: Standing | None, predikat: str, reason: str) -> list[str]:
    """How finalising ``predikat`` departs from the OPD's curve: refused without a reason."""
    departing = curve.departing(predikat) if curve else []
    if curve and departing and not reason.strip():
        raise CurveDepartureReasonRequiredError(
            f"a {predikat} here departs from the curve for an organisation graded "
            f"{curve.organisation_predikat} ({'; '.join(departing)}): say why (curve_departure)")
    return departing


def _receipt(event: Evaluation.ResultReceived) -> ReceiptState:
    return {"how": event.how, "notice_ref": event.notice_ref, "by": event.actor,
            "at": event.timestamp.isoformat(), "received_on": event.received_on.isoformat(),
            "keberatan_until": event.keberatan_until.isoformat(),
            "version": event.originator_version}


def _spans(stored: list[dict[str, str]]) -> list[InactiveSpanState]:
    return [{"kind": span["kind"], "start": span["start"], "end": span["end"],
             "decree_number": span["decree_number"]} for span in stored]


def _days(span: InactiveSpanState) -> int:
    return (date.fromisoformat(span["end"]) - date.fromisoformat(span["start"])).days + 1
