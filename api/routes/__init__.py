"""Route modules share how they declare permissions and the problems they may answer, and how
they read the views' plain rows as the models their responses declare."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from pydantic import BaseModel

from api.problems import responses

READ = responses(400, 401, 403, 404, 422)
WRITE = responses(400, 401, 403, 404, 409, 412, 413, 422)

M = TypeVar("M", bound=BaseModel)


def permission(name: str) -> dict[str, str]:
    """The policy permission a route checks, published in the OpenAPI document."""
    return {"x-permission": name}


def rows(model: type[M], plain: Iterable[Mapping[str, Any]]) -> list[M]:
    """Plain rows (a view's documents, a diff's changes) validated as ``model``: the check the
    response model would make of them, made here, so that it is handed the rows it declares."""
    return [model.model_validate(row) for row in plain]
