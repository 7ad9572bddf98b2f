"""Keberatan (objection), PP 30/2019 art. 59.

Filed by the evaluated ASN, with grounds, within the window after the result; decided by the
Atasan Pejabat Penilai, whose decision is final. An upheld keberatan corrects the evaluation
through new events (``Evaluation.correct_outcome``), never an edit.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from uuid import UUID

from domain.base import Created, Meta, Record, stable_id, text
from domain.errors import DeadlinePassedError, InvalidStateError, InvalidValueError, NotAllowedError
from domain.evaluation import Evaluation
from domain.rules import Rating, RuleBook
from domain.state import KeberatanState

OUTCOMES = ("rejected", "upheld")
PARTIES = ("rater", "asn")


def keberatan_id(evaluation: UUID | str) -> UUID:
    return stable_id("keberatan", str(evaluation))


class Keberatan(Record, KeberatanState):
    TOPIC = "kinerja/Keberatan"

    class Filed(Created):
        TOPIC = "kinerja/Keberatan/Filed"
        evaluation_id: str
        nip: str
        rater_nip: str | None
        authority_nip: str
        grounds: str
        predikat: str
        decision_due: datetime

        def apply(self, k: Keberatan) -> None:
            k.evaluation_id, k.nip, k.rater_nip = self.evaluation_id, self.nip, self.rater_nip
            k.authority_nip, k.grounds, k.predikat = self.authority_nip, self.grounds, self.predikat
            k.decision_due, k.filed_at = self.decision_due.isoformat(), self.timestamp.isoformat()
            k.explanations, k.decision = [], None

    class ExplanationRecorded(Record.Event):
        TOPIC = "kinerja/Keberatan/ExplanationRecorded"
        party: str
        text: str

        def apply(self, k: Keberatan) -> None:
            k.explanations.append({"party": self.party, "by": self.actor, "text": self.text,
                                   "at": self.timestamp.isoformat()})

    class Decided(Record.Event):
        TOPIC = "kinerja/Keberatan/Decided"
        outcome: str
        results: str | None
        behaviour: str | None
        overdue: bool

        def apply(self, k: Keberatan) -> None:
            k.decision = {"outcome": self.outcome, "results": self.results,
                          "behaviour": self.behaviour, "overdue": self.overdue, "by": self.actor,
                          "reason": self.reason, "at": self.timestamp.isoformat(),
                          "version": self.originator_version}

    @classmethod
    def file(cls, meta: Meta, evaluation: Evaluation, grounds: str, *,
             authority_nip: str | None, rules: RuleBook) -> Keberatan:
        outcome = evaluation.outcome  # set exactly when it is finalised
        if not evaluation.is_finalised or outcome is None:
            raise InvalidStateError("only a finalised evaluation can be objected to")
        if meta.actor != evaluation.nip:
            raise NotAllowedError("only the evaluated ASN files a keberatan on it")
        if not authority_nip:
            raise NotAllowedError("there is no Atasan Pejabat Penilai on record to decide it")
        rater = outcome["by"]  # who finalised: the rater on that day
        if authority_nip in (evaluation.nip, rater):
            raise NotAllowedError("the appeal authority is neither the ASN nor the rater")
        ruleset = rules.version(outcome["rule_version"])
        received = datetime.fromisoformat(outcome["at"])
        if meta.at > received + timedelta(days=ruleset.keberatan_window_days):
            raise DeadlinePassedError(
                f"a keberatan is filed within {ruleset.keberatan_window_days} days of the result")
        due = meta.at + timedelta(days=ruleset.decision_window_days)
        return cls._begin(cls.Filed, meta, keberatan_id(evaluation.id),
                          evaluation_id=str(evaluation.id), nip=evaluation.nip,
                          rater_nip=rater, authority_nip=authority_nip,
                          grounds=text(grounds, "grounds"), predikat=evaluation.predikat,
                          decision_due=due)

    def record_explanation(self, meta: Meta, party: str, body: str) -> None:
        """The authority asks both the rater and the ASN to explain."""
        self._require_undecided()
        if party not in PARTIES:
            raise InvalidValueError("an explanation comes from the rater or the asn")
        speaker = self.rater_nip if party == "rater" else self.nip
        if meta.actor not in (speaker, self.authority_nip):
            raise NotAllowedError(f"only the {party} or the appeal authority records this")
        self._record(self.ExplanationRecorded, meta, party=party, text=text(body, "explanation"))

    def decide(self, meta: Meta, outcome: str, *, results: str | None = None,
               behaviour: str | None = None) -> None:
        self._require_undecided()
        if meta.actor != self.authority_nip:
            raise NotAllowedError("only the Atasan Pejabat Penilai decides this keberatan")
        meta.require_reason()
        if outcome not in OUTCOMES:
            raise InvalidValueError("a decision is rejected or upheld")
        upheld = outcome == "upheld"
        if upheld and not (results in tuple(Rating) and behaviour in tuple(Rating)):
            raise InvalidValueError("an upheld keberatan sets both ratings")
        if not upheld and (results or behaviour):
            raise InvalidValueError("a rejected keberatan changes no rating")
        self._record(self.Decided, meta, outcome=outcome, results=results, behaviour=behaviour,
                     overdue=meta.at.isoformat() > self.decision_due)

    def apply_to(self, meta: Meta, evaluation: Evaluation, rules: RuleBook) -> None:
        """Carry an upheld decision into the evaluation (saved together with this decision)."""
        decision = self.decision
        if decision and decision["outcome"] == "upheld":
            results, behaviour = decision["results"], decision["behaviour"]
            if results is None or behaviour is None:  # decide() records none such
                raise InvalidStateError("an upheld keberatan sets both ratings")
            evaluation.correct_outcome(meta, self.id, results, behaviour, rules)

    @property
    def is_decided(self) -> bool:
        return self.decision is not None

    def _require_undecided(self) -> None:
        if self.decision is not None:
            raise InvalidStateError("the keberatan is decided; the decision is final")
