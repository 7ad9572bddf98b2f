"""The service's access log line: bounded paths, and NIPs written <nip> where the operator asks
(issue 15: nothing in the logs that need not be there)."""

from __future__ import annotations

import logging
from dataclasses import replace

import orjson
from fastapi.testclient import TestClient

from api.middleware import MAX_LOGGED_PATH, logged_path
from tests.api.support import service

NIP = "198001012005011001"


def _paths(caplog) -> list[str]:
    return [orjson.loads(r.getMessage())["path"] for r in caplog.records
            if r.name == "kinerja.access"]


def test_a_path_is_cut_and_its_nips_redacted_only_when_asked():
    assert logged_path(f"/employees/{NIP}/access-log", redact_nips=True) == (
        "/employees/<nip>/access-log")
    assert logged_path(f"/employees/{NIP}", redact_nips=False) == f"/employees/{NIP}"
    assert logged_path("/x" + "1" * 19, redact_nips=True) == "/x" + "1" * 19  # not a NIP
    long = logged_path("/" + "a" * 5000, redact_nips=False)
    assert len(long) == MAX_LOGGED_PATH + 1 and long.endswith("…")


def test_the_service_logs_requests_with_the_nips_redacted(settings, clock, caplog):
    caplog.set_level(logging.INFO, logger="kinerja.access")
    with TestClient(service(replace(settings, redact_nips=True), clock)) as client:
        client.get(f"/employees/{NIP}")
        client.get("/" + "z" * 3000)
    paths = _paths(caplog)
    assert "/employees/<nip>" in paths and all(NIP not in p for p in paths)
    assert max(len(p) for p in paths) == MAX_LOGGED_PATH + 1
