"""Who is calling: our bearer tokens (hashed, revocable) or, when configured, the identity
provider's JWTs (signature, issuer, audience, expiry). No anonymous writes; the identity on
the events is the token's."""

from __future__ import annotations

import hashlib
import time
from dataclasses import replace
from datetime import datetime, timedelta, timezone

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi.testclient import TestClient

from api import auth
from service.config import JwtSettings
from tests.api.support import Api, Caller, problem, service
from tests.service.scenario import reported, reporting_line

ISSUER, AUDIENCE = "https://sso.semarangkota.go.id", "kinerja-ledger"
NIP = "198001012005011001"


def bearer(api: Api, authorization: str) -> Caller:
    return Caller(api.http, None, authorization=authorization)


@pytest.mark.parametrize("authorization, code", [
    ("", "not_authenticated"),
    ("Basic YWRtaW46YWRtaW4=", "not_authenticated"),
    ("Bearer ", "not_authenticated"),
    ("Bearer kin_000000000000_rahasia", "invalid_token"),
    ("Bearer kin_tanpa-rahasia", "invalid_token"),
    ("Bearer eyJhbGciOiJub25lIn0.eyJuaXAiOiIxIn0.", "invalid_token"),  # no IdP configured
])
def test_a_missing_or_unknown_credential_is_refused(api, authorization, code):
    with api.nothing_written():
        response = bearer(api, authorization).post("/units", {"code": "X", "name": "Unit X"})
        problem(response, 401, code)
    assert response.headers["www-authenticate"] == "Bearer"


def test_a_token_with_a_wrong_secret_is_refused(api):
    token_id = api.token(NIP, "admin").split("_")[1]
    problem(bearer(api, f"Bearer kin_{token_id}_bukan-rahasianya").get("/me"), 401,
            "invalid_token")


def test_the_scheme_is_case_insensitive(api):
    response = bearer(api, f"bearer {api.token(NIP, 'asn')}").get("/me")
    assert response.json() == {"nip": NIP, "role": "asn"}


def test_a_revoked_token_is_refused(api):
    token = api.services.auth.tokens.issue(NIP, "admin")
    assert api.services.auth.tokens.revoke(token)
    problem(Caller(api.http, token).get("/me"), 401, "invalid_token")


def test_a_token_for_a_role_the_service_does_not_know_is_refused(api):
    token = api.services.auth.tokens.issue(NIP, "superuser")
    problem(Caller(api.http, token).get("/me"), 401, "invalid_token")


# ---- identity-provider JWTs ------------------------------------------------------------------

@pytest.fixture
def idp(settings, clock, tmp_path):
    """The service trusting an identity provider's Ed25519 key; yields (api, the IdP's key)."""
    key = Ed25519PrivateKey.generate()
    pem = tmp_path / "idp.pem"
    pem.write_bytes(key.public_key().public_bytes(serialization.Encoding.PEM,
                                                  serialization.PublicFormat.SubjectPublicKeyInfo))
    config = replace(settings, jwt=JwtSettings(ISSUER, AUDIENCE, pem))
    with TestClient(service(config, clock)) as client:
        yield Api(client.app, client), key


def issued(key, **claims) -> str:
    now = datetime.now(timezone.utc)
    body = {"iss": ISSUER, "aud": AUDIENCE, "exp": now + timedelta(minutes=5), "nip": NIP,
            "role": "asn"} | claims
    return jwt.encode({k: v for k, v in body.items() if v is not None}, key, algorithm="EdDSA")


def test_a_valid_jwt_names_the_caller_and_the_events_record_it(idp, clock):
    api, key = idp
    line = reporting_line(api.kinerja)
    evaluation = reported(api.kinerja, clock, line).id
    caller = bearer(api, f"Bearer {issued(key, nip=line.asn, sub='ignored')}")
    assert caller.get("/me").json() == {"nip": line.asn, "role": "asn"}
    answer = caller.post(f"/evaluations/{evaluation}/comments", {"text": "lewat SSO"})
    assert answer.status_code == 200
    assert api.kinerja.comments(evaluation)[-1]["by"] == line.asn


@pytest.mark.parametrize("claims", [
    {"exp": datetime.now(timezone.utc) - timedelta(minutes=1)},
    {"exp": None},
    {"aud": "aplikasi-lain"},
    {"iss": "https://sso.palsu.example"},
    {"nip": None},
    {"role": "superuser"},
    {"role": None},
], ids=["expired", "no expiry", "other audience", "other issuer", "no nip", "unknown role",
        "no role"])
def test_a_jwt_that_fails_a_check_is_refused(idp, claims):
    api, key = idp
    with api.nothing_written():
        response = bearer(api, f"Bearer {issued(key, **claims)}").post(
            "/units", {"code": "JWT", "name": "Unit"})
        problem(response, 401, "invalid_token")


def test_a_jwt_signed_by_another_key_is_refused(idp):
    api, _ = idp
    problem(bearer(api, f"Bearer {issued(Ed25519PrivateKey.generate())}").get("/me"), 401,
            "invalid_token")


def test_an_unsigned_jwt_is_refused(idp):
    api, _ = idp
    unsigned = jwt.encode({"iss": ISSUER, "aud": AUDIENCE, "nip": NIP, "role": "admin",
                           "exp": datetime.now(timezone.utc) + timedelta(minutes=5)},
                          None, algorithm="none")
    problem(bearer(api, f"Bearer {unsigned}").get("/me"), 401, "invalid_token")


# ---- remembered tokens ---------------------------------------------------------------------

def test_a_token_revoked_in_use_stops_working_within_the_cache_bound(api, monkeypatch):
    token = api.services.auth.tokens.issue(NIP, "admin")
    caller = Caller(api.http, token)
    assert caller.get("/me").status_code == 200
    assert api.services.auth.tokens.revoke(token)
    assert caller.get("/me").status_code == 200  # remembered: at most CACHE_SECONDS more
    later = time.monotonic() + auth.CACHE_SECONDS
    monkeypatch.setattr(auth, "monotonic", lambda: later)
    problem(caller.get("/me"), 401, "invalid_token")


def test_tokens_are_remembered_by_their_hash_only(api):
    token = api.services.auth.tokens.issue(NIP, "asn")
    assert Caller(api.http, token).get("/me").status_code == 200
    remembered = api.services.auth._cache
    assert hashlib.sha256(token.encode()).digest() in remembered
    assert not any(token.encode() in key or token.split("_", 2)[2].encode() in key
                   for key in remembered)


def test_an_expiring_token_is_not_remembered_past_its_expiry(api, monkeypatch):
    token = api.services.auth.tokens.issue(NIP, "asn", days=1)
    expires = datetime.now(timezone.utc) + timedelta(days=1)
    monkeypatch.setattr(auth, "epoch_seconds", lambda: expires.timestamp() - 5)  # 5 s left
    assert Caller(api.http, token).get("/me").status_code == 200
    [(until, _)] = api.services.auth._cache.values()
    assert until - time.monotonic() <= 5


# ---- subjects: the actor every event records -------------------------------------------------

NOT_PEOPLE = {"NUL": "19800101200501\x001001", "path": "../../../etc/passwd",
              "long": "1" * 5000, "short": "12345", "no such date": "198013012005011001",
              "padded": " 198001012005011001", "service id with a path": "system:../admin",
              "newline after": "system:demo\n"}


@pytest.mark.parametrize("subject", NOT_PEOPLE.values(), ids=NOT_PEOPLE.keys())
@pytest.mark.parametrize("claim", ["nip", "sub"])
def test_a_jwt_whose_subject_is_not_a_person_or_service_is_refused(idp, subject, claim):
    api, key = idp
    claims = {"nip": None, "sub": subject} if claim == "sub" else {"nip": subject}
    with api.nothing_written():
        response = bearer(api, f"Bearer {issued(key, role='admin', **claims)}").post(
            "/units", {"code": "JWT", "name": "Unit"})
        problem(response, 401, "invalid_subject")


@pytest.mark.parametrize("subject", ["198001012005011001", "199009132025212014",
                                     "system:import"], ids=["NIP", "NI PPPK", "service"])
def test_a_jwt_naming_a_person_or_a_service_identity_is_accepted(idp, subject):
    api, key = idp
    me = bearer(api, f"Bearer {issued(key, nip=subject)}").get("/me")
    assert me.json() == {"nip": subject, "role": "asn"}


@pytest.mark.parametrize("subject", NOT_PEOPLE.values(), ids=NOT_PEOPLE.keys())
def test_no_token_is_issued_for_a_subject_that_is_not_a_person_or_service(api, subject):
    with pytest.raises(ValueError, match="neither a valid NIP"):
        api.services.auth.tokens.issue(subject, "asn")
