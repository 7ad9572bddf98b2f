"""The real app on each backend: per test (the ``settings`` fixture), on a real uvicorn, and one
arranged store per backend shared by a module's read-mostly tests (``world``)."""

from __future__ import annotations

import os

import httpx
import psycopg
import pytest
from fastapi.testclient import TestClient

from service.config import Settings
from service.store import init_db
from tests.api.routes import document as app_document
from tests.api.support import Api, service, serving
from tests.api.world import World
from tests.conftest import ADMIN_URL, Clock, postgres_url


@pytest.fixture
def api(settings, clock):
    """The app through a TestClient, on an empty store."""
    with TestClient(service(settings, clock)) as client:
        yield Api(client.app, client)


@pytest.fixture
def served(settings, clock):
    """The app on a real uvicorn on loopback; ``http`` is an httpx client on it."""
    app = service(settings, clock)
    with serving(app) as url, httpx.Client(base_url=url, timeout=30) as http:
        yield Api(app, http)


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def shared_settings(request, tmp_path_factory):
    """A store per backend for one module (PostgreSQL: a database of this process's own)."""
    if request.param == "sqlite":
        config = Settings(f"sqlite:///{tmp_path_factory.mktemp('shared') / 'kinerja.db'}")
        init_db(config)
        yield config
        return
    name = f"kinerja_test_api_{os.getpid()}"
    _recreate(name)
    config = Settings(postgres_url(name))
    init_db(config)
    yield config
    _recreate(name, create=False)


def _recreate(name: str, *, create: bool = True) -> None:
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        if create:
            conn.execute(f"CREATE DATABASE {name}")


@pytest.fixture(scope="module")
def world(shared_settings):
    """Two reporting lines, a finalised evaluation with a team and a keberatan, an inspection
    with a follow-up: arranged once per backend; tests that use it must not change who is
    related to what."""
    clock = Clock()
    with TestClient(service(shared_settings, clock)) as client:
        yield World.arrange(Api(client.app, client), clock)


@pytest.fixture(scope="session")
def document() -> dict:
    """The app's own OpenAPI document."""
    return app_document()
