"""A stated (break-glass) reason: what is recorded, and each rule's failing example."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.access import access_reason
from domain.errors import InvalidAccessReasonError
from domain.limits import MAX_ACCESS_REASON


@given(st.text(max_size=MAX_ACCESS_REASON + 20))
def test_any_text_is_recorded_as_readable_bounded_nfc_text_or_refused(text):
    try:
        reason = access_reason(text)
    except InvalidAccessReasonError as e:
        assert e.code == "invalid_access_reason"
        return
    if reason is None:
        assert not text.strip()
        return
    assert reason == unicodedata.normalize("NFC", reason) == reason.strip()
    assert len(reason) <= MAX_ACCESS_REASON
    assert not any(unicodedata.category(c) == "Cc" for c in reason)
    assert any(unicodedata.category(c)[0] in "LMNPS" for c in reason)


@pytest.mark.parametrize("text", [None, "", "   "])
def test_no_reason_stated(text):
    assert access_reason(text) is None


def test_a_reason_is_trimmed_and_normalised():
    assert access_reason("  Audit cafe\u0301 ") == "Audit caf\u00e9"


@pytest.mark.parametrize("text, why", [
    ("x" * (MAX_ACCESS_REASON + 1), "at most"),
    ("sampel\x07audit", "control"),
    ("baris\nbaru", "control"),
    ("\u200b\u2060\u200d", "visible"),
])
def test_each_rule_has_a_failing_example(text, why):
    with pytest.raises(InvalidAccessReasonError, match=why):
        access_reason(text)


def test_the_longest_reason_allowed_is_recorded_whole():
    assert access_reason("x" * MAX_ACCESS_REASON) == "x" * MAX_ACCESS_REASON
