"""What a write costs, kept from creeping back: each record is loaded once per request, and
authorisation and the command see the very same copy; a key is looked up only when its write
fails (the receipt in the write's own transaction keeps repeats from committing)."""

from __future__ import annotations

import inspect
from collections import Counter
from uuid import UUID

from api import deps, subjects
from domain.calendar import calendar_id
from service.application import Actor
from tests.api.support import ok, problem
from tests.service.scenario import reported, reporting_line

RATING = {"dimension": "results", "rating": "above", "reason": "melampaui target"}


def rating(api, clock):
    """The path to rate a reported evaluation, its rater, and the evaluation."""
    line = reporting_line(api.kinerja)
    evaluation = reported(api.kinerja, clock, line)
    return f"/evaluations/{evaluation.id}/ratings", api.as_(line.rater, "reviewer"), evaluation


def loads(api, monkeypatch) -> Counter:
    """Every aggregate loaded from now on, by id: by the repository, or brought up to date
    with another in one query (``Core.load_with``). A count, not a stand-in: each call goes on
    to the real repository and recorder, on the real store."""
    seen: Counter = Counter()
    get, together = api.kinerja.repository.get, api.kinerja.recorder.select_events_after

    def counted(aggregate_id, *args, **kwargs):
        seen[aggregate_id] += 1
        return get(aggregate_id, *args, **kwargs)

    def counted_together(versions):
        seen.update(aggregate_id for aggregate_id, _ in versions)
        return together(versions)

    monkeypatch.setattr(api.kinerja.repository, "get", counted)
    monkeypatch.setattr(api.kinerja.recorder, "select_events_after", counted_together)  # spy
    return seen


def test_a_rating_loads_the_evaluation_its_employee_and_the_calendar_once(api, clock, monkeypatch):
    path, rater, evaluation = rating(api, clock)
    seen = loads(api, monkeypatch)
    ok(rater.post(path, RATING, key="nilai-1"))
    # and the period's calendar (none set here), for the rating deadline in force
    assert seen == Counter({evaluation.id: 1, UUID(evaluation.employee_id): 1,
                            calendar_id(evaluation.period): 1})


def test_the_command_changes_the_very_record_that_was_authorised(api, clock, monkeypatch):
    """A write landing between authorisation and commit is not overwritten or ignored: the
    command works on the authorised copy, so its commit conflicts (409) and writes nothing."""
    path, rater, evaluation = rating(api, clock)
    authorise = subjects.of_evaluation

    def and_meanwhile(app, record, *args):
        subject = authorise(app, record, *args)
        app.comment(Actor(record.rater_nip, "reviewer"), record.id, "ditulis di sela-sela")
        return subject

    monkeypatch.setattr(subjects, "of_evaluation", and_meanwhile)
    written = api.position()
    problem(rater.post(path, RATING), 409, "conflict")
    assert api.position() == written + 1  # the comment only
    assert api.kinerja.evaluation(evaluation.id).ratings == {}


def test_a_write_that_succeeds_does_not_look_up_its_key(api, clock, monkeypatch):
    path, rater, _ = rating(api, clock)
    lookups = []
    find = api.kinerja.find_receipt
    monkeypatch.setattr(api.kinerja, "find_receipt",
                        lambda actor_id, key: lookups.append(key) or find(actor_id, key))
    first = ok(rater.post(path, RATING, key="nilai-2"))
    assert lookups == []
    with api.nothing_written():
        again = rater.post(path, RATING, key="nilai-2")
    assert again.json() == first and again.headers["idempotent-replay"] == "true"
    assert lookups == ["nilai-2"]


def test_only_an_unknown_token_is_looked_up_off_the_event_loop(api, clock, monkeypatch):
    """The dependencies are async: a request's one trip to the thread pool is its route, plus
    one more only when its token is not remembered."""
    path, rater, _ = rating(api, clock)
    trips = []
    hop = deps.run_in_threadpool

    async def counted(function, *args):
        trips.append(function.__name__)
        return await hop(function, *args)

    monkeypatch.setattr(deps, "run_in_threadpool", counted)
    ok(rater.post(path, RATING))
    ok(rater.get(path.removesuffix("/ratings")))
    assert trips == ["user"]
    assert inspect.iscoroutinefunction(deps.write_access)
    assert inspect.iscoroutinefunction(deps.read_access)
