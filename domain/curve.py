"""The distribution curve (PermenPANRB 6/2022): guidance the raters of an organisation must
consider, selected by the predikat its head gave the organisation.

It is a soft constraint: a departure is allowed but must carry a reason, and dashboards show it.
"""

from __future__ import annotations

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
        n = sum(counts.get(p, 0) for p in self.of)
        share, names = Fraction(n, total), " or ".join(self.of)
        if self.at_most is not None and share > self.at_most:
            return f"{names}: {float(share):.0%} is above the {float(self.at_most):.0%} allowed"
        if self.at_least is not None and share < self.at_least:
            return f"{names}: {float(share):.0%} is below the {float(self.at_least):.0%} required"
        if self.some and n == 0:
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
