from datetime import timedelta

import pytest

from domain.errors import (
    DeadlinePassedError,
    InvalidStateError,
    InvalidValueError,
    NotAllowedError,
    ReasonRequiredError,
)
from domain.keberatan import Keberatan
from tests.domain.builders import AT_REPORT, HEAD_NIP, RULES, asn, evaluation, head, rater

DECIDED_AT = AT_REPORT + timedelta(days=2)  # when the evaluation was finalised


def filed(days_after: int = 5):
    ev = evaluation("finalised")
    k = Keberatan.file(asn(DECIDED_AT + timedelta(days=days_after)), ev, "penilaian tidak objektif",
                       authority_nip=HEAD_NIP, rules=RULES)
    return ev, k


def test_a_keberatan_is_filed_within_14_days_of_the_result():
    with pytest.raises(DeadlinePassedError, match="14 days"):
        filed(days_after=15)


def test_only_the_evaluated_asn_files_a_keberatan():
    with pytest.raises(NotAllowedError):
        Keberatan.file(rater(DECIDED_AT), evaluation("finalised"), "x", authority_nip=HEAD_NIP,
                       rules=RULES)


def test_an_unfinalised_evaluation_cannot_be_objected_to():
    with pytest.raises(InvalidStateError):
        Keberatan.file(asn(DECIDED_AT), evaluation("rated"), "x", authority_nip=HEAD_NIP,
                       rules=RULES)


def test_the_decision_deadline_is_set_on_filing():
    _, k = filed()
    assert k.decision_due > k.filed_at


def test_only_the_authority_decides():
    _, k = filed()
    with pytest.raises(NotAllowedError):
        k.decide(rater(DECIDED_AT, "x"), "rejected")


def test_a_decision_must_say_why():
    _, k = filed()
    with pytest.raises(ReasonRequiredError):
        k.decide(head(DECIDED_AT), "rejected")


def test_an_upheld_keberatan_sets_both_ratings():
    _, k = filed()
    with pytest.raises(InvalidValueError):
        k.decide(head(DECIDED_AT, "bukti"), "upheld", results="above")


def test_an_upheld_decision_corrects_the_outcome_with_new_events():
    ev, k = filed()
    ev.collect_events()
    when = head(DECIDED_AT + timedelta(days=6), "bukti kinerja kuat")
    k.decide(when, "upheld", results="above", behaviour="above")
    k.apply_to(when, ev, RULES)
    (corrected,) = ev.collect_events()
    assert (corrected.previous_predikat, corrected.predikat) == ("Baik", "Sangat Baik")
    assert ev.corrections[0]["predikat"] == "Baik" and ev.predikat == "Sangat Baik"


def test_a_rejected_keberatan_leaves_the_evaluation_alone():
    ev, k = filed()
    ev.collect_events()
    k.decide(head(DECIDED_AT, "sudah sesuai"), "rejected")
    k.apply_to(head(DECIDED_AT, "x"), ev, RULES)
    assert ev.collect_events() == [] and ev.predikat == "Baik"


def test_the_decision_is_final():
    _, k = filed()
    k.decide(head(DECIDED_AT, "x"), "rejected")
    with pytest.raises(InvalidStateError, match="final"):
        k.decide(head(DECIDED_AT, "y"), "upheld", results="above", behaviour="above")


def test_a_late_decision_is_recorded_as_overdue():
    _, k = filed()
    k.decide(head(DECIDED_AT + timedelta(days=30), "x"), "rejected")
    assert k.decision["overdue"] is True


def test_both_sides_explain():
    _, k = filed()
    k.record_explanation(rater(DECIDED_AT), "rater", "sesuai bukti")
    k.record_explanation(asn(DECIDED_AT), "asn", "bukti belum dilihat")
    with pytest.raises(NotAllowedError):
        k.record_explanation(asn(DECIDED_AT), "rater", "menyamar")
    assert [e["party"] for e in k.explanations] == ["rater", "asn"]
