"""Property: for any order of leave, transfer, report, rate and finalise commands on one ASN
and their annual evaluation (applied as the use cases apply them), the folded state obeys the
rules: leave periods never overlap; an open evaluation holds exactly the leave within its
period and the days served; a wholly inactive one is excused and takes nothing more; an open
one sits in the unit and line in force at the period's end, one previous rater kept per move;
a decided one moves no more; only the supervisor on the day rates. The views fold to the same.
Every rule's failing example is in test_leave.py."""

from __future__ import annotations

from copy import deepcopy
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from domain.errors import DomainError, LeaveOverlapsError
from domain.evaluation import EXCUSED, FINALISED, Evaluation
from domain.organisation import LEAVE_KINDS, Employee, Unit
from domain.periods import parse_period
from domain.rules import Rating
from projections.view import fold
from projections.views.evaluations import EvaluationsView
from projections.views.organisation import EmployeesView
from tests.domain.builders import AT_REPORT, LINES, RATER_NIP, RULES, T0, asn, meta, rater
from tests.domain.test_leave import line, opened

PERIOD = parse_period("2024")
DAYS = (PERIOD.end - PERIOD.start).days + 1
FIRST = date(2023, 11, 1)  # leave and transfers fall around the period, on either side of it
commands = st.lists(st.one_of(
    st.tuples(st.just("leave"), st.sampled_from(LEAVE_KINDS), st.integers(0, 520),
              st.one_of(st.integers(0, 60), st.integers(300, 800))),  # short, or most of it
    st.tuples(st.just("transfer"), st.integers(0, 1), st.integers(0, 480)),
    st.tuples(st.just("report")),
    st.tuples(st.just("rate"), st.sampled_from(["results", "behaviour", "both"]),
              st.sampled_from([r.value for r in Rating]), st.sampled_from(["line", "first"])),
    st.tuples(st.just("finalise")),
), max_size=14)


def days(span: Any) -> int:
    return (date.fromisoformat(span["end"]) - date.fromisoformat(span["start"])).days + 1


@dataclass
class Course:
    worker: Employee
    units: tuple[Unit, Unit]  # the ASN's first unit, and the other
    bosses: tuple[Employee, Employee]  # the direct supervisor in each
    evaluation: Evaluation
    refused: list[str] = field(default_factory=list)
    events_when_decided: int | None = None  # how many events it had when excused
    unit_when_finalised: str | None = None

    def run(self, command: tuple[Any, ...]) -> None:
        name, *args = command
        try:
            getattr(self, name)(*args)
        except DomainError as e:
            self.refused.append(e.code)

    def leave(self, kind: str, offset: int, length: int) -> None:
        start = FIRST + timedelta(days=offset)
        end = start + timedelta(days=length)
        # The rule, written plainly: refused exactly when it shares a day with one recorded.
        shares = any(date.fromisoformat(p["start"]) <= end and
                     start <= date.fromisoformat(p["end"]) for p in self.worker.leave)
        try:
            self.worker.record_leave(meta(), kind, start, end, "SK", min(start, T0.date()))
        except LeaveOverlapsError:
            assert shares
            raise
        assert not shares
        if self.evaluation.is_open:
            self.evaluation.account_for_leave(meta(), self.worker.inactive_within(PERIOD))

    def transfer(self, which: int, offset: int) -> None:
        # The employee's two records are one transaction: both, or (refused) neither.
        day, moved = FIRST + timedelta(days=offset), deepcopy(self.worker)
        moved.transfer(meta(), self.units[which], "Analis", day)
        moved.assign_supervisor(meta(), self.bosses[which], day)
        self.worker = moved
        if self.evaluation.is_open and PERIOD.end >= day:
            self.evaluation.transfer(meta(), self.worker, day, "serah terima SKP")

    def report(self) -> None:
        self.evaluation.submit_report(asn(AT_REPORT), [], "capaian", "kendala", "rencana")

    def rate(self, dimension: str, rating: str, who: str) -> None:
        if dimension == "both":
            self.rate("results", rating, who)
            return self.rate("behaviour", rating, who)
        day = AT_REPORT + timedelta(days=1)
        on_line = self.worker.supervisor_on(day.date())
        actor = on_line if who == "line" else RATER_NIP
        command = (self.evaluation.revise_rating if dimension in self.evaluation.ratings
                   else self.evaluation.record_rating)
        try:
            command(meta(actor or "", "reviewer", day, "alasan"), on_line, dimension, rating)
        except DomainError as e:
            # The first rater is refused once the line no longer names them, whatever else.
            assert actor == on_line or e.code in ("not_allowed", "evaluation_excused",
                                                  "evaluation_finalised", "invalid_state")
            raise
        assert actor == on_line

    def finalise(self) -> None:
        day = AT_REPORT + timedelta(days=2)
        on_line = self.worker.supervisor_on(day.date())
        self.evaluation.finalise(meta(on_line or "", "reviewer", day), on_line, RULES)

    def check(self) -> None:
        worker, ev = self.worker, self.evaluation
        spans = [(p["start"], p["end"]) for p in worker.leave]
        assert spans == sorted(spans)
        assert all(a[1] < b[0] for a, b in zip(spans, spans[1:], strict=False))
        if ev.stage == EXCUSED:
            self.events_when_decided = self.events_when_decided or len(ev.pending_events)
            assert ev.active_days == 0 and sum(days(s) for s in ev.inactive) == DAYS
            assert len(ev.pending_events) == self.events_when_decided  # nothing more
        elif ev.stage == FINALISED:
            self.unit_when_finalised = self.unit_when_finalised or ev.unit_id
            assert ev.unit_id == self.unit_when_finalised  # a decided evaluation stays
        else:
            assert ev.inactive == worker.inactive_within(PERIOD)
            served = DAYS - sum(days(s) for s in ev.inactive)
            assert ev.active_days == (served if ev.inactive else None) and served > 0
            assert ev.unit_id == worker.unit_on(PERIOD.end)
            assert ev.rater_nip == worker.supervisor_on(PERIOD.end)
        moves = [e for e in ev.pending_events if isinstance(e, Evaluation.Transferred)]
        assert len(ev.previous_raters) == len(moves)
        assert [p["nip"] for p in ev.previous_raters] == [m.previous_rater for m in moves]


@settings(max_examples=150, deadline=None)
@given(commands, st.booleans())
def test_for_any_order_of_commands_the_folded_state_obeys_the_rules(run, reported):
    worker, boss, other, new_boss = line()
    ev = opened(worker)
    ev.draft_plan(asn(), "quantitative", LINES)
    ev.agree_plan(rater(), RATER_NIP, ["R1", "R2"])
    home = Unit.establish(meta(), "DISDUKCAPIL", "Dinas Kependudukan")  # the same id as line's
    course = Course(worker, (home, other), (boss, new_boss), ev)
    if reported:  # half the runs start at the rating stage, to reach finalisation often
        course.report()
    course.check()
    for command in run:
        course.run(command)
        course.check()
    (doc,) = fold(EvaluationsView(), ev.collect_events()).values()
    assert (doc["stage"], doc["unit_id"], doc["rater_nip"]) == (ev.stage, ev.unit_id,
                                                                ev.rater_nip)
    assert doc.get("inactive", []) == ev.inactive
    assert doc.get("active_days") == ev.active_days
    assert doc.get("previous_raters", []) == ev.previous_raters
    (person,) = fold(EmployeesView(), course.worker.collect_events()).values()
    assert person["leave"] == course.worker.leave
