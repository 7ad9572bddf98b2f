"""Issue 15's concrete faults, each shut: waiting reads cannot starve the service, huge query
values are 4xx, the role is authorised before the body is read, 405 says what is allowed."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from api.policy import POLICY, Role
from api.waits import MAX_WAITS_PER_CALLER
from tests.api.routes import operations, routes
from tests.api.support import ADMIN, Caller, problem

WAITERS = 80  # as many waiting reads as the issue's flood, each on a token of its own
HEALTHY_SECONDS = 0.5  # before: ~2 s and more (every worker thread asleep in a wait)


def written_position(api) -> int:
    """A write's Kinerja-Position: the views (not followed in these tests) never reach it."""
    created = api.admin.post("/units", {"code": "FLOOD", "name": "Unit banjir"})
    assert created.status_code == 201, created.text
    return int(created.headers["kinerja-position"])


def test_waiting_reads_leave_health_fast(served):
    position = written_position(served)
    tokens = [served.services.auth.tokens.issue(ADMIN, "admin") for _ in range(WAITERS)]
    with ThreadPoolExecutor(WAITERS) as pool:
        waiting = [pool.submit(Caller(served.http, token).get, "/views/evaluations",
                               after=position) for token in tokens]
        time.sleep(0.3)  # all of them waiting now (each waits 2 s)
        slowest = 0.0
        for _ in range(5):
            started = time.perf_counter()
            assert served.http.get("/health").status_code == 200
            slowest = max(slowest, time.perf_counter() - started)
            time.sleep(0.1)
        answers = [future.result() for future in waiting]
    assert slowest < HEALTHY_SECONDS
    assert {(a.status_code, a.json()["code"]) for a in answers} == {(503, "view_behind")}


def test_a_caller_waits_a_bounded_number_of_times_at_once(served):
    position = written_position(served)
    caller = served.admin
    with ThreadPoolExecutor(MAX_WAITS_PER_CALLER) as pool:
        waiting = [pool.submit(caller.get, "/views/evaluations", after=position)
                   for _ in range(MAX_WAITS_PER_CALLER)]
        time.sleep(0.3)
        refused = caller.get("/views/evaluations", after=position)
        assert all(w.result().status_code == 503 for w in waiting)
    problem(refused, 429, "too_many_waits")
    assert refused.headers["retry-after"] == "1"


def test_a_position_beyond_the_log_is_refused_at_once(api):
    position = written_position(api)
    started = time.perf_counter()
    problem(api.admin.get("/views/evaluations", after=position + 1), 400, "position_beyond_log")
    problem(api.admin.get("/views/evaluations", after=2**62), 400, "position_beyond_log")
    assert time.perf_counter() - started < 1.0  # no wait


def test_a_position_the_views_have_read_answers_at_once(api):
    assert api.admin.get("/views/evaluations", after=0).status_code == 200


# ---- huge and impossible query values ------------------------------------------------------

@pytest.mark.parametrize("point", [
    "99999999999999999999", "v99999999999999999999", "leaf:99999999999999999999",
    "+7", "leaf:-1", "0001-01-01", "9999-12-31T23:59:59+14:00", "1999-12-31",
])
def test_a_replay_point_out_of_range_is_a_400(world, point):
    admin = world.api.admin
    problem(admin.get(f"/replay/{world.evaluation}", at=point), 400, "bad_point")
    problem(admin.get(f"/replay/{world.evaluation}/diff", a="1", b=point), 400, "bad_point")


# ---- authorise first, then validate ----------------------------------------------------------

NOT_A_BODY = ["not", "an", "object"]  # no route's body: FastAPI's 422 if it got that far


def writes_denied() -> list[tuple]:
    return [(r, role) for r in routes() if r.method == "POST" and r.permission in POLICY
            for role in Role if role not in POLICY[r.permission]]


def reads_denied() -> list[tuple]:
    return [(r, role) for r in routes() if r.method == "GET" and r.permission in POLICY
            for role in Role if role not in POLICY[r.permission]]


@pytest.mark.parametrize("case", writes_denied(), ids=lambda c: f"{c[0]} as {c[1]}")
def test_a_caller_without_the_role_is_refused_before_the_body_is_read(world, case):
    route, role = case
    caller = world.api.as_(world.stranger, role)
    with world.api.nothing_written():
        problem(caller.post(route.url(world.path_values()), NOT_A_BODY,
                            headers={"If-Match": "not an etag"}), 403, "forbidden_role")


@pytest.mark.parametrize("case", reads_denied(), ids=lambda c: f"{c[0]} as {c[1]}")
def test_a_caller_without_the_role_is_refused_before_the_query_is_read(world, case):
    route, role = case
    caller = world.api.as_(world.stranger, role)
    path = route.url(world.path_values())
    problem(caller.get(path, year="kemarin", after=-1, at="x" * 100), 403, "forbidden_role")


@pytest.mark.parametrize("route", [r for r in routes() if r.method == "POST"], ids=str)
def test_no_token_is_refused_before_the_body_is_read(world, route):
    problem(world.api.anonymous.post(route.url(world.path_values()), NOT_A_BODY), 401)


# ---- 405 ---------------------------------------------------------------------------------------

def test_a_method_the_path_does_not_allow_is_a_405_naming_those_it_does(world, document):
    for path, methods in document["paths"].items():
        values = world.path_values()
        url = path.format(**{name: values[name] for name in values if f"{{{name}}}" in path})
        answer = world.api.http.request("DELETE", url)
        problem(answer, 405, "method_not_allowed")
        assert answer.headers["allow"] == ", ".join(sorted(m.upper() for m in methods)), path


def test_no_operation_takes_delete_so_the_405_walk_covers_every_path(document):
    assert {name.split()[0] for name, _, _ in operations(document)} <= {"GET", "POST"}
