"""Real concurrent writers on PostgreSQL: one wins, the others get a clear conflict, no loss."""

from __future__ import annotations

import threading

import pytest

from service.application import ConflictError
from service.config import Settings
from service.store import open_app
from tests.service.scenario import reported, reporting_line

WRITERS = 6


@pytest.fixture
def pg_settings(postgres_database):
    from tests.conftest import empty_postgres
    empty_postgres(postgres_database)
    return Settings(postgres_database)


def test_concurrent_writers_on_one_evaluation(pg_settings, clock):
    setup = open_app(pg_settings, clock=clock)
    line = reporting_line(setup)
    evaluation = reported(setup, clock, line)
    before = setup.evaluation(evaluation.id).version
    apps = [open_app(pg_settings, clock=clock) for _ in range(WRITERS)]
    loaded = [a.evaluation(evaluation.id) for a in apps]
    barrier = threading.Barrier(WRITERS)
    outcomes: list[str] = []

    def write(i: int) -> None:
        loaded[i].comment(apps[i].meta(line.actor("asn")), f"penulis {i}")
        barrier.wait()
        try:
            apps[i].commit(loaded[i])
            outcomes.append(f"won {i}")
        except ConflictError:
            outcomes.append("conflict")

    threads = [threading.Thread(target=write, args=(i,)) for i in range(WRITERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    winners = [o for o in outcomes if o.startswith("won")]
    assert len(winners) == 1 and outcomes.count("conflict") == WRITERS - 1
    stored = setup.evaluation(evaluation.id)
    assert ([c["text"] for c in setup.comments(evaluation.id)]
            == [f"penulis {winners[0].split()[1]}"])
    assert stored.version == before + 1
    for a in apps + [setup]:
        a.close()


def test_writers_on_different_evaluations_all_succeed(pg_settings, clock):
    setup = open_app(pg_settings, clock=clock)
    lines = [reporting_line(setup) for _ in range(WRITERS)]
    evaluations = [reported(setup, clock, line) for line in lines]
    apps = [open_app(pg_settings, clock=clock) for _ in range(WRITERS)]
    errors: list[BaseException] = []

    def write(i: int) -> None:
        try:
            for n in range(10):
                apps[i].comment(lines[i].actor("asn"), evaluations[i].id, f"catatan {n}")
        except BaseException as e:  # collected and asserted below
            errors.append(e)

    threads = [threading.Thread(target=write, args=(i,)) for i in range(WRITERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert all(len(setup.evaluation(e.id).comment_ids) == 10 for e in evaluations)
    for a in apps + [setup]:
        a.close()
