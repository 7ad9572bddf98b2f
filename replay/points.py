"""Naming a point in a record's history on the command line or in a URL.

``7`` or ``v7`` its own version 7; ``leaf:1234`` ledger position 1234; ``2025-01-20`` the end
of that day in Asia/Jakarta; ``2025-01-20T03:00:00Z`` that moment.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from domain.periods import FIRST_YEAR, LAST_YEAR

# A version or ledger position beyond this names nothing (and a larger integer overflows
# SQLite's); days and moments fall in the years any record's dates may (domain.periods).
MAX_POSITION = 2**62


def parse_point(text: str) -> dict[str, Any]:
    text = text.strip()
    try:
        if text.lower().startswith("leaf:"):
            return {"leaf": _natural(text[5:])}
        if text.lstrip("vV").isdigit():
            return {"version": _natural(text.lstrip("vV"))}
        if "T" in text:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
            if moment.tzinfo is None:
                raise ValueError("a moment needs a time zone, e.g. 2025-01-20T03:00:00Z")
            return {"moment": _in_years(moment)}
        return {"day": _in_years(date.fromisoformat(text))}
    except ValueError as e:
        raise ValueError(f"{text!r} is not a point: use 7, leaf:1234, 2025-01-20 or "
                         f"2025-01-20T03:00:00Z ({e})") from None


def _natural(text: str) -> int:
    if not text.isascii() or not text.isdigit():  # int() also reads "+7", "7_0" and " 7"
        raise ValueError("a position is a whole number")
    value = int(text)
    if value < 1 and not text == "0":
        raise ValueError("positions start at 0, versions at 1")
    if value > MAX_POSITION:
        raise ValueError(f"positions and versions are at most {MAX_POSITION}")
    return value


def _in_years(point: Any) -> Any:
    if not FIRST_YEAR <= point.year <= LAST_YEAR:
        raise ValueError(f"a day or moment falls in the years {FIRST_YEAR}-{LAST_YEAR}")
    return point
