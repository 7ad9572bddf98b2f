"""Talking to the real service as a given person, and what the tests say about its answers.

``Api`` wraps an HTTP client on the real app (a TestClient, or httpx on a uvicorn on loopback)
and issues tokens through the app's own token store; ``serving`` runs a real uvicorn.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

import httpx
import uvicorn
from fastapi import FastAPI

from api.app import create_app
from service.config import Settings

PROBLEM = "application/problem+json"
ADMIN = "system:test-admin"  # tokens may name a service identity as well as a NIP
DUTY_REASON = "Sampel audit kinerja 2024"  # what an auditor's or BKPP's tool states
STALE = '"999999"'  # an If-Match no record in these tests has reached


def service(settings: Settings, clock) -> FastAPI:
    """The app, without the embedded projection thread: stopping the service races it (a
    segfault on SQLite, see test_known_bugs.py), and the views are not what these tests are
    about. Once the lifespan joins its threads, drop the ``replace``."""
    return create_app(replace(settings, projections="external"), clock=clock)


class Caller:
    """One identity's requests: a bearer token (or any Authorization, or none) and the usual
    headers."""

    def __init__(self, http: Any, token: str | None, *, authorization: str | None = None,
                 reason: str | None = None) -> None:
        self.http, self.token, self.reason = http, token, reason
        self.authorization = authorization or (f"Bearer {token}" if token else None)

    def headers(self, if_match: int | str | None = None, key: str | None = None,
                extra: dict[str, str] | None = None) -> dict[str, str]:
        headers = {"Authorization": self.authorization} if self.authorization else {}
        if self.reason is not None:
            headers["X-Access-Reason"] = self.reason
        if if_match is not None:
            headers["If-Match"] = f'"{if_match}"' if isinstance(if_match, int) else if_match
        if key is not None:
            headers["Idempotency-Key"] = key
        return headers | (extra or {})

    def get(self, path: str, *, headers: dict[str, str] | None = None, **params: Any):
        return self.http.get(path, params=params or None, headers=self.headers(extra=headers))

    def post(self, path: str, body: Any = None, *, if_match: int | str | None = None,
             key: str | None = None, headers: dict[str, str] | None = None,
             content: Any = None):
        sent = self.headers(if_match, key, headers)
        if content is not None:
            return self.http.post(path, content=content,
                                  headers={"Content-Type": "application/json"} | sent)
        return self.http.post(path, json=body, headers=sent)


class Api:
    """The app under test, an HTTP client on it, and a token per (nip, role)."""

    def __init__(self, app: FastAPI, http: Any) -> None:
        self.app, self.http = app, http
        self.services = app.state.services
        self.kinerja = self.services.app  # the Application: for arranging through use cases
        self._tokens: dict[tuple[str, str], str] = {}

    def token(self, nip: str, role: str) -> str:
        if (nip, role) not in self._tokens:
            self._tokens[nip, role] = self.services.auth.tokens.issue(nip, role)
        return self._tokens[nip, role]

    def as_(self, nip: str, role: str, *, reason: str | None = "") -> Caller:
        """A caller; auditors and admins state a reason by default, as their tools would (they
        open people's files by a duty: api/journal.py REASON_REQUIRED). ``reason=None``: none."""
        if reason == "":
            reason = DUTY_REASON if role in ("auditor", "admin") else None
        return Caller(self.http, self.token(nip, role), reason=reason)

    @property
    def admin(self) -> Caller:
        return self.as_(ADMIN, "admin")

    @property
    def anonymous(self) -> Caller:
        return Caller(self.http, None)

    def position(self) -> int:
        """The log's head: unchanged means nothing was written."""
        return self.kinerja.recorder.max_notification_id() or 0

    @contextmanager
    def nothing_written(self) -> Iterator[None]:
        before = self.position()
        yield
        assert self.position() == before, "the request wrote to the log"


def problem(response: httpx.Response, status: int, code: str | None = None) -> dict:
    """Assert an RFC 9457 answer with this status (and code); return its body."""
    assert response.status_code == status, f"{response.status_code}: {response.text[:500]}"
    assert response.headers["content-type"] == PROBLEM, response.headers["content-type"]
    body = response.json()
    assert body["status"] == status and body["code"] and body["title"] and body["detail"]
    if code is not None:
        assert body["code"] == code, body
    return body


def ok(response: httpx.Response, status: int = 200) -> dict:
    assert response.status_code == status, f"{response.status_code}: {response.text[:500]}"
    body = response.json()
    # The ETag is the record's version; a new comment's id is the version that added it.
    assert etag(response) == body.get("version", body.get("id"))
    return body


def etag(response: httpx.Response) -> int:
    return int(response.headers["etag"].strip('"'))


@contextmanager
def serving(app: FastAPI) -> Iterator[str]:
    """A real uvicorn on loopback (an ephemeral port) in a thread; yields its base URL.

    uvicorn binds the port itself: handed a socket of ours (``sockets=``), its connections
    wait out the peer's delayed ACK on every response (~40 ms a request on Linux loopback).
    """
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning",
                                           lifespan="on"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{server.servers[0].sockets[0].getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(10)


def together(count: int, work) -> list[Any]:
    """Run ``work(i)`` in ``count`` threads released at once; return their results in order."""
    barrier, results = threading.Barrier(count), [None] * count

    def run(i: int) -> None:
        barrier.wait()
        try:
            results[i] = work(i)
        except Exception as e:  # reported by the test that reads the results
            results[i] = e

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results
