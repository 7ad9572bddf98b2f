"""Whether a JSON value has the shape a declaration of state (domain/state.py) gives it."""

from __future__ import annotations

import types
from typing import Any, Union, get_args, get_origin, get_type_hints, is_typeddict


def conforms(value: Any, hint: Any, where: str) -> None:
    """``value`` has the shape ``hint`` declares (TypedDicts by their keys, recursively)."""
    origin, args = get_origin(hint), get_args(hint)
    if is_typeddict(hint):
        assert isinstance(value, dict), where
        hints = get_type_hints(hint)
        assert hint.__required_keys__ <= set(value) <= set(hints), where
        for key, item in value.items():
            conforms(item, hints[key], f"{where}.{key}")
    elif origin in (Union, types.UnionType):
        matches = [a for a in args if _kind_of(value, a)]
        assert matches, f"{where}: {value!r} is not {hint}"
        conforms(value, matches[0], where)
    elif origin is list:
        assert isinstance(value, list), where
        for i, item in enumerate(value):
            conforms(item, args[0], f"{where}[{i}]")
    elif origin is dict:
        assert isinstance(value, dict), where
        for key, item in value.items():
            conforms(key, args[0], where)
            conforms(item, args[1], f"{where}[{key}]")
    else:
        assert type(value) is hint, f"{where}: {value!r} is not {hint}"


def _kind_of(value: Any, hint: Any) -> bool:
    if hint is type(None):
        return value is None
    origin = get_origin(hint) or hint
    return isinstance(value, dict if is_typeddict(hint) else origin) and value is not None

