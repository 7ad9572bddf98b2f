"""PostgreSQL: the whole service runs as the role ``kinerja db init --service-role`` makes
(docs/OPERATIONS.md), which may only read and append to the record."""

from __future__ import annotations

import psycopg
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from service.config import Settings
from service.store import init_db
from tests.api.support import Api, ok
from tests.conftest import empty_postgres


@pytest.fixture
def service_role_url(postgres_database) -> str:
    empty_postgres(postgres_database)
    init_db(Settings(postgres_database), service_role="kinerja_service")
    return postgres_database.replace("postgres@", "kinerja_service@")


def test_the_service_serves_retried_writes_and_its_views_as_the_append_only_role(
        service_role_url, clock):
    body = {"code": "BAPPEDA", "name": "Badan Perencanaan Pembangunan Daerah"}
    with TestClient(create_app(Settings(service_role_url), clock=clock)) as http:
        api = Api(http.app, http)  # tokens are issued, and checked, as the service role
        first = api.admin.post("/units", body, key="unit-bappeda")  # events, ledger, receipt
        again = api.admin.post("/units", body, key="unit-bappeda")  # answered from the receipt
        assert ok(first, 201) == ok(again, 201) and again.headers["idempotent-replay"] == "true"
        position = first.headers["kinerja-position"]
        view = api.admin.get("/views/units/BAPPEDA/dashboard", year=2024, after=position)
        assert view.status_code == 200 and view.json()["position"] >= int(position)
    with psycopg.connect(service_role_url, autocommit=True) as conn:
        conn.execute("DELETE FROM api_tokens WHERE false")  # what it keeps up to date: allowed
        for statement in ("DELETE FROM request_receipts", "UPDATE ledger_nodes SET hash = ''"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(statement)
