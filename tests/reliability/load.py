"""A write load whose every request and answer is recorded.

Writers are client threads, each on its own connection. Every write carries an
Idempotency-Key, sent as its X-Request-Id too, so the event it wrote (if any) can be found by
that key afterwards (every event records its request id).
"""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

import httpx

from tests.api.support import PROBLEM, Caller, etag
from tests.reliability.support import Office, eventually

_loads = itertools.count()


@dataclass
class Write:
    """One write and every answer it got (None: no answer: the connection failed)."""

    token: str
    path: str
    body: dict[str, Any]
    key: str
    if_match: int | None = None  # the version the writer saw, when it sends If-Match
    answers: list[int | None] = field(default_factory=list)
    version: int | None = None  # the ETag of its 2xx answer
    replayed: bool = False  # that answer came from the Idempotency-Key's receipt
    code: str | None = None  # the problem's code, of an answer that is one

    @property
    def evaluation(self) -> UUID:
        return UUID(self.path.split("/")[2])

    @property
    def topic(self) -> str:
        return {"comments": "CommentAdded", "ratings": "RatingRecorded",
                "revisions": "RatingRevised"}[self.path.rsplit("/", 1)[1]]

    @property
    def status(self) -> int | None:
        return self.answers[-1] if self.answers else None

    @property
    def dimension(self) -> str:
        return self.body.get("dimension") or self.path.split("/")[4]

    @property
    def acknowledged(self) -> bool:
        return self.status is not None and 200 <= self.status < 300

    @property
    def refused(self) -> bool:
        return self.status is not None and 400 <= self.status < 500

    def send(self, http: httpx.Client) -> httpx.Response | None:
        """One attempt, with the same key as every other attempt."""
        try:
            response = Caller(http, self.token).post(self.path, self.body, key=self.key,
                                                     if_match=self.if_match,
                                                     headers={"X-Request-Id": self.key})
        except httpx.TransportError:
            self.answers.append(None)
            return None
        self.answers.append(response.status_code)
        if response.is_success:
            self.version = etag(response)
            self.replayed = response.headers.get("idempotent-replay") == "true"
        elif response.headers.get("content-type") == PROBLEM:
            self.code = response.json()["code"]
        return response


Plan = Callable[[int, dict], tuple[str, dict[str, Any]]]  # (step, evaluation) -> path, body


def rating(evaluation: UUID, dimension: str, state: dict,
           details: dict[str, str] | None = None) -> tuple[str, dict[str, Any]]:
    """Rate ``dimension`` if the evaluation (as last seen) has no rating for it; else revise it
    to the other value."""
    current = state["ratings"].get(dimension)
    if current is None:
        return (f"/evaluations/{evaluation}/ratings", {"dimension": dimension, "rating": "meets",
                                                       "reason": "sesuai bukti",
                                                       "details": details or {}})
    return (f"/evaluations/{evaluation}/ratings/{dimension}/revisions",
            {"rating": "above" if current["rating"] == "meets" else "meets",
             "reason": "setelah dialog kinerja", "details": details or {}})


def ratings(evaluation: UUID) -> Plan:
    """Each dimension in turn: rated, then revised back and forth."""
    return lambda n, state: rating(evaluation, ("results", "behaviour")[n % 2], state)


def comments(evaluation: UUID) -> Plan:
    return lambda n, _: (f"/evaluations/{evaluation}/comments", {"text": f"catatan ke-{n}"})


class Writer(threading.Thread):
    """One client on its own connection, writing by its plan until stopped.

    Without ``persist`` it stops at the first write that gets no answer (the service is gone);
    with it, it retries a write that got no answer or a 5xx, with the same key, until it gets a
    final answer or is stopped (as a client that must not lose a write does).
    """

    def __init__(self, url: str, name: str, token: str, evaluation: UUID, plan: Plan,
                 stop: threading.Event, *, persist: bool = False) -> None:
        super().__init__(name=name, daemon=True)
        self.url, self.token, self.evaluation, self.plan = url, token, evaluation, plan
        self.halt, self.persist = stop, persist
        self.writes: list[Write] = []

    def run(self) -> None:
        with httpx.Client(base_url=self.url, timeout=30) as http:
            state = Caller(http, self.token).get(f"/evaluations/{self.evaluation}").json()
            for n in itertools.count():
                if self.halt.is_set():
                    return
                write = Write(self.token, *self.plan(n, state), key=f"rel-{self.name}-{n}")
                self.writes.append(write)
                response = write.send(http)
                while self.persist and not self.halt.is_set() and (
                        response is None or response.status_code >= 500):
                    time.sleep(0.2)
                    response = write.send(http)
                if response is None and not self.persist:
                    return
                if response is not None and response.is_success:
                    state = response.json()


class Load:
    """Writers started together on one service; ``stop`` waits for them."""

    def __init__(self, writers: list[Writer]) -> None:
        self.writers = writers
        for writer in writers:
            writer.start()

    @property
    def writes(self) -> list[Write]:
        return [w for writer in self.writers for w in list(writer.writes)]

    def acknowledged(self) -> int:
        return sum(w.acknowledged for w in self.writes)

    def wait_for(self, acknowledged: int) -> None:
        def reached() -> bool:
            assert any(w.is_alive() for w in self.writers), "every writer has stopped"
            return self.acknowledged() >= acknowledged
        eventually(reached, what=f"{acknowledged} writes acknowledged")

    def stop(self) -> list[Write]:
        for writer in self.writers:
            writer.halt.set()
        for writer in self.writers:
            writer.join(60)
            assert not writer.is_alive(), f"{writer.name} did not stop"
        return self.writes


def office_load(url: str, office: Office, *, persist: bool = False) -> Load:
    """A rater per evaluation rating it (distinct evaluations), and the first evaluation shared
    with its ASN and its rater commenting on it at the same time."""
    stop, first, load = threading.Event(), office.evaluations[0], next(_loads)  # keys unique
    writers = [Writer(url, f"{load}.rater{i}", token, e, ratings(e), stop, persist=persist)
               for i, (e, token) in enumerate(zip(office.evaluations, office.raters))]
    writers += [Writer(url, f"{load}.{name}", token, first, comments(first), stop,
                       persist=persist)
                for name, token in (("asn0", office.asns[0]), ("rater0c", office.raters[0]))]
    return Load(writers)
