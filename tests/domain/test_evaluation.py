import copy
from datetime import date, datetime, timedelta, timezone

import pytest

from domain.errors import (
    AlreadyRatedError,
    ExtensionShortensError,
    FinalisedError,
    InvalidStateError,
    InvalidValueError,
    NotAllowedError,
    NotRatedError,
    PeriodClosedError,
    PeriodNotEndedError,
    RatingUnchangedError,
    ReasonRequiredError,
    SupervisorPlanMissingError,
    UnknownReferenceError,
)
from domain.evaluation import Evaluation
from domain.values import Evidence, PlanLine, Realisation
from tests.domain.builders import (
    AT_REPORT,
    LINES,
    RATER_NIP,
    RULES,
    asn,
    evaluation,
    event_names,
    meta,
    rater,
)

LATER = AT_REPORT + timedelta(days=3)


def test_opening_records_the_rater_and_the_deadlines():
    ev = evaluation()
    assert (ev.stage, ev.rater_nip, ev.report_due) == ("planning", RATER_NIP, "2025-01-10")
    assert event_names(ev) == ["Opened"]


def test_a_plan_needs_a_main_line():
    ev = evaluation()
    extra_only = [PlanLine("S9", "tambahan", "R1", "x", "quantity", "y", "1")]
    with pytest.raises(InvalidValueError, match="utama"):
        ev.draft_plan(asn(), "quantitative", extra_only)


def test_plan_line_ids_must_be_distinct():
    with pytest.raises(InvalidValueError, match="distinct"):
        evaluation().draft_plan(asn(), "narrative", [LINES[0], LINES[0]])


def test_behaviour_expectations_name_berakhlak_values_only():
    with pytest.raises(InvalidValueError, match="BerAKHLAK"):
        evaluation().draft_plan(asn(), "narrative", LINES, {"jujur": "x"})


def test_a_plan_cascades_from_the_supervisors_agreed_plan():
    ev = evaluation("drafted")
    with pytest.raises(UnknownReferenceError, match="R2"):
        ev.agree_plan(rater(), RATER_NIP, ["R1"])


def test_a_plan_cannot_be_agreed_before_the_supervisor_has_one():
    with pytest.raises(SupervisorPlanMissingError) as error:
        evaluation("drafted").agree_plan(rater(), RATER_NIP, None)
    assert error.value.code == "supervisor_plan_missing"


def test_only_the_direct_supervisor_agrees_the_plan():
    with pytest.raises(NotAllowedError):
        evaluation("drafted").agree_plan(meta("199001012015011001", "reviewer"), RATER_NIP,
                                         ["R1", "R2"])


def test_an_agreed_plan_cannot_be_redrafted():
    with pytest.raises(InvalidStateError):
        evaluation("agreed").draft_plan(asn(), "quantitative", LINES)


def test_the_report_is_submitted_by_the_asn_only():
    with pytest.raises(NotAllowedError):
        evaluation("agreed").submit_report(rater(AT_REPORT), [], "", "", "")


def _reported_at(at: datetime, **options) -> Evaluation.ReportSubmitted:
    ev = evaluation("agreed")
    ev.collect_events()
    ev.submit_report(asn(at), [], "", "", "", **options)
    return ev.collect_events()[-1]


def test_a_report_after_the_deadline_is_accepted_and_marked_late_in_wib_days():
    # Due 10 January: 16:59 UTC is still the 10th in Jakarta, 17:00 UTC is the 11th.
    assert _reported_at(datetime(2025, 1, 10, 16, 59, tzinfo=timezone.utc)).late is False
    assert _reported_at(datetime(2025, 1, 10, 17, 0, tzinfo=timezone.utc)).late is True


def test_a_report_for_a_period_bkpp_has_closed_is_refused():
    with pytest.raises(PeriodClosedError) as error:
        _reported_at(AT_REPORT, period_closed=True)
    assert error.value.code == "period_closed"


def test_no_report_and_no_finalisation_before_the_period_has_ended():
    # 31 December 2024 16:59 UTC is still the period's last day in Jakarta.
    last_day = datetime(2024, 12, 31, 16, 59, tzinfo=timezone.utc)
    with pytest.raises(PeriodNotEndedError) as error:
        evaluation("agreed").submit_report(asn(last_day), [], "", "", "")
    assert error.value.code == "period_not_ended"
    with pytest.raises(PeriodNotEndedError):
        evaluation("rated").finalise(rater(last_day), RATER_NIP, RULES)
    assert _reported_at(last_day + timedelta(minutes=1)).late is False


def test_an_extension_moves_the_dues_so_the_report_is_not_late():
    ev = evaluation("agreed")
    assert ev.extend_deadlines(meta(), "800/12/BKPP", date(2025, 1, 17), date(2025, 2, 7))
    assert not ev.extend_deadlines(meta(), "800/12/BKPP", date(2025, 1, 17), date(2025, 2, 7))
    assert (ev.report_due, ev.rating_due) == ("2025-01-17", "2025-02-07")
    ev.submit_report(asn(datetime(2025, 1, 15, tzinfo=timezone.utc)), [], "", "", "")
    assert ev.collect_events()[-1].late is False
    with pytest.raises(ExtensionShortensError):
        ev.extend_deadlines(meta(), "800/13/BKPP", date(2025, 1, 16), date(2025, 2, 7))


def test_a_report_names_only_lines_of_the_plan():
    with pytest.raises(UnknownReferenceError):
        evaluation("agreed").submit_report(asn(AT_REPORT), [Realisation("S7", "1")], "", "", "")


def test_evidence_carries_a_sha256():
    with pytest.raises(InvalidValueError, match="sha256"):
        evaluation("agreed").submit_report(asn(AT_REPORT), [], "", "", "",
                                           [Evidence("https://x/y.pdf", "abc")])


def test_no_rating_before_the_report_is_submitted():
    with pytest.raises(InvalidStateError, match="report"):
        evaluation("agreed").record_rating(rater(AT_REPORT, "x"), RATER_NIP, "results", "meets")


def test_ratings_come_from_the_allowed_scale():
    with pytest.raises(InvalidValueError, match="above, meets or below"):
        evaluation("reported").record_rating(rater(LATER, "x"), RATER_NIP, "results", "excellent")


def test_a_rating_needs_a_reason():
    with pytest.raises(ReasonRequiredError):
        evaluation("reported").record_rating(rater(LATER), RATER_NIP, "results", "meets")


def test_an_asn_cannot_rate_their_own_appraisal():
    with pytest.raises(NotAllowedError):
        evaluation("reported").record_rating(asn(LATER, "x"), RATER_NIP, "results", "above")


def test_only_the_supervisor_on_the_day_rates():
    someone = "199001012015011001"
    with pytest.raises(NotAllowedError, match="direct supervisor"):
        evaluation("reported").record_rating(rater(LATER, "x"), someone, "results", "above")


def test_a_rating_after_its_deadline_is_recorded_as_late():
    ev = evaluation("reported")
    ev.record_rating(rater(datetime(2025, 2, 3, tzinfo=timezone.utc), "x"), RATER_NIP,
                     "results", "meets")
    assert ev.ratings["results"]["late"] is True


def test_a_unit_heads_results_rating_is_the_units_achievement():
    ev = evaluation("reported", is_unit_head=True)
    with pytest.raises(InvalidValueError, match="unit's achievement"):
        ev.record_rating(rater(LATER, "x"), RATER_NIP, "results", "meets")
    ev.record_rating(rater(LATER, "x"), RATER_NIP, "results", "meets", basis="unit_achievement")
    assert ev.ratings["results"]["basis"] == "unit_achievement"


def test_a_rated_dimension_is_revised_not_rated_again():
    with pytest.raises(AlreadyRatedError):
        evaluation("rated").record_rating(rater(LATER, "x"), RATER_NIP, "results", "meets")


def test_revising_a_rating_requires_a_reason():
    with pytest.raises(ReasonRequiredError) as error:
        evaluation("rated").revise_rating(rater(LATER), RATER_NIP, "behaviour", "above")
    assert error.value.code == "reason_required"


def test_a_revision_names_what_it_revises_and_keeps_the_old_value():
    ev = evaluation("rated")
    recorded_at = ev.ratings["behaviour"]["version"]
    ev.collect_events()
    ev.revise_rating(rater(LATER, "dialog kinerja"), RATER_NIP, "behaviour", "above")
    (revised,) = ev.collect_events()
    assert (revised.previous, revised.revises, revised.reason) == (
        "meets", recorded_at, "dialog kinerja")
    assert (ev.ratings["behaviour"]["rating"] == "above"
            and ev.ratings["behaviour"]["revisions"] == 1)


def test_a_revision_that_changes_nothing_is_refused():
    with pytest.raises(RatingUnchangedError):
        evaluation("rated").revise_rating(rater(LATER, "x"), RATER_NIP, "behaviour", "meets")


def test_a_revision_needs_a_rating_to_revise():
    with pytest.raises(NotRatedError):
        evaluation("reported").revise_rating(rater(LATER, "x"), RATER_NIP, "results", "meets")


def test_finalising_computes_the_predikat_and_records_the_rule_version():
    ev = evaluation("finalised")
    assert (ev.predikat, ev.outcome["rule_version"]) == ("Baik", "permenpanrb-6-2022/1")


def test_finalising_needs_both_ratings():
    ev = evaluation("reported")
    ev.record_rating(rater(LATER, "x"), RATER_NIP, "results", "meets")
    with pytest.raises(NotRatedError, match="behaviour"):
        ev.finalise(rater(LATER), RATER_NIP, RULES)


@pytest.mark.parametrize("command", [
    lambda ev: ev.revise_rating(rater(LATER, "x"), RATER_NIP, "results", "below"),
    lambda ev: ev.record_rating(rater(LATER, "x"), RATER_NIP, "results", "below"),
    lambda ev: ev.finalise(rater(LATER), RATER_NIP, RULES),
    lambda ev: ev.assign_team(meta(), ["199001012015011001"]),
])
def test_nothing_changes_a_finalised_evaluation(command):
    ev = evaluation("finalised")
    ev.collect_events()
    with pytest.raises(FinalisedError) as error:
        command(ev)
    assert error.value.code == "evaluation_finalised" and ev.collect_events() == []


def test_comments_thread_and_stay_open_after_finalisation():
    ev = evaluation("finalised")
    ev.comment(asn(LATER), "terima kasih")
    first = ev.comment_ids[-1]
    ev.comment(rater(LATER), "sama-sama", in_reply_to=first)
    [reply] = ev.collect_events()[-1:]
    assert reply.in_reply_to == first and reply.entry()["in_reply_to"] == first
    assert ev.comment_ids == [first, reply.originator_version]


def test_a_reply_names_an_existing_comment():
    with pytest.raises(UnknownReferenceError):
        evaluation().comment(asn(), "?", in_reply_to=99)


def test_only_team_members_record_the_team_review():
    ev = evaluation("reported")
    ev.assign_team(meta(), ["199001012015011001"])
    with pytest.raises(NotAllowedError):
        ev.record_team_review(rater(LATER), "naikkan")
    ev.record_team_review(meta("199001012015011001", "reviewer", LATER), "pertahankan", "wajar")
    assert ev.team_reviews[0]["recommendation"] == "pertahankan"


def test_the_evaluated_asn_cannot_sit_on_their_own_team():
    with pytest.raises(NotAllowedError):
        evaluation().assign_team(meta(), ["198001012005011001"])


@pytest.mark.parametrize("stage", ["opened", "agreed", "rated", "finalised"])
def test_a_copy_is_equal_and_shares_nothing_mutable(stage):
    ev = evaluation(stage)
    ev.collect_events()
    copied = copy.deepcopy(ev)
    assert copied == ev and type(copied) is type(ev)
    mutable = [name for name, value in vars(ev).items() if isinstance(value, (dict, list))]
    assert mutable and all(vars(copied)[name] is not vars(ev)[name] for name in mutable)
    copied.ratings["results"] = {"rating": "changed"}
    copied.comment_ids.append(999)
    assert ev.ratings.get("results") != {"rating": "changed"} and 999 not in ev.comment_ids
