"""The authorisation matrix, generated from the declared table (api/policy.py) and the routes.

Every route x every role: a role the table does not list is refused (403 forbidden_role); a
listed role, acting as someone who holds the relationship, gets past authorisation (its write
then stops at a stale If-Match, so the shared store keeps its relationships); someone without
the relationship is refused (403 forbidden_relationship); no token, no entry (401).
"""

from __future__ import annotations

import pytest

from api.policy import POLICY, Role, Scope
from tests.api.routes import OPEN, Route, routes
from tests.api.support import STALE, problem

RECORDS = {"evaluation_id", "keberatan_id", "nip", "follow_up_id", "record_id"}  # path subjects


def denied() -> list[tuple[Route, Role]]:
    return [(r, role) for r in routes() if r.permission in POLICY
            for role in Role if role not in POLICY[r.permission]]


def allowed() -> list[tuple[Route, Role]]:
    return [(r, role) for r in routes() for role in Role
            if r.permission in OPEN or role in POLICY.get(r.permission, {})]


def unrelated() -> list[tuple[Route, Role]]:
    return [(r, role) for r in routes() if r.permission in POLICY and RECORDS & set(r.path_params)
            for role, scopes in POLICY[r.permission].items() if Scope.ANY not in scopes]


def guarded() -> list[Route]:
    return [r for r in routes() if r.permission != "public"]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    for name, cases in (("denied", denied), ("allowed", allowed), ("unrelated", unrelated),
                        ("guarded", guarded)):
        if name in metafunc.fixturenames:
            found = cases()
            metafunc.parametrize(name, found, ids=[_id(case) for case in found])


def _id(case) -> str:
    return " as ".join(str(part) for part in case) if isinstance(case, tuple) else str(case)


def _first_holder(world, permission: str) -> str:
    """Who holds the first relationship the table names for this permission."""
    return world.holder(next(iter(POLICY[permission].values()))[0])


def test_every_route_names_a_permission_the_table_declares():
    unknown = [str(r) for r in routes() if r.permission not in POLICY and r.permission not in OPEN]
    assert unknown == []


def test_every_permission_the_table_declares_guards_some_route():
    assert set(POLICY) - {r.permission for r in routes()} == set()


def test_a_role_the_table_does_not_list_is_refused(world, denied):
    route, role = denied
    caller = world.api.as_(_first_holder(world, route.permission), role)
    with world.api.nothing_written():
        problem(route.send(caller, world.path_values()), 403, "forbidden_role")


def test_a_listed_role_holding_the_relationship_gets_past_authorisation(world, allowed):
    route, role = allowed
    scopes = POLICY.get(route.permission, {}).get(role, (Scope.ANY,))
    caller = world.api.as_(world.holder(scopes[0]), role)
    response = route.send(caller, world.path_values(), if_match=STALE)
    assert response.status_code not in (401, 403), response.text
    assert response.status_code < 500, response.text


def test_a_listed_role_without_the_relationship_is_refused(world, unrelated):
    route, role = unrelated
    with world.api.nothing_written():
        response = route.send(world.api.as_(world.stranger, role), world.path_values())
        problem(response, 403, "forbidden_relationship")


def test_a_request_without_a_token_is_refused(world, guarded):
    with world.api.nothing_written():
        response = guarded.send(world.api.anonymous, world.path_values())
        problem(response, 401, "not_authenticated")
    assert response.headers["www-authenticate"] == "Bearer"


# ---- the relationship denials the issue names, one by one ----------------------------------

def test_an_asn_cannot_read_someone_elses_evaluation(world):
    response = world.api.as_(world.other.asn, "asn").get(f"/evaluations/{world.evaluation}")
    problem(response, 403, "forbidden_relationship")


def test_a_reviewer_cannot_rate_someone_who_does_not_report_to_them(world):
    response = world.api.as_(world.other.rater, "reviewer").post(
        f"/evaluations/{world.evaluation}/ratings",
        {"dimension": "results", "rating": "above", "reason": "bukan bawahan saya"})
    problem(response, 403, "forbidden_relationship")


def test_an_asn_holding_a_reviewer_token_cannot_rate_their_own_evaluation(world):
    response = world.api.as_(world.line.asn, "reviewer").post(
        f"/evaluations/{world.evaluation}/ratings/results/revisions",
        {"rating": "above", "reason": "menilai diri sendiri"})
    problem(response, 403, "forbidden_relationship")


def test_the_appeal_board_cannot_rate(world):
    response = world.api.as_(world.line.head, "appeal_board").post(
        f"/evaluations/{world.evaluation}/ratings/results/revisions",
        {"rating": "above", "reason": "dewan banding"})
    problem(response, 403, "forbidden_role")


def test_an_appeal_board_member_decides_only_the_keberatan_they_are_the_authority_for(world):
    response = world.api.as_(world.other.head, "appeal_board").post(
        f"/keberatan/{world.keberatan}/decision", {"outcome": "rejected", "reason": "bukan saya"})
    problem(response, 403, "forbidden_relationship")


@pytest.mark.parametrize("path, body", [
    ("/evaluations/{evaluation}/comments", {"text": "auditor menulis"}),
    ("/units", {"code": "AUDIT", "name": "Unit auditor"}),
    ("/keberatan/{keberatan}/explanations", {"party": "rater", "text": "auditor menjelaskan"}),
])
def test_an_auditor_cannot_write(world, path, body):
    path = path.format(evaluation=world.evaluation, keberatan=world.keberatan)
    with world.api.nothing_written():
        problem(world.api.as_(world.line.head, "auditor").post(path, body), 403, "forbidden_role")


def test_an_inspector_cannot_read_an_evaluation(world):
    response = world.api.as_(world.inspector, "inspector").get(f"/evaluations/{world.evaluation}")
    problem(response, 403, "forbidden_role")


def test_an_auditor_reads_what_it_cannot_write(world):
    auditor = world.api.as_(world.other.head, "auditor")
    assert auditor.get(f"/evaluations/{world.evaluation}/history").status_code == 200
    assert auditor.get(f"/keberatan/{world.keberatan}").status_code == 200
    assert auditor.get(f"/inspections/{world.inspection}").status_code == 200


# ---- need to know (issue 15) -------------------------------------------------------------

@pytest.mark.parametrize("path", ["/evaluations/{evaluation}", "/keberatan/{keberatan}",
                                  "/replay/evaluations/{evaluation}/timeline",
                                  "/replay/{evaluation}"])
def test_an_appeal_board_member_reads_only_the_files_of_their_own_cases(world, path):
    path = path.format(evaluation=world.evaluation, keberatan=world.keberatan)
    assert world.api.as_(world.line.head, "appeal_board").get(path).status_code == 200
    problem(world.api.as_(world.other.rater, "appeal_board").get(path), 403,
            "forbidden_relationship")


def test_an_appeal_board_members_list_holds_only_their_cases(world):
    world.api.services.projector.catch_up()
    mine = world.api.as_(world.line.head, "appeal_board").get("/views/appeals").json()
    theirs = world.api.as_(world.other.rater, "appeal_board").get("/views/appeals").json()
    assert [a["keberatan_id"] for a in mine["appeals"]] == [str(world.keberatan)]
    assert theirs["appeals"] == []


def test_the_asn_replays_their_own_evaluation_and_no_one_elses(world):
    path = f"/replay/evaluations/{world.evaluation}/timeline"
    assert world.api.as_(world.line.asn, "asn").get(path).status_code == 200
    problem(world.api.as_(world.other.asn, "asn").get(path), 403, "forbidden_relationship")


def test_a_unit_is_nobodys_file_so_only_the_roles_reading_anything_replay_it(world):
    unit = world.api.kinerja.unit(world.line.unit).id
    assert world.api.as_(world.line.head, "auditor").get(f"/replay/{unit}").status_code == 200
    problem(world.api.as_(world.line.head, "appeal_board").get(f"/replay/{unit}"), 403,
            "forbidden_relationship")
