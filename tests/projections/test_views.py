"""Every view equals the plain fold of its events: after incremental processing, after a
rebuild, and after a crash between or inside batches. On SQLite and PostgreSQL."""

from __future__ import annotations

import threading

import orjson
import pytest
from eventsourcing.persistence import IntegrityError
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from projections.runner import LINGER, Projector, _lingering
from projections.view import fold
from projections.views import ALL
from tests.projections.conftest import random_history


def stored(projector: Projector, view) -> dict:
    return {row["key"]: orjson.loads(row["doc"])
            for row in projector.store.rows(f"SELECT key, doc FROM view_{view.name}")}


def all_events(app) -> list:
    return [app.mapper.to_domain_event(n)
            for n in app.recorder.select_notifications(start=None, limit=10**9)]


def assert_views_equal_the_fold(app, projector: Projector) -> None:
    events = all_events(app)
    for view in ALL:
        assert stored(projector, view) == fold(view, events), view.name


@hsettings(max_examples=5, deadline=None,
           suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000), batch=st.integers(1, 60))
def test_incremental_processing_equals_the_plain_fold(app, clock, seed, batch):
    projector = Projector(app, batch=batch)
    random_history(app, clock, seed, lines=1)
    projector.catch_up()
    random_history(app, clock, seed + 1, lines=1)  # more events after a first catch-up
    projector.catch_up()
    assert_views_equal_the_fold(app, projector)


def test_a_rebuild_equals_incremental_processing(app, clock):
    random_history(app, clock, seed=7)
    incremental = Projector(app, batch=13)
    incremental.catch_up()
    before = {view.name: stored(incremental, view) for view in ALL}
    Projector(app, batch=500).rebuild()
    assert {view.name: stored(incremental, view) for view in ALL} == before


def test_a_crash_between_batches_and_a_restart_lose_and_double_count_nothing(app, clock):
    random_history(app, clock, seed=11)
    first = Projector(app, batch=17)
    first.catch_up(max_batches=2)  # then the process dies
    assert 0 < min(first.positions().values()) < app.recorder.max_notification_id()
    Projector(app, batch=17).catch_up()  # a new process resumes from the stored positions
    assert_views_equal_the_fold(app, first)


class Boom(Exception):
    pass


def test_a_crash_inside_a_batch_writes_none_of_it(app, clock):
    random_history(app, clock, seed=5)
    projector = Projector(app, batch=25)
    projector.catch_up(max_batches=1)
    positions = projector.positions()
    rows = {view.name: stored(projector, view) for view in ALL}
    failing = Projector(app, batch=25)
    evaluations = next(v for v in failing.views if v.name == "evaluations")
    original = type(evaluations).apply

    def apply_then_fail(view, key, doc, event):
        raise Boom("the process dies halfway through a batch")

    type(evaluations).apply = apply_then_fail
    try:
        with pytest.raises(Boom):
            failing.catch_up()
    finally:
        type(evaluations).apply = original
    assert projector.positions() == positions
    assert {view.name: stored(projector, view) for view in ALL} == rows
    projector.catch_up()
    assert_views_equal_the_fold(app, projector)


def test_a_follower_with_stale_positions_applies_nothing_twice(app, clock):
    random_history(app, clock, seed=3)
    stale = Projector(app, batch=40)
    positions = stale.positions()  # read, then another process gets there first
    Projector(app).catch_up()
    with pytest.raises(IntegrityError):
        stale.catch_up(positions=positions)
    assert_views_equal_the_fold(app, stale)


def test_a_follower_does_not_write_over_a_view_being_rebuilt(app, clock):
    random_history(app, clock, seed=8)
    follower = Projector(app, batch=40)
    positions = follower.positions()
    follower.catch_up(positions=positions)
    evaluations = next(v for v in ALL if v.name == "evaluations")
    follower.store.reset(evaluations)  # a rebuild starts: the view is empty, at position 0
    random_history(app, clock, seed=9, lines=1)  # and writes go on
    with pytest.raises(IntegrityError):
        follower.catch_up(max_batches=1, positions=positions)  # still believes the old one
    Projector(app).catch_up()  # the rebuild goes on from 0
    assert_views_equal_the_fold(app, follower)


def test_catch_up_keeps_the_positions_it_is_given(app, clock):
    random_history(app, clock, seed=4)
    projector = Projector(app, batch=9)
    positions = {view.name: 0 for view in ALL}
    projector.catch_up(positions=positions)
    assert positions == projector.positions() == {
        view.name: app.recorder.max_notification_id() for view in ALL}


def test_a_follower_lingers_only_after_a_batch_of_several_events():
    assert _lingering(1, LINGER) == 0  # a lone write is applied at once
    assert 0 < _lingering(3, LINGER) < _lingering(6, LINGER) < LINGER
    assert _lingering(500, LINGER) == LINGER
    assert _lingering(1000, LINGER, full=1000) == 0  # a backlog: no pause between batches


def test_a_follower_keeps_the_views_up_with_writes_as_they_come(app, clock):
    projector = Projector(app, batch=25)
    stop = threading.Event()
    follower = threading.Thread(target=projector.follow, args=(stop,), kwargs={"idle": 0.05})
    follower.start()
    try:
        for seed in range(3):  # writes while it follows, a history at a time
            random_history(app, clock, seed=20 + seed, lines=1)
        assert projector.wait_for(app.recorder.max_notification_id(), timeout=20)
    finally:
        stop.set()
        follower.join(timeout=20)
    assert not follower.is_alive()
    assert_views_equal_the_fold(app, projector)
