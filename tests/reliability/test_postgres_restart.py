"""PostgreSQL stopped and started again under write load, the service left running (issue 7).

The shared server is never touched: the test makes a cluster of its own (initdb, pg_ctl on a
free port). Clients keep writing and retry, with the same Idempotency-Key, a write that gets no
answer or a 5xx. While the database is away the service answers 503 problem+json (code
``unavailable``) promptly, and /ready says 503; once it is back, writes succeed again without
restarting the service, every acknowledged write is stored once, and ``kinerja verify`` passes.
"""

from __future__ import annotations

import time
from collections import Counter
from contextlib import ExitStack

import httpx
import pytest

from tests.api.support import problem
from tests.reliability.checks import check_writes, retry_unanswered
from tests.reliability.load import Write, office_load
from tests.reliability.support import (
    LONG,
    Server,
    arrange,
    eventually,
    observing,
    private_cluster,
    report,
    verify,
)

pytestmark = pytest.mark.postgres
MODES = ("immediate", "fast", "immediate") if LONG else ("immediate",)
BETWEEN = 200 if LONG else 40  # writes acknowledged before each stop, and after each start
PROMPT = 20.0  # seconds: a 503 must come well before a client gives up (it took ~100 s)


def test_the_service_answers_503_while_postgres_is_away_and_recovers_by_itself(tmp_path, capsys):
    started, counts, probes = time.monotonic(), Counter(), []
    with private_cluster() as cluster, ExitStack() as running:
        store = cluster.database(tmp_path)
        office = arrange(store, lines=3)
        server = running.enter_context(Server(store.env(), tmp_path / "serve.log"))
        load = office_load(server.url, office, persist=True)
        for n, mode in enumerate(MODES):
            load.wait_for(load.acknowledged() + BETWEEN)
            cluster.stop(mode)
            probes.append(Write(office.raters[1], f"/evaluations/{office.evaluations[1]}/comments",
                                {"text": "selagi basis data mati"}, key=f"rel-probe-{n}"))
            counts["seconds_to_503"] = max(counts["seconds_to_503"], _away(server.url, probes[-1]))
            cluster.start()
            back, acknowledged = time.monotonic(), load.acknowledged()
            # eventually() calls the lambda within this iteration: B023's late binding cannot bite
            eventually(lambda: load.acknowledged() >= acknowledged + BETWEEN,  # noqa: B023
                       what="writes succeed again after PostgreSQL is back")
            counts["seconds_to_recover"] = max(counts["seconds_to_recover"],
                                               round(time.monotonic() - back, 1))
        writes = load.stop() + probes
        app = running.enter_context(observing(store))
        counts.update(check_writes(app, writes))
        counts["retried"] += retry_unanswered(app, server.url, writes)
        check_writes(app, writes)
        counts["answered_503"] = sum(a == 503 for w in writes for a in w.answers)
        counts["verify"] = verify(store)
    report(capsys, "PostgreSQL restart", counts | {"outages": len(MODES),
                                                   "seconds": round(time.monotonic() - started)})


def _away(url: str, probe: Write) -> float:
    """While the database is away: a write and /ready answer 503 ``unavailable``, promptly."""
    with httpx.Client(base_url=url, timeout=120) as http:
        began = time.monotonic()
        response = probe.send(http)
        took = time.monotonic() - began
        assert response is not None
        problem(response, 503, "unavailable")
        assert took < PROMPT, f"the 503 took {took:.1f} s"
        problem(http.get("/ready"), 503, "unavailable")
    return round(took, 1)
