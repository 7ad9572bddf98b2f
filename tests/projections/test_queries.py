"""The views people read agree with the records they summarise (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections import Counter
from datetime import date
from uuid import UUID

from domain.curve import departures
from domain.skm import index
from projections.queries import Queries
from projections.runner import Projector
from tests.domain.builders import answers
from tests.projections.conftest import random_history
from tests.service.scenario import ADMIN, reported, reporting_line


def caught_up(app):
    projector = Projector(app)
    projector.catch_up()
    return Queries(projector.store)


def test_the_dashboard_counts_each_units_predikat_and_shows_departures(app, clock):
    random_history(app, clock, seed=21, lines=4)
    queries = caught_up(app)
    for row in queries.evaluations(period="2024", size=500).items:  # not the imported 2021
        board = queries.dashboard(row["unit_id"], 2024)
        records = [app.evaluation(UUID(e["evaluation_id"])) for e in queries.evaluations(
            unit=row["unit_id"], period="2024", size=500).items]
        counts = Counter(r.predikat for r in records if r.predikat)
        assert {p: n for p, n in board["predikat"].items() if n} == dict(counts)
        unit = app.load(UUID(row["unit_id"]))
        assert board["departures"] == departures(unit.org_predikat.get("2024"), counts)


def test_the_reviewers_queue_lists_reports_to_rate(app, clock):
    line = reporting_line(app)
    evaluation = reported(app, clock, line)
    queue = caught_up(app).queue(line.rater, date(2025, 1, 28))
    assert [(t["evaluation_id"], t["task"], t["near"]) for t in queue] == [
        (str(evaluation.id), "rate", True)]
    reviewer = line.actor("rater", "reviewer")
    app.record_rating(reviewer, evaluation.id, "results", "meets", reason="x")
    app.record_rating(reviewer, evaluation.id, "behaviour", "meets", reason="y")
    assert [t["task"] for t in caught_up(app).queue(line.rater, date(2025, 2, 3))] == ["finalise"]


def test_fairness_signals_count_what_each_reviewer_did(app, clock):
    random_history(app, clock, seed=33, lines=4)
    signals = caught_up(app).fairness(2024)
    finalised = [e for e in (app.load(UUID(r["evaluation_id"])) for r in
                             caught_up(app).evaluations(period="2024", size=500).items)
                 if e.outcome]
    assert sum(s["evaluations"] for s in signals) == len(finalised)
    overturned = sum(bool(e.corrections) for e in finalised)
    assert sum(s["overturned_on_appeal"] for s in signals) == overturned
    for s in signals:
        assert abs(sum(s["shares"].values()) - 1) < 1e-3


def test_skm_index_per_unit_and_period(app, clock):
    line = reporting_line(app)
    app.record_survey_responses(ADMIN, line.unit, "2024", [answers(*[4] * 9), answers(*[3] * 9)])
    app.record_survey_responses(ADMIN, line.unit, "2024", [answers(2, 3, 4, 1, 2, 3, 4, 4, 4)])
    (row,) = caught_up(app).skm(unit=str(app.unit(line.unit).id))
    survey = app.survey(line.unit, "2024")
    assert row["index"] == str(index(survey.totals, survey.counts)) and row["responses"] == 3


def test_open_follow_ups_have_an_age_and_appeals_an_overdue_flag(app, clock):
    random_history(app, clock, seed=44, lines=3)
    queries = caught_up(app)
    for follow_up in queries.open_follow_ups(date(2025, 6, 1)):
        assert follow_up["age_days"] >= 0 and not follow_up["resolved"]
    for appeal in queries.appeals(date(2030, 1, 1), status="open"):
        assert appeal["overdue"] is True
