"""Bad input gets a clear 4xx problem+json with a stable code, and writes nothing.

Run against one arranged store per backend (nothing here may write, and each test checks the
log's head before and after); text that only looks dangerous (SQL, HTML) is stored verbatim.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import pytest

from tests.api.support import ADMIN, problem

COMMENTS = "/evaluations/{evaluation}/comments"
JSON = {"Content-Type": "application/json"}
NIP = "198001012005011001"


@dataclass
class Bad:
    why: str
    path: str
    body: Any = None
    content: bytes | Callable[[], Iterator[bytes]] | None = None
    headers: dict[str, str] = field(default_factory=dict)
    status: int = 422
    code: str | None = "validation_error"
    who: str = "asn"


def employee(**changes: Any) -> dict:
    return {"nip": NIP, "name": "Budi", "unit_code": "{unit}", "position": "Analis",
            "effective_from": "2024-01-01"} | changes


def inspection(started_at: str) -> dict:
    return {"unit_code": "{unit}", "place": "Loket", "started_at": started_at, "checklist": []}


def chunks(size: int) -> Iterator[bytes]:
    """A body without a Content-Length (sent chunked), so only counting can stop it."""
    yield b'{"text": "'
    for _ in range(size // 1024):
        yield b"a" * 1024
    yield b'"}'


CASES = [
    # malformed JSON and wrong shapes
    Bad("truncated JSON", COMMENTS, content=b'{"text": '),
    Bad("not JSON at all", COMMENTS, content=b"teks biasa"),
    Bad("an empty body", COMMENTS, content=b""),
    Bad("an array where an object belongs", COMMENTS, body=[{"text": "x"}]),
    Bad("JSON sent as a form", COMMENTS, content=b"text=x",
        headers={"Content-Type": "application/x-www-form-urlencoded"}),
    Bad("NaN in a number", COMMENTS, content=b'{"text": "x", "in_reply_to": NaN}'),
    # wrong types, unknown fields, out-of-range numbers
    Bad("a number where text belongs", COMMENTS, body={"text": 5}),
    Bad("text where a number belongs", COMMENTS, body={"text": "x", "in_reply_to": "satu"}),
    Bad("a number beyond 2**62", COMMENTS, body={"text": "x", "in_reply_to": 2**63}),
    Bad("an infinite number", COMMENTS, content=b'{"text": "x", "in_reply_to": 1e400}'),
    Bad("an unknown field", COMMENTS, body={"text": "x", "priority": "tinggi"}),
    Bad("an unknown nested field", "/employees", body=employee(salary=10), who="admin"),
    Bad("a date as words", "/units/{unit}/organisation-predikat",
        body={"period": "2024", "predikat": "Baik", "document_number": "800/1",
              "document_date": "dua ribu", "head_nip": NIP}, who="reviewer"),
    Bad("an unknown rating dimension", "/evaluations/{evaluation}/ratings/attitude/revisions",
        body={"rating": "above", "reason": "x"}, who="reviewer", status=400,
        code="bad_parameter"),
    Bad("a path id that is not a UUID", "/evaluations/bukan-uuid/comments", body={"text": "x"},
        status=400, code="bad_parameter"),
    Bad("a record that does not exist", "/evaluations/00000000-0000-4000-8000-000000000000/"
        "comments", body={"text": "x"}, status=404, code="not_found"),
    # huge strings and bodies, deep nesting, broken encodings
    Bad("a comment over 10 000 characters", COMMENTS, body={"text": "a" * 10_001}),
    Bad("a 200 000 character string", COMMENTS, body={"text": "a" * 200_000}),
    Bad("a unit name over 300 characters", "/units", body={"code": "X", "name": "n" * 301},
        who="admin"),
    Bad("a body over 256 KiB", COMMENTS, body={"text": "a" * 300_000}, status=413,
        code="payload_too_large"),
    Bad("a chunked body over 256 KiB", COMMENTS, content=partial(chunks, 300_000), status=413,
        code="payload_too_large"),
    Bad("arrays nested 100 000 deep", COMMENTS, content=b"[" * 100_000 + b"]" * 100_000,
        status=400, code=None),
    Bad("a field nested 100 000 deep", COMMENTS,
        content=b'{"text": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", status=400, code=None),
    Bad("invalid UTF-8", COMMENTS, content=b'{"text": "\xff\xfe"}', status=400, code=None),
    Bad("a lone UTF-16 surrogate", COMMENTS, content=b'{"text": "a\\ud800b"}'),
    # NUL characters
    Bad("NUL in a comment", COMMENTS, body={"text": "a\x00b"}, code="invalid_value"),
    Bad("NUL in a unit name", "/units", body={"code": "NUL1", "name": "a\x00b"},
        code="invalid_value", who="admin"),
    Bad("NUL in an explanation", "/keberatan/{keberatan}/explanations",
        body={"party": "asn", "text": "a\x00b"}, code="invalid_value"),
    # NIPs that are not NIPs
    *[Bad(f"a NIP {why}", "/employees", body=employee(nip=nip), who="admin") for why, nip in (
        ("too short", "12345"), ("with letters", "19800101200501100A"),
        ("in other digits", "١٩٨٠٠١٠١٢٠٠٥٠١١٠٠١"), ("born on 13/13", "198013132005011001"),
        ("with sex digit 3", "198001012005013001"), ("with sequence 000", "198001012005011000"),
        ("appointed as a child", "198001011985011001"))],
    Bad("a team member with a bad NIP", "/evaluations/{evaluation}/team",
        body={"members": ["123"]}, who="admin"),
    Bad("an evaluation for a bad NIP", "/evaluations", body={"nip": "0" * 18, "period": "2024"},
        who="admin"),
    # dates out of range
    *[Bad(f"a date {why}", "/employees", body=employee(effective_from=day), who="admin")
      for why, day in (("before 2000", "1999-12-31"), ("after 2100", "2101-01-01"),
                       ("on the 30th of February", "2024-02-30"),
                       ("in a thirteenth month", "2024-13-01"), ("in words", "kemarin"))],
    Bad("a time without a zone", "/inspections", body=inspection("2024-01-08T02:00:00"),
        who="inspector"),
    Bad("a zone offset of 25 hours", "/inspections", body=inspection("2024-01-08T02:00:00+25:00"),
        who="inspector"),
    Bad("an inspection in 1999", "/inspections", body=inspection("1999-12-31T23:00:00Z"),
        who="inspector"),
    Bad("an inspection in the future", "/inspections", body=inspection("9999-12-31T23:59:59Z"),
        code="invalid_value", who="inspector"),
    Bad("a fifth quarter", "/evaluations", body={"nip": NIP, "period": "2024-Q5"}, who="admin"),
    Bad("a period in 1999", "/evaluations", body={"nip": "{asn}", "period": "1999"},
        who="admin"),  # the schema's years (domain.periods): refused before the domain's
    # headers
    *[Bad(f"If-Match {value}", COMMENTS, body={"text": "x"}, headers={"If-Match": value},
          status=400, code="bad_if_match")
      for value in ("7", '"tujuh"', '"-1"', '"1234567890123456789"', '"1", "2"', "W/")],
    *[Bad(f"Idempotency-Key {value!r}", COMMENTS, body={"text": "x"},
          headers={"Idempotency-Key": value}, status=400, code="bad_idempotency_key")
      for value in ("", "kunci rahasia", "a" * 129, "a/b", "<key>")],
]


def fill(text: str, world) -> str:
    return text.format(evaluation=world.evaluation, keberatan=world.keberatan,
                       unit=world.line.unit, asn=world.line.asn)


def caller(world, who: str):
    nips = {"asn": world.line.asn, "admin": ADMIN, "inspector": world.inspector,
            "reviewer": world.line.rater}
    return world.api.as_(nips[who], who)


@pytest.mark.parametrize("bad", CASES, ids=[c.why for c in CASES])
def test_bad_input_is_refused_with_a_problem_and_nothing_is_written(world, bad):
    body = bad.body
    if isinstance(body, dict):
        body = {k: fill(v, world) if isinstance(v, str) else v for k, v in body.items()}
    content = bad.content() if callable(bad.content) else bad.content
    with world.api.nothing_written():
        response = caller(world, bad.who).post(fill(bad.path, world), body,
                                               headers=bad.headers or None, content=content)
        problem(response, bad.status, bad.code)


@pytest.mark.parametrize("text", [
    "'); DROP TABLE stored_events; --",
    "<script>alert('kinerja')</script><img src=x onerror=alert(1)>",
    "1' OR '1'='1; SELECT pg_sleep(10); --",
    "Ṣ̌ — ﷺ 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 \u202eRTL\u2028baris 🙂 %00 \\u0000 {{7*7}} ${jndi:ldap://x}",
])
def test_text_that_looks_like_sql_or_html_is_stored_verbatim(world, text):
    asn = world.api.as_(world.line.asn, "asn")
    written = asn.post(f"/evaluations/{world.evaluation}/comments", {"text": text})
    assert written.status_code == 200 and written.headers["content-type"] == "application/json"
    assert written.json()["text"] == text
    read = asn.get(f"/evaluations/{world.evaluation}/comments").json()["comments"][-1]["text"]
    recorded = asn.get(f"/evaluations/{world.evaluation}/history").json()["events"][-1]
    assert read == recorded["data"]["text"] == text


def test_a_unit_name_with_markup_is_stored_and_served_as_json(world):
    name = "<b>Dinas</b> \"Kependudukan\" & 'Catatan Sipil'; DROP TABLE units; --"
    created = world.api.admin.post("/units", {"code": "HTML-1", "name": name})
    assert created.status_code == 201, created.text
    read = world.api.as_(world.stranger, "asn").get("/units/HTML-1")
    assert read.headers["content-type"] == "application/json" and read.json()["name"] == name
