"""Aggregates that reveal no one: small cells withheld for readers who may not see the people.

A dashboard shown to someone who may not read the individual evaluations behind it (a reviewer
of another OPD, an inspector, an appeal-board member) must not let them work out one person's
result. Any count of 1 to ``MINIMUM_CELL - 1`` evaluations is withheld (None, never a number),
and with it the next smallest cells until the withheld ones add up to the minimum, since the
total is public and a lone withheld cell could be worked back from it (complementary
suppression); a group smaller than the minimum is so withheld whole. Lists that name people
(not finalised yet, departures from the curve) are withheld too: they go only to those who
may see those people.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

from projections.queries import DashboardFigures, FairnessSignal

MINIMUM_CELL = 5  # the usual threshold of official statistics for counts of people
V = TypeVar("V")


def withheld_counts(cells: Mapping[str, int | None], minimum: int = MINIMUM_CELL) -> set[str]:
    """The cells to withhold so that no count below ``minimum`` can be read or worked out:
    each small one, then the next smallest until what is withheld adds up to the minimum
    (the total is public, so the withheld cells' sum is known: it must not be a small
    count either)."""
    counts = {key: n or 0 for key, n in cells.items()}
    hidden = {key for key, n in counts.items() if 0 < n < minimum}
    rest = sorted((n, key) for key, n in counts.items() if n >= minimum)
    while hidden and sum(counts[k] for k in hidden) < minimum and rest:
        hidden.add(rest.pop(0)[1])
    return hidden


def aggregate_dashboard(figures: DashboardFigures) -> DashboardFigures:
    """The dashboard as a reader who may not see its people gets it."""
    hidden = withheld_counts(figures["predikat"])
    return figures | {
        "predikat": _without(figures["predikat"], hidden),
        "shares": _without(figures["shares"], hidden),
        "not_finalised": None, "curve_departures": None}


def aggregate_fairness(signals: list[FairnessSignal],
                       minimum: int = MINIMUM_CELL) -> list[FairnessSignal]:
    """Reviewers' figures without any reviewer whose evaluations are fewer than the minimum:
    their shares would be a person's result."""
    return [s for s in signals if s["evaluations"] >= minimum]


def _without(cells: Mapping[str, V | None], hidden: set[str]) -> dict[str, V | None]:
    return {key: None if key in hidden else value for key, value in cells.items()}
