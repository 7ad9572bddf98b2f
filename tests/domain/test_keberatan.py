"""Keberatan (PP 30/2019 art. 59): the window from receipt, the authority, and decisions that
never lower the result. Arranged with the domain's own commands; the clock is ``meta.at``."""

from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest

from domain.errors import (
    ConflictOfInterestError,
    DeadlinePassedError,
    DecisionLowersResultError,
    DecisionNotRaisedError,
    InvalidStateError,
    InvalidValueError,
    NotAllowedError,
    ReasonRequiredError,
    ResultAlreadyReceivedError,
)
from domain.keberatan import Keberatan
from domain.rules import PERMENPANRB_6_2022, PP30_2019, RuleBook
from tests.domain.builders import (
    AT_REPORT,
    HEAD_NIP,
    RATER_NIP,
    RULES,
    asn,
    evaluation,
    filed_on,
    head,
    meta,
    rater,
    took_part,
)

DECIDED_AT = AT_REPORT + timedelta(days=2)  # when the evaluation was finalised (2025-01-08)

OTHER_NIP = "196801012000031009"  # an official BKPP assigns, outside the case


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)


def received(at: datetime, rules: RuleBook = RULES):
    ev = evaluation("finalised")
    ev.receive_result(asn(at), "acknowledged", rules)
    return ev


def file(ev, at: datetime) -> Keberatan:
    return Keberatan.file(asn(at), ev, "penilaian tidak objektif", chain=[HEAD_NIP],
                          involved=took_part(ev), rules=RULES)


def filed(days_after: int = 5):
    ev = evaluation("finalised")
    return ev, file(ev, DECIDED_AT + timedelta(days=days_after))


def finalised_with(results: str, behaviour: str):
    """A finalised evaluation whose ratings were revised to these before finalising."""
    ev = evaluation("rated")
    for dimension, rating in (("results", results), ("behaviour", behaviour)):
        if ev.ratings[dimension]["rating"] != rating:
            ev.revise_rating(rater(DECIDED_AT, "ditinjau"), RATER_NIP, dimension, rating)
    ev.finalise(rater(DECIDED_AT), RATER_NIP, RULES)
    return ev, file(ev, DECIDED_AT + timedelta(days=1))


# ---- receipt --------------------------------------------------------------------------------

def test_receipt_fixes_the_window_in_jakarta_days():
    ev = received(utc(2025, 1, 9, 16, 59, 59))  # 23:59:59 WIB on 9 January
    assert ev.receipt["received_on"] == "2025-01-09"
    assert ev.receipt["keberatan_until"] == "2025-01-23"  # day 0 + 14
    later = received(utc(2025, 1, 9, 17, 0))  # 00:00 WIB on 10 January: UTC still says the 9th
    assert (later.receipt["received_on"], later.receipt["keberatan_until"]) == (
        "2025-01-10", "2025-01-24")


def test_the_window_length_comes_from_the_results_rule_set():
    short = RuleBook((PP30_2019, replace(PERMENPANRB_6_2022, keberatan_window_days=7)))
    ev = received(utc(2025, 1, 9, 3), short)
    assert ev.receipt["keberatan_until"] == "2025-01-16"


def test_only_a_finalised_result_is_received():
    with pytest.raises(InvalidStateError):
        evaluation("rated").receive_result(asn(DECIDED_AT), "opened", RULES)


def test_the_first_receipt_counts_and_a_later_one_is_refused():
    ev = received(utc(2025, 1, 9, 3))
    with pytest.raises(ResultAlreadyReceivedError) as error:
        ev.receive_result(meta(at=utc(2025, 1, 20, 3)), "notice", RULES, "800/9/BKPP")
    assert error.value.code == "result_already_received"
    assert ev.receipt["keberatan_until"] == "2025-01-23"


def test_the_asn_opens_or_acknowledges_and_someone_else_delivers_a_notice():
    ev = evaluation("finalised")
    with pytest.raises(NotAllowedError):
        ev.receive_result(rater(DECIDED_AT), "acknowledged", RULES)
    with pytest.raises(NotAllowedError):
        ev.receive_result(asn(DECIDED_AT), "notice", RULES, "800/1/BKPP")
    with pytest.raises(InvalidValueError):
        ev.receive_result(meta(at=DECIDED_AT), "notice", RULES)  # which notice?
    with pytest.raises(InvalidValueError):
        ev.receive_result(asn(DECIDED_AT), "acknowledged", RULES, "800/1/BKPP")
    with pytest.raises(InvalidValueError):
        ev.receive_result(asn(DECIDED_AT), "heard", RULES)
    ev.receive_result(meta(at=DECIDED_AT), "notice", RULES, "800/1/BKPP")
    assert (ev.receipt["how"], ev.receipt["by"]) == ("notice", "system:test")


# ---- the filing window ----------------------------------------------------------------------

def test_filing_on_the_last_day_in_jakarta_is_in_time():
    ev = received(utc(2025, 1, 9, 3))  # until 23 January
    assert file(ev, utc(2025, 1, 23, 16, 59, 59)).nip == ev.nip  # 23:59:59 WIB on the 23rd


def test_filing_the_day_after_is_late_even_while_utc_says_the_last_day():
    ev = received(utc(2025, 1, 9, 3))
    with pytest.raises(DeadlinePassedError, match="2025-01-23") as error:
        file(ev, utc(2025, 1, 23, 17, 0))  # 00:00 WIB on the 24th
    assert error.value.code == "deadline_passed"


def test_a_receipt_early_in_the_jakarta_morning_counts_from_that_day():
    ev = received(utc(2025, 1, 9, 18))  # 01:00 WIB on the 10th
    assert file(ev, utc(2025, 1, 24, 16, 30)).nip == ev.nip  # 23:30 WIB on the 24th


def test_without_a_receipt_filing_is_the_receipt_and_in_time():
    _, k = filed(days_after=100)
    assert k.nip == "198001012005011001"


def test_only_the_evaluated_asn_files_a_keberatan():
    with pytest.raises(NotAllowedError):
        filed_on(rater(DECIDED_AT), evaluation("finalised"))


def test_an_unfinalised_evaluation_cannot_be_objected_to():
    with pytest.raises(InvalidStateError):
        filed_on(asn(DECIDED_AT), evaluation("rated"))


def test_the_rater_in_line_is_passed_over_for_the_next_authority_up():
    ev = evaluation("finalised")
    k = Keberatan.file(asn(DECIDED_AT), ev, "x", chain=[RATER_NIP, HEAD_NIP],
                       involved=took_part(ev), rules=RULES)
    assert k.authority_nip == HEAD_NIP
    assert k.passed_over == [{"nip": RATER_NIP, "why": "rated it; finalised it"}]


def test_a_team_member_in_line_never_decides_and_bkpp_assigns_another():
    ev = evaluation("finalised")
    involved = took_part(ev) | {HEAD_NIP: ["sat on its supervisory team"]}
    k = Keberatan.file(asn(DECIDED_AT), ev, "x", chain=[HEAD_NIP], involved=involved,
                       rules=RULES)
    assert k.authority_nip is None
    assert k.passed_over == [{"nip": HEAD_NIP, "why": "sat on its supervisory team"}]
    with pytest.raises(InvalidStateError, match="BKPP"):
        k.decide(head(DECIDED_AT, "x"), "rejected", ev, RULES, involved=involved)
    with pytest.raises(ConflictOfInterestError):
        k.assign_authority(meta(reason="konflik"), HEAD_NIP, involved)
    with pytest.raises(ReasonRequiredError):
        k.assign_authority(meta(), OTHER_NIP, involved)
    k.assign_authority(meta(reason="atasan langsung terlibat dalam tim"), OTHER_NIP, involved)
    k.decide(meta(OTHER_NIP, "appeal_board", DECIDED_AT, "sesuai"), "rejected", ev, RULES,
             involved=involved)
    assert k.decision is not None and k.decision["by"] == OTHER_NIP


def test_an_authority_who_joined_the_team_after_filing_cannot_decide():
    ev = evaluation("finalised")
    k = Keberatan.file(asn(DECIDED_AT), ev, "x", chain=[HEAD_NIP], involved=took_part(ev),
                       rules=RULES)
    involved = took_part(ev) | {HEAD_NIP: ["wrote a team review"]}
    with pytest.raises(ConflictOfInterestError, match="wrote a team review"):
        k.decide(head(DECIDED_AT, "x"), "rejected", ev, RULES, involved=involved)


def test_the_decision_deadline_is_set_on_filing():
    _, k = filed()
    assert k.decision_due > k.filed_at


def test_the_rating_day_is_the_finalisation_day():
    ev = evaluation("finalised")
    assert ev.rated_on == DECIDED_AT.date()


# ---- decisions ------------------------------------------------------------------------------

def test_only_the_authority_decides():
    ev, k = filed()
    with pytest.raises(NotAllowedError):
        k.decide(rater(DECIDED_AT, "x"), "rejected", ev, RULES, involved=took_part(ev))


def test_a_decision_must_say_why():
    ev, k = filed()
    with pytest.raises(ReasonRequiredError):
        k.decide(head(DECIDED_AT), "rejected", ev, RULES, involved=took_part(ev))


def test_a_raising_decision_sets_both_ratings():
    ev, k = filed()
    for outcome in ("upheld", "partly_upheld"):
        with pytest.raises(InvalidValueError):
            k.decide(head(DECIDED_AT, "bukti"), outcome, ev, RULES,
                     involved=took_part(ev), results="above")


def test_an_upheld_decision_corrects_the_outcome_with_new_events():
    ev, k = filed()
    ev.collect_events()
    k.decide(head(DECIDED_AT + timedelta(days=6), "bukti kinerja kuat"), "upheld", ev, RULES,
             involved=took_part(ev),
             results="above", behaviour="above")
    (corrected,) = ev.collect_events()
    assert (corrected.previous_predikat, corrected.predikat) == ("Baik", "Sangat Baik")
    assert ev.corrections[0]["predikat"] == "Baik" and ev.predikat == "Sangat Baik"


def test_no_decision_lowers_a_rating():
    ev, k = filed()  # finalised above / meets: Baik
    for outcome in ("upheld", "partly_upheld"):
        with pytest.raises(DecisionLowersResultError, match="results was above") as error:
            k.decide(head(DECIDED_AT, "x"), outcome, ev, RULES,
                     involved=took_part(ev), results="meets",
                     behaviour="above")
        assert error.value.code == "decision_lowers_result"
    assert ev.predikat == "Baik" and k.decision is None


def test_an_upheld_decision_raises_the_predikat():
    ev, k = finalised_with("meets", "meets")  # Baik
    with pytest.raises(DecisionNotRaisedError, match="partly upheld") as error:
        k.decide(head(DECIDED_AT, "x"), "upheld", ev, RULES,
                 involved=took_part(ev), results="above", behaviour="meets")
    assert error.value.code == "decision_not_raised"


def test_a_partly_upheld_decision_raises_a_rating_though_not_the_predikat():
    ev, k = finalised_with("meets", "meets")
    k.decide(head(DECIDED_AT, "sebagian"), "partly_upheld", ev, RULES,
             involved=took_part(ev), results="above",
             behaviour="meets")
    assert k.decision["outcome"] == "partly_upheld"
    assert ev.outcome["results"] == "above" and ev.predikat == "Baik"
    assert ev.corrections[0]["results"] == "meets"


def test_a_raise_that_changes_nothing_is_a_rejection():
    ev, k = filed()
    with pytest.raises(DecisionNotRaisedError):
        k.decide(head(DECIDED_AT, "x"), "partly_upheld", ev, RULES,
                 involved=took_part(ev), results="above",
                 behaviour="meets")


def test_a_rejected_keberatan_leaves_the_evaluation_alone():
    ev, k = filed()
    ev.collect_events()
    k.decide(head(DECIDED_AT, "sudah sesuai"), "rejected", ev, RULES, involved=took_part(ev))
    assert ev.collect_events() == [] and ev.predikat == "Baik"
    with pytest.raises(InvalidValueError):
        filed()[1].decide(head(DECIDED_AT, "x"), "rejected", ev, RULES,
              involved=took_part(ev), results="above")


def test_the_decision_is_final():
    ev, k = filed()
    k.decide(head(DECIDED_AT, "x"), "rejected", ev, RULES, involved=took_part(ev))
    with pytest.raises(InvalidStateError, match="final"):
        k.decide(head(DECIDED_AT, "y"), "upheld", ev, RULES,
                 involved=took_part(ev), results="above",
                 behaviour="above")


def test_a_late_decision_is_recorded_as_overdue():
    ev, k = filed()
    k.decide(head(DECIDED_AT + timedelta(days=30), "x"), "rejected", ev, RULES,
             involved=took_part(ev))
    assert k.decision["overdue"] is True


def test_both_sides_explain():
    _, k = filed()
    k.record_explanation(rater(DECIDED_AT), "rater", "sesuai bukti")
    k.record_explanation(asn(DECIDED_AT), "asn", "bukti belum dilihat")
    with pytest.raises(NotAllowedError):
        k.record_explanation(asn(DECIDED_AT), "rater", "menyamar")
    assert [e["party"] for e in k.explanations] == ["rater", "asn"]

