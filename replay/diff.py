"""What differs between two points of a record, and the events responsible."""

from __future__ import annotations

from typing import Any

PRIVATE = ("_id", "_version", "_created_on", "_modified_on", "_pending_events")


def state(record: Any) -> dict[str, Any]:
    return {k: v for k, v in vars(record).items() if k not in PRIVATE}


def diff(before: Any, after: Any) -> list[dict[str, Any]]:
    """Field by field (ratings per dimension), old and new; empty when nothing changed."""
    a, b = state(before), state(after)
    changes = []
    for key in sorted(set(a) | set(b)):
        old, new = a.get(key), b.get(key)
        if old == new:
            continue
        if isinstance(old, dict) and isinstance(new, dict) and key == "ratings":
            for dimension in sorted(set(old) | set(new)):
                if old.get(dimension) != new.get(dimension):
                    changes.append({"field": f"ratings.{dimension}", "old": old.get(dimension),
                                    "new": new.get(dimension)})
        else:
            changes.append({"field": key, "old": old, "new": new})
    return changes


def apply(before: Any, changes: list[dict[str, Any]]) -> dict[str, Any]:
    """Apply a diff to a state: diff(a, b) applied to a gives b (tested as a property)."""
    result = {k: (dict(v) if isinstance(v, dict) else v) for k, v in state(before).items()}
    for change in changes:
        field = change["field"]
        if field.startswith("ratings."):
            ratings = result.setdefault("ratings", {})
            dimension = field.split(".", 1)[1]
            if change["new"] is None:
                ratings.pop(dimension, None)
            else:
                ratings[dimension] = change["new"]
        elif change["new"] is None and change["field"] not in state(before):
            result.pop(field, None)
        else:
            result[field] = change["new"]
    return result
