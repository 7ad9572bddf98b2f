"""Response models derived from the domain's declarations of state, not re-typed from them.

``model_of(RatingState, "RatingOut")`` is a pydantic model with the TypedDict's fields, in its
order; a TypedDict nested in a field becomes the model already derived from it, so the
OpenAPI document names the API's models (``RatingOut``), not the domain's declarations. Derive
inner shapes before the shapes that hold them.
"""

from __future__ import annotations

import keyword
import operator
import types
from functools import reduce
from typing import Any, TypeVar, Union, get_args, get_origin, get_type_hints, overload

from pydantic import BaseModel, Field, create_model
from pydantic.config import JsonValue

_DERIVED: dict[Any, type[BaseModel]] = {}  # declaration -> the model derived from it
M = TypeVar("M", bound=BaseModel)


@overload
def model_of(shape: type, name: str, *,
             examples: list[JsonValue] | None = None) -> type[BaseModel]: ...
@overload
def model_of(shape: type, name: str, *, base: type[M],
             examples: list[JsonValue] | None = None) -> type[M]: ...
def model_of(shape: type, name: str, *, base: type[BaseModel] = BaseModel,
             examples: list[JsonValue] | None = None) -> type[BaseModel]:
    """A model named ``name`` with the fields ``shape`` declares (a TypedDict or a class): a
    subclass of ``base``. Being made at import, it is a variable to mypy, not a type: annotate
    with ``base`` (``Out``) where a type is wanted."""
    optional: frozenset[str] = getattr(shape, "__optional_keys__", frozenset())
    fields: dict[str, Any] = {_python_name(key): _field(key, _swap(hint), key in optional)
              for key, hint in get_type_hints(shape).items()}
    config: dict[str, Any] = {}
    if examples is not None:
        config["json_schema_extra"] = {"examples": examples}
    if any(keyword.iskeyword(key) for key in get_type_hints(shape)):
        config["populate_by_name"] = True
    model = create_model(name, __base__=base, __cls_kwargs__=config, **fields)
    _DERIVED[shape] = model
    return model


def models_of(names: dict[type, str]) -> None:
    """Derive each inner shape, in the order given, to be found in the shapes that hold it."""
    for shape, name in names.items():
        model_of(shape, name)


def _python_name(key: str) -> str:
    return f"{key}_" if keyword.iskeyword(key) else key  # "from" -> from_, aliased back


def _field(key: str, hint: Any, optional: bool) -> tuple[Any, Any]:
    if keyword.iskeyword(key):
        return hint, Field(alias=key)
    # A key a TypedDict may leave out is an optional field that defaults to null.
    return (hint | None, None) if optional else (hint, ...)


def _swap(hint: Any) -> Any:
    """``hint`` with each declaration already derived replaced by its model."""
    if hint in _DERIVED:
        return _DERIVED[hint]
    args = get_args(hint)
    if not args:
        return hint
    swapped = tuple(_swap(arg) for arg in args)
    if get_origin(hint) in (Union, types.UnionType):
        return reduce(operator.or_, swapped)
    return get_origin(hint)[swapped]
