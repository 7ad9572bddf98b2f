"""The employees view answers as on a day: the posting and the reporting line in force then,
never an assignment recorded early for a day still to come. Property-tested in memory against
the domain; then on SQLite and PostgreSQL through the queries people read."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from domain.errors import InvalidStateError
from domain.organisation import Employee
from projections.queries import Queries, as_on
from projections.runner import Projector
from projections.view import fold
from projections.views.organisation import EmployeesView
from tests.domain.builders import meta, staff, unit
from tests.service.scenario import ADMIN, new_nip, reported, reporting_line

START = date(2024, 1, 1)  # the day staff() puts the line in force
OTHERS = ("197201012000031003", "197301012000031004", "197401012000031005")
NOBODY = len(OTHERS)  # an index meaning: no supervisor from that day (a vacant post)


def caught_up(app) -> Queries:
    projector = Projector(app)
    projector.catch_up()
    return Queries(projector.store)


def in_force_then(accepted: list[tuple[date, str | None]], day: date) -> str | None:
    """The rule, written plainly: the last accepted assignment from that day or before."""
    found = [nip for start, nip in accepted if start <= day]
    return found[-1] if found else None


@hsettings(max_examples=150, deadline=None)
@given(commands=st.lists(st.tuples(st.integers(0, NOBODY), st.integers(-30, 400)), max_size=12),
       days=st.lists(st.integers(-40, 450), min_size=1, max_size=12))
def test_for_any_order_of_assignments_the_line_on_a_day_is_the_one_in_force_that_day(
        commands, days):
    u = unit()
    worker, boss = staff(u)
    others = [Employee.register(meta(), nip, "Pejabat", unit=u, position="Kepala Bidang",
                                effective_from=START) for nip in OTHERS]
    accepted: list[tuple[date, str | None]] = [(START, boss.nip)]
    for who, offset in commands:
        day = START + timedelta(days=offset)
        supervisor = others[who] if who < NOBODY else None
        try:
            worker.assign_supervisor(meta(), supervisor, day)
        except InvalidStateError:
            assert day < accepted[-1][0]  # the one refusal: back-dating before the latest
            continue
        accepted.append((day, supervisor.nip if supervisor else None))
    (doc,) = fold(EmployeesView(), worker.collect_events()).values()
    assert [(entry["from"], entry["supervisor_nip"]) for entry in doc["reporting_line"]] == [
        (start.isoformat(), nip) for start, nip in accepted]  # the whole dated history is kept
    for offset in days:
        day = START + timedelta(days=offset)
        assert worker.supervisor_on(day) == as_on(doc, day)["supervisor_nip"] == in_force_then(
            accepted, day)


def test_a_supervisor_assigned_from_a_later_day_is_not_the_line_before_it(app):
    line = reporting_line(app)
    newcomer = new_nip(1971)
    app.register_employee(ADMIN, newcomer, "Kabid Baru", unit_code=line.unit,
                          position="Kepala Bidang", effective_from=START)
    app.assign_supervisor(ADMIN, line.asn, newcomer, effective_from=date(2024, 7, 1))
    queries = caught_up(app)
    june, july = date(2024, 6, 30), date(2024, 7, 1)

    assert queries.employee_on(line.asn, june)["supervisor_nip"] == line.rater
    assert queries.employee_on(line.asn, july)["supervisor_nip"] == newcomer
    assert queries.employee_on(line.asn, date(2023, 12, 31))["supervisor_nip"] is None
    staff_of = {day: {who: [e["nip"] for e in queries.employees_on(day, supervisor=who)]
                      for who in (line.rater, newcomer)} for day in (june, july)}
    assert staff_of == {june: {line.rater: [line.asn], newcomer: []},
                        july: {line.rater: [], newcomer: [line.asn]}}


def test_a_transfer_from_a_later_day_moves_the_posting_only_from_that_day(app):
    line, other = reporting_line(app), reporting_line(app)
    app.transfer_employee(ADMIN, line.asn, unit_code=other.unit, position="Analis Muda",
                          effective_from=date(2024, 9, 1))
    queries = caught_up(app)
    before, after = (queries.employee_on(line.asn, day)
                     for day in (date(2024, 8, 31), date(2024, 9, 1)))
    assert (before["position"], after["position"]) == ("Analis", "Analis Muda")
    assert before["unit_id"] != after["unit_id"] and len(after["postings"]) == 2
    in_new = [e["nip"] for e in queries.employees_on(date(2024, 9, 1), unit=after["unit_id"])]
    in_old = [e["nip"] for e in queries.employees_on(date(2024, 8, 31), unit=after["unit_id"])]
    assert line.asn in in_new and line.asn not in in_old


def test_the_reviewers_queue_follows_the_line_on_the_day(app, clock):
    line = reporting_line(app)
    evaluation = reported(app, clock, line)
    newcomer = new_nip(1971)
    app.register_employee(ADMIN, newcomer, "Kabid Baru", unit_code=line.unit,
                          position="Kepala Bidang", effective_from=START)
    app.assign_supervisor(ADMIN, line.asn, newcomer, effective_from=date(2025, 2, 1))
    queries = caught_up(app)
    tasks = {(who, day): [t["evaluation_id"] for t in queries.queue(who, day)]
             for who in (line.rater, newcomer) for day in (date(2025, 1, 28), date(2025, 2, 1))}
    assert tasks == {(line.rater, date(2025, 1, 28)): [str(evaluation.id)],
                     (newcomer, date(2025, 1, 28)): [],
                     (line.rater, date(2025, 2, 1)): [],
                     (newcomer, date(2025, 2, 1)): [str(evaluation.id)]}
