from datetime import date

import pytest
from hypothesis import given, strategies as st

from domain.errors import InvalidNIPError
from domain.nip import parse_nip


def test_a_valid_nip_is_read_into_its_parts():
    nip = parse_nip("198001012005011001")
    assert nip.birth_date == date(1980, 1, 1)
    assert nip.appointed == (2005, 1)
    assert nip.sex == "male"
    assert nip.sequence == 1


@pytest.mark.parametrize("text, why", [
    ("19800101200501100", "18 digits"),
    ("1980010120050110012", "18 digits"),
    ("19800101200501100a", "18 digits"),
    ("198002302005011001", "not a real date"),
    ("198001012005131001", "not a month"),
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
