"""One annual SKP, periodic evaluations against it (issue 14): adoption, revision, feedback and
evidence per line, and the annual predikat taken from the final period."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain import errors
from domain.evaluation import Evaluation
from domain.values import Evidence, LineEvidence, PlanLine, Realisation
from tests.domain.builders import (
    AT_REPORT,
    LINES,
    RATER_NIP,
    RULES,
    asn,
    event_names,
    meta,
    periodic,
    rater,
    year,
)

RAISED = [LINES[0], PlanLine("S3", "utama", "R1", "Pelayanan KIA", "quantity", "kartu", "300")]
HASH = "a" * 64


def revise(annual: Evaluation, lines: list[PlanLine] = RAISED, *, at_minutes: int = 0,
           reason: str = "penugasan baru") -> None:
    when = rater(AT_REPORT + timedelta(minutes=at_minutes), reason)
    annual.revise_plan(when, RATER_NIP, ["R1", "R2"], "new_assignment", lines)


def report(ev: Evaluation, *evidence: Evidence) -> None:
    ev.submit_report(asn(AT_REPORT), [Realisation(ev.plan["lines"][0]["id"], "520")], "", "",
                     "", list(evidence))


def finalised(ev: Evaluation, results: str = "above", behaviour: str = "meets") -> Evaluation:
    report(ev)
    later = AT_REPORT + timedelta(days=1)
    ev.record_rating(rater(later, "sesuai bukti"), RATER_NIP, "results", results)
    ev.record_rating(rater(later, "sesuai bukti"), RATER_NIP, "behaviour", behaviour)
    ev.finalise(rater(later), RATER_NIP, RULES)
    return ev


# ---- adoption ---------------------------------------------------------------------------

def test_a_periodic_evaluation_opens_on_the_years_agreed_skp():
    worker, annual = year()
    quarter = periodic(worker, annual, "2024-Q2")
    assert event_names(quarter) == ["Opened", "PlanAdopted"]
    assert quarter.stage == "plan_agreed"
    assert quarter.plan["lines"] == annual.plan["lines"]
    assert quarter.plan["skp"] == {"evaluation_id": str(annual.id), "period": "2024",
                                   "version": annual.plan["agreed_version"]}


@pytest.mark.parametrize("stage", ["none", "drafted"])
def test_no_periodic_evaluation_before_the_years_skp_is_agreed(stage):
    worker, annual = year(stage)
    with pytest.raises(errors.SkpNotAgreedError) as error:
        periodic(worker, None if stage == "none" else annual)
    assert error.value.code == "skp_not_agreed"


def test_a_periodic_evaluation_adopts_only_its_own_years_skp():
    worker, annual = year()
    with pytest.raises(errors.UnknownReferenceError):
        periodic(worker, annual, "2025-Q1")


def test_a_periodic_evaluation_drafts_no_plan_of_its_own():
    worker, annual = year("drafted")
    annual.agree_plan(rater(), RATER_NIP, ["R1", "R2"])
    quarter = periodic(worker, annual)
    with pytest.raises(errors.PlanIsAnnualSkpError) as error:
        quarter.draft_plan(asn(), "quantitative", LINES)
    assert error.value.code == "plan_is_annual_skp"


# ---- revision ---------------------------------------------------------------------------

def test_a_revision_is_recorded_with_its_cause_reason_and_rater():
    _, annual = year()
    agreed = annual.plan["agreed_version"]
    annual.collect_events()
    revise(annual)
    (revised,) = annual.collect_events()
    assert (type(revised).__name__, revised.cause, revised.reason, revised.actor) == (
        "PlanRevised", "new_assignment", "penugasan baru", RATER_NIP)
    assert [line["id"] for line in annual.plan["lines"]] == ["S1", "S3"]
    assert annual.plan["agreed_version"] == revised.originator_version > agreed
    assert annual.plan["revisions"][0]["cause"] == "new_assignment"
    assert annual.plan_results() == ["S1", "S3"]  # subordinates cascade from the revision


def test_a_revision_needs_a_reason_a_known_cause_the_rater_and_the_cascade():
    _, annual = year()
    with pytest.raises(errors.ReasonRequiredError):
        revise(annual, reason="")
    with pytest.raises(errors.InvalidValueError, match="cause"):
        annual.revise_plan(rater(AT_REPORT, "x"), RATER_NIP, ["R1", "R2"], "whim", RAISED)
    with pytest.raises(errors.NotAllowedError):
        annual.revise_plan(asn(AT_REPORT, "x"), RATER_NIP, ["R1", "R2"], "transfer", RAISED)
    with pytest.raises(errors.UnknownReferenceError, match="R1"):
        annual.revise_plan(rater(AT_REPORT, "x"), RATER_NIP, ["R2"], "transfer", RAISED)


def test_only_an_agreed_annual_skp_is_revised():
    worker, annual = year("drafted")
    with pytest.raises(errors.InvalidStateError):
        revise(annual)
    annual.agree_plan(rater(), RATER_NIP, ["R1", "R2"])
    with pytest.raises(errors.PlanIsAnnualSkpError):
        revise(periodic(worker, annual))


def test_periods_not_reported_on_adopt_a_revision_and_reported_ones_keep_theirs():
    worker, annual = year()
    q1, q2 = periodic(worker, annual, "2024-Q1"), periodic(worker, annual, "2024-Q2")
    report(q1)
    kept = q1.plan["skp"]["version"]
    revise(annual)
    assert q2.adopt_plan(meta(at=AT_REPORT), annual) is True
    assert q2.adopt_plan(meta(at=AT_REPORT), annual) is False  # adopted already
    assert q1.adopt_plan(meta(at=AT_REPORT), annual) is False  # reported on
    assert q2.plan["skp"]["version"] == annual.plan["agreed_version"]
    assert [line["id"] for line in q2.plan["lines"]] == ["S1", "S3"]
    assert (q1.plan["skp"]["version"], [line["id"] for line in q1.plan["lines"]]) == (
        kept, ["S1", "S2"])


# ---- per line: evidence and feedback ----------------------------------------------------

def test_evidence_names_a_line_of_the_plan_or_the_report_as_a_whole():
    worker, annual = year()
    quarter = periodic(worker, annual)
    with pytest.raises(errors.UnknownReferenceError, match="S9"):
        report(quarter, LineEvidence("https://x/a.pdf", HASH, "S9"))
    report(quarter, LineEvidence("https://x/a.pdf", HASH, "S2"), Evidence("https://x/b.pdf", HASH))
    assert [e["line_id"] for e in quarter.report["evidence"]] == ["S2", None]


def test_the_rater_gives_feedback_per_line_on_the_report():
    worker, annual = year()
    quarter = periodic(worker, annual)
    later = rater(AT_REPORT + timedelta(hours=1))
    with pytest.raises(errors.InvalidStateError):
        quarter.give_feedback(later, RATER_NIP, "S1", "bagus")
    report(quarter)
    with pytest.raises(errors.NotAllowedError):
        quarter.give_feedback(asn(AT_REPORT + timedelta(hours=1)), RATER_NIP, "S1", "bagus")
    with pytest.raises(errors.UnknownReferenceError):
        quarter.give_feedback(later, RATER_NIP, "S9", "bagus")
    with pytest.raises(errors.InvalidValueError):
        quarter.give_feedback(later, RATER_NIP, "S1", " ")
    quarter.give_feedback(later, RATER_NIP, "S1", "lampirkan rekap")
    feedback = quarter.report["feedback"]["S1"]
    assert (feedback["text"], feedback["by"]) == ("lampirkan rekap", RATER_NIP)
    assert quarter.ratings == {}  # feedback is words, never a rating


# ---- the annual predikat ----------------------------------------------------------------

def finalise_annual(annual: Evaluation, *periods: Evaluation) -> None:
    annual.finalise(rater(AT_REPORT + timedelta(days=2)), RATER_NIP, RULES, periodic=periods)


def test_the_annual_predikat_is_the_final_periods_and_names_it():
    worker, annual = year()
    q3 = finalised(periodic(worker, annual, "2024-Q3"), "below", "below")
    q4 = finalised(periodic(worker, annual, "2024-Q4"), "above", "above")
    finalise_annual(annual, q3, q4)
    assert annual.outcome["from_period"] == "2024-Q4"
    assert (annual.predikat, annual.outcome["results"], annual.outcome["rule_version"]) == (
        q4.predikat, "above", q4.outcome["rule_version"])
    assert annual.collect_events()[-1].from_period == "2024-Q4"


def test_the_annual_predikat_waits_for_the_final_period():
    worker, annual = year()
    q3 = finalised(periodic(worker, annual, "2024-Q3"))
    with pytest.raises(errors.FinalPeriodNotFinalisedError, match="2024-12-31") as error:
        finalise_annual(annual, q3)
    assert error.value.code == "final_period_not_finalised"
    q4 = periodic(worker, annual, "2024-Q4")
    with pytest.raises(errors.FinalPeriodNotFinalisedError, match="2024-Q4"):
        finalise_annual(annual, q3, q4)


def test_without_periodic_evaluations_the_annual_one_is_rated_on_its_own():
    _, annual = year()
    finalised(annual)
    assert "from_period" not in annual.outcome
    assert annual.collect_events()[-1].from_period is None


# ---- any order of commands --------------------------------------------------------------

QUARTERS = ("2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4")
STEPS = st.one_of(st.tuples(st.just("open"), st.sampled_from(QUARTERS)),
                  st.tuples(st.just("report"), st.sampled_from(QUARTERS)),
                  st.tuples(st.just("finalise"), st.sampled_from(QUARTERS)),
                  st.tuples(st.just("revise"), st.sampled_from([RAISED, LINES])),
                  st.tuples(st.just("annual"), st.none()))


@settings(max_examples=60, deadline=None)
@given(st.lists(STEPS, max_size=14))
def test_any_order_keeps_each_period_on_the_skp_it_reported_against(steps):
    """Revisions re-adopted as the use case does; whatever the order: a period not reported on
    holds the SKP in force, a reported one the SKP it was reported against, and an annual
    predikat exists only when taken from a finalised Q4."""
    worker, annual = year()
    periods: dict[str, Evaluation] = {}
    reported_on: dict[str, list] = {}
    for n, (step, arg) in enumerate(steps):
        try:
            if step == "open" and arg not in periods:
                periods[arg] = periodic(worker, annual, arg)
            elif step == "report" and arg in periods:
                report(periods[arg])
                reported_on[arg] = periods[arg].plan["lines"]
            elif step == "finalise" and arg in periods:
                finalised(periods[arg])
                reported_on[arg] = periods[arg].plan["lines"]
            elif step == "revise":
                revise(annual, arg, at_minutes=n)
                for p in periods.values():
                    p.adopt_plan(meta(at=AT_REPORT + timedelta(minutes=n)), annual)
            elif step == "annual":
                finalise_annual(annual, *periods.values())
        except errors.DomainError:
            pass
        for key, p in periods.items():
            assert p.plan["lines"] == reported_on.get(key, annual.plan["lines"])
        if annual.is_finalised:
            q4 = periods.get("2024-Q4")
            assert q4 is not None and q4.is_finalised
            assert (annual.predikat, annual.outcome["from_period"]) == (q4.predikat, "2024-Q4")
