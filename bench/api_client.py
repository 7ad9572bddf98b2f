"""The load generator: one thread per client, each with its own keep-alive connection.

A client owns its evaluations and takes them in turns: it records the results rating, then the
behaviour rating, then revises them alternately, each revision changing the rating, each with a
reason; every request carries an Idempotency-Key and the client's bearer token. The same client
drives our service and the bare one, with the same requests.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from uuid import UUID

import httpx

DIMENSIONS = ("results", "behaviour")
REASONS = ("Target terlampaui setelah verifikasi bukti", "Disesuaikan setelah dialog kinerja")


def command(evaluation: UUID, step: int) -> tuple[str, dict[str, str]]:
    """The path and body of the ``step``-th rating command on an evaluation."""
    dimension = DIMENSIONS[step % 2]
    if step < 2:
        return (f"/evaluations/{evaluation}/ratings",
                {"dimension": dimension, "rating": "meets", "reason": REASONS[0]})
    rating = "above" if (step // 2) % 2 else "meets"  # always the other value: a real change
    return (f"/evaluations/{evaluation}/ratings/{dimension}/revisions",
            {"rating": rating, "reason": REASONS[1]})


@dataclass
class Tally:
    """What a run saw: latencies, answers by status, and the acknowledged writes."""

    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)  # seconds, every request
    statuses: Counter = field(default_factory=Counter)
    acknowledged: list[tuple[UUID, int]] = field(default_factory=list)  # (id, version) of 2xx

    @property
    def ok(self) -> int:
        return sum(n for status, n in self.statuses.items() if 200 <= status < 300)

    def add(self, other: Tally) -> None:
        self.latencies += other.latencies
        self.statuses.update(other.statuses)
        self.acknowledged += other.acknowledged


class Client:
    """One keep-alive connection, its evaluations and how far each has got."""

    def __init__(self, base_url: str, name: str, token: str, evaluations: Sequence[UUID]) -> None:
        self.http = httpx.Client(base_url=base_url, timeout=60.0,
                                 headers={"Authorization": f"Bearer {token}"})
        self.name, self.evaluations = name, list(evaluations)
        self.steps = [0] * len(self.evaluations)
        self.sent = 0

    def run_until(self, deadline: float, tally: Tally) -> None:
        while time.perf_counter() < deadline:
            self.send(tally)

    def send(self, tally: Tally) -> None:
        turn = self.sent % len(self.evaluations)
        evaluation = self.evaluations[turn]
        path, body = command(evaluation, self.steps[turn])
        self.sent += 1
        started = time.perf_counter()
        response = self.http.post(path, json=body,
                                  headers={"Idempotency-Key": f"{self.name}-{self.sent}"})
        tally.latencies.append(time.perf_counter() - started)
        tally.statuses[response.status_code] += 1
        if response.is_success:
            self.steps[turn] += 1
            tally.acknowledged.append((evaluation, int(response.headers["ETag"].strip('"'))))

    def close(self) -> None:
        self.http.close()


def drive(clients: Sequence[Client], seconds: float) -> Tally:
    """All clients at once, from one start, until ``seconds`` have passed; a request in flight
    at the deadline finishes and counts, and the run's time includes it."""
    tallies = [Tally() for _ in clients]
    ready = threading.Barrier(len(clients) + 1)
    deadline = [0.0]

    def work(client: Client, tally: Tally) -> None:
        ready.wait()
        client.run_until(deadline[0], tally)

    threads = [threading.Thread(target=work, args=pair, daemon=True)
               for pair in zip(clients, tallies)]
    for thread in threads:
        thread.start()
    start = time.perf_counter()
    deadline[0] = start + seconds
    ready.wait()
    for thread in threads:
        thread.join()
    total = Tally(seconds=time.perf_counter() - start)
    for tally in tallies:
        total.add(tally)
    return total
