"""Per-request plumbing as dependencies, so route signatures read like prose.

A route takes ``caller: ReadAccess`` (a ``Caller``: who is calling, authorised against the
policy table; it renders a record) or ``caller: WriteAccess`` (a ``WriteRequest``: also the
request's If-Match and Idempotency-Key; it runs one command with them and renders the result).

The dependencies are ``async`` and never block: a token validated in the last
``auth.CACHE_SECONDS`` is answered from memory, and only an unknown one is looked up, in the
thread pool. The route itself (a plain ``def``) is then the request's one trip to the pool.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from fastapi.routing import APIRoute
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from api.auth import Authenticator, User
from api.journal import looking
from api.policy import POLICY, Subject, allowed, allowed_role
from api.problems import ProblemError
from api.waits import ViewWaits
from domain.errors import DomainError
from projections.queries import Queries
from projections.runner import Projector
from service.access_journal import AccessJournal
from service.application import Actor, KinerjaApplication
from service.config import Settings
from service.receipts import Idempotency

_ETAG = re.compile(r'^(?:W/)?"(\d{1,18})"$')
_KEY = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


def _header(name: str, pattern: str, description: str) -> dict[str, Any]:
    """An optional header's OpenAPI declaration: a string of this form (not enforced by
    FastAPI: _version and _valid_key answer 400 with their own codes)."""
    return {"name": name.lower(), "in": "header", "required": False, "description": description,
            "schema": {"type": "string", "pattern": pattern, "title": name,
                       "description": description}}


# Read by ``write_access`` from the request's headers rather than as FastAPI ``Header``
# parameters (FastAPI's per-parameter validation cost more per write than the rest of the
# dependencies); declared in the OpenAPI document by ``declare_write_headers``.
WRITE_HEADERS = [
    _header("Idempotency-Key", _KEY.pattern, "Makes a POST safe to retry: the same key and body"
            " give the first result and write nothing."),
    _header("If-Match", r'^(\*|(W/)?"\d{1,18}")$', 'The version you saw (its ETag, e.g. "7"):'
            " a write to a record that has moved on is refused with 412."),
]


@dataclass
class Services:
    """What the service holds for its whole life (one per process)."""

    app: KinerjaApplication
    auth: Authenticator
    settings: Settings
    projector: Projector
    queries: Queries
    waits: ViewWaits
    journal: AccessJournal  # every look at a person's file (api/journal.py)


def services(request: Request) -> Services:
    return request.app.state.services


async def authenticated(request: Request) -> User:
    """The caller, by the Authorization header (read here: it has no place in the OpenAPI
    document's parameters)."""
    auth, authorization = services(request).auth, request.headers.get("authorization")
    if (user := auth.remembered(authorization)) is not None:
        return user
    return await run_in_threadpool(auth.user, authorization)


class Caller:
    """Who is calling, authorised against the policy table."""

    def __init__(self, request: Request, user: User) -> None:
        self.request, self.user = request, user
        self.services = services(request)
        self.app = self.services.app
        self.actor = Actor(user.nip, user.role.value)
        self.request_id = request.state.request_id

    def authorise(self, permission: str, subject: Subject | None = None) -> None:
        with looking(self, permission, subject):  # a read of a person's file goes on record
            self.authorise_role(permission)
            if not allowed(permission, self.user.role, self.user.nip, subject):
                raise ProblemError(403, "forbidden_relationship",
                                   f"{permission} needs a relationship to this record you do"
                                   " not have")

    def authorise_route(self) -> None:
        """The role check of the route's own permission (its ``x-permission``), made as the
        caller is known: before FastAPI validates the body and the query, so that a caller
        without the role learns nothing of their rules from a 422."""
        route = self.request.scope.get("route")
        permission = (getattr(route, "openapi_extra", None) or {}).get("x-permission")
        if permission in POLICY:
            self.authorise_role(permission)

    def authorise_role(self, permission: str) -> None:
        """The first half of ``authorise``: for a route that must know its role may act before
        it looks up the record the relationship is to (and perhaps answers 404)."""
        if not allowed_role(permission, self.user.role):
            raise ProblemError(403, "forbidden_role",
                               f"the {self.user.role} role may not do this ({permission})")

    def render(self, aggregate: Any, render: Callable[[Any], BaseModel], status: int = 200,
               location: str | None = None) -> Response:
        headers = {"ETag": f'"{aggregate.version}"'}
        if location:
            headers["Location"] = location
        body = render(aggregate).model_dump_json(by_alias=True)
        return Response(body, status_code=status, media_type="application/json", headers=headers)


class WriteRequest(Caller):
    """A write: the caller, and the request's Idempotency-Key and If-Match."""

    def __init__(self, request: Request, user: User, idempotency_key: str | None,
                 if_match: str | None) -> None:
        super().__init__(request, user)
        self.key = _valid_key(idempotency_key)
        self.expected_version = _version(if_match)

    def run(self, command: Callable[..., Any], *args: Any, body: BaseModel,
            render: Callable[[Any], BaseModel], status: int = 200,
            location: str | None = None, loaded: tuple[Any, ...] = (),
            **kwargs: Any) -> Response:
        """Run ``command(actor, *args, **kwargs)`` once, with the request's options
        (``RequestOptions``), and answer ``render`` of its result. The keywords named here are
        the response's, every other argument is the command's. ``loaded``: the records the
        route authorised against, handed to the command so that it changes those very ones.

        An Idempotency-Key's receipt is written in the command's own transaction, so a repeat
        can never commit: it fails (on the receipt's key, or earlier on a domain rule such as
        If-Match) and only then is the receipt looked up, to answer the first result, by
        reading the record at the version the first request left it (or 422 when the key came
        with another request). A request that succeeds pays no lookup."""
        options: dict[str, Any] = {"request_id": self.request_id}
        if self.expected_version is not None:
            options["expected_version"] = self.expected_version
        if loaded:
            options["loaded"] = loaded
        if self.key:
            options["idempotency"] = Idempotency(self.key, self._fingerprint(body), status)
        try:
            result = command(self.actor, *args, **kwargs, **options)
        except DomainError:
            # Already done under this key (perhaps by a racing duplicate of this very request)?
            if self.key is None:
                raise
            replayed = self._replay(self.key, options["idempotency"].fingerprint, render,
                                    location)
            if replayed is None:
                raise
            return replayed
        response = self.render(result, render, status, location and location.format(id=result.id))
        if (position := self.app.last_position()) is not None:
            response.headers["Kinerja-Position"] = str(position)  # for ?after= on the views
        return response

    def _replay(self, key: str, fingerprint: bytes, render: Callable[[Any], BaseModel],
                location: str | None) -> Response | None:
        receipt = self.app.find_receipt(self.actor.id, key)
        if receipt is None:
            return None
        if receipt.fingerprint != fingerprint:
            raise ProblemError(422, "idempotency_key_reused",
                               "this Idempotency-Key was used with a different request")
        record = self.app.load(receipt.resource_id, version=receipt.version)
        response = self.render(record, render, receipt.status,
                               location and location.format(id=record.id))
        response.headers["Idempotent-Replay"] = "true"
        return response

    def _fingerprint(self, body: BaseModel) -> bytes:
        request = [self.request.method, self.request.url.path, body.model_dump(mode="json")]
        return hashlib.sha256(orjson.dumps(request, option=orjson.OPT_SORT_KEYS)).digest()


async def read_access(request: Request) -> Caller:
    caller = Caller(request, await authenticated(request))
    caller.authorise_route()
    return caller


async def write_access(request: Request) -> WriteRequest:
    user, headers = await authenticated(request), request.headers
    Caller(request, user).authorise_route()  # before the headers': 403 before any 400
    return WriteRequest(request, user, headers.get("idempotency-key"), headers.get("if-match"))


def declare_write_headers(router: APIRouter) -> None:
    """Declare ``WRITE_HEADERS`` in the OpenAPI document of each of the router's routes that
    takes ``WriteAccess``."""
    for route in router.routes:
        if isinstance(route, APIRoute) and any(
                d.call is write_access for d in route.dependant.dependencies):
            route.openapi_extra = {**(route.openapi_extra or {}),
                                   "parameters": WRITE_HEADERS}


ReadAccess = Annotated[Caller, Depends(read_access)]
WriteAccess = Annotated[WriteRequest, Depends(write_access)]


def _version(if_match: str | None) -> int | None:
    if if_match is None or if_match.strip() == "*":
        return None
    match = _ETAG.match(if_match.strip())
    if not match:
        raise ProblemError(400, "bad_if_match", 'If-Match is an ETag such as "7"')
    return int(match[1])


def _valid_key(key: str | None) -> str | None:
    if key is not None and not _KEY.match(key):
        raise ProblemError(400, "bad_idempotency_key",
                           "Idempotency-Key is 1-128 letters, digits, '.', '_', ':' or '-'")
    return key
