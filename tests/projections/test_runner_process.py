"""`kinerja project run` as a real second process following PostgreSQL (LISTEN/NOTIFY)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from projections.runner import Projector
from service.config import Settings
from service.store import open_app
from tests.conftest import empty_postgres
from tests.projections.conftest import random_history
from tests.projections.test_views import assert_views_equal_the_fold


def test_a_separate_runner_keeps_up_with_writes_in_near_real_time(postgres_database, clock):
    empty_postgres(postgres_database)
    app = open_app(Settings(postgres_database), clock=clock)
    env = {**os.environ, "KINERJA_DATABASE_URL": postgres_database}
    runner = subprocess.Popen([sys.executable, "-m", "api", "project", "run"], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        random_history(app, clock, seed=3, lines=2)
        head = app.recorder.max_notification_id()
        projector = Projector(app)
        assert projector.wait_for(head, timeout=20), runner.stderr
        lag_started = time.monotonic()
        random_history(app, clock, seed=4, lines=1)  # while it follows
        assert projector.wait_for(app.recorder.max_notification_id(), timeout=10)
        assert time.monotonic() - lag_started < 10
        assert_views_equal_the_fold(app, projector)
    finally:
        runner.send_signal(signal.SIGTERM)
        runner.wait(timeout=20)
        app.close()
    assert runner.returncode == 0, runner.stderr


def test_two_followers_share_the_work_without_double_counting(postgres_database, clock):
    empty_postgres(postgres_database)
    app = open_app(Settings(postgres_database), clock=clock)
    env = {**os.environ, "KINERJA_DATABASE_URL": postgres_database}
    runners = [subprocess.Popen([sys.executable, "-m", "api", "project", "run"], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
               for _ in range(2)]
    try:
        random_history(app, clock, seed=9, lines=2)
        projector = Projector(app)
        assert projector.wait_for(app.recorder.max_notification_id(), timeout=20)
        assert_views_equal_the_fold(app, projector)
    finally:
        for runner in runners:
            runner.send_signal(signal.SIGTERM)
            runner.wait(timeout=20)
        app.close()
