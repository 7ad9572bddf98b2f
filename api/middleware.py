"""ASGI middleware: a request id on every request and response, a bounded request body, and
one structured log line per request (never a header, token or body)."""

from __future__ import annotations

import logging
import re
import time
import uuid

import orjson
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("kinerja.access")
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
MAX_BODY = 256 * 1024
MAX_LOGGED_PATH = 200  # characters of a path the access log keeps: a 5 MB path is not a line
_NIP = re.compile(r"(?<!\d)\d{18}(?!\d)")  # a NIP or NI PPPK: personal data in a path


class PayloadTooLarge(HTTPException):
    def __init__(self) -> None:
        super().__init__(413, f"request bodies are limited to {MAX_BODY} bytes")


class RequestContext:
    def __init__(self, app: ASGIApp, max_body: int = MAX_BODY, redact_nips: bool = False
                 ) -> None:
        self.app, self.max_body, self.redact_nips = app, max_body, redact_nips

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        given = headers.get(b"x-request-id", b"").decode("latin-1")
        request_id = given if _REQUEST_ID.match(given) else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        started, status = time.perf_counter(), [0]

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                status[0] = message["status"]
                message["headers"] = [*message.get("headers", []),
                                      (b"x-request-id", request_id.encode())]
            await send(message)

        try:
            await self.app(scope, self._limited(receive, headers), send_with_id)
        finally:
            log.info(orjson.dumps({
                "request_id": request_id, "method": scope["method"],
                "path": logged_path(scope["path"], redact_nips=self.redact_nips),
                "status": status[0], "ms": round((time.perf_counter() - started) * 1000, 2),
            }).decode())

    def _limited(self, receive: Receive, headers: dict[bytes, bytes]) -> Receive:
        declared = headers.get(b"content-length")
        received = 0

        async def limited() -> Message:
            nonlocal received
            if declared is not None and (not declared.isdigit() or int(declared) > self.max_body):
                raise PayloadTooLarge()
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body:
                    raise PayloadTooLarge()
            return message

        return limited


def logged_path(path: str, *, redact_nips: bool) -> str:
    """The path as the access log keeps it: at most ``MAX_LOGGED_PATH`` characters, and with
    every NIP written ``<nip>`` where the operator asked (``KINERJA_LOG_REDACT_NIPS``)."""
    if redact_nips:
        path = _NIP.sub("<nip>", path)
    return path if len(path) <= MAX_LOGGED_PATH else path[:MAX_LOGGED_PATH] + "…"
