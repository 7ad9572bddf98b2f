"""The distribution curve (PermenPANRB 6/2022): guidance the raters of an organisation must
consider, selected by the predikat its head gave the organisation.

It is a soft constraint: a departure is allowed but must carry a reason, and dashboards show it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

from domain.rules import OrganisationPredikat as Org
from domain.rules import Predikat

SB, B, BP, K, SK = (Predikat.SANGAT_BAIK, Predikat.BAIK, Predikat.BUTUH_PERBAIKAN,
                    Predikat.KURANG, Predikat.SANGAT_KURANG)


@dataclass(frozen=True)
class Bound:
    """``share of predikats in `of` <= or >= limit`` (shares of all staff predikats)."""

    of: tuple[str, ...]
    at_most: Fraction | None = None
    at_least: Fraction | None = None
    some: bool = False  # at least one

    def breach(self, counts: Mapping[str, int], total: int) -> str | None:
        n = self._count(counts)
        return self._judge(n, n, total)

    def unavoidable(self, counts: Mapping[str, int], still_open: int) -> str | None:
        """The breach that none of the ``still_open`` evaluations can mend, whatever their
        predikat: ``counts`` are the predikats finalised so far."""
        n = self._count(counts)
        total = sum(counts.values()) + still_open
        return self._judge(n, n + still_open, total) if total else None

    def counts_against(self, predikat: str) -> bool:
        """Whether one more ``predikat`` takes the distribution towards a breach of this bound:
        one of ``of`` for a ceiling, any other for a floor."""
        return (predikat in self.of) == (self.at_most is not None)

    def _count(self, counts: Mapping[str, int]) -> int:
        return sum(counts.get(p, 0) for p in self.of)

    def _judge(self, least: int, most: int, total: int) -> str | None:
        """A breach, when even ``least`` of ``of`` is above the ceiling, or ``most`` of them is
        below the floor (the two are equal once every evaluation is finalised)."""
        names = " or ".join(self.of)
        low, high = Fraction(least, total), Fraction(most, total)
        if self.at_most is not None and low > self.at_most:
            return f"{names}: {float(low):.0%} is above the {float(self.at_most):.0%} allowed"
        if self.at_least is not None and high < self.at_least:
            return f"{names}: {float(high):.0%} is below the {float(self.at_least):.0%} required"
        if self.some and most == 0:
            return f"{names}: some are expected, there are none"
        return None


P = Fraction
CURVES: dict[str, tuple[Bound, ...]] = {
    Org.ISTIMEWA: (Bound((SB,), at_most=P(7, 10)),),
    Org.BAIK: (Bound((B,), at_most=P(7, 10)), Bound((BP, K), some=True)),
    Org.BUTUH_PERBAIKAN: (Bound((BP,), at_least=P(6, 10)), Bound((SB,), at_most=P(1, 10))),
    Org.KURANG: (Bound((K,), at_least=P(6, 10)), Bound((BP,), at_least=P(1, 10)),
                 Bound((SB,), at_most=P(1, 10))),
    Org.SANGAT_KURANG: (Bound((SK,), at_least=P(6, 10)), Bound((K, BP), at_least=P(1, 10)),
                        Bound((SB,), at_most=P(0))),
}


def departures(organisation_predikat: str | None, counts: Mapping[str, int]) -> list[str]:
    """How the staff predikats depart from the pattern for the organisation's predikat."""
    total = sum(counts.values())
    if organisation_predikat not in CURVES or total == 0:
        return []
    return [b for bound in CURVES[organisation_predikat] if (b := bound.breach(counts, total))]


@dataclass(frozen=True)
class Standing:
    """An OPD's distribution for a period just before one more finalisation, as the use case
    gathered it (from every sub-unit of the OPD): the domain decides what it means."""

    organisation_predikat: str | None  # the penetapan for the period (or its year), if any
    finalised: Mapping[str, int]  # the OPD's other finalised evaluations, by predikat
    still_open: int  # the OPD's other evaluations of the period, not finalised yet

    def departing(self, predikat: str) -> list[str]:
        """How finalising ``predikat`` departs from the pattern: each breach it is part of that
        no evaluation still open can mend any more. Judged only when it is certain, so the
        first finalisations of an OPD do not depart merely for being first."""
        bounds = CURVES.get(self.organisation_predikat or "", ())
        after = Counter(self.finalised)
        after[predikat] += 1
        return [b for bound in bounds if bound.counts_against(predikat)
                and (b := bound.unavoidable(after, self.still_open))]
