from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import InvalidNIPError
from domain.nip import parse_nip


def test_a_valid_nip_is_read_into_its_parts():
    nip = parse_nip("198001012005011001")
    assert nip.birth_date == date(1980, 1, 1)
    assert nip.appointed == (2005, 1)
    assert nip.sex == "male"
    assert nip.sequence == 1
    assert nip.asn_type == "PNS" and not nip.is_pppk


@pytest.mark.parametrize("text, asn_type", [
    ("199009132025212014", "PPPK"),
    ("198703222024241007", "PPPK paruh waktu"),
])
def test_an_ni_pppk_is_read_by_its_own_layout(text, asn_type):
    nip = parse_nip(text)
    assert nip.asn_type == asn_type and nip.is_pppk
    assert nip.appointed[0] == int(text[8:12]) and nip.appointed[1] is None
    assert nip.sex == "female" if text[14] == "2" else "male"


@pytest.mark.parametrize("text, why", [
    ("19800101200501100", "18 digits"),
    ("1980010120050110012", "18 digits"),
    ("19800101200501100a", "18 digits"),
    ("198002302005011001", "digits 1-8: birth date 19800230 is not a real date"),
    ("198001012005131001", "digits 13-14: 13 is neither an appointment month"),
    ("198001012005001001", "digits 13-14: 00 is neither"),
    ("199009132025222014", "digits 13-14: 22 is neither"),
    ("199009132025213014", "digit 15"),
    ("199009132025212000", "digits 16-18"),
    ("199009132000212014", "digits 9-12"),
    ("198001011990011001", "too soon"),
    ("198001012005013001", "sex digit"),
    ("198001012005011000", "cannot be 000"),
    ("189001012005011001", "not plausible"),
])
def test_a_malformed_nip_is_rejected_with_the_reason(text, why):
    with pytest.raises(InvalidNIPError, match=why) as error:
        parse_nip(text)
    assert error.value.code == "invalid_nip"


def test_unicode_digits_are_not_accepted_as_a_nip():
    with pytest.raises(InvalidNIPError):
        parse_nip("١٩٨٠٠١٠١٢٠٠٥٠١١٠٠١")


@given(st.dates(date(1950, 1, 1), date(1990, 12, 31)), st.integers(16, 30),
       st.integers(1, 12), st.sampled_from("12"), st.integers(1, 999))
def test_every_structurally_valid_nip_parses_back_to_its_parts(birth, age, month, sex, seq):
    text = f"{birth:%Y%m%d}{birth.year + age}{month:02d}{sex}{seq:03d}"
    nip = parse_nip(text)
    assert (nip.birth_date, nip.appointed, nip.sequence) == (birth, (birth.year + age, month), seq)


@given(st.dates(date(1950, 1, 1), date(2000, 12, 31)), st.integers(16, 40),
       st.sampled_from(["21", "24"]), st.sampled_from("12"), st.integers(1, 999))
def test_every_structurally_valid_ni_pppk_parses_back_to_its_parts(birth, age, code, sex, seq):
    text = f"{birth:%Y%m%d}{birth.year + age}{code}{sex}{seq:03d}"
    nip = parse_nip(text)
    assert (nip.birth_date, nip.appointed, nip.sequence) == (birth, (birth.year + age, None), seq)
    assert nip.asn_type == {"21": "PPPK", "24": "PPPK paruh waktu"}[code]


@given(st.text(alphabet="0123456789", min_size=18, max_size=18))
def test_any_18_digits_either_parse_or_say_which_digits_are_wrong(text):
    try:
        nip = parse_nip(text)
    except InvalidNIPError as error:
        assert error.message.startswith(("digit ", "digits "))
    else:
        assert nip.value == text
