"""Free text on a record people cannot change is readable: NFC, no control characters (line
breaks aside), never only invisible characters (issue 15)."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.base import INVISIBLE, readable, text
from domain.errors import InvalidValueError
from tests.domain.builders import asn, evaluation


@pytest.mark.parametrize("value", ["a\x00b", "tab\x1b[31m", "\x7f", "baris\x85baru"])
def test_control_characters_are_refused(value):
    with pytest.raises(InvalidValueError, match="control characters"):
        text(value, "comment")


@pytest.mark.parametrize("value", ["\u200b", "\u200b\u200d\u2060", "\u202e\u00a0", "\ue000"])
def test_only_invisible_characters_are_refused(value):
    with pytest.raises(InvalidValueError, match="visible text"):
        text(value, "comment")


def test_line_breaks_stay_in_multi_line_text_and_nothing_else_changes_but_the_form():
    assert text("Capaian:\n- 520 berkas\tselesai", "achievements") == (
        "Capaian:\n- 520 berkas\tselesai")
    assert text("Kabupate\u0301n", "comment") == "Kabupat\u00e9n"  # NFD in, NFC recorded
    with pytest.raises(InvalidValueError):
        readable("dua\nbaris", "reason", limit=100, multiline=False)


def test_a_comment_is_recorded_in_nfc():
    ev = evaluation("opened")
    ev.comment(asn(), "Jose\u0301 sudah")
    assert ev.pending_events[-1].text == "Jos\u00e9 sudah"


@given(st.text(max_size=60))
def test_whatever_is_accepted_is_normalised_and_free_of_controls(value):
    try:
        got = text(value, "comment", required=False)
    except InvalidValueError:
        return
    assert got == unicodedata.normalize("NFC", got)
    assert all(unicodedata.category(c) != "Cc" or c in "\n\r\t" for c in got)
    assert not got.strip() or any(unicodedata.category(c) not in INVISIBLE and
                                  c not in "\n\r\t" for c in got.strip())
