"""BKPP's period calendar on a real store (SQLite and PostgreSQL): evaluations take their dues
from it, an extension that names an evaluation moves them (recorded on the evaluation), a late
report is accepted and marked late, and a closed period refuses it, with nothing written."""

from __future__ import annotations

from datetime import date

import pytest

from domain.errors import (
    ExtensionShortensError,
    PeriodClosedError,
    PeriodNotEndedError,
    ReportWindowNotOpenError,
)
from domain.evaluation import Evaluation
from domain.values import Realisation
from projections.queries import Queries
from projections.runner import Projector
from service.application import ConflictError, NotFoundError
from service.core import Actor
from tests.service.scenario import (
    agreed_plans,
    finalised,
    rated_and_finalised,
    reported,
    reporting_line,
)

BKPP = Actor("198501012010011003", "inspector")
DUES = {"report_opens": date(2025, 1, 2), "report_due": date(2025, 1, 15),
        "rating_due": date(2025, 2, 5), "decision_target": date(2025, 3, 31)}


def submitted(app, line, evaluation) -> Evaluation.ReportSubmitted:
    app.submit_report(line.actor("asn"), evaluation.id, [Realisation("asn-1", "12")],
                      "capaian", "kendala", "rencana")
    events = app.repository.event_store.get(evaluation.id)
    return [e for e in events if isinstance(e, Evaluation.ReportSubmitted)][-1]


def test_an_evaluation_takes_its_dues_from_the_period_s_calendar(app):
    app.set_calendar(BKPP, "2024", **DUES)
    line = reporting_line(app)
    evaluation = agreed_plans(app, line)
    assert (evaluation.report_due, evaluation.rating_due) == ("2025-01-15", "2025-02-05")
    assert app.period_calendar("2024").decision_target == "2025-03-31"
    with pytest.raises(ConflictError, match="already set"):
        app.set_calendar(BKPP, "2024", **DUES)


def test_without_a_calendar_the_defaults_hold(app):
    evaluation = agreed_plans(app, reporting_line(app))
    assert (evaluation.report_due, evaluation.rating_due) == ("2025-01-10", "2025-01-31")
    with pytest.raises(NotFoundError):
        app.period_calendar("2024")


def test_a_late_report_is_accepted_and_marked_late(app, clock):
    line = reporting_line(app)
    evaluation = agreed_plans(app, line)
    clock.set(2025, 1, 20, 3)
    assert submitted(app, line, evaluation).late is True
    assert app.evaluation(evaluation.id).stage == "reported"


def test_an_extension_naming_the_evaluation_moves_its_dues_and_is_recorded_there(app, clock):
    app.set_calendar(BKPP, "2024", **DUES)
    line, other = reporting_line(app), reporting_line(app)
    evaluation, elsewhere = agreed_plans(app, line), agreed_plans(app, other)
    app.grant_extension(BKPP, "2024", "800/12/BKPP", date(2025, 1, 10),
                        report_due=date(2025, 1, 22), rating_due=date(2025, 2, 12),
                        scope="unit", unit_code=line.unit)
    clock.set(2025, 1, 20, 3)
    assert submitted(app, line, evaluation).late is False
    assert submitted(app, other, elsewhere).late is True  # the extension names another unit
    extended = app.evaluation(evaluation.id)
    assert (extended.report_due, extended.rating_due) == ("2025-01-22", "2025-02-12")
    assert app.evaluation(elsewhere.id).report_due == "2025-01-15"
    with pytest.raises(ExtensionShortensError):
        app.grant_extension(BKPP, "2024", "800/13/BKPP", date(2025, 1, 11),
                            report_due=date(2025, 1, 14), rating_due=date(2025, 2, 12))


def test_an_extension_by_list_names_only_evaluations_of_the_period(app):
    app.set_calendar(BKPP, "2024", **DUES)
    with pytest.raises(NotFoundError):
        app.grant_extension(BKPP, "2024", "800/12/BKPP", date(2025, 1, 10),
                            report_due=date(2025, 1, 22), rating_due=date(2025, 2, 12),
                            scope="evaluations", evaluation_ids=["not-an-id"])


def test_a_closed_period_refuses_a_report_and_writes_nothing(app, clock):
    app.set_calendar(BKPP, "2024", **DUES)
    line = reporting_line(app)
    evaluation = agreed_plans(app, line)
    app.close_period(BKPP, "2024")
    clock.set(2025, 1, 6, 3)
    before = app.recorder.max_notification_id()
    with pytest.raises(PeriodClosedError):
        submitted(app, line, evaluation)
    assert app.recorder.max_notification_id() == before
    with pytest.raises(PeriodClosedError):
        app.close_period(BKPP, "2024")


def test_no_report_before_the_period_has_ended(app, clock):
    line = reporting_line(app)
    evaluation = agreed_plans(app, line)
    clock.set(2024, 12, 31, 12)
    with pytest.raises(PeriodNotEndedError):
        submitted(app, line, evaluation)
    clock.set(2024, 12, 31, 17)  # midnight in Jakarta: the period has ended
    assert submitted(app, line, evaluation).late is False


def test_no_report_before_the_calendar_opens_the_report_window(app, clock):
    app.set_calendar(BKPP, "2024", **DUES)  # the window opens on 2 January 2025
    line = reporting_line(app)
    evaluation = agreed_plans(app, line)
    clock.set(2025, 1, 1, 16, 59)  # 23:59 on 1 January in Jakarta
    before = app.recorder.max_notification_id()
    with pytest.raises(ReportWindowNotOpenError) as refused:
        submitted(app, line, evaluation)
    assert refused.value.code == "report_window_not_open"
    assert app.recorder.max_notification_id() == before
    clock.set(2025, 1, 1, 17)  # midnight in Jakarta: 2 January, the window is open
    assert submitted(app, line, evaluation).late is False


def test_the_views_show_an_extension_s_dues_as_soon_as_bkpp_grants_it(app, clock):
    app.set_calendar(BKPP, "2024", **DUES)
    line, other, done = reporting_line(app), reporting_line(app), reporting_line(app)
    evaluation = agreed_plans(app, line)
    agreed_plans(app, other)  # in another unit, not named
    closed = finalised(app, clock, done)  # rated on 6 January
    app.grant_extension(BKPP, "2024", "800/12/BKPP", date(2025, 1, 10),
                        report_due=date(2025, 1, 22), rating_due=date(2025, 2, 12),
                        scope="evaluations",
                        evaluation_ids=[str(evaluation.id), str(closed.id)])
    projector = Projector(app)
    projector.catch_up()
    queries = Queries(projector.store)

    rows = {row["nip"]: row for row in queries.evaluations(period="2024", size=100).items}

    assert app.evaluation(evaluation.id).report_due == "2025-01-15"  # not recorded there yet
    assert (rows[line.asn]["report_due"], rows[line.asn]["rating_due"],
            rows[line.asn]["extended_by"]) == ("2025-01-22", "2025-02-12", "800/12/BKPP")
    assert rows[other.asn]["report_due"] == "2025-01-15" and "extended_by" not in rows[other.asn]
    assert rows[done.asn]["rating_due"] == "2025-02-05"  # a finalised one keeps its dues
    (history,) = [r for r in queries.history(line.asn) if r["period"] == "2024"]
    assert history["rating_due"] == "2025-02-12"
    clock.set(2025, 1, 20, 3)
    assert submitted(app, line, evaluation).late is False  # the command agrees with the view
    projector.catch_up()
    (row,) = [r for r in queries.evaluations(nip=line.asn).items if r["period"] == "2024"]
    assert (row["report_due"], row["extended_by"]) == ("2025-01-22", "800/12/BKPP")


def test_after_bkpp_closes_the_period_ratings_and_finalisation_are_taken_marked_late(
        app, clock):
    """Closure refuses what the ASN still owes (the report); what the rater owes them is
    taken, late, so a reported evaluation is never left without a result (docs/DOMAIN.md)."""
    app.set_calendar(BKPP, "2024", **DUES)
    line = reporting_line(app)
    evaluation = reported(app, clock, line)
    app.close_period(BKPP, "2024")
    clock.set(2025, 2, 20, 3)  # after the rating deadline of 5 February

    done = rated_and_finalised(app, line, evaluation)

    assert done.is_finalised and done.ratings["results"]["late"] is True
