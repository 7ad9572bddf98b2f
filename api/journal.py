"""Every look at a person's file on record: which reads are journaled, the stated reason, and
when a look is settled (docs/ACCESS-LOG.md).

``Caller.authorise`` runs its policy check inside ``looking``: for a read of a person's file
(a GET route guarded by a permission in ``JOURNALED``) a pending look is noted on the request
before the check. The look is settled by the response's status in ``JournalLooks``: a 2xx is a
look granted, a 403 a look refused, anything else (404, 400, 409, 5xx) no look at all, since
nothing of the file was seen nor refused. A route that learns whose file it is only after
authorising (replay: the record's kind is not known before it is loaded) names them with
``whose``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

from fastapi import APIRouter, Request
from fastapi.routing import APIRoute
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.policy import Role, Subject
from api.problems import ProblemError, responses
from domain.access import access_reason
from domain.errors import InvalidAccessReasonError
from domain.limits import MAX_ACCESS_REASON
from service.access_journal import GRANTED, REFUSED, Look

# The permissions whose GET routes read a person's file: their evaluations (with history and
# comments), keberatan, employee record and history, findings naming them, replays, timelines,
# dossiers, and the access log itself.
JOURNALED = frozenset({"evaluations.read", "keberatan.read", "employees.read", "views.history",
                       "findings.read", "replay.read", "access_log.read"})
# Break-glass: the roles that open a person's file by a duty, not a relationship (an auditor's
# sample, BKPP's investigation), and so only by stating a reason; without one the look is
# refused, and on record. Those with a relationship (the ASN, their supervisor, the team, the
# rater, the authority of the case) need none.
_DUTY = frozenset({Role.AUDITOR, Role.ADMIN})
REASON_REQUIRED: dict[str, frozenset[Role]] = {
    permission: _DUTY for permission in ("evaluations.read", "keberatan.read",
                                         "views.history", "findings.read", "replay.read")}
REASON_HEADER = "X-Access-Reason"
_PENDING = "kinerja.looks"  # the request's pending looks, in its ASGI scope


@contextmanager
def looking(caller: Any, permission: str, subject: Subject | None) -> Iterator[None]:
    """Around a ``Caller``'s policy check: note the look if it reads a person's file, refuse
    at once when the journal cannot take it, then record the reason stated, if any."""
    request: Request = caller.request
    if permission not in JOURNALED or request.method != "GET":
        yield
        return
    caller.services.journal.admit()
    pending: list[Look] = request.scope.setdefault(_PENDING, [])
    pending.append(Look(
        at=caller.app.clock(), actor=caller.user.nip, role=caller.user.role.value,
        outcome="", what=_what(request), record_id=_record_id(request),
        subject_nip=subject.nip if subject else None, reason=None,
        request_id=caller.request_id))
    index = len(pending) - 1
    try:
        yield
    except ProblemError:  # refused: on record with whatever reason was given, if readable
        pending[index] = replace(pending[index], reason=_readable_reason(request))
        raise
    reason = stated_reason(request)
    pending[index] = replace(pending[index], reason=reason)
    if reason is None and subject is not None and subject.nip is not None \
            and caller.user.role in REASON_REQUIRED.get(permission, ()):
        raise ProblemError(403, "access_reason_required",
                           f"the {caller.user.role} role opens this file only with a reason:"
                           f" state it in {REASON_HEADER}")


def whose(caller: Any, nip: str | None) -> None:
    """Name whose file this request's looks are (for a route that learns it after
    authorising)."""
    pending: list[Look] = caller.request.scope.get(_PENDING, [])
    pending[:] = [replace(look, subject_nip=nip) for look in pending]


def stated_reason(request: Request) -> str | None:
    """The reason in ``X-Access-Reason``, as it is recorded (None when none was stated).

    A reason goes in a header, not the query: a query string is kept in proxies' and browsers'
    logs, and a reason may name people. The header's bytes are read as UTF-8."""
    raw = request.headers.get(REASON_HEADER)
    if raw is None:
        return None
    try:
        text = raw.encode("latin-1").decode("utf-8")
    except UnicodeError:
        raise InvalidAccessReasonError(f"{REASON_HEADER} is UTF-8 text") from None
    return access_reason(text)


def _readable_reason(request: Request) -> str | None:
    try:
        return stated_reason(request)
    except InvalidAccessReasonError:
        return None


def _what(request: Request) -> str:
    """The route read, as its path template (``/evaluations/{evaluation_id}/history``)."""
    route = request.scope.get("route")
    return getattr(route, "path", None) or request.url.path


def _record_id(request: Request) -> str | None:
    """The record the path names (the routes journaled name one: an id, or a NIP)."""
    return next((str(value) for value in request.path_params.values()), None)


class JournalLooks:
    """Settle each request's pending looks by its response's status, and hand them to the
    journal (which only queues them: no round trip here)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return

        async def settling(message: Message) -> None:
            if message["type"] == "http.response.start":
                _settle(scope, message["status"])
            await send(message)

        await self.app(scope, receive, settling)


def _settle(scope: Scope, status: int) -> None:
    looks: list[Look] = scope.get(_PENDING, [])
    outcome = GRANTED if status < 400 else REFUSED if status == 403 else None
    if looks and outcome:
        journal = scope["app"].state.services.journal
        journal.record([replace(look, outcome=outcome) for look in looks])


REASON_PARAMETER = {
    "name": REASON_HEADER.lower(), "in": "header", "required": False,
    "description": "Why you open this file when your duty, not a relationship, brings you to it"
                   " (break-glass). Recorded in the access journal, and shown to the person.",
    # declared as printable ASCII, what any client can send; UTF-8 bytes are read too
    "schema": {"type": "string", "maxLength": MAX_ACCESS_REASON,
               "pattern": r"^[\x20-\x7e]*$", "title": REASON_HEADER},
}


def declare_reason_header(router: APIRouter) -> None:
    """Declare ``X-Access-Reason`` in the OpenAPI document of each journaled read."""
    for route in router.routes:
        if not isinstance(route, APIRoute) or "GET" not in (route.methods or ()):
            continue
        extra = route.openapi_extra or {}
        if extra.get("x-permission") in JOURNALED:
            parameters = [*extra.get("parameters", []), REASON_PARAMETER]
            # a bad reason is a 400, a journal that cannot take the look a 503
            answers = {str(status): {k: v for k, v in answer.items() if k != "model"}
                       for status, answer in responses(400, 503).items()
                       if status not in route.responses}
            route.openapi_extra = {**extra, "parameters": parameters,
                                   "responses": {**extra.get("responses", {}), **answers}}
