"""The service killed with SIGKILL under write load, then restarted (issue 7).

A real ``kinerja serve`` on PostgreSQL takes ratings and comments from several clients at once,
each on an evaluation of its own and three on a shared one; it is killed while they write and
started again. Then every acknowledged write is stored once with its leaf, a write left without
an answer is stored whole or not at all and its retry with the same Idempotency-Key agrees,
``kinerja verify`` passes, and the views, caught up, equal a rebuild from the log.
"""

from __future__ import annotations

import time
from collections import Counter
from contextlib import ExitStack

import pytest

from tests.reliability.checks import (
    check_views_equal_a_rebuild,
    check_writes,
    lag,
    retry_unanswered,
)
from tests.reliability.load import office_load
from tests.reliability.support import (
    LONG,
    Server,
    arrange,
    eventually,
    observing,
    report,
    scratch_store,
    verify,
)

pytestmark = pytest.mark.postgres
ROUNDS = 4 if LONG else 1  # kills
BEFORE_KILL = 600 if LONG else 100  # writes acknowledged in a round before its kill


def test_a_killed_service_keeps_every_acknowledged_write_and_half_writes_nothing(tmp_path,
                                                                                 capsys):
    started, counts, earlier = time.monotonic(), Counter(), []
    with scratch_store(tmp_path) as store, ExitStack() as running:
        office = arrange(store, lines=3)
        app = running.enter_context(observing(store))
        server = running.enter_context(Server(store.env(), tmp_path / "serve.log"))
        for _ in range(ROUNDS):
            load = office_load(server.url, office)
            load.wait_for(BEFORE_KILL)
            server.kill()
            writes = load.stop()
            server = running.enter_context(Server(store.env(), tmp_path / "serve.log"))
            counts.update(check_writes(app, writes, earlier))
            counts["retried"] += retry_unanswered(app, server.url, writes)
            earlier += writes
        check_writes(app, earlier)  # again, every write with its final answer
        eventually(lambda: lag(app) == 0, what="the views catch up after the restart")
        server.stop()
        counts.update(check_views_equal_a_rebuild(app))
        counts["verify"] = verify(store)
    report(capsys, "service SIGKILL", counts | {"kills": ROUNDS,
                                                "seconds": round(time.monotonic() - started)})

