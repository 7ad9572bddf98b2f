"""Every look at a person's file is on record, and the person reads the record
(docs/ACCESS-LOG.md): exactly the reads made, granted or refused, never writes nor reads that
failed; with the reason stated; on both stores."""

from __future__ import annotations

import sqlite3
from uuid import uuid4

import psycopg
import pytest
from fastapi.testclient import TestClient

from api import journal
from api.policy import Role
from domain.limits import MAX_ACCESS_REASON
from service.access_journal import TABLE
from service.config import Settings
from service.store import init_db
from tests.api.support import ADMIN, DUTY_REASON, Api, problem, service
from tests.conftest import empty_postgres
from tests.service.scenario import agreed_plans, finalised, new_nip, reporting_line

REASON = "X-Access-Reason"


def _log(api: Api, nip: str, who: str | None = None, role: str = "asn", **params) -> dict:
    response = api.as_(who or nip, role).get(f"/employees/{nip}/access-log", **params)
    assert response.status_code == 200, response.text
    return response.json()


def _seen(log: dict) -> list[tuple[str, str, str, str | None]]:
    """The looks, oldest first, as (actor, outcome, what, reason)."""
    return [(look["actor"], look["outcome"], look["what"], look["reason"])
            for look in reversed(log["looks"])]


def test_the_log_shows_exactly_the_reads_made_granted_or_refused(api):
    line, stranger = reporting_line(api.kinerja), reporting_line(api.kinerja)
    evaluation = agreed_plans(api.kinerja, line).id
    auditor_nip = new_nip(1970)
    rater, auditor = api.as_(line.rater, "reviewer"), api.as_(auditor_nip, "auditor")
    assert rater.get(f"/evaluations/{evaluation}").status_code == 200
    assert rater.get(f"/evaluations/{evaluation}/history").status_code == 200
    assert rater.post(f"/evaluations/{evaluation}/comments",
                      {"text": "mohon bukti"}).status_code == 200  # a write: not a look
    assert auditor.get(f"/evaluations/{evaluation}/comments",
                       headers={REASON: "Sampel audit 2024"}).status_code == 200
    assert api.as_(stranger.asn, "asn").get(f"/evaluations/{evaluation}").status_code == 403
    assert rater.get(f"/evaluations/{uuid4()}").status_code == 404  # no file: no look
    assert api.admin.get(f"/replay/evaluations/{evaluation}/timeline").status_code == 200
    assert api.admin.get(f"/replay/{evaluation}", at="nonsense").status_code in (400, 422)  # bad

    log = _log(api, line.asn)
    assert _seen(log) == [
        (line.rater, "granted", "/evaluations/{evaluation_id}", None),
        (line.rater, "granted", "/evaluations/{evaluation_id}/history", None),
        (auditor_nip, "granted", "/evaluations/{evaluation_id}/comments", "Sampel audit 2024"),
        (stranger.asn, "refused", "/evaluations/{evaluation_id}", None),
        (ADMIN, "granted", "/replay/evaluations/{evaluation_id}/timeline", DUTY_REASON),
    ]
    first = log["looks"][-1]
    assert first["role"] == "reviewer" and first["record_id"] == str(evaluation)
    assert first["at"].endswith("+07:00") and first["request_id"]
    # this read of the log is on record from the next read on
    assert _seen(_log(api, line.asn))[-1] == (
        line.asn, "granted", "/employees/{nip}/access-log", None)
    assert _log(api, line.rater, role="reviewer")["looks"] == []  # no one looked at the rater's


def test_the_person_admins_and_auditors_read_the_log_and_no_one_else(api):
    line, stranger = reporting_line(api.kinerja), reporting_line(api.kinerja)
    path = f"/employees/{line.asn}/access-log"
    for nip, role in ((stranger.asn, "asn"), (line.rater, "reviewer"),
                      (new_nip(1980), "appeal_board"), (new_nip(1981), "inspector")):
        problem(api.as_(nip, role).get(path), 403)
    for nip, role in ((ADMIN, "admin"), (new_nip(1982), "auditor"), (line.asn, "asn")):
        assert api.as_(nip, role).get(path).status_code == 200
    seen = _seen(_log(api, line.asn))
    assert [(who, outcome) for who, outcome, _, _ in seen][:4] == [
        (stranger.asn, "refused"), (line.rater, "refused"), (seen[2][0], "refused"),
        (seen[3][0], "refused")]
    assert [outcome for _, outcome, _, _ in seen[4:]] == ["granted"] * 3  # _log's: not yet
    problem(api.as_(line.asn, "asn").get("/employees/199001012015031999/access-log"), 404)


def test_the_log_is_paged_newest_first(api):
    line = reporting_line(api.kinerja)
    admin = api.admin
    for _ in range(5):
        assert admin.get(f"/employees/{line.asn}").status_code == 200
    first = _log(api, line.asn, limit=2)
    second = _log(api, line.asn, limit=2, before=first["next_before"])
    third = _log(api, line.asn, limit=2, before=second["next_before"])
    seqs = [look["seq"] for page in (first, second, third) for look in page["looks"]]
    assert seqs == sorted(seqs, reverse=True) and len(set(seqs)) == 5
    assert third["next_before"] is None and len(third["looks"]) == 1
    too_many = api.as_(line.asn, "asn").get(f"/employees/{line.asn}/access-log", limit=201)
    assert too_many.status_code in (400, 422)  # 422 until issue 15 makes bad queries 400


@pytest.mark.parametrize("reason", [
    "sampel\naudit", "sampel\x00", "\u200b\u200b", "x" * (MAX_ACCESS_REASON + 1)])
def test_a_reason_that_is_not_readable_text_is_refused_and_no_look_is_made(api, reason):
    line = reporting_line(api.kinerja)
    response = api.admin.get(f"/employees/{line.asn}",
                             headers={REASON: reason.encode("utf-8")})
    problem(response, 400, "invalid_access_reason")
    assert _seen(_log(api, line.asn)) == []


def test_a_reason_is_read_as_utf8_and_recorded_normalised(api):
    line = reporting_line(api.kinerja)
    stated = "Pemeriksaan BKPP \u2013 cafe\u0301"  # an en dash; e + combining acute
    raw = stated.encode("utf-8")  # a client sends the bytes; the server reads them as latin-1
    assert api.admin.get(f"/employees/{line.asn}", headers={REASON: raw}).status_code == 200
    [(_, _, _, recorded)] = _seen(_log(api, line.asn))
    assert recorded == "Pemeriksaan BKPP \u2013 caf\u00e9"


def test_break_glass_a_role_listed_opens_a_file_only_by_stating_a_reason(api, monkeypatch):
    monkeypatch.setitem(journal.REASON_REQUIRED, "employees.read", frozenset({Role.AUDITOR}))
    line = reporting_line(api.kinerja)
    auditor = api.as_(new_nip(1977), "auditor", reason=None)
    problem(auditor.get(f"/employees/{line.asn}"), 403, "access_reason_required")
    assert auditor.get(f"/employees/{line.asn}",
                       headers={REASON: "Investigasi BKPP 12/2025"}).status_code == 200
    admin = api.as_(ADMIN, "admin", reason=None)
    assert admin.get(f"/employees/{line.asn}").status_code == 200  # admins: not listed
    seen = _seen(_log(api, line.asn))
    assert [(outcome, reason) for _, outcome, _, reason in seen] == [
        ("refused", None), ("granted", "Investigasi BKPP 12/2025"), ("granted", None)]


def test_every_journaled_read_declares_the_reason_header(document):
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            named = [p["name"] for p in operation.get("parameters", [])]
            journaled = method == "get" and operation.get("x-permission") in journal.JOURNALED
            assert (REASON.lower() in named) == journaled, (method, path)
            if journaled:
                assert {"400", "503"} <= set(operation["responses"]), path


def test_the_journal_is_append_only_on_both_stores(settings, clock):
    with TestClient(service(settings, clock)) as http:
        api = Api(http.app, http)
        line = reporting_line(api.kinerja)
        assert api.admin.get(f"/employees/{line.asn}").status_code == 200
        assert api.services.journal.flush()
    statements = (f"UPDATE {TABLE} SET reason = 'changed'", f"DELETE FROM {TABLE}")
    if settings.backend == "sqlite":
        with sqlite3.connect(settings.database_url.split(":///", 1)[1]) as conn:
            for statement in statements:
                with pytest.raises(sqlite3.DatabaseError, match="append-only"):
                    conn.execute(statement)
            assert conn.execute(f"SELECT count(*) FROM {TABLE}").fetchone()[0] == 1
        return
    with psycopg.connect(settings.database_url, autocommit=True) as conn:
        for statement in (*statements, f"TRUNCATE {TABLE}"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege, match="append-only"):
                conn.execute(statement)  # even as the owner
        assert conn.execute(f"SELECT count(*) FROM {TABLE}").fetchone()[0] == 1


def test_the_service_role_may_append_and_read_the_journal_only(postgres_database, clock):
    empty_postgres(postgres_database)
    init_db(Settings(postgres_database), service_role="kinerja_service")
    url = postgres_database.replace("postgres@", "kinerja_service@")
    with TestClient(service(Settings(url), clock)) as http:
        api = Api(http.app, http)
        line = reporting_line(api.kinerja)
        assert api.admin.get(f"/employees/{line.asn}").status_code == 200
        assert [look["what"] for look in _log(api, line.asn, ADMIN, "admin")["looks"]] == [
            "/employees/{nip}"]
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"SELECT count(*) FROM {TABLE}")
        for statement in (f"UPDATE {TABLE} SET reason = 'x'", f"DELETE FROM {TABLE}"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(statement)


def test_auditors_and_admins_open_a_persons_file_only_by_stating_a_reason(api, clock):
    """The need-to-know table's break-glass cells (api/journal.py REASON_REQUIRED): a duty,
    not a relationship, brings them; a unit is nobody's file and needs no reason."""
    line = reporting_line(api.kinerja)
    evaluation = finalised(api.kinerja, clock, line).id
    unit = api.kinerja.unit(line.unit).id
    for role, nip in (("auditor", new_nip(1977)), ("admin", ADMIN)):
        bare = api.as_(nip, role, reason=None)
        for path in (f"/evaluations/{evaluation}", f"/replay/{evaluation}",
                     f"/replay/evaluations/{evaluation}/timeline"):
            problem(bare.get(path), 403, "access_reason_required")
            assert api.as_(nip, role).get(path).status_code == 200
        assert bare.get(f"/replay/{unit}").status_code == 200
    assert api.as_(line.rater, "reviewer").get(f"/evaluations/{evaluation}").status_code == 200
