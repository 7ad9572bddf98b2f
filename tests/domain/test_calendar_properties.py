"""Property: for any order of commands on a period's calendar (set, extend, close), the state
folded from the events that were recorded obeys the rules: the report window opens after the
period ends and its dates are ordered (opens <= report due <= rating due <= decision target);
no extension after the period is closed, and none shortens a deadline; an extension's dates are
ordered; whom it names is well formed. And every rule has a failing example (the last test)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.calendar import PeriodCalendar
from domain.errors import DomainError
from tests.domain.builders import meta

PERIOD_END = date(2024, 12, 31)
days = st.integers(-5, 40)  # days after the period's end
commands = st.lists(st.one_of(
    st.tuples(st.just("set"), days, days, days, days),
    st.tuples(st.just("extend"), days, days, st.sampled_from(["period", "unit", "evaluations"]),
              st.booleans()),
    st.tuples(st.just("close")),
), max_size=10)


@dataclass
class Cycle:
    calendar: PeriodCalendar | None = None
    refused: set[str] = field(default_factory=set)

    def run(self, command: tuple[Any, ...]) -> None:
        try:
            self._command(*command)
        except DomainError as e:
            self.refused.add(e.code)

    def _command(self, name: str, *args: Any) -> None:
        if name == "set" and self.calendar is not None:
            self.refused.add("conflict")  # one calendar per period: its id is the key
        elif name == "set":
            opens, report, rating, decision = (PERIOD_END + timedelta(days=d) for d in args)
            self.calendar = PeriodCalendar.set(meta(), "2024", report_opens=opens,
                                               report_due=report, rating_due=rating,
                                               decision_target=decision)
        elif self.calendar is None:
            self.refused.add("not_found")
        elif name == "extend":
            report, rating, scope, well_named = args
            self.calendar.grant_extension(
                meta(), "800/12/BKPP", date(2025, 1, 5),
                report_due=PERIOD_END + timedelta(days=report),
                rating_due=PERIOD_END + timedelta(days=rating), scope=scope,
                unit_id="unit-1" if (scope == "unit") == well_named else None,
                evaluation_ids=["ev-1"] if (scope == "evaluations") == well_named else [])
        else:
            self.calendar.close(meta())


def folded(calendar: PeriodCalendar) -> tuple[PeriodCalendar, list[str]]:
    """The calendar as the store would rebuild it from its recorded events, and their kinds."""
    rebuilt: Any = None
    events = calendar.collect_events()
    for event in events:
        rebuilt = event.mutate(rebuilt)
    return rebuilt, [type(e).__name__ for e in events]


def holds_rules(c: PeriodCalendar, kinds: list[str]) -> None:
    d = date.fromisoformat
    assert d(c.report_opens) > PERIOD_END
    assert d(c.report_opens) <= d(c.report_due) <= d(c.rating_due) <= d(c.decision_target)
    for extension in c.extensions:
        assert d(c.report_due) <= d(extension["report_due"]) <= d(extension["rating_due"])
        assert d(c.rating_due) <= d(extension["rating_due"])
        assert (extension["scope"] == "unit") == (extension["unit_id"] is not None)
        assert (extension["scope"] == "evaluations") == bool(extension["evaluation_ids"])
    assert "PeriodClosed" not in kinds[:-1]  # nothing is recorded after the closure
    assert c.closed == (kinds[-1] == "PeriodClosed")


@settings(max_examples=300, deadline=None)
@given(commands)
def test_any_order_of_commands_folds_to_a_calendar_that_obeys_the_rules(script):
    cycle = Cycle()
    for command in script:
        cycle.run(command)
    if cycle.calendar is not None:
        holds_rules(*folded(cycle.calendar))


SET = ("set", 1, 10, 31, 60)


@pytest.mark.parametrize(("script", "code"), [
    ([("set", 0, 10, 31, 60)], "invalid_value"),  # the window opens on the period's last day
    ([("set", 1, 10, 5, 60)], "invalid_value"),  # ratings due before reports
    ([SET, SET], "conflict"),  # a second calendar for the period
    ([SET, ("extend", 9, 31, "period", True)], "extension_shortens"),  # reports earlier
    ([SET, ("extend", 12, 30, "period", True)], "extension_shortens"),  # ratings earlier
    ([SET, ("extend", 40, 35, "period", True)], "invalid_value"),  # its own dates disordered
    ([SET, ("extend", 12, 35, "unit", False)], "invalid_value"),  # a unit extension, no unit
    ([SET, ("extend", 12, 35, "evaluations", False)], "invalid_value"),  # and no one listed
    ([SET, ("close",), ("extend", 12, 35, "period", True)], "period_closed"),
    ([SET, ("close",), ("close",)], "period_closed"),
])
def test_every_rule_has_a_failing_example(script, code):
    cycle = Cycle()
    for command in script:
        cycle.run(command)
    assert cycle.refused == {code}
