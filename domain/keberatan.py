"""Keberatan (objection), PP 30/2019 art. 59.

Filed by the evaluated ASN, with grounds, within the window from receipt of the result; decided
by the Atasan Pejabat Penilai (the rater's supervisor on the day of the rating), whose decision
is final. A decision never lowers the result: upheld raises the predikat, partly upheld raises
at least one rating, rejected leaves it. A raise corrects the evaluation through new events
(``Evaluation.correct_outcome``, in the same transaction), never an edit.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any, cast
from uuid import UUID

from domain.base import Created, Meta, Record, stable_id, text
from domain.conflict import impartial
from domain.errors import (
    ConflictOfInterestError,
    DeadlinePassedError,
    DecisionLowersResultError,
    DecisionNotRaisedError,
    InvalidStateError,
    InvalidValueError,
    NotAllowedError,
    UnknownReferenceError,
)
from domain.evaluation import Evaluation
from domain.organisation import recorded_before_acting, with_acting
from domain.rules import Predikat, Rating, RuleBook, RuleSet
from domain.state import (
    ActingCapacity,
    ActingJSON,
    DecisionState,
    KeberatanState,
    OutcomeState,
    PassedOverState,
)
from domain.wib import wib_day

OUTCOMES = ("rejected", "partly_upheld", "upheld")
RAISING = ("partly_upheld", "upheld")  # the outcomes that correct the evaluation
# Lowest first: a decision is compared with the result it decides on by these orders.
RATING_ORDER = (Rating.BELOW, Rating.MEETS, Rating.ABOVE)
PREDIKAT_ORDER = (Predikat.SANGAT_KURANG, Predikat.KURANG, Predikat.BUTUH_PERBAIKAN,
                  Predikat.BAIK, Predikat.SANGAT_BAIK)
NUMERIC_ORDER = (Predikat.SANGAT_KURANG, Predikat.KURANG, Predikat.CUKUP, Predikat.BAIK,
                 Predikat.SANGAT_BAIK)  # PP 30/2019's bands
PARTIES = ("rater", "asn")


def keberatan_id(evaluation: UUID | str) -> UUID:
    return stable_id("keberatan", str(evaluation))


class Keberatan(Record, KeberatanState):
    TOPIC = "kinerja/Keberatan"
    class_version = 2

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        # Before conflicts of interest were checked no authority was ever passed over.
        state["passed_over"] = []

    class Filed(Created):
        TOPIC = "kinerja/Keberatan/Filed"
        class_version = 2
        evaluation_id: str
        nip: str
        rater_nip: str | None
        authority_nip: str | None  # None: everyone up the line took part; BKPP assigns one
        # authorities up the line who took part, and how (PassedOverState; events hold plain
        # JSON types, which the codec decodes)
        passed_over: list[dict[str, str]]
        grounds: str
        predikat: str
        decision_due: datetime

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["passed_over"] = []

        def apply(self, k: Keberatan) -> None:
            k.evaluation_id, k.nip, k.rater_nip = self.evaluation_id, self.nip, self.rater_nip
            k.authority_nip, k.grounds, k.predikat = self.authority_nip, self.grounds, self.predikat
            k.passed_over = [cast(PassedOverState, dict(p)) for p in self.passed_over]
            k.decision_due, k.filed_at = self.decision_due.isoformat(), self.timestamp.isoformat()
            k.explanations, k.decision = [], None

    class AuthorityAssigned(Record.Event):
        """BKPP named who decides (Pasal 42(3) UU 30/2014: another official, equal or higher,
        when the one in line has a conflict of interest); the reason is the event's."""

        TOPIC = "kinerja/Keberatan/AuthorityAssigned"
        authority_nip: str
        previous: str | None

        def apply(self, k: Keberatan) -> None:
            k.authority_nip = self.authority_nip

    class ExplanationRecorded(Record.Event):
        TOPIC = "kinerja/Keberatan/ExplanationRecorded"
        party: str
        text: str

        def apply(self, k: Keberatan) -> None:
            k.explanations.append({"party": self.party, "by": self.actor, "text": self.text,
                                   "at": self.timestamp.isoformat()})

    class Decided(Record.Event):
        TOPIC = "kinerja/Keberatan/Decided"
        class_version = 3
        outcome: str
        results: str | None
        behaviour: str | None
        overdue: bool
        acting: ActingJSON | None  # decided by a Plt/Plh, in this capacity
        # A PP 30/2019 result raised: its new SKP and behaviour scores (None: ratings, or none)
        scores: dict[str, float] | None
        upcast_v1_v2 = staticmethod(recorded_before_acting)

        @staticmethod
        def upcast_v2_v3(state: dict[str, Any]) -> None:
            # Before numeric results could be raised no decision set scores.
            state["scores"] = None

        def apply(self, k: Keberatan) -> None:
            decision: DecisionState = {
                "outcome": self.outcome, "results": self.results, "behaviour": self.behaviour,
                "overdue": self.overdue, "by": self.actor, "reason": self.reason,
                "at": self.timestamp.isoformat(), "version": self.originator_version}
            if self.scores is not None:
                decision["scores"] = dict(self.scores)
            k.decision = with_acting(decision, self.acting)

    @classmethod
    def file(cls, meta: Meta, evaluation: Evaluation, grounds: str, *,
             chain: Iterable[str], involved: Mapping[str, list[str]],
             rules: RuleBook) -> Keberatan:
        """``chain``: the rater's supervisor on ``evaluation.rated_on`` (the Atasan Pejabat
        Penilai), then each one's supervisor; ``involved``: who took part in the evaluation
        (``conflict.involvement``). The first in the chain who took no part decides; with none,
        the case waits for BKPP to assign one."""
        outcome = evaluation.outcome  # set exactly when it is finalised
        if not evaluation.is_finalised or outcome is None:
            raise InvalidStateError("only a finalised evaluation can be objected to")
        if meta.actor != evaluation.nip:
            raise NotAllowedError("only the evaluated ASN files a keberatan on it")
        _require_in_window(meta, evaluation)
        authority, passed = impartial(chain, involved)
        ruleset = rules.version(outcome["rule_version"])
        due = meta.at + timedelta(days=ruleset.decision_window_days)
        return cls._begin(cls.Filed, meta, keberatan_id(evaluation.id),
                          evaluation_id=str(evaluation.id), nip=evaluation.nip,
                          rater_nip=outcome["by"], authority_nip=authority,
                          passed_over=[dict(p) for p in passed],
                          grounds=text(grounds, "grounds"), predikat=evaluation.predikat,
                          decision_due=due)

    def assign_authority(self, meta: Meta, nip: str, involved: Mapping[str, list[str]]) -> None:
        """BKPP names who decides, with a reason: when no one up the line is free of the
        case, or the one named cannot act. Never someone who took part."""
        self._require_undecided()
        meta.require_reason()
        if nip == self.authority_nip:
            raise InvalidValueError(f"{nip} already decides this keberatan")
        _require_impartial(nip, involved)
        self._record(self.AuthorityAssigned, meta, authority_nip=nip,
                     previous=self.authority_nip)

    def record_explanation(self, meta: Meta, party: str, body: str) -> None:
        """The authority asks both the rater and the ASN to explain."""
        self._require_undecided()
        if party not in PARTIES:
            raise InvalidValueError("an explanation comes from the rater or the asn")
        speaker = self.rater_nip if party == "rater" else self.nip
        if meta.actor not in (speaker, self.authority_nip):
            raise NotAllowedError(f"only the {party} or the appeal authority records this")
        self._record(self.ExplanationRecorded, meta, party=party, text=text(body, "explanation"))

    def decide(self, meta: Meta, outcome: str, evaluation: Evaluation, rules: RuleBook, *,
               involved: Mapping[str, list[str]], results: str | None = None,
               behaviour: str | None = None, acting: ActingCapacity | None = None,
               scores: Mapping[str, float] | None = None) -> None:
        """Decide, finally; a raise also corrects ``evaluation`` (save both together).
        ``involved`` is checked again: the team may have changed since filing. ``acting``: the
        authority was a Plt/Plh over the rater on the day of the rating (the capacity in which
        they are the Atasan Pejabat Penilai), recorded on the decision."""
        self._require_undecided()
        if self.authority_nip is None:
            raise InvalidStateError("no one is assigned to decide this keberatan yet: BKPP "
                                    "assigns an official who took no part in it")
        if meta.actor != self.authority_nip:
            raise NotAllowedError("only the Atasan Pejabat Penilai decides this keberatan")
        _require_impartial(meta.actor, involved)
        meta.require_reason()
        if outcome not in OUTCOMES:
            raise InvalidValueError(f"a decision is one of {', '.join(OUTCOMES)}")
        if str(evaluation.id) != self.evaluation_id:
            raise UnknownReferenceError("the keberatan is on another evaluation")
        numeric = _numeric_rules(evaluation, rules)
        if outcome not in RAISING:
            if results or behaviour or scores:
                raise InvalidValueError("a rejected keberatan changes no rating or score")
        elif numeric is not None:  # a PP 30/2019 result: raised by new scores, as then
            if results or behaviour:
                raise InvalidValueError(f"a result scored under {numeric.version} is raised by "
                                        "new scores (skp_score, behaviour_score), not ratings")
            scores = _raised_scores(outcome, evaluation, numeric, scores)
        else:
            if scores:
                raise InvalidValueError("a result rated under the matrix is raised by ratings")
            if not (results in tuple(Rating) and behaviour in tuple(Rating)):
                raise InvalidValueError(f"a keberatan {outcome} sets both ratings")
            _require_raised(meta, outcome, evaluation, rules, Rating(results), Rating(behaviour))
        self._record(self.Decided, meta, outcome=outcome, results=results, behaviour=behaviour,
                     overdue=meta.at.isoformat() > self.decision_due, acting=acting,
                     scores=dict(scores) if scores else None)
        if outcome in RAISING:
            evaluation.correct_outcome(meta, self.id, results or "", behaviour or "", rules,
                                       acting=acting, scores=scores)

    @property
    def is_decided(self) -> bool:
        return self.decision is not None

    def _require_undecided(self) -> None:
        if self.decision is not None:
            raise InvalidStateError("the keberatan is decided; the decision is final")


def _require_impartial(nip: str, involved: Mapping[str, list[str]]) -> None:
    if nip in involved:
        raise ConflictOfInterestError(
            f"{nip} took part in this evaluation ({'; '.join(involved[nip])}) and cannot "
            "decide its keberatan")


def _require_in_window(meta: Meta, evaluation: Evaluation) -> None:
    """Filed by the last day of the window its receipt fixed, counted in Asia/Jakarta. With
    no receipt on record, filing shows the ASN has the result: the filing day is then the day
    of receipt (day 0), which is in time."""
    receipt = evaluation.receipt
    if receipt is not None and wib_day(meta.at).isoformat() > receipt["keberatan_until"]:
        raise DeadlinePassedError(
            f"a keberatan is filed by {receipt['keberatan_until']} (Asia/Jakarta), within "
            f"the days allowed from receipt of the result on {receipt['received_on']}")


def _require_raised(meta: Meta, outcome: str, evaluation: Evaluation, rules: RuleBook,
                    results: Rating, behaviour: Rating) -> None:
    """No rating goes down; partly upheld raises at least one, upheld raises the predikat."""
    given = evaluation.outcome
    if given is None:  # a keberatan is only filed on a finalised evaluation
        raise InvalidStateError("the evaluation has no result to decide on")
    # The result is re-decided under the rule set it was decided by, not today's.
    ruleset = rules.version(given["rule_version"])
    old = {"results": Rating(given["results"]), "behaviour": Rating(given["behaviour"])}
    new = {"results": results, "behaviour": behaviour}
    for dimension, rating in new.items():
        if RATING_ORDER.index(rating) < RATING_ORDER.index(old[dimension]):
            raise DecisionLowersResultError(
                f"a keberatan decision cannot lower the result: {dimension} was "
                f"{old[dimension]}, not {rating}")
    if new == old:
        raise DecisionNotRaisedError(
            f"a keberatan {outcome} raises the result; one that changes nothing is rejected")
    before = ruleset.predikat(old["results"], old["behaviour"])
    after = ruleset.predikat(results, behaviour)
    if outcome == "upheld" and PREDIKAT_ORDER.index(after) <= PREDIKAT_ORDER.index(before):
        raise DecisionNotRaisedError(
            f"an upheld keberatan raises the predikat; these ratings leave it {after}: "
            "that is partly upheld")


def _numeric_rules(evaluation: Evaluation, rules: RuleBook) -> RuleSet | None:
    """The numeric (PP 30/2019) rule set the result was scored under, or None (the matrix)."""
    given = evaluation.outcome
    if given is None:  # a keberatan is only filed on a finalised evaluation
        raise InvalidStateError("the evaluation has no result to decide on")
    ruleset = rules.version(given["rule_version"])
    return ruleset if ruleset.scheme != "matrix" else None


def _raised_scores(outcome: str, evaluation: Evaluation, ruleset: RuleSet,
                   scores: Mapping[str, float] | None) -> dict[str, float]:
    """New scores on the record's scale: none lower than decided, partly upheld raises one,
    upheld raises the predikat (scored as the source was: its weighting, its innovation)."""
    numeric = cast(OutcomeState, evaluation.outcome).get("numeric")
    if numeric is None or not scores or set(scores) != {"skp", "behaviour"}:
        raise InvalidValueError(f"a keberatan {outcome} on a numeric result sets both scores "
                                "(skp_score, behaviour_score)")
    bands = ruleset.bands
    new = {key: bands.checked(scores[key], f"the {key} score") for key in ("skp", "behaviour")}
    old = {"skp": numeric["skp"], "behaviour": numeric["behaviour"]}
    for key, value in new.items():
        if value < old[key]:
            raise DecisionLowersResultError(f"a keberatan decision cannot lower the result: "
                                            f"the {key} score was {old[key]}, not {value}")
    if new == old:
        raise DecisionNotRaisedError(
            f"a keberatan {outcome} raises the result; one that changes nothing is rejected")
    score = bands.checked(bands.score(new["skp"], new["behaviour"],
                                      peer_input=numeric["peer_input"]), "the outcome")
    before = bands.predikat(numeric["score"], new_idea=numeric["new_idea"])
    after = bands.predikat(score, new_idea=numeric["new_idea"])
    if outcome == "upheld" and NUMERIC_ORDER.index(after) <= NUMERIC_ORDER.index(before):
        raise DecisionNotRaisedError(
            f"an upheld keberatan raises the predikat; these scores leave it {after}: that is "
            "partly upheld")
    return new
