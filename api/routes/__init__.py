"""Route modules share how they declare permissions and the problems they may answer."""

from __future__ import annotations

from api.problems import responses

READ = responses(401, 403, 404, 422)
WRITE = responses(400, 401, 403, 404, 409, 412, 413, 422)


def permission(name: str) -> dict:
    """The policy permission a route checks, published in the OpenAPI document."""
    return {"x-permission": name}
