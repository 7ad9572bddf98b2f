"""The annual SKP and periodic evaluations against it, through the use cases on both stores:
adoption at opening, a revision re-adopted in one transaction, feedback per line, the annual
predikat from the final period, and replay of a revised SKP."""

from __future__ import annotations

import pytest

from domain.errors import (
    FinalPeriodNotFinalisedError,
    PlanIsAnnualSkpError,
    ReasonRequiredError,
    SkpNotAgreedError,
)
from domain.values import LineEvidence, PlanLine, Realisation
from projections.queries import Queries
from projections.runner import Projector
from replay.asof import AsOf
from replay.timeline import Timelines
from service.application import Actor
from tests.service.scenario import ADMIN, REPORT_DAY, agreed_plans, reporting_line

HASH = "b" * 64
REVISED = [PlanLine("asn-1", "utama", "rater-1", "Hasil", "quantity", "IKI", "15"),
           PlanLine("asn-2", "tambahan", "rater-1", "Penugasan baru", "quality", "IKI", "ya")]


def year(app):
    """A reporting line whose ASN's 2024 SKP is agreed (cascading from the rater's)."""
    line = reporting_line(app)
    return line, agreed_plans(app, line)


def test_a_periodic_evaluation_needs_the_years_agreed_skp(app):
    line = reporting_line(app)
    with pytest.raises(SkpNotAgreedError):
        app.open_evaluation(ADMIN, line.asn, "2024-Q1")
    annual = app.open_evaluation(ADMIN, line.asn, "2024")
    with pytest.raises(SkpNotAgreedError):
        app.open_evaluation(ADMIN, line.asn, "2024-Q1")
    assert app.evaluation(annual.id).version == 1  # nothing written by the refusals


def test_a_periodic_evaluation_adopts_the_skp_and_drafts_none(app):
    line, annual = year(app)
    quarter = app.open_evaluation(ADMIN, line.asn, "2024-Q1")
    stored = app.evaluation(quarter.id)
    assert (stored.stage, stored.plan["skp"]["evaluation_id"]) == ("plan_agreed", str(annual.id))
    assert stored.plan["lines"] == app.evaluation(annual.id).plan["lines"]
    with pytest.raises(PlanIsAnnualSkpError):
        app.draft_plan(line.actor("asn"), quarter.id, "quantitative", REVISED)


def test_a_revision_is_adopted_by_periods_not_yet_reported_in_one_transaction(app, clock):
    line, annual = year(app)
    q1 = app.open_evaluation(ADMIN, line.asn, "2024-Q1")
    q2 = app.open_evaluation(ADMIN, line.asn, "2024-Q2")
    agreed = app.evaluation(annual.id).version
    clock.set(2024, 4, 2, 3)
    app.submit_report(line.actor("asn"), q1.id, [Realisation("asn-1", "3")], "", "", "")
    rater = line.actor("rater", "reviewer")
    with pytest.raises(ReasonRequiredError):
        app.revise_plan(rater, annual.id, "new_assignment", REVISED, reason="")
    clock.set(2024, 4, 3, 3)
    revised = app.revise_plan(rater, annual.id, "new_assignment", REVISED,
                              reason="tugas tambahan dari kepala")
    assert revised.plan["revisions"][0] | {"at": None} == {
        "cause": "new_assignment", "reason": "tugas tambahan dari kepala", "by": line.rater,
        "at": None, "version": revised.version}
    second, first = app.evaluation(q2.id), app.evaluation(q1.id)
    assert [x["id"] for x in second.plan["lines"]] == ["asn-1", "asn-2"]
    assert second.plan["skp"]["version"] == revised.version
    assert [x["id"] for x in first.plan["lines"]] == ["asn-1"]  # reported against the old one
    # replay: the quarter's plan as it stood before the revision, and the revision's entry
    before = AsOf(app).record(q2.id, version=2)
    assert [x["id"] for x in before.plan["lines"]] == ["asn-1"]
    timeline = Timelines(app, Queries(Projector(app).store).findings_naming)
    [entry] = [e for e in timeline.evaluation(annual.id) if e.topic.endswith("PlanRevised")]
    assert (entry.actor, entry.reason, entry.data["cause"]) == (
        line.rater, "tugas tambahan dari kepala", "new_assignment")
    adopted = [e for e in timeline.evaluation(q2.id) if e.topic.endswith("PlanAdopted")]
    assert [e.data["skp_version"] for e in adopted] == [agreed, revised.version]


def test_feedback_and_evidence_per_line(app, clock):
    line, _ = year(app)
    quarter = app.open_evaluation(ADMIN, line.asn, "2024-Q1")
    clock.set(2024, 4, 2, 3)
    app.submit_report(line.actor("asn"), quarter.id, [Realisation("asn-1", "3")], "", "", "",
                      [LineEvidence("https://arsip/q1.pdf", HASH, "asn-1")])
    given = app.give_feedback(line.actor("rater", "reviewer"), quarter.id, "asn-1",
                              "bagus; lampirkan rekap")
    stored = app.evaluation(quarter.id)
    assert stored.report["feedback"]["asn-1"]["version"] == given.version
    assert stored.report["evidence"][0]["line_id"] == "asn-1"


def finalise_period(app, line, evaluation, results="above", behaviour="above"):
    reviewer = line.actor("rater", "reviewer")
    app.submit_report(line.actor("asn"), evaluation.id, [Realisation("asn-1", "3")], "", "", "")
    app.record_rating(reviewer, evaluation.id, "results", results, reason="hasil")
    app.record_rating(reviewer, evaluation.id, "behaviour", behaviour, reason="perilaku")
    return app.finalise(reviewer, evaluation.id)


def test_the_annual_predikat_is_the_final_periods(app, clock):
    line, annual = year(app)
    s1 = app.open_evaluation(ADMIN, line.asn, "2024-S1")
    s2 = app.open_evaluation(ADMIN, line.asn, "2024-S2")
    clock.set(2024, 7, 2, 3)
    finalise_period(app, line, s1, "below", "below")
    clock.now = REPORT_DAY
    reviewer = Actor(line.rater, "reviewer")
    with pytest.raises(FinalPeriodNotFinalisedError):
        app.finalise(reviewer, annual.id)
    final = finalise_period(app, line, s2)
    done = app.finalise(reviewer, annual.id)
    assert (done.predikat, done.outcome["from_period"]) == (final.predikat, "2024-S2")
    assert app.evaluation(annual.id).outcome["from_period"] == "2024-S2"
