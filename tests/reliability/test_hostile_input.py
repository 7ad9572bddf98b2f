"""Hostile input: whatever is sent, no 5xx, nothing written, and a clear problem+json answer.

Schemathesis, against the app's own OpenAPI document on a real uvicorn (SQLite, an arranged
store whose views are caught up), sends each operation a fixed number of derandomised examples,
valid and invalid, half on records that exist, as someone the policy lets call it (a real
token); then a stateful run follows the document's links from one answer to the next request.
Every response: no 5xx, declared status and media type, body and headers as the document says,
invalid data refused, and every error RFC 9457 problem+json with a stable code.

Hand-written attacks (tests/api/test_bad_input.py, test_authentication.py and
test_authorisation.py hold the rest) run on SQLite and PostgreSQL and check the ledger's size
and the log's head before and after each.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from html import escape
from typing import Any

import orjson
import pytest
import requests
import schemathesis
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode

from service.config import JwtSettings, Settings
from service.store import checkpointer, init_db
from tests.api.conftest import shared_settings  # noqa: F401  (a store per backend, per module)
from tests.api.routes import routes
from tests.api.support import Api, Caller, service, serving
from tests.api.test_authentication import AUDIENCE, ISSUER, issued
from tests.api.world import World
from tests.conftest import Clock
from tests.reliability.hostile_support import (
    Arena,
    FuzzTally,
    answered_as_a_problem,
    caller_for,
    checks,
    without_view_waits,
)
from tests.service.scenario import new_nip, reported, reporting_line

EXAMPLES = 12  # per operation, each valid or invalid: ~650 requests
SCENARIOS, STEPS = 20, 6  # stateful: scenarios of at most this many linked calls
FUZZ = settings(deadline=None, database=None, derandomize=True, phases=[Phase.explicit,
                Phase.generate], suppress_health_check=list(HealthCheck))


@dataclass
class Fuzzed:
    url: str
    session: requests.Session
    schema: object  # schemathesis' view of the app's document
    worlds: list[World]  # records that exist, at several stages, and who is related to them
    tally: FuzzTally

    def headers(self, route: str, world: World) -> dict[str, str]:
        """Authorization for someone the policy lets call ``route`` on ``world``'s records."""
        who = caller_for(route, world)
        return {"Authorization": f"Bearer {world.api.token(*who)}"} if who else {}


@pytest.fixture(scope="module")
def fuzzed(tmp_path_factory):
    """A real uvicorn on SQLite: the arena's records (evaluations waiting for a plan, a report,
    a finalisation, and one finalised under keberatan), the views caught up on them."""
    config = Settings(f"sqlite:///{tmp_path_factory.mktemp('fuzzed') / 'kinerja.db'}")
    init_db(config)
    clock = Clock()
    app = service(config, clock)
    with serving(app) as url, requests.Session() as session:
        arena = Arena.arrange(Api(app, None), clock, idp_key=None)
        arena.api.services.projector.catch_up()  # the views hold ids for links to follow
        document = without_view_waits(session.get(f"{url}/openapi.json").json())
        yield Fuzzed(url, session, schemathesis.openapi.from_dict(document), arena.worlds(),
                     FuzzTally())


@pytest.mark.parametrize("route", routes(), ids=str)
@settings(FUZZ, max_examples=EXAMPLES)
@given(data=st.data())
def test_every_operation_answers_hostile_and_valid_requests_by_its_contract(fuzzed, route, data):
    """Half the examples name records of one of the worlds, as someone related to them."""
    world = data.draw(st.sampled_from(fuzzed.worlds), label="world")
    named = route.path_params and data.draw(st.booleans(), label="records that exist")
    known = {name: world.path_values()[name] for name in route.path_params} if named else None
    modes = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
    operation = fuzzed.schema[route.path][route.method]
    case = data.draw(st.one_of(*(operation.as_strategy(m, path_parameters=known) for m in modes)))
    case.call_and_validate(base_url=fuzzed.url, session=fuzzed.session,
                           headers=fuzzed.headers(route, world), checks=checks(fuzzed.tally))


def test_linked_calls_answer_by_the_contract(fuzzed):
    """Stateful: an answer's ids (from the document's links) feed the next request."""
    before = fuzzed.tally.requests
    by_name = {str(route): route for route in routes()}

    class Linked(fuzzed.schema.as_state_machine()):
        def get_call_kwargs(self, case):
            route = by_name[f"{case.method.upper()} {case.path}"]
            return {"base_url": fuzzed.url, "session": fuzzed.session,
                    "headers": fuzzed.headers(route, fuzzed.worlds[0])}

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            case.validate_response(response, checks=checks(fuzzed.tally), transport_kwargs=kwargs)

    Linked.run(settings=settings(FUZZ, max_examples=SCENARIOS, stateful_step_count=STEPS))
    assert fuzzed.tally.requests - before >= SCENARIOS
    # Not only 401s and 422s: a real share got past parsing and authorisation.
    assert fuzzed.tally.reached_a_handler() >= fuzzed.tally.requests // 4, fuzzed.tally.statuses



def test_the_write_headers_are_declared_as_the_service_reads_them(fuzzed):
    """Regression: If-Match and Idempotency-Key were declared as any string or null, while the
    service takes only an ETag and a key of 1-128 letters, digits and ._:- (a 400 otherwise),
    so most writes built from the document were refused. Now each write declares the pattern
    a value must match: a value is refused exactly when it does not match."""
    route = next(r for r in routes() if str(r) == "POST /evaluations/{evaluation_id}/comments")
    declared = {p["name"]: p["schema"] for p in fuzzed.schema.raw_schema["paths"][route.path][
        "post"]["parameters"] if p["in"] == "header"}
    assert {name: schema.get("type") for name, schema in declared.items()} == {
        "idempotency-key": "string", "if-match": "string"}
    url = f"{fuzzed.url}/evaluations/00000000-0000-4000-8000-000000000000/comments"
    for name, values in (("if-match", ['"7"', 'W/"7"', "*", "7", '"tujuh"', "null", '"1", "2"']),
                         ("idempotency-key", ["kunci-1", "a" * 128, "a" * 129, "kunci rahasia",
                                              "a/b"])):
        for value in values:
            answer = fuzzed.session.post(url, json={"text": "x"}, headers={
                **fuzzed.headers(route, fuzzed.worlds[0]), name: value})
            matches = re.fullmatch(declared[name]["pattern"].strip("^$"), value) is not None
            assert (answer.status_code != 400) == matches, (name, value, answer.text)


# ---- hand-written attacks ------------------------------------------------------------------

@pytest.fixture(scope="module")
def arena(shared_settings, tmp_path_factory):  # noqa: F811
    """The arranged records on each backend, served through a TestClient; the service also
    trusts an identity provider's JWTs (Ed25519)."""
    key = Ed25519PrivateKey.generate()
    pem = tmp_path_factory.mktemp("idp") / "idp.pem"
    pem.write_bytes(key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
    config = replace(shared_settings, jwt=JwtSettings(ISSUER, AUDIENCE, pem))
    clock = Clock()
    with TestClient(service(config, clock)) as client:
        yield Arena.arrange(Api(client.app, client), clock, key)


COMMENTS = "/evaluations/{evaluation}/comments"
NUL = "a\x00b"
STARTED = datetime(2024, 3, 12, 2, 0, tzinfo=timezone.utc).isoformat()  # an inspection's start


@dataclass(frozen=True)
class Attempt:
    why: str
    send: Callable[[Arena], Any]  # the request, against the arena; returns the response
    status: int
    code: str

    def __str__(self) -> str:
        return self.why


def post(who: str, path: str, body: Any = None, **options: Any) -> Callable[[Arena], Any]:
    return lambda a: a.who(who).post(a.path(path), body, **options)


def get(who: str, path: str, **params: Any) -> Callable[[Arena], Any]:
    return lambda a: a.who(who).get(a.path(path), **params)


def bearer(token: Callable[[Arena], str], path: str = COMMENTS) -> Callable[[Arena], Any]:
    """A comment sent with this credential, in whatever form it takes."""
    return lambda a: Caller(a.api.http, None, authorization=token(a)).post(
        a.path(path), {"text": "siapa saya?"})


def jwt_of(**claims: Any) -> Callable[[Arena], str]:
    """An identity provider's JWT for the ASN, with these claims changed."""
    return lambda a: f"Bearer {issued(a.idp_key, nip=a.world.line.asn, **claims)}"


def hs256_with_the_public_key(a: Arena) -> str:
    """The algorithm-confusion forgery: HMAC keyed with the IdP's public key, which is public."""
    pem = a.idp_key.public_key().public_bytes(serialization.Encoding.PEM,
                                              serialization.PublicFormat.SubjectPublicKeyInfo)

    def part(data: Any) -> bytes:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=")

    exp = int((datetime.now(timezone.utc) + timedelta(minutes=5)).timestamp())
    signed = part({"alg": "HS256", "typ": "JWT"}) + b"." + part(
        {"iss": ISSUER, "aud": AUDIENCE, "exp": exp, "nip": a.world.line.asn, "role": "admin"})
    mac = base64.urlsafe_b64encode(hmac.new(pem, signed, hashlib.sha256).digest()).rstrip(b"=")
    return f"Bearer {(signed + b'.' + mac).decode()}"


def flipped(token: Callable[[Arena], str]) -> Callable[[Arena], str]:
    def forged(a: Arena) -> str:
        text = token(a)
        return text[:-2] + ("A" if text[-2] != "A" else "B") + text[-1]
    return forged


def nested(depth: int, inner: bytes = b"1") -> bytes:
    return b'{"a":' * depth + inner + b"}" * depth


def plan(expectation: str = "Tepat waktu", **change: str) -> dict:
    line = {"id": "S1", "kind": "utama", "supports": "", "rhk": "Layanan", "aspect": "quantity",
            "indicator": "Berkas", "target": "10"} | change
    return {"plan_type": "quantitative", "lines": [line],
            "behaviour_expectations": {"akuntabel": expectation}}


def report(**change: str) -> dict:
    done = {"line_id": "asn-1", "value": change.get("value", "12"), "note": change.get("note", "")}
    return {"realisations": [done], "achievements": change.get("achievements", ""),
            "challenges": change.get("challenges", ""), "next_plan": change.get("next_plan", ""),
            "evidence": [{"uri": change.get("uri", "https://arsip.example/1.pdf"),
                          "sha256": "a" * 64}]}


def inspection(**change: str) -> dict:
    item = {"item": change.get("item", "Antrian tertib"), "result": "met",
            "note": change.get("note", "")}
    return {"unit_code": "{unit}", "place": change.get("place", "Loket"), "started_at": STARTED,
            "checklist": [item]}


def employee(**change: str) -> dict:
    return {"nip": "198001012005011001", "name": "Budi", "unit_code": "{unit}",
            "position": "Analis", "effective_from": "2024-01-01"} | change


def _filled(body: dict, a: Arena) -> dict:
    return json.loads(a.path(json.dumps(body).replace("{", "{{").replace("}", "}}")
                             .replace("{{unit}}", "{unit}")))


def post_filled(who: str, path: str, body: dict) -> Callable[[Arena], Any]:
    """A body naming the arena's unit ("{unit}")."""
    return lambda a: a.who(who).post(a.path(path), _filled(body, a))


WRITES = [r for r in routes() if r.method == "POST"]

ATTEMPTS = [
    # oversized: every write refuses a body past 256 KiB before reading it all
    *(Attempt(f"a 300 KiB body to {r}", (lambda r: lambda a: a.who("admin").post(
        r.url(a.world.path_values()),  # noqa: B023 - the outer lambda's r, bound per route
        {"text": "a" * 300_000}))(r), 413, "payload_too_large")
      for r in WRITES),
    Attempt("a Content-Length of a gigabyte", post("admin", "/units", content=b"{}", headers={
        "Content-Length": "1000000000"}), 413, "payload_too_large"),
    Attempt("a 64 KiB bearer token", bearer(lambda a: "Bearer kin_" + "a" * 65_536), 401,
            "invalid_token"),
    Attempt("a replay point of 60 000 characters", get("admin", "/replay/{evaluation}",
                                                        at="1" * 60_000), 400, "bad_parameter"),
    Attempt("20 000 unknown fields (the answer lists 20)", post(
        "admin", "/units", content=("{" + ",".join(f'"k{i}":1' for i in range(20_000)) + "}")
        .encode()), 422, "validation_error"),
    # deep nesting
    Attempt("objects nested 900 deep in a unit's name", post(
        "admin", "/units", content=b'{"code":"N1","name":' + nested(900) + b"}"), 422,
        "validation_error"),
    Attempt("objects nested 40 000 deep", post("admin", "/units", content=nested(40_000)), 400,
            "malformed_body"),
    Attempt("60 000 empty arrays where text belongs", post(
        "admin", "/units/{unit}/service-standard",
        content=b'{"items":[' + b",".join([b"[]"] * 60_000) + b"]}"), 422, "validation_error"),
    # broken encodings
    Attempt("an overlong UTF-8 sequence", post("asn", COMMENTS, content=b'{"text":"\xc0\xaf"}'),
            400, "malformed_body"),
    Attempt("a UTF-8 sequence cut short", post("asn", COMMENTS, content=b'{"text":"\xe2\x82"}'),
            400, "malformed_body"),
    Attempt("a UTF-16 surrogate encoded in UTF-8", post(
        "asn", COMMENTS, content=b'{"text":"\xed\xa0\x80"}'), 422, "validation_error"),
    Attempt("invalid UTF-8 in the Idempotency-Key", post(
        "asn", COMMENTS, {"text": "x"}, headers={"Idempotency-Key": b"\xff\xfe"}), 400,
        "bad_idempotency_key"),
    Attempt("invalid UTF-8 in the Authorization header", bearer(lambda a: b"Bearer kin_\xff"),
            401, "invalid_token"),
    # the path's and the query's declared patterns (a unit code, a replay point)
    Attempt("invalid UTF-8 in a path", get("admin", "/units/%FF%FE"), 400, "bad_parameter"),
    Attempt("invalid UTF-8 in a query", get("admin", "/replay/{evaluation}?at=%FF"), 400,
            "bad_parameter"),
    # NUL in every free-text field, at the stage where the field is written
    *(Attempt(f"NUL in an employee's {field}", post_filled("admin", "/employees",
                                                            employee(**{field: NUL})),
              422, "invalid_value") for field in ("name", "position")),
    Attempt("NUL in a transfer's position", post_filled(
        "admin", "/employees/{asn}/transfers",
        {"unit_code": "{unit}", "position": NUL, "effective_from": "2024-07-01"}), 422,
        "invalid_value"),
    Attempt("NUL in a service standard", post("admin", "/units/{unit}/service-standard",
                                              {"items": ["Antrian tertib", NUL]}), 422,
            "invalid_value"),
    *(Attempt(f"NUL in a plan's {field}", post("planner", "/evaluations/{opened}/plan",
                                               plan(**{field: NUL})), 422, "invalid_value")
      for field in ("rhk", "indicator", "target", "supports", "expectation")),
    *(Attempt(f"NUL in a report's {field}", post("reporter", "/evaluations/{agreed}/report",
                                                 report(**{field: NUL})), 422, "invalid_value")
      for field in ("value", "note", "achievements", "challenges", "next_plan", "uri")),
    *(Attempt(f"NUL in a team review's {field}", post(
        "team", "/evaluations/{reported}/team-reviews",
        {"recommendation": "Pertahankan", "note": ""} | {field: NUL}), 422, "invalid_value")
      for field in ("recommendation", "note")),
    Attempt("NUL in a departure from the curve", post(
        "rater", "/evaluations/{reported}/finalisation", {"curve_departure": NUL}), 422,
        "invalid_value"),
    Attempt("NUL in a keberatan's grounds", post("asn", "/evaluations/{evaluation}/keberatan",
                                                 {"grounds": NUL}), 422, "invalid_value"),
    Attempt("NUL in a keberatan decision's reason", post(
        "board", "/keberatan/{keberatan}/decision", {"outcome": "rejected", "reason": NUL}), 422,
        "invalid_value"),
    *(Attempt(f"NUL in an inspection's {field}", post_filled(
        "inspector", "/inspections", inspection(**{field: NUL})), 422, code)
      for field, code in (("place", "invalid_value"), ("note", "invalid_value"),
                          ("item", "unknown_reference"))),
    Attempt("NUL in a finding", post("inspector", "/inspections/{inspection}/findings",
                                     {"description": NUL, "severity": "minor"}), 422,
            "invalid_value"),
    Attempt("NUL in a follow-up's action", post(
        "inspector", "/inspections/{inspection}/follow-ups",
        {"finding_id": "2", "action": NUL, "due": "2025-03-01"}), 422, "invalid_value"),
    Attempt("NUL in a follow-up's resolution", post(
        "inspector", "/inspections/{inspection}/follow-ups/{follow_up}/resolution",
        {"resolution": NUL}), 422, "invalid_value"),
    Attempt("NUL in a path", get("admin", "/units/A%00B"), 400, "bad_parameter"),
    Attempt("NUL in a query", get("admin", "/replay/{evaluation}?at=%00"), 400,
            "bad_parameter"),
    Attempt("NUL in the Idempotency-Key", post("asn", COMMENTS, {"text": "x"}, headers={
        "Idempotency-Key": "a\x00b"}), 400, "bad_idempotency_key"),
    # credentials: forged, expired, misplaced
    Attempt("an expired token of ours", bearer(
        lambda a: f"Bearer {a.api.services.auth.tokens.issue(a.world.line.asn, 'asn', days=-1)}"),
        401, "invalid_token"),
    Attempt("a token in the query string", lambda a: a.api.http.get(
        "/me", params={"access_token": a.api.token(a.world.line.asn, "asn")}), 401,
        "not_authenticated"),
    Attempt("a token in a cookie", lambda a: a.api.http.post(
        a.path(COMMENTS), json={"text": "x"},
        headers={"Cookie": f"access_token={a.api.token(a.world.line.asn, 'asn')}"}), 401,
        "not_authenticated"),
    Attempt("a JWT signed with HS256 keyed by the IdP's public key", bearer(
        hs256_with_the_public_key), 401, "invalid_token"),
    Attempt("a JWT with one signature character changed", bearer(flipped(jwt_of())), 401,
            "invalid_token"),
    Attempt("a JWT not valid for another hour", bearer(jwt_of(
        nbf=datetime.now(timezone.utc) + timedelta(hours=1))), 401, "invalid_token"),
    Attempt("a JWT whose expiry is text", bearer(jwt_of(exp="besok")), 401, "invalid_token"),
    Attempt("a JWT that expired a second ago", bearer(jwt_of(
        exp=datetime.now(timezone.utc) - timedelta(seconds=1))), 401, "invalid_token"),
    # a genuine identity on someone else's records, or on a record of another kind
    Attempt("another ASN's genuine JWT on this evaluation", lambda a: Caller(
        a.api.http, None, authorization=f"Bearer {issued(a.idp_key, nip=a.world.stranger)}")
        .post(a.path(COMMENTS), {"text": "bukan punya saya"}), 403, "forbidden_relationship"),
    Attempt("another ASN's token reading this evaluation's history", get(
        "stranger", "/evaluations/{evaluation}/history"), 403, "forbidden_relationship"),
    Attempt("a keberatan's id as an evaluation", post("asn", "/evaluations/{keberatan}/comments",
                                                      {"text": "x"}), 404, "not_found"),
    Attempt("an inspection's id as an evaluation", get("admin", "/evaluations/{inspection}"),
            404, "not_found"),
    Attempt("an evaluation's id as a keberatan", post(
        "asn", "/keberatan/{evaluation}/explanations", {"party": "asn", "text": "x"}), 404,
        "not_found"),
    Attempt("an evaluation's id as an inspection", post(
        "inspector", "/inspections/{evaluation}/findings",
        {"description": "x", "severity": "minor"}), 404, "not_found"),
    Attempt("a unit's id as an evaluation", get("admin", "/evaluations/{unit_id}/history"), 404,
            "not_found"),
]


@pytest.mark.parametrize("attempt", ATTEMPTS, ids=str)
def test_a_hostile_request_is_refused_clearly_and_writes_nothing(arena, attempt):
    before = arena.written()
    response = attempt.send(arena)
    assert arena.written() == before, "the request wrote to the log or the ledger"
    assert response.status_code == attempt.status, f"{response.status_code}: {response.text[:300]}"
    body = response.json()
    answered_as_a_problem(response.status_code, response.headers["content-type"], body)
    assert body["code"] == attempt.code, body
    assert len(response.content) < 8192, "an error answer stays small whatever was sent"


# ---- text that only looks dangerous ---------------------------------------------------------

NAME = "<script>alert('nama')</script> Budi\"; DROP TABLE stored_events; --"
REASON = "</td></tr></table><img src=x onerror=alert(1)> ' OR '1'='1'; SELECT pg_sleep(5); --"
GROUNDS = "'); DELETE FROM ledger_leaves; -- <b>keberatan</b> &amp; &lt;\u202e \U0001F642"


def test_sql_and_html_are_stored_verbatim_and_the_dossier_shows_them_escaped(signed_settings,
                                                                             clock):
    """Through the HTTP API: a rater named in markup, ratings whose reasons are markup and SQL,
    a keberatan whose grounds are SQL. Read back byte for byte (the API, the event history, the
    leaf bytes of the ledger); the appeal dossier's HTML shows each escaped, never as markup."""
    with TestClient(service(signed_settings, clock)) as client:
        api = Api(client.app, client)
        line = reporting_line(api.kinerja)
        rater = _employee_named(api, line, NAME)
        evaluation = reported(api.kinerja, clock, replace(line, rater=rater)).id
        reviewer = api.as_(rater, "reviewer")
        for dimension in ("results", "behaviour"):
            assert reviewer.post(f"/evaluations/{evaluation}/ratings", {
                "dimension": dimension, "rating": "meets", "reason": REASON}).status_code == 200
        assert reviewer.post(f"/evaluations/{evaluation}/finalisation", {}).status_code == 200
        filed = api.as_(line.asn, "asn").post(f"/evaluations/{evaluation}/keberatan",
                                               {"grounds": GROUNDS})
        assert filed.status_code == 201, filed.text
        checkpointer(api.kinerja, signed_settings).checkpoint()

        admin = api.admin
        assert admin.get(f"/employees/{rater}").json()["name"] == NAME
        history = admin.get(f"/evaluations/{evaluation}/history").json()["events"]
        assert ([e["reason"] for e in history if e["topic"].endswith("RatingRecorded")]
                == [REASON] * 2)
        assert admin.get(f"/keberatan/{filed.json()['id']}").json()["grounds"] == GROUNDS
        stored = b"".join(base64.b64decode(leaf["leaf"]) for leaf in admin.get(
            "/ledger/leaves", start=0, end=api.kinerja.ledger.size()).json()["leaves"])
        for text in (NAME, REASON, GROUNDS):  # the event state holds each exactly as sent
            assert orjson.dumps(text) in stored

        dossier = admin.get(f"/replay/evaluations/{evaluation}/dossier").json()
        rated = [e for e in dossier["timeline"] if e["topic"].endswith("RatingRecorded")]
        assert [(e["actor_name"], e["reason"]) for e in rated] == [(NAME, REASON)] * 2
        page = admin.get(f"/replay/evaluations/{evaluation}/dossier", format="html")
        assert page.headers["content-type"].startswith("text/html")
        for text in (NAME, REASON):
            assert escape(text) in page.text
        for markup in ("<script", "<img", "</table><img", "onerror=alert(1)>"):
            assert markup not in page.text, markup


def _employee_named(api: Api, line, name: str) -> str:
    """A second supervisor for the line's ASN, registered over HTTP under ``name``."""
    nip = new_nip(1970)
    body = {"nip": nip, "name": name, "unit_code": line.unit, "position": "Kepala Seksi",
            "effective_from": "2024-01-01", "supervisor_nip": line.head}
    assert api.admin.post("/employees", body).status_code == 201
    moved = api.admin.post(f"/employees/{line.asn}/supervisor",
                           {"supervisor_nip": nip, "effective_from": "2024-01-01"})
    assert moved.status_code == 200, moved.text
    return nip


# ---- someone else's Idempotency-Key ---------------------------------------------------------

def test_someone_elses_idempotency_key_answers_nothing_of_theirs(arena):
    """Receipts belong to who wrote them: the same key from another person is refused on the
    first person's record, and on their own record is a new request, never a replay."""
    body, key = {"text": "kunci yang sama"}, "kunci-bersama-1"
    assert arena.who("asn").post(arena.path(COMMENTS), body, key=key).status_code == 200
    before = arena.written()
    refused = arena.who("stranger").post(arena.path(COMMENTS), body, key=key)
    assert refused.status_code == 403 and refused.json()["code"] == "forbidden_relationship"
    assert arena.written() == before
    own = arena.who("planner").post(arena.path("/evaluations/{opened}/comments"), body, key=key)
    assert own.status_code == 200 and "idempotent-replay" not in own.headers, own.text
    assert arena.written() != before  # a write of its own
