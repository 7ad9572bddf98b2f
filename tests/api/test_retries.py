"""Safe retries and optimistic concurrency, on both backends.

Idempotency-Key: the same key and body answer the first result and write nothing; another body
is refused. If-Match: a stale version is refused with 412. Real concurrency runs on a uvicorn
on loopback with a client per thread: a key retried at once writes exactly once, and racing
writers never overwrite each other silently.
"""

from __future__ import annotations

from uuid import UUID

import httpx

from tests.api.support import Caller, etag, ok, problem, together
from tests.service.scenario import ADMIN, reported, reporting_line

THREADS = 8


def arranged(api, clock):
    """The comments of a reported evaluation, and the ASN who writes them."""
    line = reporting_line(api.kinerja)
    evaluation = reported(api.kinerja, clock, line).id
    return f"/evaluations/{evaluation}/comments", api.as_(line.asn, "asn")


def evaluation_of(path: str) -> UUID:
    return UUID(path.split("/")[2])


def comments(api, path: str) -> list[dict]:
    return api.kinerja.comments(evaluation_of(path))


def test_a_repeated_key_with_the_same_body_answers_the_first_result_and_writes_nothing(api, clock):
    path, asn = arranged(api, clock)
    first = asn.post(path, {"text": "sekali saja"}, key="komentar-1")
    written = api.position()
    with api.nothing_written():
        again = asn.post(path, {"text": "sekali saja"}, key="komentar-1")
    assert (again.status_code, again.json(), etag(again)) == (200, first.json(), etag(first))
    assert again.headers["idempotent-replay"] == "true"
    assert "idempotent-replay" not in first.headers
    assert again.json()["text"] == "sekali saja"
    assert [c["text"] for c in comments(api, path)] == ["sekali saja"]
    assert api.position() == written


def test_a_replay_answers_the_record_as_the_first_request_left_it(api, clock):
    path, asn = arranged(api, clock)
    first = asn.post(path, {"text": "pertama"}, key="k-versi")
    asn.post(path, {"text": "kedua"})
    again = asn.post(path, {"text": "pertama"}, key="k-versi")
    assert etag(again) == etag(first) and again.json() == first.json()


def test_a_replayed_creation_answers_201_again(api):
    body = {"code": "DPMPTSP", "name": "Dinas Penanaman Modal dan PTSP"}
    first = api.admin.post("/units", body, key="unit-1")
    with api.nothing_written():
        again = api.admin.post("/units", body, key="unit-1")
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json() and again.headers["idempotent-replay"] == "true"


def test_a_repeated_key_with_another_body_is_refused(api, clock):
    path, asn = arranged(api, clock)
    asn.post(path, {"text": "asli"}, key="k-2")
    with api.nothing_written():
        problem(asn.post(path, {"text": "palsu"}, key="k-2"), 422, "idempotency_key_reused")


def test_a_repeated_key_on_another_record_is_refused(api, clock):
    path, asn = arranged(api, clock)
    quarter = api.kinerja.open_evaluation(ADMIN, asn_of(api, path), "2024-Q1").id
    asn.post(path, {"text": "sama"}, key="k-3")
    with api.nothing_written():
        response = asn.post(f"/evaluations/{quarter}/comments", {"text": "sama"}, key="k-3")
        problem(response, 422, "idempotency_key_reused")


def test_keys_belong_to_the_caller_who_sent_them(api, clock):
    path, asn = arranged(api, clock)
    rater_nip = api.kinerja.evaluation(evaluation_of(path)).rater_nip
    ok(asn.post(path, {"text": "dari ASN"}, key="bersama"))
    answer = api.as_(rater_nip, "reviewer").post(path, {"text": "dari penilai"}, key="bersama")
    assert ok(answer)["by"] == rater_nip
    assert [c["by"] for c in comments(api, path)] == [asn_of(api, path), rater_nip]
    assert "idempotent-replay" not in answer.headers


def asn_of(api, path: str) -> str:
    return api.kinerja.evaluation(evaluation_of(path)).nip


def test_a_request_that_failed_leaves_its_key_unused(api, clock):
    path, asn = arranged(api, clock)
    problem(asn.post(path, {"text": "balas", "in_reply_to": 99}, key="k-4"), 422,
            "unknown_reference")
    assert asn.post(path, {"text": "balas"}, key="k-4").status_code == 200


def test_a_stale_if_match_is_refused_and_writes_nothing(api, clock):
    path, asn = arranged(api, clock)
    current = etag(asn.get(path.removesuffix("/comments")))
    with api.nothing_written():
        problem(asn.post(path, {"text": "basi"}, if_match=current - 1), 412, "stale_version")
    assert etag(asn.post(path, {"text": "segar"}, if_match=current)) == current + 1
    assert etag(asn.post(path, {"text": "lemah"}, if_match=f'W/"{current + 1}"')) == current + 2


def test_the_same_key_from_many_threads_at_once_writes_exactly_once(served, clock):
    path, asn = arranged(served, clock)
    before = served.position()

    def retry(_: int) -> httpx.Response:
        with httpx.Client(base_url=str(served.http.base_url), timeout=30) as http:
            return Caller(http, asn.token).post(path, {"text": "sekali"}, key="serentak")

    answers = together(THREADS, retry)
    assert served.position() == before + 1
    assert [c["text"] for c in comments(served, path)] == ["sekali"]
    assert all(isinstance(a, httpx.Response) and a.status_code < 500 for a in answers), answers
    succeeded = [a for a in answers if a.status_code == 200]
    assert succeeded and all(a.json() == succeeded[0].json() for a in succeeded)


def test_racing_writers_on_one_version_leave_one_winner_and_refuse_the_rest(served, clock):
    path, asn = arranged(served, clock)
    version = etag(asn.get(path.removesuffix("/comments")))

    def write(i: int) -> httpx.Response:
        with httpx.Client(base_url=str(served.http.base_url), timeout=30) as http:
            return Caller(http, asn.token).post(path, {"text": f"penulis {i}"}, if_match=version)

    answers = together(THREADS, write)
    statuses = sorted(a.status_code for a in answers)
    assert statuses.count(200) == 1 and set(statuses) <= {200, 409, 412}, statuses
    winner = next(a for a in answers if a.status_code == 200).json()["text"]
    assert [c["text"] for c in comments(served, path)] == [winner]


def test_racing_writers_without_if_match_never_lose_an_acknowledged_write(served, clock):
    path, asn = arranged(served, clock)

    def write(i: int) -> httpx.Response:
        with httpx.Client(base_url=str(served.http.base_url), timeout=30) as http:
            return Caller(http, asn.token).post(path, {"text": f"catatan {i}"})

    answers = together(THREADS, write)
    assert {a.status_code for a in answers} <= {200, 409}, [a.text for a in answers]
    for loser in (a for a in answers if a.status_code == 409):
        problem(loser, 409, "conflict")
    acknowledged = {a.json()["text"] for a in answers if a.status_code == 200}
    stored = {c["text"] for c in comments(served, path)}
    assert acknowledged and stored == acknowledged
