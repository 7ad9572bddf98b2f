"""Versioned rule sets that turn ratings into a predikat, and the deadlines of a cycle.

The rule set is chosen by the date of the decision and its version is recorded on the event, so a
replay years later reproduces the decision as it was made and can show what today's rules say.
Values the law leaves to the agency are fields here, never constants in code.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from types import MappingProxyType

from domain.errors import InvalidValueError, NoRuleSetError, ScoreOutOfRangeError


class Rating(StrEnum):
    ABOVE = "above"
    MEETS = "meets"
    BELOW = "below"


class Dimension(StrEnum):
    RESULTS = "results"  # hasil kerja
    BEHAVIOUR = "behaviour"  # perilaku kerja (BerAKHLAK)


class Predikat(StrEnum):
    """A staff predikat. The value is the code events store and never changes; ``label`` is how
    PermenPANRB 6/2022 writes it, which is what people read (docs/DOMAIN.md §3)."""

    SANGAT_BAIK = "Sangat Baik"
    BAIK = "Baik"
    BUTUH_PERBAIKAN = "Butuh Perbaikan"
    CUKUP = "Cukup"  # the older numeric system only
    KURANG = "Kurang"  # written "Kurang/Misconduct" by the 2022 matrix
    SANGAT_KURANG = "Sangat Kurang"

    @property
    def label(self) -> str:
        return MATRIX_LABELS.get(self, self.value)


# Where the 2022 matrix writes a predikat otherwise than its stored code. The organisation
# predikat's "Kurang" is another scale (OrganisationPredikat) and keeps its name.
MATRIX_LABELS: Mapping[str, str] = MappingProxyType({Predikat.KURANG: "Kurang/Misconduct"})


class OrganisationPredikat(StrEnum):
    """What the head of the parent organisation grades a unit; it selects the curve."""

    ISTIMEWA = "Istimewa"
    BAIK = "Baik"
    BUTUH_PERBAIKAN = "Butuh Perbaikan"
    KURANG = "Kurang"
    SANGAT_KURANG = "Sangat Kurang"


BERAKHLAK = (
    "berorientasi_pelayanan",
    "akuntabel",
    "kompeten",
    "harmonis",
    "loyal",
    "adaptif",
    "kolaboratif",
)

A, M, B = Rating.ABOVE, Rating.MEETS, Rating.BELOW
_MATRIX_2022 = MappingProxyType({
    (A, B): Predikat.KURANG, (A, M): Predikat.BAIK, (A, A): Predikat.SANGAT_BAIK,
    (M, B): Predikat.KURANG, (M, M): Predikat.BAIK, (M, A): Predikat.BAIK,
    (B, B): Predikat.SANGAT_KURANG, (B, M): Predikat.BUTUH_PERBAIKAN,
    (B, A): Predikat.BUTUH_PERBAIKAN,
})


@dataclass(frozen=True)
class NumericBands:
    """PP 30/2019 art. 41: weighted score bands (thresholds configurable)."""

    skp_weight: float = 0.7
    skp_weight_with_peers: float = 0.6
    sangat_baik_min: float = 110.0  # and only with a new idea that benefits the organisation
    baik_min: float = 90.0
    cukup_min: float = 70.0
    kurang_min: float = 50.0
    ceiling: float = 120.0  # the top of the scale: no score and no outcome above it
    years: tuple[int, int] = (2019, 2021)  # the years scored this way, first and last

    def checked(self, value: float, what: str) -> float:
        """``value`` if it lies on the scale (0 to the ceiling), else a clear refusal."""
        if not 0 <= value <= self.ceiling:
            raise ScoreOutOfRangeError(f"{what} is {value:g}: the scale is 0 to {self.ceiling:g}")
        return value

    def score(self, skp: float, behaviour: float, *, peer_input: bool) -> float:
        w = self.skp_weight_with_peers if peer_input else self.skp_weight
        return skp * w + behaviour * (1 - w)

    def predikat(self, score: float, *, new_idea: bool) -> Predikat:
        if score >= self.sangat_baik_min and new_idea:
            return Predikat.SANGAT_BAIK
        if score >= self.baik_min:
            return Predikat.BAIK
        if score >= self.cukup_min:
            return Predikat.CUKUP
        return Predikat.KURANG if score >= self.kurang_min else Predikat.SANGAT_KURANG


@dataclass(frozen=True)
class RuleSet:
    version: str
    effective_from: date
    scheme: str  # "matrix" (PermenPANRB 6/2022) or "numeric" (PP 30/2019)
    matrix: Mapping[tuple[Rating, Rating], Predikat] = field(default_factory=lambda: _MATRIX_2022)
    bands: NumericBands = field(default_factory=NumericBands)
    keberatan_window_days: int = 14  # PP 30/2019 art. 59, calendar days
    decision_window_days: int = 14  # the law sets none; a setting of ours

    def predikat(self, results: str, behaviour: str) -> Predikat:
        """The 2022 matrix: rows are work results, columns work behaviour."""
        if self.scheme != "matrix":
            raise InvalidValueError(f"rule set {self.version} does not use ratings")
        return self.matrix[(Rating(results), Rating(behaviour))]

    def label(self, predikat: str) -> str:
        """The predikat as this rule set writes it: the matrix's Kurang is "Kurang/Misconduct",
        the numeric scale's (PP 30/2019 Pasal 41) plain "Kurang"."""
        return MATRIX_LABELS.get(predikat, predikat) if self.scheme == "matrix" else predikat


PP30_2019 = RuleSet("pp30-2019/1", date(2019, 1, 1), "numeric")
PERMENPANRB_6_2022 = RuleSet("permenpanrb-6-2022/1", date(2022, 1, 1), "matrix")
DEFAULT_RULESETS = (PP30_2019, PERMENPANRB_6_2022)


class RuleBook:
    """All rule sets an agency has used, looked up by date or by recorded version."""

    def __init__(self, rulesets: tuple[RuleSet, ...] = DEFAULT_RULESETS) -> None:
        self._by_date = sorted(rulesets, key=lambda r: r.effective_from)
        self._by_version = {r.version: r for r in rulesets}

    def on(self, day: date) -> RuleSet:
        """The rule set in force on ``day``."""
        in_force = [r for r in self._by_date if r.effective_from <= day]
        if not in_force:
            raise NoRuleSetError(f"no rule set was in force on {day.isoformat()}")
        return in_force[-1]

    def version(self, version: str) -> RuleSet:
        try:
            return self._by_version[version]
        except KeyError:
            raise NoRuleSetError(f"unknown rule set version {version!r}") from None

    def latest(self) -> RuleSet:
        return self._by_date[-1]

    def label(self, predikat: str, version: str) -> str:
        """The predikat recorded under rule set ``version``, as that rule set writes it (a
        version this book does not hold is read as the latest one writes it: a label is only
        what people read, and never fails a read)."""
        return self._by_version.get(version, self.latest()).label(predikat)


DEFAULT_RULEBOOK = RuleBook()


def label_of(predikat: str | None, version: str | None) -> str | None:
    """A recorded predikat as the rule set it was recorded under writes it, for people to read
    (API output and documents); the stored code never changes. None for no predikat yet."""
    return None if predikat is None else DEFAULT_RULEBOOK.label(predikat, version or "")


@dataclass(frozen=True)
class CycleCalendar:
    """Deadlines for reports and ratings per period (set per cycle by circular)."""

    report_days_after_end: int = 10  # e.g. the 2024 annual reports were due on 10 January 2025
    rating_days_after_end: int = 31
    overrides: Mapping[str, tuple[date, date]] = field(default_factory=dict)

    def deadlines(self, period_key: str, period_end: date) -> tuple[date, date]:
        if period_key in self.overrides:
            return self.overrides[period_key]
        return (period_end + timedelta(days=self.report_days_after_end),
                period_end + timedelta(days=self.rating_days_after_end))
