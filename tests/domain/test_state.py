"""Each aggregate's declared state (domain/state.py) is exactly what its events assign.

Every aggregate is driven through every one of its events, then its snapshot state is held
against the declaration: the same top-level names, and each nested JSON value the shape of
its TypedDict (keys, and the JSON kind of each leaf). So neither can drift from the other.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import get_type_hints

import pytest

from domain.base import Record, Snapshot
from domain.calendar import PeriodCalendar
from domain.evaluation import Evaluation
from domain.inspection import Inspection
from domain.keberatan import Keberatan
from domain.organisation import Unit
from domain.periods import parse_period
from domain.skm import Survey
from domain.values import ChecklistResult, Evidence, LineEvidence, Realisation
from tests.domain.builders import (
    AT_REPORT,
    HEAD_NIP,
    LINES,
    RATER_NIP,
    RULES,
    T0,
    answers,
    asn,
    evaluation,
    graded,
    head,
    meta,
    periodic,
    rater,
    staff,
    took_part,
    unit,
    year,
)
from tests.domain.shapes import conforms

BASE = {"_created_on", "_modified_on", "class_version"}  # the library's, not ours
HASH = "0" * 64


def whole_evaluation_and_keberatan() -> tuple[Record, Record]:
    ev = evaluation("finalised")
    ev.comment(asn(), "mohon ditinjau")
    ev.receive_result(meta(at=AT_REPORT + timedelta(days=3)), "notice", RULES, "800/1/BKPP")
    when = head(AT_REPORT + timedelta(days=8), "bukti kinerja kuat")
    k = Keberatan.file(asn(AT_REPORT + timedelta(days=7)), ev, "tidak objektif",
                       chain=[HEAD_NIP], involved=took_part(ev), rules=RULES)
    k.record_explanation(rater(AT_REPORT + timedelta(days=7)), "rater", "sudah sesuai")
    k.decide(when, "upheld", ev, RULES, involved=took_part(ev), results="above", behaviour="above")
    return ev, k


def an_evaluation_under_review() -> Record:
    ev = evaluation("rated")
    ev.revise_rating(rater(AT_REPORT + timedelta(days=1), "lebih baik"), RATER_NIP,
                     "behaviour", "above", details={"akuntabel": "above"})
    ev.assign_team(meta(), [HEAD_NIP])
    ev.record_team_review(head(AT_REPORT), "setuju", "cukup")
    return ev


def an_inspection() -> Record:
    at = meta("198501012010011003", "inspector")
    i = Inspection.record(at, unit(), "Loket 1", T0 - timedelta(hours=1), [
        ChecklistResult("Antrian tertib", "not_met", "antrian", (Evidence("https://x/1", HASH),))])
    finding = i.record_finding(at, "Antrian menumpuk", "major", item="Antrian tertib")
    follow_up = i.assign_follow_up(at, finding, "Pasang nomor antrian", date(2024, 2, 1))
    i.resolve_follow_up(at, follow_up, "Sudah", [Evidence("https://x/2", HASH)])
    i.close(at)
    return i


def a_unit_and_an_employee() -> tuple[Record, Record]:
    u = graded(unit())
    worker, _ = staff(u)
    worker.transfer(meta(), u, "Analis Muda", date(2024, 6, 1))
    worker.record_leave(meta(), "cuti_besar", date(2024, 3, 1), date(2024, 3, 31), "SK 1",
                        T0.date())
    return u, worker


def an_evaluation_shortened_and_moved() -> Record:
    worker, _ = staff(unit())
    ev = Evaluation.open(meta(), worker, parse_period("2024"), rater_nip=RATER_NIP,
                         report_due=date(2025, 1, 10), rating_due=date(2025, 1, 31))
    worker.record_leave(meta(), "cltn", date(2024, 3, 1), date(2024, 3, 31), "SK 1", T0.date())
    ev.account_for_leave(meta(), worker.inactive_within(parse_period("2024")))
    worker.transfer(meta(), Unit.establish(meta(), "Y", "Y"), "Analis", date(2024, 6, 1))
    ev.transfer(meta(), worker, date(2024, 6, 1), "serah terima")
    return ev


def a_survey() -> Record:
    s = Survey.open(meta(), unit(), "2024")
    s.record_responses(meta(), [answers(4, 3, 3, 4, 4, 3, 4, 3, 4)])
    return s


def a_closed_calendar() -> Record:
    c = PeriodCalendar.set(meta(), "2024", report_opens=date(2025, 1, 1),
                           report_due=date(2025, 1, 10), rating_due=date(2025, 1, 31),
                           decision_target=date(2025, 3, 31))
    c.grant_extension(meta(), "800/12/BKPP", date(2025, 1, 6), report_due=date(2025, 1, 17),
                      rating_due=date(2025, 2, 7), scope="unit", unit_id="unit-1")
    c.close(meta())
    return c


def an_annual_skp_and_its_final_quarter() -> tuple[Record, Record]:
    """The SKP revised and adopted again, a quarter reported with evidence and feedback per
    line and finalised, and the annual predikat taken from it."""
    worker, annual = year()
    quarter = periodic(worker, annual)
    later = AT_REPORT + timedelta(days=1)
    annual.revise_plan(rater(AT_REPORT, "target baru"), RATER_NIP, ["R1", "R2"],
                       "changed_target", LINES[:1])
    quarter.adopt_plan(meta(at=AT_REPORT), annual)
    quarter.submit_report(asn(later), [Realisation("S1", "520")], "", "", "",
                          [LineEvidence("https://x/1", HASH, "S1")])
    quarter.give_feedback(rater(later), RATER_NIP, "S1", "lampirkan rekap")
    quarter.record_rating(rater(later, "x"), RATER_NIP, "results", "above")
    quarter.record_rating(rater(later, "x"), RATER_NIP, "behaviour", "meets")
    quarter.finalise(rater(later), RATER_NIP, RULES)
    annual.finalise(rater(later), RATER_NIP, RULES, periodic=[quarter])
    return annual, quarter


def aggregates() -> list[Record]:
    fresh = [evaluation(), Unit.establish(meta(), "X", "X")]
    return [*whole_evaluation_and_keberatan(), an_evaluation_under_review(), an_inspection(),
            *an_annual_skp_and_its_final_quarter(),
            *a_unit_and_an_employee(), a_survey(), a_closed_calendar(),
            an_evaluation_shortened_and_moved(), *fresh]


def test_every_aggregate_is_exercised():
    assert {type(a) for a in aggregates()} == set(Record.__subclasses__())


@pytest.mark.parametrize("aggregate", aggregates(), ids=lambda a: type(a).__name__)
def test_the_declared_state_is_what_a_snapshot_holds(aggregate):
    state = Snapshot.take(aggregate).state
    declaration = type(aggregate).__bases__[1]  # class Evaluation(Record, EvaluationState)
    assert declaration.__name__ == f"{type(aggregate).__name__}State"
    declared = get_type_hints(declaration)
    assert set(state) - BASE == set(declared)
    # As stored: in memory a checklist's evidence is still the tuple asdict() kept.
    stored = json.loads(json.dumps({name: state[name] for name in declared}))
    for name, hint in declared.items():
        conforms(stored[name], hint, name)


def test_the_nested_shapes_are_filled_in_by_the_events():
    """The runs above reach every optional value in a non-empty form at least once."""
    ev, k = whole_evaluation_and_keberatan()
    assert ev.plan and ev.report and ev.ratings and ev.outcome and ev.corrections
    assert ev.receipt and ev.receipt["notice_ref"]
    assert "keberatan_id" in ev.outcome and k.decision and k.explanations
    reviewed = an_evaluation_under_review()
    assert reviewed.team_reviews and reviewed.ratings["behaviour"]["revisions"] == 1
    moved = an_evaluation_shortened_and_moved()
    assert moved.inactive and moved.active_days and moved.previous_raters
    i = an_inspection()
    assert all(f["resolution"] for f in i.follow_ups.values()) and i.findings
    annual, quarter = an_annual_skp_and_its_final_quarter()
    assert annual.plan["revisions"] and annual.outcome["from_period"]
    assert quarter.plan["skp"] and quarter.report["feedback"]
    assert quarter.report["evidence"][0]["line_id"]
