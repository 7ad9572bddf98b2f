"""Property: for any order of commands on a keberatan's course (finalise, receive the result,
file, explain, decide, at any time), the state folded from the events that were recorded obeys
the rules: a receipt only of a finalised result, and only once; no filing after the window its
receipt fixed (in Asia/Jakarta days); no decision before filing and only one; no decision that
lowers the result. And every rule has a failing example (the last test)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.errors import DomainError
from domain.evaluation import Evaluation
from domain.keberatan import PREDIKAT_ORDER, RATING_ORDER, Keberatan
from domain.rules import Rating
from domain.wib import wib_day
from tests.domain.builders import (
    AT_REPORT,
    HEAD_NIP,
    RATER_NIP,
    RULES,
    evaluation,
    meta,
    took_part,
)

PEOPLE = {"asn": "198001012005011001", "rater": RATER_NIP, "head": HEAD_NIP,
          "admin": "system:test"}
ratings = st.sampled_from([r.value for r in Rating])
commands = st.lists(st.one_of(
    st.tuples(st.just("finalise")),
    st.tuples(st.just("advance"), st.integers(0, 24 * 20)),  # hours: windows end at midnight
    st.tuples(st.just("receive"), st.sampled_from(["asn", "admin"]),
              st.sampled_from(["opened", "acknowledged", "notice"])),
    st.tuples(st.just("file"), st.sampled_from(["asn", "rater"])),
    st.tuples(st.just("explain"), st.sampled_from(["rater", "asn"])),
    st.tuples(st.just("decide"), st.sampled_from(["rejected", "partly_upheld", "upheld"]),
              ratings, ratings),
), max_size=12)


@dataclass
class Course:
    """One evaluation, rated (above / meets) and not yet finalised, and its keberatan."""

    now: datetime = AT_REPORT + timedelta(days=2)
    evaluation: Evaluation = field(default_factory=lambda: evaluation("rated"))
    keberatan: Keberatan | None = None
    refused: set[str] = field(default_factory=set)  # the codes of the commands refused

    def run(self, command: tuple[Any, ...]) -> None:
        name, *args = command
        if name == "advance":
            self.now += timedelta(hours=args[0])
            return
        try:
            self._command(name, *args)
        except DomainError as e:
            self.refused.add(e.code)

    def _command(self, name: str, *args: Any) -> None:
        ev, at = self.evaluation, self.now
        if name == "finalise":
            ev.finalise(meta(RATER_NIP, "reviewer", at), RATER_NIP, RULES)
        elif name == "receive":
            who, how = args
            ev.receive_result(meta(PEOPLE[who], who, at), how, RULES,
                              "800/1/BKPP" if how == "notice" else None)
        elif name == "file" and self.keberatan is not None:
            self.refused.add("conflict")  # one keberatan per evaluation: its id is the key
        elif name == "file":
            self.keberatan = Keberatan.file(meta(PEOPLE[args[0]], "asn", at), ev, "keberatan",
                                            chain=[HEAD_NIP], involved=took_part(ev), rules=RULES)
        elif self.keberatan is None:
            self.refused.add("not_found")  # no keberatan: nothing to explain or decide on
        elif name == "explain":
            self.keberatan.record_explanation(meta(PEOPLE[args[0]], args[0], at), args[0], "x")
        else:
            outcome, results, behaviour = args
            raising = outcome != "rejected"
            self.keberatan.decide(meta(HEAD_NIP, "appeal_board", at, "putusan"), outcome, ev,
                                  RULES, involved=took_part(ev),
                                  results=results if raising else None,
                                  behaviour=behaviour if raising else None)


def folded(record: Any) -> Any:
    """The record rebuilt from the events it recorded (none was refused into it)."""
    state = None
    for event in record.pending_events:
        state = event.mutate(state)
    return state


def check(course: Course) -> None:
    ev = folded(course.evaluation)
    events = [type(e).__name__ for e in course.evaluation.pending_events]
    assert events.count("ResultReceived") <= 1 and events.count("Finalised") <= 1
    given_outcome = ev.corrections[0] if ev.corrections else ev.outcome
    if ev.receipt is not None:
        assert given_outcome is not None and ev.receipt["version"] > given_outcome["version"]
        assert ev.receipt["received_on"] == wib_day(datetime.fromisoformat(ev.receipt["at"])
                                                    ).isoformat()
    if course.keberatan is None:
        assert "OutcomeCorrected" not in events
        return
    k = folded(course.keberatan)
    receipt = ev.receipt
    if receipt is not None and receipt["at"] <= k.filed_at:
        assert wib_day(datetime.fromisoformat(k.filed_at)).isoformat() <= receipt[
            "keberatan_until"]
    decided = [e for e in course.keberatan.pending_events if type(e).__name__ == "Decided"]
    assert len(decided) <= 1 and (k.decision is None) == (not decided)
    assert events.count("OutcomeCorrected") == int(
        k.decision is not None and k.decision["outcome"] != "rejected")
    assert given_outcome is not None
    check_not_lowered(given_outcome, ev.outcome, k.decision)


def check_not_lowered(given: dict, now: dict, decision: dict | None) -> None:
    rank = {d: (RATING_ORDER.index(Rating(given[d])), RATING_ORDER.index(Rating(now[d])))
            for d in ("results", "behaviour")}
    assert all(after >= before for before, after in rank.values())
    if decision is None or decision["outcome"] == "rejected":
        assert now == given
        return
    assert any(after > before for before, after in rank.values())
    if decision["outcome"] == "upheld":
        predikat = [PREDIKAT_ORDER.index(RULES.latest().predikat(o["results"], o["behaviour"]))
                    for o in (given, now)]
        assert predikat[1] > predikat[0]


@settings(max_examples=300, deadline=None)
@given(sequence=commands)
def test_any_course_folds_to_a_state_that_obeys_the_rules(sequence):
    course = Course()
    for command in sequence:
        course.run(command)
    check(course)


FINALISED_AND_FILED = [("finalise",), ("file", "asn")]
# Each rule, and a course that breaks it: the command is refused with the rule's code.
FAILING = {
    "a receipt only of a finalised result": ([("receive", "asn", "opened")], "invalid_state"),
    "one receipt": ([("finalise",), ("receive", "asn", "opened"),
                     ("receive", "admin", "notice")], "result_already_received"),
    "the ASN acknowledges": ([("finalise",), ("receive", "admin", "acknowledged")],
                             "not_allowed"),
    "no filing after the window": ([("finalise",), ("receive", "asn", "acknowledged"),
                                    ("advance", 24 * 15), ("file", "asn")], "deadline_passed"),
    "only the ASN files": ([("finalise",), ("file", "rater")], "not_allowed"),
    "no filing before finalisation": ([("file", "asn")], "invalid_state"),
    "no decision before filing": ([("finalise",), ("decide", "rejected", "meets", "meets")],
                                  "not_found"),
    "no lowering": ([*FINALISED_AND_FILED, ("decide", "upheld", "meets", "above")],
                    "decision_lowers_result"),
    "upheld raises the predikat": ([("finalise",), ("file", "asn"),
                                    ("decide", "upheld", "above", "meets")],
                                   "decision_not_raised"),
    "one decision": ([*FINALISED_AND_FILED, ("decide", "rejected", "meets", "meets"),
                      ("decide", "upheld", "above", "above")], "invalid_state"),
}


@pytest.mark.parametrize("rule", FAILING)
def test_every_rule_has_a_failing_example(rule):
    sequence, code = FAILING[rule]
    course = Course()
    for command in sequence[:-1]:
        course.run(command)
    assert not course.refused, "the course up to the last command keeps the rules"
    course.run(sequence[-1])
    assert course.refused == {code}
    check(course)
