"""Public-satisfaction survey (SKM, PermenPANRB 14/2017): responses and the index.

Nine elements, each answered 1-4. The index is the mean per element, weighted equally (1/9),
summed and multiplied by 25 (range 25-100). It is computed from raw totals and only the final
index is rounded (rounding midway would change the result).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from uuid import UUID

from domain.base import Created, Meta, Record, stable_id
from domain.errors import InvalidValueError
from domain.organisation import Unit
from domain.periods import parse_period
from domain.state import SurveyState

ELEMENTS = ("persyaratan", "sistem_prosedur", "waktu", "biaya", "produk", "kompetensi",
            "perilaku", "pengaduan", "sarana")
CATEGORIES = ((Decimal("88.31"), "A"), (Decimal("76.61"), "B"), (Decimal("65.00"), "C"),
              (Decimal("25.00"), "D"))
ANSWERS = (1, 4)  # the lowest and the highest answer to an element
MAX_BATCH = 10_000


def survey_id(unit: UUID | str, period: str) -> UUID:
    return stable_id("skm", str(unit), period)


def index(totals: Sequence[int], counts: Sequence[int]) -> Decimal | None:
    """The SKM index from the sum of answers and the number of answers per element."""
    if len(totals) != len(ELEMENTS) or any(c == 0 for c in counts):
        return None
    # Summed from Fraction(0), not the int 0, so the sum is a Fraction to type checkers too.
    exact = sum((Fraction(t, c) for t, c in zip(totals, counts)), Fraction(0)) / len(ELEMENTS) * 25
    return (Decimal(exact.numerator) / Decimal(exact.denominator)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP)


def category(value: Decimal) -> str:
    """A (very good) 88.31-100, B 76.61-88.30, C 65.00-76.60, D 25.00-64.99."""
    return next(letter for floor, letter in CATEGORIES if value >= floor)


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
        responses: list[list[int]]

        def apply(self, s: Survey) -> None:
            for answers in self.responses:
                for i, answer in enumerate(answers):
                    s.totals[i] += answer
                    s.counts[i] += 1
            s.responses += len(self.responses)

    @classmethod
    def open(cls, meta: Meta, unit: Unit, period: str) -> Survey:
        key = parse_period(period).key
        return cls._begin(cls.Opened, meta, survey_id(unit.id, key), unit_id=str(unit.id),
                          period=key)

    def record_responses(self, meta: Meta, responses: list[list[int]]) -> None:
        if not 1 <= len(responses) <= MAX_BATCH:
            raise InvalidValueError(f"record 1 to {MAX_BATCH} responses at a time")
        lowest, highest = ANSWERS
        for answers in responses:
            if len(answers) != len(ELEMENTS) or any(
                    type(a) is not int or not lowest <= a <= highest for a in answers):
                raise InvalidValueError(f"each response answers all {len(ELEMENTS)} elements "
                                        f"with {lowest} to {highest}")
        self._record(self.ResponsesRecorded, meta, responses=[list(a) for a in responses])

    @property
    def index(self) -> Decimal | None:
        return index(self.totals, self.counts)
