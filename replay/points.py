"""Naming a point in a record's history on the command line or in a URL.

``7`` or ``v7`` its own version 7; ``leaf:1234`` ledger position 1234; ``2025-01-20`` the end
of that day in Asia/Jakarta; ``2025-01-20T03:00:00Z`` that moment.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any


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
            return {"moment": moment}
        return {"day": date.fromisoformat(text)}
    except ValueError as e:
        raise ValueError(f"{text!r} is not a point: use 7, leaf:1234, 2025-01-20 or "
                         f"2025-01-20T03:00:00Z ({e})") from None


def _natural(text: str) -> int:
    value = int(text)
    if value < 1 and not text == "0":
        raise ValueError("positions start at 0, versions at 1")
    return value
