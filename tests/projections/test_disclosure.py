"""Small-cell suppression: no count below the minimum can be read or worked back out."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from projections.disclosure import MINIMUM_CELL, aggregate_fairness, withheld_counts

KEYS = ("Sangat Baik", "Baik", "Butuh Perbaikan", "Kurang", "Sangat Kurang")


def test_one_small_cell_takes_the_next_smallest_with_it():
    assert withheld_counts({"Baik": 20, "Sangat Baik": 2, "Kurang": 7}) == {"Sangat Baik",
                                                                          "Kurang"}
    assert withheld_counts({"Baik": 20, "Kurang": 1, "Sangat Kurang": 1, "Sangat Baik": 6}
                           ) == {"Kurang", "Sangat Kurang", "Sangat Baik"}


def test_a_group_below_the_minimum_is_withheld_whole_and_large_cells_stand():
    assert withheld_counts({"Baik": 3, "Kurang": 0}) == {"Baik"}
    assert withheld_counts({"Baik": 30, "Kurang": 5}) == set()


@given(st.fixed_dictionaries({k: st.integers(0, 40) for k in KEYS}))
def test_no_withheld_cell_can_be_worked_out_from_the_total(counts):
    hidden = withheld_counts(counts)
    shown = {k for k in counts if k not in hidden}
    assert all(counts[k] == 0 or counts[k] >= MINIMUM_CELL for k in shown)
    # the total is public, so the hidden cells' sum is known: never a small count, unless
    # the whole group is small and all of it is hidden
    withheld = sum(counts[k] for k in hidden)
    assert withheld == 0 or withheld >= MINIMUM_CELL or shown == {
        k for k in counts if counts[k] == 0}


def test_reviewers_with_fewer_than_the_minimum_are_left_out():
    signals = [{"reviewer": "a", "evaluations": 4}, {"reviewer": "b", "evaluations": 5}]
    assert [s["reviewer"] for s in aggregate_fairness(signals)] == ["b"]
