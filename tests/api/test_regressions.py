"""Regression tests for bugs the API suite found (each docstring names the bug and its fix).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx

from tests.api.routes import operations, resolve, routes, success
from tests.api.support import Caller, ok, problem, together
from tests.service.scenario import reported, reporting_line

ROOT = Path(__file__).resolve().parents[2]


# ---- NUL characters the domain's text() would refuse get past two fields --------------------

def test_nul_in_a_rating_reason_is_refused(api, clock):
    """Bug: Meta (domain/base.py, __post_init__) checks a reason's length but not for NUL, so
    every reason (ratings, revisions, keberatan decisions) stores NUL. Fix: refuse "\\x00" in
    Meta.__post_init__ as text() does (or use text() for the reason in Core.meta)."""
    line = reporting_line(api.kinerja)
    evaluation = reported(api.kinerja, clock, line).id
    with api.nothing_written():
        response = api.as_(line.rater, "reviewer").post(
            f"/evaluations/{evaluation}/ratings",
            {"dimension": "results", "rating": "meets", "reason": "sesuai\x00bukti"})
        problem(response, 422)


def test_nul_in_the_top_rater_is_refused(api):
    """Bug: EvaluationIn.top_rater (api/schemas_in.py) is any 1-60 characters, NUL included,
    and becomes the evaluation's rater_nip. Fix: give it a pattern (a NIP, or an identifier
    such as ``pejabat:walikota``: ``^[A-Za-z0-9._:-]{1,60}$``)."""
    line = reporting_line(api.kinerja)
    with api.nothing_written():
        response = api.admin.post("/evaluations", {"nip": line.asn, "period": "2024-Q1",
                                                   "top_rater": "walikota\x00"})
        problem(response, 422)


# ---- safe retries --------------------------------------------------------------------------

def test_a_replayed_creation_answers_its_location_too(api):
    """Bug: WriteRequest._replay (api/deps.py) renders without the Location the first 201
    carried, so a client whose first answer was lost never learns where the record is. Fix:
    keep the location template in the receipt's replay (e.g. pass ``location`` into
    ``_replay`` and format it with the record's id)."""
    body = {"code": "BAPPEDA", "name": "Badan Perencanaan Pembangunan Daerah"}
    first = api.admin.post("/units", body, key="unit-lokasi")
    again = api.admin.post("/units", body, key="unit-lokasi")
    assert (ok(first, 201), again.headers["idempotent-replay"]) == (ok(again, 201), "true")
    assert again.headers.get("location") == first.headers["location"] == "/units/BAPPEDA"


def test_concurrent_retries_of_one_key_all_answer_the_first_result(served, clock):
    """Bug: retries racing with the first request get 409 conflict ("changed by someone
    else") instead of the first result: Core.commit (service/commit.py) inserts the events
    before the receipt, so the duplicate fails on the events' version and becomes a
    ConflictError, and WriteRequest.run (api/deps.py) replays only on DuplicateRequestError.
    Fix: in WriteRequest.run, on ConflictError with an Idempotency-Key, answer ``_replay`` when
    a receipt now exists (or insert the receipt first in the recorders, so the duplicate fails
    on it)."""
    line = reporting_line(served.kinerja)
    path = f"/evaluations/{reported(served.kinerja, clock, line).id}/comments"
    token = served.as_(line.asn, "asn").token

    def retry(round_: int):
        def once(_: int) -> httpx.Response:
            with httpx.Client(base_url=str(served.http.base_url), timeout=30) as http:
                return Caller(http, token).post(path, {"text": f"ronde {round_}"},
                                                key=f"ronde-{round_}")
        return together(8, once)

    answers = [a for round_ in range(4) for a in retry(round_)]
    assert sorted({a.status_code for a in answers}) == [200], [a.text for a in answers
                                                              if a.status_code != 200]


# ---- the OpenAPI document -----------------------------------------------------------------

def test_every_success_response_declares_a_schema_and_an_example(document):
    """Bug: some successes are not fully described. GET /metrics (api/routes/system.py) has no
    example; GET /views/asn/{nip}/history (AsnHistory, api/schemas_views.py) and GET
    /replay/evaluations/{evaluation_id}/timeline (TimelineEntry, api/routes/replay.py) have
    no example; GET /replay/evaluations/{evaluation_id}/dossier declares examples but no
    schema. Fix: an example on each (json_schema_extra, or ``responses={200: {...}}``), and a
    schema for the dossier's JSON."""
    missing = []
    for name, _, operation in operations(document):
        for media in success(operation).get("content", {}).values():
            schema = resolve(document, media.get("schema", {}))
            items = resolve(document, schema.get("items", {}))
            if not media.get("schema"):
                missing.append(f"{name}: no schema")
            elif not (media.get("example") or schema.get("examples") or items.get("examples")):
                missing.append(f"{name}: no example")
    assert missing == []


def test_every_declared_error_answers_problem_json(document):
    """Bug: routes with parameters but no body declare FastAPI's default 422 (application/json,
    HTTPValidationError) while the app answers problem+json with a Problem. Fix: add 422 to
    READ in api/routes/{organisation,evaluations,keberatan,inspections,views}.py and to the
    /me and ledger responses, so responses() declares it as a Problem."""
    wrong = [f"{name} {status}" for name, _, operation in operations(document)
             for status, response in operation["responses"].items()
             if status >= "400" and "application/problem+json" not in response.get("content", {})]
    assert wrong == []


def test_every_route_that_can_refuse_a_bad_if_match_declares_400(api, document):
    """Bug: every route built on Caller (api/deps.py) parses If-Match and Idempotency-Key and
    answers 400 to a malformed one, but the organisation writes (WRITE in
    api/routes/organisation.py lacks 400) and every GET leave 400 undeclared. Fix: add 400 to
    those declarations, or give reads a dependency that does not take these write headers
    (their OpenAPI text says "Makes a POST safe to retry" on every GET)."""
    values = {"evaluation_id": "00000000-0000-4000-8000-000000000000", "dimension": "results",
              "period": "2024", "keberatan_id": "00000000-0000-4000-8000-000000000000",
              "inspection_id": "00000000-0000-4000-8000-000000000000"}
    undeclared = []
    for route in routes():
        path_values = {name: values.get(name, "x") for name in route.path_params}
        answer = route.send(api.admin, path_values, if_match="tujuh")
        declared = document["paths"][route.path][route.method.lower()]["responses"]
        if answer.status_code == 400 and "400" not in declared:
            undeclared.append(str(route))
    assert undeclared == []


# ---- stopping the service ------------------------------------------------------------------

SHUTDOWN = """
import sys
from fastapi.testclient import TestClient
from api.app import create_app
from service.config import Settings
from service.store import init_db
from tests.conftest import Clock
from tests.service.scenario import reporting_line

settings = Settings(sys.argv[1])
init_db(settings)
for _ in range(12):
    with TestClient(create_app(settings, clock=Clock())) as client:
        reporting_line(client.app.state.services.app)  # the views have something to read
"""


def test_stopping_the_service_waits_for_its_threads_before_closing_the_store(tmp_path):
    """Bug: the lifespan (api/app.py, _lifespan) sets ``stop`` and closes the Application
    at once, while the embedded projection thread may still be reading or writing: on SQLite
    the process dies with a segmentation fault (sqlite3 closed under a running statement);
    on PostgreSQL it logs "projection failed" (pool closed). Fix: keep the two Thread objects
    and join them after ``stop.set()``, before ``held.app.close()``. (Run in a subprocess:
    the crash would take the test session with it. SQLite: PostgreSQL shows it only now and
    then.)"""
    result = subprocess.run([sys.executable, "-c", SHUTDOWN, f"sqlite:///{tmp_path}/k.db"],
                            cwd=ROOT, capture_output=True, text=True, timeout=120,
                            env={"PYTHONPATH": str(ROOT), "PATH": ""})
    assert result.returncode == 0, result.stderr[-1500:]
    assert "projection failed" not in result.stderr
