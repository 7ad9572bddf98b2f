"""Many clients rating the same few evaluations at once (issue 7).

Threads released together read an evaluation and rate it (a first rating, or a revision to
the other value), half of them sending the version they read as If-Match, half without. Each
write is applied exactly once or refused with 409 (a lost race, or already rated) or 412 (a
stale If-Match); nothing else. The evaluation's history then holds exactly the acknowledged
writes, each at the version its ETag said, and its current ratings are what the last of them
left: the rating, its details, its version and its count of revisions, per dimension.
"""

from __future__ import annotations

import time
from collections import Counter
from contextlib import ExitStack
from uuid import UUID

import httpx
import pytest

from domain.rules import BERAKHLAK
from tests.api.support import Caller, ok, together
from tests.reliability.checks import check_writes
from tests.reliability.load import Write, rating
from tests.reliability.support import (
    LONG,
    Office,
    Server,
    arrange,
    observing,
    report,
    scratch_store,
)

pytestmark = pytest.mark.postgres
THREADS = 24 if LONG else 12
WRITES = 20 if LONG else 6  # per thread
EVALUATIONS = 2
REFUSALS = {409: {"conflict", "already_rated"}, 412: {"stale_version"}}


def test_racing_raters_leave_exactly_the_acknowledged_writes(tmp_path, capsys):
    started = time.monotonic()
    with scratch_store(tmp_path) as store, ExitStack() as running:
        office = arrange(store, lines=EVALUATIONS)
        server = running.enter_context(Server(store.env(), tmp_path / "serve.log"))
        answers = together(THREADS, lambda i: _rater(server.url, office, i))
        assert not [a for a in answers if isinstance(a, Exception)], answers
        writes = [w for thread in answers for w in thread]
        counts = _refusals_are_409_or_412(writes)
        app = running.enter_context(observing(store))
        counts.update(check_writes(app, writes))
        with httpx.Client(base_url=server.url, timeout=30) as http:
            for n, evaluation in enumerate(office.evaluations):
                mine = [w for w in writes if w.evaluation == evaluation]
                shown = ok(Caller(http, office.raters[n]).get(f"/evaluations/{evaluation}"))
                _state_is_the_acknowledged_writes(app, evaluation, shown, mine)
    assert counts["refused_409"] + counts["refused_412"] > 0, "no write was contested"
    report(capsys, "contention", counts | {"threads": THREADS, "evaluations": EVALUATIONS,
                                           "seconds": round(time.monotonic() - started)})


def _rater(url: str, office: Office, i: int) -> list[Write]:
    """``WRITES`` ratings by one client on one of the evaluations, each on what it just read."""
    evaluation, token = office.evaluations[i % EVALUATIONS], office.raters[i % EVALUATIONS]
    guarded, writes = i % 4 < 2, []
    with httpx.Client(base_url=url, timeout=30) as http:
        for n in range(WRITES):
            read = Caller(http, token).get(f"/evaluations/{evaluation}")
            number = i * WRITES + n
            path, body = rating(evaluation, ("results", "behaviour")[number % 2], read.json(),
                                _details(number))
            write = Write(token, path, body, key=f"rel-contender-{number}",
                          if_match=ok(read)["version"] if guarded else None)
            write.send(http)
            writes.append(write)
    return writes


def _details(number: int) -> dict[str, str]:
    """BerAKHLAK details that no other write has: a revision is never one that changes
    nothing (which would be refused with 422), whoever won the race before it."""
    digits = [(number // 3 ** k) % 3 for k in range(len(BERAKHLAK))]
    return {value: ("below", "meets", "above")[d] for value, d in zip(BERAKHLAK, digits)}


def _refusals_are_409_or_412(writes: list[Write]) -> Counter:
    counts = Counter(with_if_match=sum(w.if_match is not None for w in writes))
    for write in writes:
        assert write.acknowledged or write.code in REFUSALS.get(write.status, ()), (
            write.key, write.status, write.code)
        if write.code:
            counts[f"code_{write.code}"] += 1
        if write.acknowledged and write.if_match is not None:
            assert write.version == write.if_match + 1, f"{write.key} not applied where it read"
    return counts


def _state_is_the_acknowledged_writes(app, evaluation: UUID, shown: dict,
                                      writes: list[Write]) -> None:
    acknowledged = sorted((w for w in writes if w.acknowledged), key=lambda w: w.version)
    rated = [e for e in app.events.get(evaluation) if type(e).TOPIC.split("/")[-1] in (
        "RatingRecorded", "RatingRevised")]
    assert [(e.request_id, e.originator_version) for e in rated] == [
        (w.key, w.version) for w in acknowledged], "the history is not the acknowledged writes"
    assert shown["version"] == rated[-1].originator_version
    for dimension in ("results", "behaviour"):
        mine = [w for w in acknowledged if w.dimension == dimension]
        last, current = mine[-1], shown["ratings"][dimension]
        assert (current["rating"], current["details"], current["version"]) == (
            last.body["rating"], last.body["details"], last.version), dimension
        assert current["revisions"] == sum(w.topic == "RatingRevised" for w in mine), dimension
