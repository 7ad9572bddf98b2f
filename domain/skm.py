"""Public-satisfaction survey (SKM, PermenPANRB 14/2017): responses and the index.

Nine elements, each answered 1-4, always by name: sources list the elements in different
orders, so a position means nothing to a reader. The index is the mean per element (NRR),
weighted exactly 1/9 (not the 0.111 some reports use), summed and multiplied by 25 (range
25-100). It is computed from raw totals and only the final index is rounded (rounding midway
would change the result).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any
from uuid import UUID

from domain.base import Created, Meta, Record, stable_id
from domain.errors import InvalidValueError, MissingElementError, UnknownElementError
from domain.organisation import Unit
from domain.periods import parse_period
from domain.state import SurveyState

# The element names, and the order of the per-element totals that the state (and its
# snapshots) and the surveys view keep: never reorder or rename them.
ELEMENTS = ("persyaratan", "sistem_prosedur", "waktu", "biaya", "produk", "kompetensi",
            "perilaku", "pengaduan", "sarana")
WEIGHTING = "1/9"  # each element's NRR weighs exactly 1/9 in the index
# (floor of the index, mutu pelayanan, kinerja unit), best first: the bands of docs/DOMAIN.md §8.
CATEGORIES = ((Decimal("88.31"), "A", "Sangat Baik"), (Decimal("76.61"), "B", "Baik"),
              (Decimal("65.00"), "C", "Kurang Baik"), (Decimal("25.00"), "D", "Tidak Baik"))
CATEGORY_LABELS = {letter: label for _, letter, label in CATEGORIES}
ANSWERS = (1, 4)  # the lowest and the highest answer to an element
MAX_BATCH = 10_000
CENTS = Decimal("0.01")


def survey_id(unit: UUID | str, period: str) -> UUID:
    return stable_id("skm", str(unit), period)


def index(totals: Sequence[int], counts: Sequence[int]) -> Decimal | None:
    """The SKM index from the sum of answers and the number of answers per element."""
    if len(totals) != len(ELEMENTS) or any(c == 0 for c in counts):
        return None
    # Summed from Fraction(0), not the int 0, so the sum is a Fraction to type checkers too.
    exact = sum((Fraction(t, c) for t, c in zip(totals, counts)), Fraction(0)) / len(ELEMENTS) * 25
    return _rounded(exact)


def nrr(total: int, count: int) -> Decimal | None:
    """An element's mean answer (nilai rata-rata), to two places: shown, never summed."""
    return _rounded(Fraction(total, count)) if count else None


def _rounded(exact: Fraction) -> Decimal:
    return (Decimal(exact.numerator) / Decimal(exact.denominator)).quantize(
        CENTS, rounding=ROUND_HALF_UP)


def category(value: Decimal) -> str:
    """A (very good) 88.31-100, B 76.61-88.30, C 65.00-76.60, D 25.00-64.99."""
    return next(letter for floor, letter, _ in CATEGORIES if value >= floor)


def tallied(totals: Sequence[int], counts: Sequence[int],
            responses: Sequence[Mapping[str, int]]) -> tuple[list[int], list[int]]:
    """The per-element totals and counts (in ELEMENTS order) after these named responses."""
    summed, answered = list(totals), list(counts)
    for answers in responses:
        for name, answer in answers.items():
            at = ELEMENTS.index(name)
            summed[at] += answer
            answered[at] += 1
    return summed, answered


def _check(number: int, answers: Any) -> dict[str, int]:
    """One response, checked: every element answered once, by name, with 1 to 4."""
    if not isinstance(answers, Mapping):
        raise InvalidValueError(f"response {number} must name its elements "
                                f"({', '.join(ELEMENTS)})")
    unknown = sorted(str(name) for name in answers if name not in ELEMENTS)
    if unknown:
        raise UnknownElementError(f"response {number} names no SKM element: "
                                  f"{', '.join(unknown)} (the elements: {', '.join(ELEMENTS)})")
    missing = [name for name in ELEMENTS if name not in answers]
    if missing:
        raise MissingElementError(f"response {number} does not answer: {', '.join(missing)}")
    lowest, highest = ANSWERS
    wrong = [name for name in ELEMENTS
             if type(answers[name]) is not int or not lowest <= answers[name] <= highest]
    if wrong:
        raise InvalidValueError(f"response {number} answers {', '.join(wrong)} with other than "
                                f"a whole number from {lowest} to {highest}")
    return {name: answers[name] for name in ELEMENTS}


class Survey(Record, SurveyState):
    """All responses to one unit's survey for one period, recorded in batches."""

    TOPIC = "kinerja/Survey"

    class Opened(Created):
        TOPIC = "kinerja/Survey/Opened"
        unit_id: str
        period: str

        def apply(self, s: Survey) -> None:
            s.unit_id, s.period = self.unit_id, self.period
            s.totals, s.counts, s.responses = [0] * len(ELEMENTS), [0] * len(ELEMENTS), 0

    class ResponsesRecorded(Record.Event):
        TOPIC = "kinerja/Survey/ResponsesRecorded"
        class_version = 2
        responses: list[dict[str, int]]  # each response's answers by element name

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            # Version 1 stored nine answers by position, in the order the elements had then
            # (written out here: it must not follow any later change to ELEMENTS).
            recorded_in = ("persyaratan", "sistem_prosedur", "waktu", "biaya", "produk",
                           "kompetensi", "perilaku", "pengaduan", "sarana")
            state["responses"] = [dict(zip(recorded_in, answers))
                                  for answers in state["responses"]]

        def apply(self, s: Survey) -> None:
            s.totals, s.counts = tallied(s.totals, s.counts, self.responses)
            s.responses += len(self.responses)

    @classmethod
    def open(cls, meta: Meta, unit: Unit, period: str) -> Survey:
        key = parse_period(period).key
        return cls._begin(cls.Opened, meta, survey_id(unit.id, key), unit_id=str(unit.id),
                          period=key)

    def record_responses(self, meta: Meta, responses: Sequence[Mapping[str, int]]) -> None:
        if not 1 <= len(responses) <= MAX_BATCH:
            raise InvalidValueError(f"record 1 to {MAX_BATCH} responses at a time")
        checked = [_check(number, answers) for number, answers in enumerate(responses, 1)]
        self._record(self.ResponsesRecorded, meta, responses=checked)

    @property
    def index(self) -> Decimal | None:
        return index(self.totals, self.counts)
