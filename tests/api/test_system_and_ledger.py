"""/health, /ready, /me, request ids, and the auditor contract of the ledger: checkpoints signed
as `kinerja checkpoint` signs them, leaves for auditors and admins only, proofs for anyone, and
every proof verifying against the signed roots with ledger.merkle."""

from __future__ import annotations

import base64
import time

import pytest
from fastapi.testclient import TestClient

from ledger.keys import trusted_verifiers
from ledger.merkle import ProofError, leaf_hash, verify_consistency, verify_inclusion
from ledger.note import Checkpoint, open_checkpoint
from service.store import checkpointer, open_app
from tests.api.support import ADMIN, Api, problem, service
from tests.service.scenario import finalised, reporting_line


@pytest.fixture
def ledger_api(signed_settings, clock):
    """The service with a signing key (tests/conftest.py): it signs only when told, or when
    it starts."""
    with TestClient(service(signed_settings, clock)) as client:
        yield Api(client.app, client)


def sign(api: Api, config) -> Checkpoint:
    """What `kinerja checkpoint` does; then read the checkpoint back through the API."""
    checkpointer(api.kinerja, config).checkpoint()
    response = api.anonymous.get("/ledger/checkpoint")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/plain")
    return open_checkpoint(response.text, config.origin, trusted_verifiers(config.verifier_keys))


def hashes(hexes: list[str]) -> list[bytes]:
    return [bytes.fromhex(h) for h in hexes]


def test_health_answers_anyone(api):
    response = api.anonymous.get("/health")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})
    assert len(response.headers["x-request-id"]) == 32


def test_ready_names_the_database_and_counts_the_ledger(api, clock, settings):
    empty = api.anonymous.get("/ready").json()
    assert (empty["status"], empty["database"], empty["ledger_size"]) == (
        "ready", settings.backend, 0)
    reporting_line(api.kinerja)
    assert api.anonymous.get("/ready").json()["ledger_size"] == api.position() > 0


def test_me_names_the_token_holder(api):
    assert api.as_("198001012005011001", "appeal_board").get("/me").json() == {
        "nip": "198001012005011001", "role": "appeal_board"}
    problem(api.anonymous.get("/me"), 401, "not_authenticated")


@pytest.mark.parametrize("given, echoed", [("kinerja-abc.123_x", True), ("a" * 65, False),
                                           ("spasi di dalam", False), ("", False)])
def test_a_valid_request_id_is_echoed_and_any_other_replaced(api, given, echoed):
    answered = api.anonymous.get("/health", headers={"X-Request-Id": given})
    assert (answered.headers["x-request-id"] == given) is echoed
    assert answered.headers["x-request-id"]


def test_no_checkpoint_is_served_before_one_is_signed(ledger_api):
    problem(ledger_api.anonymous.get("/ledger/checkpoint"), 404, "no_checkpoint")


def test_every_leaf_is_proved_included_under_the_signed_root(ledger_api, signed_settings, clock):
    finalised(ledger_api.kinerja, clock, reporting_line(ledger_api.kinerja))
    checkpoint = sign(ledger_api, signed_settings)
    assert checkpoint.size == ledger_api.anonymous.get("/ready").json()["ledger_size"] > 10
    leaves = ledger_api.as_(ADMIN, "auditor").get("/ledger/leaves", start=0,
                                                  end=checkpoint.size).json()["leaves"]
    assert [leaf["index"] for leaf in leaves] == list(range(checkpoint.size))
    for leaf in leaves:
        assert leaf_hash(base64.b64decode(leaf["leaf"])).hex() == leaf["hash"]
        proof = ledger_api.anonymous.get("/ledger/proofs/inclusion", index=leaf["index"],
                                         tree_size=checkpoint.size).json()
        verify_inclusion(bytes.fromhex(leaf["hash"]), leaf["index"], checkpoint.size,
                         hashes(proof["hashes"]), checkpoint.root)
    with pytest.raises(ProofError):
        verify_inclusion(bytes.fromhex(leaves[1]["hash"]), 0, checkpoint.size,
                         hashes(proof["hashes"]), checkpoint.root)


def test_a_later_checkpoint_is_proved_consistent_with_an_earlier_one(ledger_api, signed_settings,
                                                                    clock):
    reporting_line(ledger_api.kinerja)
    first = sign(ledger_api, signed_settings)
    finalised(ledger_api.kinerja, clock, reporting_line(ledger_api.kinerja))
    second = sign(ledger_api, signed_settings)
    proof = ledger_api.anonymous.get("/ledger/proofs/consistency", first=first.size,
                                     second=second.size).json()
    assert proof["tree_size"] == second.size > first.size
    verify_consistency(first.size, second.size, hashes(proof["hashes"]), first.root, second.root)
    with pytest.raises(ProofError):
        verify_consistency(first.size, second.size, hashes(proof["hashes"]), second.root,
                           first.root)


def test_the_service_signs_an_unsigned_log_when_it_starts(signed_settings, clock):
    """The history is written with no signer at all: a service around it would sign at its
    own start, racing the first writes (a checkpoint of 1 leaf, served here first)."""
    unsigned = open_app(signed_settings, sign=False, clock=clock)
    reporting_line(unsigned)
    unsigned.close()
    with TestClient(service(signed_settings, clock)) as client:
        deadline = time.monotonic() + 10
        while (answer := client.get("/ledger/checkpoint")).status_code == 404:
            assert time.monotonic() < deadline, "no checkpoint signed at start"
            time.sleep(0.05)
        size = Checkpoint.parse(answer.text.split("\n\n")[0] + "\n").size
        assert size == client.get("/ready").json()["ledger_size"]


@pytest.mark.parametrize("role", ["asn", "reviewer", "inspector", "appeal_board"])
def test_leaves_carry_personal_data_so_only_auditors_and_admins_read_them(ledger_api, role):
    reporting_line(ledger_api.kinerja)
    problem(ledger_api.as_(ADMIN, role).get("/ledger/leaves", start=0, end=1), 403,
            "forbidden_role")
    problem(ledger_api.anonymous.get("/ledger/leaves", start=0, end=1), 401)
    assert ledger_api.admin.get("/ledger/leaves", start=0, end=1).status_code == 200


@pytest.mark.parametrize("path, query, code", [
    ("/ledger/leaves", {"start": 3, "end": 3}, "bad_range"),
    ("/ledger/leaves", {"start": 0, "end": 1001}, "bad_range"),
    ("/ledger/proofs/inclusion", {"index": 5, "tree_size": 5}, "index_out_of_range"),
    ("/ledger/proofs/inclusion", {"index": 0, "tree_size": 10**6}, "invalid_sizes"),
    ("/ledger/proofs/consistency", {"first": 0, "second": 3}, "invalid_sizes"),
    ("/ledger/proofs/consistency", {"first": 4, "second": 3}, "invalid_sizes"),
])
def test_a_proof_or_range_that_cannot_be_given_is_a_clear_400(ledger_api, path, query, code):
    reporting_line(ledger_api.kinerja)
    problem(ledger_api.admin.get(path, **query), 400, code)
