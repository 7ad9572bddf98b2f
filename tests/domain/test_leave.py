"""Leave and inactive periods, and mid-year transfers, as they reach an evaluation.

A period without service (cuti besar, CLTN, tugas belajar, pemberhentian sementara) excuses an
evaluation whose whole period it covers and shortens one it covers in part; a transfer moves
an open evaluation to the new unit and line, keeping the previous rater's part. Each rule has
a failing example here; the properties are in test_leave_properties.py.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from domain.errors import (
    ExcusedError,
    FinalisedError,
    InvalidStateError,
    InvalidValueError,
    LeaveOverlapsError,
    NotAllowedError,
)
from domain.evaluation import EXCUSED, Evaluation
from domain.organisation import Employee, Unit
from domain.periods import parse_period
from projections.queries import as_on
from projections.view import fold
from projections.views.evaluations import EvaluationsView
from projections.views.organisation import EmployeesView
from replay.timeline import CHANGES
from tests.domain.builders import (
    AT_REPORT,
    HEAD_NIP,
    LINES,
    RATER_NIP,
    RULES,
    T0,
    asn,
    event_names,
    filed_on,
    meta,
    rater,
    staff,
    unit,
)
from tests.domain.builders import evaluation as an_evaluation

SK = "800/45/BKPP/2024"
NEW_RATER_NIP = "197601012001031007"


def line() -> tuple[Employee, Employee, Unit, Employee]:
    """The ASN under their supervisor, and a second unit with its own head to move to."""
    worker, boss = staff(unit())
    other = Unit.establish(meta(), "DPMPTSP", "Dinas Penanaman Modal")
    new_boss = Employee.register(meta(), NEW_RATER_NIP, "Dewi Lestari", unit=other,
                                 position="Kepala Bidang", effective_from=date(2024, 1, 1))
    return worker, boss, other, new_boss


def opened(worker: Employee, period: str = "2024") -> Evaluation:
    """The worker's evaluation of ``period``; a periodic one on the year's agreed SKP."""
    span = parse_period(period)
    skp = None if span.is_annual else agreed_skp(worker)
    return Evaluation.open(meta(), worker, span, rater_nip=RATER_NIP, skp=skp,
                           report_due=date(2025, 1, 10), rating_due=date(2025, 1, 31))


def agreed_skp(worker: Employee) -> Evaluation:
    skp = opened(worker)
    skp.draft_plan(meta(worker.nip, "asn"), "quantitative", LINES)
    skp.agree_plan(rater(), RATER_NIP, ["R1", "R2"])
    return skp


def leave(worker: Employee, ev: Evaluation, kind: str, start: date, end: date) -> bool:
    """What the use case does: record the leave, then apply it to the evaluation."""
    worker.record_leave(meta(), kind, start, end, SK, min(start, T0.date()))
    return ev.account_for_leave(meta(), worker.inactive_within(parse_period(ev.period)))


def test_leave_in_part_of_the_period_shortens_it_to_the_days_served():
    worker, *_ = line()
    ev = opened(worker)
    assert leave(worker, ev, "cuti_besar", date(2024, 3, 1), date(2024, 5, 29))
    assert ev.inactive == [{"kind": "cuti_besar", "start": "2024-03-01", "end": "2024-05-29",
                            "decree_number": SK}]
    assert ev.active_days == 366 - 90 and ev.stage != EXCUSED
    (doc,) = fold(EvaluationsView(), ev.collect_events()).values()
    assert (doc["active_days"], doc["period_days"], doc["inactive"]) == (276, 366, ev.inactive)


def test_leave_clipped_to_the_period_and_each_recording_says_the_whole():
    worker, *_ = line()
    ev = opened(worker, "2024-Q1")
    leave(worker, ev, "tugas_belajar", date(2023, 9, 1), date(2024, 1, 31))
    leave(worker, ev, "pemberhentian_sementara", date(2024, 3, 1), date(2024, 3, 10))
    assert [(s["start"], s["end"]) for s in ev.inactive] == [
        ("2024-01-01", "2024-01-31"), ("2024-03-01", "2024-03-10")]
    assert ev.active_days == 91 - 31 - 10
    assert not leave(worker, ev, "cltn", date(2024, 6, 1), date(2024, 6, 30))  # outside Q1


def test_leave_over_the_whole_period_excuses_it_and_nothing_more_is_recorded():
    worker, *_ = line()
    ev = opened(worker, "2024-S2")  # on the year's SKP
    leave(worker, ev, "cltn", date(2024, 6, 1), date(2025, 5, 31))
    assert event_names(ev)[-1] == "Excused" and ev.stage == EXCUSED and ev.active_days == 0
    assert not ev.is_open
    for command in (lambda: ev.draft_plan(asn(), "quantitative", LINES),
                    lambda: ev.agree_plan(rater(), RATER_NIP, ["R1", "R2"]),
                    lambda: ev.comment(asn(), "masih bisa?"),
                    lambda: ev.assign_team(meta(), [HEAD_NIP]),
                    lambda: ev.extend_deadlines(meta(), "SE 1", date(2025, 2, 1),
                                                date(2025, 3, 1)),
                    lambda: ev.account_for_leave(meta(), []),
                    lambda: ev.transfer(meta(), worker, date(2024, 8, 1))):
        with pytest.raises(ExcusedError):
            command()
    with pytest.raises(InvalidStateError):  # no result: no receipt, no keberatan
        ev.receive_result(asn(AT_REPORT), "acknowledged", RULES)
    with pytest.raises(InvalidStateError):
        filed_on(asn(AT_REPORT), ev, "tidak adil")


def test_two_leaves_that_together_cover_the_period_excuse_it():
    worker, *_ = line()
    ev = opened(worker, "2024-M02")
    leave(worker, ev, "cuti_besar", date(2024, 1, 15), date(2024, 2, 10))
    assert ev.stage != EXCUSED
    leave(worker, ev, "cltn", date(2024, 2, 11), date(2024, 4, 30))
    assert ev.stage == EXCUSED and len(ev.inactive) == 2


def test_a_finalised_evaluation_is_not_changed_by_leave_recorded_later():
    ev = an_evaluation("finalised")
    with pytest.raises(FinalisedError):
        ev.account_for_leave(meta(), [{"kind": "cltn", "start": "2024-01-01",
                                       "end": "2024-12-31", "decree_number": SK}])


@pytest.mark.parametrize("kind, start, end, decree_date, error, words", [
    ("cuti_tahunan", date(2024, 8, 1), date(2024, 8, 31), T0.date(), InvalidValueError,
     "cuti_besar"),
    ("cltn", date(2024, 8, 1), date(2024, 7, 31), T0.date(), InvalidValueError, "ends"),
    ("cltn", date(2024, 8, 1), date(2024, 8, 31), T0.date() + timedelta(days=1),
     InvalidValueError, "after today"),
    ("cltn", date(2024, 6, 15), date(2024, 7, 15), T0.date(), LeaveOverlapsError, "overlaps"),
    ("cltn", date(2024, 4, 1), date(2024, 6, 1), T0.date(), LeaveOverlapsError, "overlaps"),
])
def test_each_rule_of_a_leave_has_a_failing_example(kind, start, end, decree_date, error,
                                                    words):
    worker, *_ = line()
    worker.record_leave(meta(), "cuti_besar", date(2024, 6, 1), date(2024, 6, 30), SK,
                        T0.date())
    with pytest.raises(error, match=words):
        worker.record_leave(meta(), kind, start, end, SK, decree_date)
    assert len(worker.leave) == 1


def test_the_employees_view_shows_the_leave_with_its_dates_and_the_day_on_leave():
    worker, *_ = line()
    worker.record_leave(meta(), "tugas_belajar", date(2024, 9, 1), date(2026, 8, 31), SK,
                        T0.date())
    worker.record_leave(meta(), "cuti_besar", date(2024, 2, 1), date(2024, 3, 31), SK,
                        T0.date())
    (doc,) = fold(EmployeesView(), worker.collect_events()).values()
    assert doc["leave"] == worker.leave and [p["start"] for p in doc["leave"]] == [
        "2024-02-01", "2024-09-01"]
    assert as_on(doc, date(2025, 1, 1))["on_leave"]["kind"] == "tugas_belajar"
    assert as_on(doc, date(2024, 4, 1))["on_leave"] is None


def planned() -> tuple[Evaluation, Employee, Unit, Employee]:
    """An annual evaluation with its plan agreed, and a unit with a head to move to."""
    worker, _, other, new_boss = line()
    ev = opened(worker)
    ev.draft_plan(asn(), "quantitative", LINES)
    ev.agree_plan(rater(), RATER_NIP, ["R1", "R2"])
    return ev, worker, other, new_boss


def move(worker: Employee, other: Unit, new_boss: Employee, day: date) -> None:
    """What the use case records on the employee: the posting and the line, from ``day``."""
    worker.transfer(meta(), other, "Analis Perizinan", day)
    worker.assign_supervisor(meta(), new_boss, day)


def test_a_transfer_moves_the_evaluation_to_the_new_unit_and_line_keeping_the_previous():
    ev, worker, other, new_boss = planned()
    old_unit = ev.unit_id
    move(worker, other, new_boss, date(2024, 8, 1))
    assert ev.transfer(meta(), worker, date(2024, 8, 1), "SKP diserahterimakan")
    assert (ev.unit_id, ev.rater_nip) == (str(other.id), new_boss.nip)
    assert ev.previous_raters == [{"nip": RATER_NIP, "unit_id": old_unit, "until": "2024-07-31",
                                   "handover_note": "SKP diserahterimakan"}]
    assert ev.plan and ev.plan["agreed_version"]  # the SKP goes with it, agreed
    assert not ev.transfer(meta(), worker, date(2024, 8, 1))  # already there: nothing more
    events = ev.collect_events()
    (doc,) = fold(EvaluationsView(), events).values()
    assert (doc["unit_id"], doc["rater_nip"], doc["previous_raters"]) == (
        ev.unit_id, ev.rater_nip, ev.previous_raters)
    transferred = next(e for e in events if isinstance(e, Evaluation.Transferred))
    assert [(c["field"], c["old"], c["new"])
            for c in CHANGES[Evaluation.Transferred](transferred, {})] == [
        ("unit", old_unit, str(other.id)), ("rater", RATER_NIP, new_boss.nip)]


def test_after_the_transfer_the_new_supervisor_rates_and_the_previous_ratings_stay():
    ev, worker, other, new_boss = planned()
    ev.submit_report(asn(AT_REPORT), [], "capaian", "kendala", "rencana")
    ev.record_rating(rater(AT_REPORT, "sebelum pindah"), RATER_NIP, "results", "above")
    move(worker, other, new_boss, date(2024, 12, 1))  # recorded late, effective in the period
    ev.transfer(meta(), worker, date(2024, 12, 1))
    day = AT_REPORT + timedelta(days=1)
    with pytest.raises(NotAllowedError):
        ev.record_rating(rater(day, "perilaku"), worker.supervisor_on(day.date()),
                         "behaviour", "meets")
    ev.record_rating(meta(new_boss.nip, "reviewer", day, "perilaku"),
                     worker.supervisor_on(day.date()), "behaviour", "meets")
    assert ev.ratings["results"]["by"] == RATER_NIP
    assert ev.ratings["behaviour"]["by"] == new_boss.nip
    assert ev.previous_raters[0]["nip"] == RATER_NIP


@pytest.mark.parametrize("case, error", [
    ("finalised", FinalisedError), ("ended", InvalidStateError), ("unposted", InvalidStateError),
])
def test_each_rule_of_moving_an_evaluation_has_a_failing_example(case, error):
    worker, _, other, _ = line()
    if case == "finalised":
        ev = an_evaluation("finalised")
        worker.transfer(meta(), other, "Analis", date(2024, 8, 1))
        effective = date(2024, 8, 1)
    elif case == "ended":
        ev = opened(worker, "2024-Q1")
        worker.transfer(meta(), other, "Analis", date(2024, 8, 1))
        effective = date(2024, 8, 1)
    else:
        ev = opened(worker)
        effective = date(2023, 12, 1)  # before the ASN's first posting
    with pytest.raises(error):
        ev.transfer(meta(), worker, effective)
