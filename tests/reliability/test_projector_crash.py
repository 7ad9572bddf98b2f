"""The projection process killed with SIGKILL while it catches up under write load (issue 7).

The service runs with ``KINERJA_PROJECTIONS=external`` and ``kinerja project run`` beside it,
started with a backlog (the arranged organisation, and the first writes) and killed each time
soon after it has committed a batch, while clients keep writing; then it runs to the log's head.
The views must equal a rebuild from the whole log, and the evaluations view must count each
rating revision once: the rows and each view's position are committed together (tracking), so a
restart resumes where the last commit left off and applies no event twice.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from contextlib import ExitStack

import pytest

from projections.runner import Projector
from tests.reliability.checks import check_views_equal_a_rebuild, check_writes, lag
from tests.reliability.load import office_load
from tests.reliability.support import (
    LONG,
    Server,
    arrange,
    eventually,
    observing,
    projector,
    report,
    scratch_store,
    verify,
)

pytestmark = pytest.mark.postgres
KILLS = 10 if LONG else 2


def test_a_killed_projector_resumes_from_its_commit_and_applies_no_event_twice(tmp_path, capsys):
    started, counts = time.monotonic(), Counter(kills=KILLS)
    with scratch_store(tmp_path) as store, ExitStack() as running:
        office = arrange(store, lines=3)
        app = running.enter_context(observing(store))
        server = running.enter_context(Server(store.env(KINERJA_PROJECTIONS="external"),
                                              tmp_path / "serve.log"))
        load = office_load(server.url, office)
        load.wait_for(30)
        counts["backlog_at_first_start"] = lag(app)
        for _ in range(KILLS):
            position = min(Projector(app).positions().values())
            process = running.enter_context(projector(store, tmp_path / "project.log"))
            # eventually() calls the lambda within this iteration: B023's late binding cannot bite
            eventually(lambda: min(Projector(app).positions().values()) > position,  # noqa: B023
                       what="the projector commits a batch")
            time.sleep(random.uniform(0, 0.3))
            process.kill()
            behind = lag(app)
            counts["killed_while_behind"] += behind > 0
            counts["lag_at_kills"] += behind
        writes = load.stop()
        with projector(store, tmp_path / "project.log"):
            eventually(lambda: lag(app) == 0, what="the restarted projector catches up")
        server.stop()
        counts.update(check_writes(app, writes))
        counts.update(check_views_equal_a_rebuild(app))
        counts["verify"] = verify(store)
    report(capsys, "projector SIGKILL", counts | {"seconds": round(time.monotonic() - started)})
