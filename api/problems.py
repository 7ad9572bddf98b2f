"""RFC 9457 problem details: every error is application/problem+json with a stable ``code``.

Nothing of a traceback ever reaches a client: an unexpected error answers 500 with an error id
that is logged, with the traceback, on the server.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import iter_route_contexts
from pydantic import BaseModel, ConfigDict
from starlette.exceptions import HTTPException as StarletteHTTPException

from domain.errors import DomainError

log = logging.getLogger("kinerja.api")
MEDIA_TYPE = "application/problem+json"
MAX_ERRORS = 20  # listed in a validation problem; an answer stays small whatever was sent
PARAMETERS = ("query", "path", "header", "cookie")  # where a request's parameters are

STATUS = {  # domain codes whose HTTP status is not 422
    "not_found": 404, "conflict": 409, "duplicate_request": 409, "stale_version": 412,
    "not_allowed": 403, "evaluation_finalised": 409, "invalid_state": 409,
    "already_rated": 409, "result_already_received": 409, "period_closed": 409,
    "conflict_of_interest": 403,
    "leave_overlaps": 409, "evaluation_excused": 409,
    "unavailable": 503, "invalid_access_reason": 400, "journal_unavailable": 503,
}


class Problem(BaseModel):
    """An RFC 9457 problem; ``code`` is stable and meant for machines."""

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "type": "https://kinerja.semarangkota.go.id/problems/reason_required",
        "title": "Reason required", "status": 422, "code": "reason_required",
        "detail": "this change must say why (reason)", "instance": "/evaluations/…/ratings"}]})

    type: str
    title: str
    status: int
    code: str
    detail: str
    instance: str | None = None
    errors: list[dict[str, Any]] | None = None
    error_id: str | None = None


class ProblemError(Exception):
    """Raised by the API layer itself (authentication, authorisation, preconditions)."""

    def __init__(self, status: int, code: str, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.status, self.code, self.detail, self.extra = status, code, detail, extra


def problem(request: Request | None, status: int, code: str, detail: str,
            **extra: Any) -> JSONResponse:
    body = {"type": f"https://kinerja.semarangkota.go.id/problems/{code}",
            "title": code.replace("_", " ").capitalize(), "status": status, "code": code,
            "detail": detail, "instance": request.url.path if request else None,
            **{k: v for k, v in extra.items() if v is not None}}
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else {}
    if extra.get("retry_after") is not None:
        headers["Retry-After"] = str(extra["retry_after"])
    return JSONResponse(body, status_code=status, media_type=MEDIA_TYPE, headers=headers)


def install(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    def domain_error(request: Request, e: DomainError) -> JSONResponse:
        return problem(request, STATUS.get(e.code, 422), e.code, e.message)

    @app.exception_handler(ProblemError)
    def api_error(request: Request, e: ProblemError) -> JSONResponse:
        return problem(request, e.status, e.code, e.detail, **e.extra)

    @app.exception_handler(RequestValidationError)
    def invalid(request: Request, e: RequestValidationError) -> JSONResponse:
        found = e.errors()
        errors = [{"field": ".".join(str(p) for p in err["loc"]), "message": err["msg"],
                   "type": err["type"]} for err in found[:MAX_ERRORS]]
        detail = "the request is not valid"
        if len(found) > MAX_ERRORS:  # a body of 256 KiB can hold tens of thousands of mistakes
            detail += f" ({len(found)} errors; the first {MAX_ERRORS} are listed)"
        if all(err["loc"][0] in PARAMETERS for err in found):
            # The address of the request is wrong (a query value, a path segment, a header),
            # not the content it carries: 400, as for any malformed request line.
            return problem(request, 400, "bad_parameter", detail, errors=errors)
        return problem(request, 422, "validation_error", detail, errors=errors)

    @app.exception_handler(StarletteHTTPException)
    def http_error(request: Request, e: StarletteHTTPException) -> JSONResponse:
        code = {400: "malformed_body", 404: "not_found", 405: "method_not_allowed",
                413: "payload_too_large"}.get(e.status_code, "http_error")
        answer = problem(request, e.status_code, code, str(e.detail))
        if e.status_code == 405:
            answer.headers["Allow"] = allowed_methods(request)
        return answer

    @app.exception_handler(Exception)
    def unexpected(request: Request, e: Exception) -> JSONResponse:
        error_id = uuid.uuid4().hex
        log.error("unexpected error %s on %s %s", error_id, request.method, request.url.path,
                  exc_info=e)
        return problem(request, 500, "internal_error",
                       "something went wrong on our side; quote the error id", error_id=error_id)


def allowed_methods(request: Request) -> str:
    """What the path allows, over every route it matches (included routers flattened, as
    the OpenAPI document has them): a path's GET and POST are routes of their own."""
    path = request.scope["path"]
    methods = {method for route in iter_route_contexts(request.app.routes)
               if route.path_regex.match(path) for method in route.methods or ()}
    return ", ".join(sorted(methods))


def responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI declarations of the problem responses a route can give."""
    text = {400: "Bad request", 401: "Not authenticated", 403: "Not allowed",
            404: "Not found", 409: "Conflict", 412: "Precondition failed (stale If-Match)",
            413: "Payload too large", 422: "Invalid request or broken rule",
            429: "Too many requests at a time", 503: "Unavailable or behind; retry shortly"}
    return {s: {"model": Problem, "description": text[s],
                "content": {MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}}}
            for s in statuses}
