"""Evaluation periods: the annual one and the periodic ones within a year.

Keys are short and sortable: ``2024`` (annual), ``2024-S1`` (semester), ``2024-Q3`` (quarter),
``2024-M07`` (month). Which periodic kinds an agency uses is a setting, not a rule here.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from domain.errors import InvalidPeriodError

FIRST_YEAR, LAST_YEAR = 2000, 2100  # the years a period (and any date of a record) may fall in
_PATTERN = re.compile(r"^(\d{4})(?:-([SQM])(\d{1,2}))?$")
_MONTHS_PER = {"S": 6, "Q": 3, "M": 1}
_KINDS = {None: "annual", "S": "semester", "Q": "quarterly", "M": "monthly"}


@dataclass(frozen=True)
class Period:
    key: str
    kind: str
    year: int
    start: date
    end: date

    @property
    def is_annual(self) -> bool:
        return self.kind == "annual"


def parse_period(key: str) -> Period:
    match = _PATTERN.match(key.strip()) if isinstance(key, str) else None
    if match is None:
        raise InvalidPeriodError(
            f"{key!r} is not a period (use 2024, 2024-S1, 2024-Q3 or 2024-M07)")
    year, letter, number = int(match[1]), match[2], match[3]
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise InvalidPeriodError(f"year {year} is out of range")
    if letter is None:
        return Period(str(year), "annual", year, date(year, 1, 1), date(year, 12, 31))
    size = _MONTHS_PER[letter]
    n = int(number)
    if not 1 <= n <= 12 // size:
        raise InvalidPeriodError(f"{key!r}: there is no {_KINDS[letter]} period {n}")
    first = (n - 1) * size + 1
    last = first + size - 1
    end = date(year, last, calendar.monthrange(year, last)[1])
    return Period(_key(year, letter, n), _KINDS[letter], year, date(year, first, 1), end)


def periodic_keys(year: int) -> list[str]:
    """Every periodic period of a year (semesters, quarters, months): which kinds an agency
    uses is its setting, so an annual evaluation looks for them all."""
    return [_key(year, letter, n)
            for letter, size in _MONTHS_PER.items() for n in range(1, 12 // size + 1)]


def _key(year: int, letter: str, n: int) -> str:
    return f"{year}-{letter}{n:02d}" if letter == "M" else f"{year}-{letter}{n}"
