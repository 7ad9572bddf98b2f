"""No one judges their own case: every kind of involvement, and the impartial authority."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from domain.conflict import impartial, involvement
from tests.domain.builders import (
    ASN_NIP,
    AT_REPORT,
    HEAD_NIP,
    RATER_NIP,
    evaluation,
    meta,
    rater,
)

TEAM_NIP = "198501012010011003"


def _history(ev):
    return list(ev.collect_events())


def test_the_asn_the_rater_and_the_finaliser_took_part():
    involved = involvement(_history(evaluation("finalised")))
    assert involved[ASN_NIP] == ["the evaluated ASN"]
    assert involved[RATER_NIP] == ["rated it", "finalised it"]
    assert HEAD_NIP not in involved


def test_a_reviser_a_team_member_and_a_team_reviewer_took_part():
    ev = evaluation("rated")
    ev.assign_team(rater(), [TEAM_NIP, HEAD_NIP])
    ev.record_team_review(meta(TEAM_NIP, "reviewer", AT_REPORT), "naikkan")
    ev.revise_rating(rater(AT_REPORT, "bukti baru"), RATER_NIP, "behaviour", "above")
    involved = involvement(_history(ev))
    assert involved[TEAM_NIP] == ["sat on its supervisory team", "wrote a team review"]
    assert involved[HEAD_NIP] == ["sat on its supervisory team"]
    assert involved[RATER_NIP] == ["rated it", "revised a rating"]


def test_the_case_passes_up_the_line_past_everyone_involved():
    involved = {HEAD_NIP: ["sat on its supervisory team"], "X": ["wrote a team review"]}
    chosen, passed = impartial([HEAD_NIP, "X", "Y", "Z"], involved)
    assert chosen == "Y"
    assert passed == [{"nip": HEAD_NIP, "why": "sat on its supervisory team"},
                      {"nip": "X", "why": "wrote a team review"}]


def test_with_everyone_involved_no_one_is_chosen():
    assert impartial(["A"], {"A": ["rated it"]}) == (None, [{"nip": "A", "why": "rated it"}])
    assert impartial([], {}) == (None, [])


@given(chain=st.lists(st.sampled_from("ABCDEFG"), max_size=7, unique=True),
       involved=st.sets(st.sampled_from("ABCDEFG")))
def test_the_chosen_authority_never_took_part_and_is_the_first_who_did_not(chain, involved):
    took_part = {nip: ["rated it"] for nip in involved}
    chosen, passed = impartial(chain, took_part)
    free = [nip for nip in chain if nip not in involved]
    assert chosen == (free[0] if free else None)
    expected = chain[: chain.index(chosen)] if chosen else chain
    assert [p["nip"] for p in passed] == expected
