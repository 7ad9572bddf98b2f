"""Issue 15's concrete faults, each shut: waiting reads cannot starve the service, huge query
values are 4xx, the role is authorised before the body is read, 405 says what is allowed."""

from __future__ import annotations

import re
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from api.policy import POLICY, Role
from api.schemas_in import DAY_PATTERN, MOMENT_PATTERN, PERIOD_PATTERN, YEARS
from api.waits import MAX_WAITS_PER_CALLER
from domain import nip
from domain.periods import FIRST_YEAR, LAST_YEAR
from tests.api.routes import operations, resolve, routes
from tests.api.support import ADMIN, Caller, problem

WAITERS = 80  # as many waiting reads as the issue's flood, each on a token of its own
# Before: ~2 s and more (every worker thread asleep in a wait). The issue asks 100 ms; this
# bound leaves room for a loaded test machine and still fails the old code.
HEALTHY_SECONDS = 1.0


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
    with ThreadPoolExecutor(MAX_WAITS_PER_CALLER + 1) as pool:
        answers = list(pool.map(lambda _: caller.get("/views/evaluations", after=position),
                                range(MAX_WAITS_PER_CALLER + 1)))
    [refused] = [a for a in answers if a.status_code != 503]  # the others waited, in vain
    problem(refused, 429, "too_many_waits")
    assert refused.headers["retry-after"] == "1"


def test_a_position_beyond_the_log_is_refused_at_once(api):
    """At once: a wait would end in 503 view_behind (the views are not followed here)."""
    position = written_position(api)
    problem(api.admin.get("/views/evaluations", after=position + 1), 400, "position_beyond_log")
    problem(api.admin.get("/views/evaluations", after=2**62), 400, "position_beyond_log")


def test_a_position_the_views_have_read_answers_at_once(api):
    assert api.admin.get("/views/evaluations", after=0).status_code == 200


# ---- huge and impossible query values ------------------------------------------------------

@pytest.mark.parametrize("point, status, code", [
    ("9999999999999999999", 400, "bad_point"),  # 19 digits: the pattern's, beyond 2^62
    ("v9999999999999999999", 400, "bad_point"),
    ("leaf:9999999999999999999", 400, "bad_point"),
    ("99999999999999999999", 400, "bad_parameter"),  # the issue's: a 500 on SQLite
    ("+7", 400, "bad_parameter"), ("leaf:-1", 400, "bad_parameter"),
    ("0001-01-01", 400, "bad_parameter"), ("1999-12-31", 400, "bad_parameter"),
    ("2025-01-20T03:00:00", 400, "bad_parameter"),  # a moment without its zone
])
def test_a_replay_point_out_of_range_is_refused(world, point, status, code):
    admin = world.api.admin
    problem(admin.get(f"/replay/{world.evaluation}", at=point), status, code)
    problem(admin.get(f"/replay/{world.evaluation}/diff", a="1", b=point), status, code)


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


# ---- the document declares what the server enforces ---------------------------------------

def request_schemas(document: dict) -> list[tuple[str, dict]]:
    """(where, schema) for every property and parameter a request can carry."""
    found: list[tuple[str, dict]] = []

    def walk(where: str, schema: dict, seen: frozenset[str]) -> None:
        if (ref := schema.get("$ref")) in seen:
            return
        schema, seen = resolve(document, schema), seen | {ref} if ref else seen
        for part in schema.get("anyOf", []) + ([schema["items"]] if "items" in schema else []):
            walk(where, part, seen)
        for name, prop in schema.get("properties", {}).items():
            found.append((f"{where}.{name}", prop))
            walk(f"{where}.{name}", prop, seen)

    for name, _, operation in operations(document):
        for p in operation.get("parameters", []):
            found.append((f"{name} {p['name']}", p["schema"]))
        content = operation.get("requestBody", {}).get("content", {}).get("application/json")
        if content:
            walk(name, content["schema"], frozenset())
    return found


def declared(schema: dict, key: str) -> set:
    """The ``key`` of a schema, or of each alternative of an optional one."""
    return {s[key] for s in [schema, *schema.get("anyOf", []), schema.get("items", {})]
            if key in s}


def test_every_nip_a_request_carries_declares_the_nip_layout(document):
    nips = [(where, s) for where, s in request_schemas(document)
            if re.search(r"(^|[ ._])(nips?|\w+_nips?)$", where)]
    assert len(nips) > 10
    assert [where for where, s in nips if declared(s, "pattern") != {nip.PATTERN}] == []


def test_every_date_and_moment_declares_the_years_records_fall_in(document):
    dated = [(where, s, fmt) for where, s in request_schemas(document)
             for fmt in declared(s, "format") & {"date", "date-time"}]
    assert len(dated) > 10
    wanted = {"date": DAY_PATTERN, "date-time": MOMENT_PATTERN}
    assert [where for where, s, fmt in dated if wanted[fmt] not in declared(s, "pattern")] == []


def test_every_period_declares_the_years_and_kinds_the_domain_reads(document):
    periods = [(where, s) for where, s in request_schemas(document)
               if where.endswith(("period", ".period"))]
    assert periods
    assert [where for where, s in periods if PERIOD_PATTERN not in declared(s, "pattern")
            and "views" not in where] == []


def test_the_declared_years_are_the_domains():
    assert [y for y in range(1000, 10_000) if re.fullmatch(YEARS, str(y))] == list(
        range(FIRST_YEAR, LAST_YEAR + 1))


def test_every_integer_parameter_is_bounded(document):
    integers = [(where, s) for where, s in request_schemas(document) if " " in where
                and "integer" in declared(s, "type")]
    assert integers
    assert [where for where, s in integers
            if not (declared(s, "minimum") and declared(s, "maximum"))] == []


@given(st.dates(date(1900, 1, 1), date(2084, 12, 31)), st.integers(15, 60),
       st.sampled_from([f"{m:02}" for m in range(1, 13)] + ["21", "24"]),
       st.sampled_from("12"), st.integers(1, 999))
def test_every_number_parse_nip_accepts_matches_the_declared_layout(born, age, month, sex,
                                                                    sequence):
    appointed = min(born.year + age, 2099)  # at least 15 years after the birth
    text = f"{born:%Y%m%d}{appointed}{month}{sex}{sequence:03}"
    assert nip.parse_nip(text).value == text
    assert re.fullmatch(nip.PATTERN, text)


@pytest.mark.parametrize("text", ["198013012005011001", "198001322005011001",
                                  "198001012005131001", "198001012005013001",
                                  "198001012005011000", "1980010120050110011"])
def test_the_declared_layout_refuses_what_parse_nip_refuses_by_its_digits(text):
    assert not nip.is_valid_nip(text) and not re.fullmatch(nip.PATTERN, text)
