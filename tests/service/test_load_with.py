"""Loading an evaluation with its employee: one query when both are cached, and always the same
records ``load`` gives, up to date with writes made elsewhere (another process)."""

from __future__ import annotations

from datetime import date
from uuid import UUID

import pytest

from domain.calendar import PeriodCalendar, calendar_id
from domain.errors import NotFoundError
from domain.evaluation import Evaluation
from domain.organisation import Employee, Unit
from service.cache import Absent
from service.store import open_app
from tests.service.scenario import ADMIN, reported, reporting_line


def employee_id(evaluation) -> UUID:
    return UUID(evaluation.employee_id)


def as_loaded(app, evaluation_id):
    return app.load_with(evaluation_id, Evaluation, employee_id, Employee)


def test_cached_records_are_brought_up_to_date_with_writes_from_elsewhere(app, settings, clock):
    line = reporting_line(app)
    evaluation = reported(app, clock, line)
    before, _ = as_loaded(app, evaluation.id)  # both in the cache now
    other = open_app(settings, clock=clock)  # another process
    try:
        other.comment(line.actor("rater"), evaluation.id, "dari proses lain")
        other.assign_supervisor(ADMIN, line.asn, line.head, effective_from=date(2025, 2, 1))
    finally:
        other.close()
    queries, select = [], app.recorder.select_events_after
    app.recorder.select_events_after = lambda versions: queries.append(versions) or select(versions)
    record, employee = as_loaded(app, evaluation.id)
    assert len(queries) == 1  # both records brought up to date by one query
    fresh = open_app(settings, clock=clock)
    try:
        assert record.version == fresh.load(evaluation.id).version == before.version + 1
        assert employee.version == fresh.load(employee.id).version
        assert employee.supervisor_on(date(2025, 3, 1)) == line.head
        assert record.__dict__ == fresh.load(evaluation.id).__dict__
    finally:
        fresh.close()


def test_the_records_handed_out_are_copies(app, clock):
    line = reporting_line(app)
    evaluation = reported(app, clock, line)
    as_loaded(app, evaluation.id)
    record, employee = as_loaded(app, evaluation.id)
    record.team.append("changed in hand")
    employee.reporting_line.clear()
    again, employee_again = as_loaded(app, evaluation.id)
    assert "changed in hand" not in again.team and employee_again.reporting_line


def test_the_wrong_kind_is_not_found_cached_or_not(app, clock):
    line = reporting_line(app)
    evaluation = reported(app, clock, line)
    unit_id = app.unit(line.unit).id
    for _ in range(2):  # not cached, then cached
        with pytest.raises(NotFoundError):
            app.load_with(unit_id, Evaluation, employee_id, Employee)
        app.load(unit_id, Unit)
    with pytest.raises(NotFoundError):
        app.load_with(evaluation.id, Evaluation, lambda e: unit_id, Employee)


def test_a_commands_calendar_comes_in_the_same_query_absent_or_set_elsewhere(app, settings,
                                                                              clock):
    """A rating reads its period's calendar: with the evaluation and employee cached, the one
    query says there is none, and picks it up once another process sets it."""
    line = reporting_line(app)
    evaluation = reported(app, clock, line)
    app.for_command(evaluation.id)  # evaluation and employee cached now
    queries, select = [], app.recorder.select_events_after
    app.recorder.select_events_after = lambda versions: queries.append(versions) or select(versions)
    _, _, calendar = app.for_command(evaluation.id)
    assert isinstance(calendar, Absent) and calendar.id == calendar_id("2024")
    assert len(queries) == 1 and len(queries[0]) == 3
    other = open_app(settings, clock=clock)  # another process: BKPP sets the calendar
    try:
        other.set_calendar(ADMIN, "2024", report_opens=date(2025, 1, 2),
                           report_due=date(2025, 1, 10), rating_due=date(2025, 2, 28),
                           decision_target=date(2025, 3, 31))
    finally:
        other.close()
    _, _, calendar = app.for_command(evaluation.id)
    assert isinstance(calendar, PeriodCalendar) and len(queries) == 2
    assert app.calendar_if_set("2024", {"loaded": (calendar,)}) is calendar
    assert app.calendar_if_set("2024", {"loaded": (Absent(calendar.id),)}) is None
