from datetime import date

import pytest

from domain.errors import InvalidPeriodError, NoRuleSetError
from domain.periods import parse_period
from domain.rules import NumericBands, Predikat, RuleBook

RULES = RuleBook()

MATRIX = {  # DOMAIN.md: rows are work results, columns work behaviour
    ("above", "below"): "Kurang", ("above", "meets"): "Baik", ("above", "above"): "Sangat Baik",
    ("meets", "below"): "Kurang", ("meets", "meets"): "Baik", ("meets", "above"): "Baik",
    ("below", "below"): "Sangat Kurang", ("below", "meets"): "Butuh Perbaikan",
    ("below", "above"): "Butuh Perbaikan",
}


@pytest.mark.parametrize("ratings, predikat", MATRIX.items())
def test_the_2022_matrix_gives_the_predikat(ratings, predikat):
    assert RULES.on(date(2024, 12, 31)).predikat(*ratings) == predikat


def test_the_rule_set_is_chosen_by_the_date_of_the_decision():
    assert RULES.on(date(2021, 6, 1)).version == "pp30-2019/1"
    assert RULES.on(date(2022, 1, 1)).version == "permenpanrb-6-2022/1"


def test_there_is_no_rule_set_before_the_first_one():
    with pytest.raises(NoRuleSetError):
        RULES.on(date(2018, 12, 31))


def test_a_recorded_version_is_found_again_for_replay():
    assert RULES.version("pp30-2019/1").scheme == "numeric"
    with pytest.raises(NoRuleSetError):
        RULES.version("nope/9")


@pytest.mark.parametrize("score, idea, predikat", [
    (115, True, Predikat.SANGAT_BAIK), (115, False, Predikat.BAIK), (90, False, Predikat.BAIK),
    (89.99, False, Predikat.CUKUP), (70, False, Predikat.CUKUP), (69, False, Predikat.KURANG),
    (30, False, Predikat.SANGAT_KURANG),
])
def test_the_older_numeric_bands(score, idea, predikat):
    assert NumericBands().predikat(score, new_idea=idea) == predikat


def test_the_older_score_weights_skp_and_behaviour():
    bands = NumericBands()
    assert bands.score(100, 80, peer_input=False) == pytest.approx(94)
    assert bands.score(100, 80, peer_input=True) == pytest.approx(92)


@pytest.mark.parametrize("key, start, end", [
    ("2024", date(2024, 1, 1), date(2024, 12, 31)),
    ("2024-S2", date(2024, 7, 1), date(2024, 12, 31)),
    ("2024-Q1", date(2024, 1, 1), date(2024, 3, 31)),
    ("2024-M02", date(2024, 2, 1), date(2024, 2, 29)),
    ("2024-M2", date(2024, 2, 1), date(2024, 2, 29)),
])
def test_periods_know_their_dates(key, start, end):
    period = parse_period(key)
    assert (period.start, period.end) == (start, end)


@pytest.mark.parametrize("key", ["24", "2024-Q5", "2024-S3", "2024-M13", "2024-X1", "1999", ""])
def test_a_period_that_does_not_exist_is_rejected(key):
    with pytest.raises(InvalidPeriodError):
        parse_period(key)
