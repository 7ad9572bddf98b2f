"""Plt/Plh tenures: within one, the acting official is who rates as direct supervisor; outside
it, the line. For any order of appointments and days, the rater on a day is the one in force
that day, and every rule of an appointment has a failing example."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from domain.errors import InvalidStateError, InvalidValueError, NotAllowedError
from domain.keberatan import Keberatan
from domain.organisation import Employee
from projections.queries import as_on
from projections.view import fold
from projections.views.organisation import EmployeesView
from tests.domain import builders as b
from tests.domain.builders import meta, staff, unit

START = date(2024, 1, 1)
ACTING = ("197201012000031003", "197301012000031004")
LETTER = "800/17/2024"


def line() -> tuple[Employee, Employee, list[Employee]]:
    u = unit()
    worker, boss = staff(u)
    acting = [Employee.register(meta(), nip, "Pelaksana", unit=u, position="Kepala Seksi",
                                effective_from=START) for nip in ACTING]
    return worker, boss, acting


def test_a_plh_rates_in_the_tenure_and_the_line_resumes_after_it():
    worker, boss, (plh, _) = line()
    worker.appoint_acting(meta(), "Plh", plh, date(2024, 8, 1), date(2024, 8, 31), LETTER,
                          date(2024, 7, 29))
    assert [worker.supervisor_on(date(2024, 8, d)) for d in (1, 31)] == [plh.nip] * 2
    assert worker.supervisor_on(date(2024, 7, 31)) == worker.supervisor_on(
        date(2024, 9, 1)) == boss.nip
    assert worker.acting == [{"kind": "Plh", "acting_id": str(plh.id), "acting_nip": plh.nip,
                              "start": "2024-08-01", "end": "2024-08-31",
                              "letter_number": LETTER, "letter_date": "2024-07-29"}]


@pytest.mark.parametrize("kind, start, end, letter_date, error, words", [
    ("Pj", date(2024, 8, 1), date(2024, 8, 31), date(2024, 7, 1), InvalidValueError, "Plt"),
    ("Plt", date(2024, 8, 1), date(2024, 7, 31), date(2024, 7, 1), InvalidValueError, "ends"),
    ("Plt", date(2024, 8, 1), date(2024, 8, 31), date(2024, 8, 2), InvalidValueError, "letter"),
    ("Plt", date(2024, 6, 1), date(2024, 6, 30), date(2024, 5, 1), InvalidStateError, "overlaps"),
])
def test_each_rule_of_an_appointment_has_a_failing_example(kind, start, end, letter_date, error,
                                                           words):
    worker, _, (first, second) = line()
    worker.appoint_acting(meta(), "Plh", first, date(2024, 5, 15), date(2024, 6, 15), LETTER,
                          date(2024, 5, 1))
    with pytest.raises(error, match=words):
        worker.appoint_acting(meta(), kind, second, start, end, LETTER, letter_date)


def test_nobody_acts_as_their_own_supervisor():
    worker, _, _ = line()
    with pytest.raises(NotAllowedError):
        worker.appoint_acting(meta(), "Plt", worker, START, START, LETTER, START)


def rater_then(line_nip: str, tenures: list[tuple[date, date, str]], day: date) -> str | None:
    """The rule, written plainly: a tenure covering the day, else the line (from START)."""
    in_line = line_nip if day >= START else None
    return next((nip for start, end, nip in tenures if start <= day <= end), in_line)


@hsettings(max_examples=150, deadline=None)
@given(appointments=st.lists(st.tuples(st.integers(0, 1), st.integers(0, 360),
                                       st.integers(0, 60)), max_size=8),
       days=st.lists(st.integers(-10, 430), min_size=1, max_size=12))
def test_for_any_order_of_appointments_the_rater_on_a_day_is_the_one_in_force_that_day(
        appointments, days):
    worker, boss, acting = line()
    tenures: list[tuple[date, date, str]] = []
    for who, offset, length in appointments:
        start = START + timedelta(days=offset)
        end = start + timedelta(days=length)
        try:
            worker.appoint_acting(meta(), "Plh", acting[who], start, end, LETTER, start)
        except InvalidStateError:
            assert any(s <= end and start <= e for s, e, _ in tenures)  # the refusal: overlap
            continue
        tenures.append((start, end, acting[who].nip))
    (doc,) = fold(EmployeesView(), worker.collect_events()).values()
    for offset in days:
        day = START + timedelta(days=offset)
        expected = rater_then(boss.nip, tenures, day)
        assert worker.supervisor_on(day) == as_on(doc, day)["supervisor_nip"] == expected
        tenure = as_on(doc, day)["acting_tenure"]
        covering = [nip for start, end, nip in tenures if start <= day <= end]
        assert ([tenure["acting_nip"]] if tenure else []) == covering
        capacity = worker.acting_on(day)  # what an act that day records
        assert (capacity["in_place_of"] if capacity else None) == (boss.nip if covering else None)


def test_the_capacity_on_a_day_names_the_tenure_and_whom_it_stood_in_for():
    worker, boss, (plh, _) = line()
    worker.appoint_acting(meta(), "Plh", plh, date(2024, 8, 1), date(2024, 8, 31), LETTER,
                          date(2024, 7, 29))
    assert worker.acting_on(date(2024, 8, 15)) == {
        "kind": "Plh", "letter_number": LETTER, "letter_date": "2024-07-29",
        "start": "2024-08-01", "end": "2024-08-31", "in_place_of": boss.nip}
    assert worker.acting_on(date(2024, 9, 1)) is None


PLH = {"kind": "Plh", "letter_number": LETTER, "letter_date": "2025-01-03",
       "start": "2025-01-06", "end": "2025-01-20", "in_place_of": b.RATER_NIP}


def test_an_act_by_a_plh_records_the_capacity_and_one_in_their_own_right_none():
    ev = b.evaluation("reported")
    ev.record_rating(meta(ACTING[0], "reviewer", b.AT_REPORT, "Plh menilai"), ACTING[0],
                     "results", "above", acting=PLH)
    ev.record_rating(b.rater(b.AT_REPORT, "perilaku"), b.RATER_NIP, "behaviour", "meets")
    ev.revise_rating(meta(ACTING[0], "reviewer", b.AT_REPORT, "ditinjau"), ACTING[0],
                     "behaviour", "above", acting=PLH)
    ev.finalise(meta(ACTING[0], "reviewer", b.AT_REPORT), ACTING[0], b.RULES, acting=PLH)

    recorded, own, revised, finalised = ev.collect_events()[-4:]
    assert (recorded.acting, own.acting, revised.acting, finalised.acting) == (PLH, None, PLH, PLH)
    assert ev.ratings["behaviour"]["acting"] == ev.ratings["results"]["acting"] == PLH
    assert ev.outcome is not None and ev.outcome["acting"] == PLH


def test_a_plan_agreed_by_a_plh_says_so_and_one_agreed_by_the_rater_has_no_capacity():
    by_plh, by_rater = b.evaluation("drafted"), b.evaluation("drafted")
    by_plh.agree_plan(meta(ACTING[0], "reviewer"), ACTING[0], ["R1", "R2"], acting=PLH)
    by_rater.agree_plan(b.rater(), b.RATER_NIP, ["R1", "R2"])
    assert by_plh.plan is not None and by_plh.plan["agreed_acting"] == PLH
    assert by_rater.plan is not None and "agreed_acting" not in by_rater.plan
    assert by_rater.collect_events()[-1].acting is None


def test_a_decision_by_an_acting_authority_records_it_on_the_decision_and_the_correction():
    ev = b.evaluation("finalised")
    k = Keberatan.file(b.asn(b.AT_REPORT + timedelta(days=3)), ev, "tidak adil",
                       chain=[ACTING[1]], involved=b.took_part(ev), rules=b.RULES)
    plt = PLH | {"kind": "Plt", "in_place_of": b.HEAD_NIP}
    k.decide(meta(ACTING[1], "appeal_board", b.AT_REPORT + timedelta(days=5), "dikabulkan"),
             "upheld", ev, b.RULES, results="above", behaviour="above", acting=plt,
             involved=b.took_part(ev))
    assert k.decision is not None and k.decision["acting"] == plt
    assert ev.outcome is not None and ev.outcome["acting"] == plt
    assert k.collect_events()[-1].acting == ev.collect_events()[-1].acting == plt
