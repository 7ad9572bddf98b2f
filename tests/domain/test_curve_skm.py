from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.curve import departures
from domain.errors import InvalidValueError, MissingElementError
from domain.skm import Survey, category, index
from tests.domain.builders import answers, meta, unit


def test_a_baik_organisation_with_only_baik_staff_departs_twice():
    found = departures("Baik", {"Baik": 10})
    assert len(found) == 2 and "above the 70%" in found[0] and "none" in found[1]


def test_a_baik_organisation_within_the_pattern_does_not_depart():
    assert departures("Baik", {"Baik": 6, "Sangat Baik": 3, "Butuh Perbaikan": 1}) == []


def test_sangat_kurang_allows_no_sangat_baik():
    counts = {"Sangat Kurang": 7, "Kurang": 2, "Sangat Baik": 1}
    assert departures("Sangat Kurang", counts) == ["Sangat Baik: 10% is above the 0% allowed"]


def test_no_organisation_predikat_means_no_pattern():
    assert departures(None, {"Baik": 5}) == [] and departures("Istimewa", {}) == []


def test_the_skm_index_is_25_times_the_mean_of_element_means():
    # every answer 3 -> mean 3 per element -> 3 * 25 = 75.00 (category C)
    assert index([30] * 9, [10] * 9) == Decimal("75.00") and category(Decimal("75.00")) == "C"


def test_only_the_final_index_is_rounded():
    totals, counts = [7, 7, 7, 7, 7, 7, 7, 7, 8], [3] * 9  # element means 2.333.. and 2.666..
    assert index(totals, counts) == Decimal("59.26")  # 25 * (8*7/3 + 8/3) / 9 = 59.259..


@pytest.mark.parametrize("value, letter", [
    ("100", "A"), ("88.31", "A"), ("88.30", "B"), ("76.61", "B"), ("76.60", "C"),
    ("65.00", "C"), ("64.99", "D"), ("25.00", "D")])
def test_categories(value, letter):
    assert category(Decimal(value)) == letter


@given(st.lists(st.lists(st.integers(1, 4), min_size=9, max_size=9), min_size=1, max_size=50))
def test_the_index_stays_between_25_and_100(responses):
    totals = [sum(r[i] for r in responses) for i in range(9)]
    assert Decimal(25) <= index(totals, [len(responses)] * 9) <= Decimal(100)


def test_survey_responses_accumulate_and_bad_answers_are_refused():
    survey = Survey.open(meta(), unit(), "2024")
    survey.record_responses(meta(), [answers(*[4] * 9), answers(*[3] * 9)])
    assert survey.responses == 2 and survey.index == Decimal("87.50")
    with pytest.raises(InvalidValueError):
        survey.record_responses(meta(), [answers(*[5] * 9)])
    with pytest.raises(MissingElementError):
        survey.record_responses(meta(), [{"persyaratan": 4}])
