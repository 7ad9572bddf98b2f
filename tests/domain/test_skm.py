"""SKM responses name their elements; the survey folds them into per-element totals whatever
order the names come in, and refuses what is not one answer (1-4) to each of the nine."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import (
    DomainError,
    InvalidValueError,
    MissingElementError,
    UnknownElementError,
)
from domain.skm import CATEGORY_LABELS, ELEMENTS, Survey, category, index, nrr
from tests.domain.builders import answers, meta, unit

# One respondent: an answer to each element, the names in any order.
RESPONSE = st.permutations(ELEMENTS).flatmap(
    lambda names: st.fixed_dictionaries({name: st.integers(1, 4) for name in names}))
BATCHES = st.lists(st.lists(RESPONSE, min_size=1, max_size=8), min_size=1, max_size=5)


@given(BATCHES)
def test_for_any_batches_the_totals_are_the_answers_summed_by_name(batches):
    survey = Survey.open(meta(), unit(), "2024")
    for batch in batches:
        survey.record_responses(meta(), batch)
    everyone = [response for batch in batches for response in batch]
    assert survey.totals == [sum(r[name] for r in everyone) for name in ELEMENTS]
    assert survey.counts == [len(everyone)] * len(ELEMENTS)
    assert survey.responses == len(everyone)
    exact = sum(Fraction(sum(r[n] for r in everyone), len(everyone)) for n in ELEMENTS) / 9 * 25
    assert survey.index is not None and abs(survey.index - Decimal(float(exact))) <= Decimal(
        "0.005") and Decimal(25) <= survey.index <= Decimal(100)
    recorded = [e for e in survey.collect_events() if isinstance(e, Survey.ResponsesRecorded)]
    assert all(list(r) == list(ELEMENTS) for e in recorded for r in e.responses)


WRONG = [  # (what is wrong with the response, the error it gets)
    ({**answers(*[3] * 9), "keramahan": 4}, UnknownElementError),
    ({name: 3 for name in ELEMENTS[:-1]}, MissingElementError),
    ({**answers(*[3] * 9), "waktu": 0}, InvalidValueError),
    ({**answers(*[3] * 9), "biaya": True}, InvalidValueError),
    ([3] * 9, InvalidValueError),  # by position: the old form
]


@pytest.mark.parametrize("response, error", WRONG)
def test_a_response_that_is_not_one_answer_per_element_is_refused(response, error):
    survey = Survey.open(meta(), unit(), "2024")
    survey.record_responses(meta(), [answers(*[4] * 9)])
    with pytest.raises(error) as refused:
        survey.record_responses(meta(), [answers(*[4] * 9), response])
    assert "response 2" in refused.value.message
    assert survey.version == 2 and survey.responses == 1  # nothing of the batch was kept


def test_the_codes_of_element_errors_are_stable():
    assert (UnknownElementError.code, MissingElementError.code) == (
        "unknown_skm_element", "missing_skm_element")
    with pytest.raises(UnknownElementError, match="keramahan"):
        Survey.open(meta(), unit(), "2024").record_responses(meta(), [{"keramahan": 4}])


@given(st.lists(RESPONSE, min_size=1, max_size=5), st.sampled_from(ELEMENTS),
       st.sampled_from(["missing", "unknown", "out_of_range"]))
def test_every_rule_has_a_failing_example_and_a_refusal_records_nothing(good, element, wrong):
    bad = dict(good[-1])
    if wrong == "missing":
        del bad[element]
    elif wrong == "unknown":
        bad[element + "_x"] = 2
    else:
        bad[element] = 5
    survey = Survey.open(meta(), unit(), "2024")
    with pytest.raises(DomainError):
        survey.record_responses(meta(), [*good, bad])
    assert survey.version == 1 and survey.responses == 0


def test_each_elements_nrr_is_its_mean_and_only_shown_rounded():
    assert nrr(10, 3) == Decimal("3.33") and nrr(0, 0) is None
    # the index from the raw totals, not from the rounded NRRs (3.33 * 9 / 9 * 25 = 83.25)
    assert index([10] * 9, [3] * 9) == Decimal("83.33")


@pytest.mark.parametrize("value, letter, label", [
    ("88.31", "A", "Sangat Baik"), ("88.30", "B", "Baik"), ("76.60", "C", "Kurang Baik"),
    ("64.99", "D", "Tidak Baik")])
def test_skm_categories_have_their_names(value, letter, label):
    assert category(Decimal(value)) == letter and CATEGORY_LABELS[letter] == label

