"""Shared fixtures: a real store on SQLite and on PostgreSQL, and a clock the tests move.

PostgreSQL tests use their own database (created once per run, emptied before each test).
Set KINERJA_TEST_POSTGRES_URL to point elsewhere; CI starts the server, so they never skip there.
"""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from urllib.parse import urlsplit

import psycopg
import pytest

from ledger.keys import create_key
from service.config import Settings
from service.store import init_db, open_app

ADMIN_URL = os.environ.get("KINERJA_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
TEST_DB = f"kinerja_test_{os.getpid()}"  # runs side by side must not drop each other's


class Clock:
    """A clock the test sets and moves; injected into the Application, never patched in."""

    def __init__(self, start: datetime = datetime(2024, 1, 8, 9, 0, tzinfo=timezone.utc)):
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def set(self, *args: int) -> None:
        self.now = datetime(*args, tzinfo=timezone.utc)

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def postgres_url(dbname: str = TEST_DB) -> str:
    parts = urlsplit(ADMIN_URL)
    return parts._replace(path=f"/{dbname}").geturl()


@pytest.fixture(scope="session")
def postgres_database():
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {TEST_DB} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {TEST_DB}")
    settings = Settings(postgres_url())
    init_db(settings)
    yield settings.database_url
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {TEST_DB} WITH (FORCE)")


def empty_postgres(url: str) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        tables = [r[0] for r in conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
        if tables:  # as the superuser, past the append-only triggers
            conn.execute("SET session_replication_role = replica")
            conn.execute("TRUNCATE " + ", ".join(tables) + " RESTART IDENTITY")
            # The library's mark that its tracking table is of the current kind: without it,
            # the next `db init` would migrate (rename) the table, and the one after fail.
            if "kinerja_tracking" in tables:
                conn.execute("INSERT INTO kinerja_tracking (application_name, notification_id)"
                             " VALUES ('__migration__', 1)")


@pytest.fixture(params=["sqlite", "postgres"])
def settings(request: pytest.FixtureRequest, tmp_path) -> Settings:
    """Settings for a freshly initialised, empty store on each backend."""
    if request.param == "sqlite":
        config = Settings(f"sqlite:///{tmp_path / 'kinerja.db'}")
        init_db(config)
        return config
    url = request.getfixturevalue("postgres_database")
    empty_postgres(url)
    return Settings(url)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def app(settings: Settings, clock: Clock):
    application = open_app(settings, clock=clock)
    yield application
    application.close()


@pytest.fixture
def signed_settings(settings, tmp_path):
    config = replace(settings, key_file=tmp_path / "keys" / "ledger.key",
                     verifier_keys=tmp_path / "keys" / "verifiers.txt",
                     checkpoint_every=10_000, checkpoint_seconds=10_000)
    create_key(config.key_file, config.origin, config.verifier_keys)
    return config


@pytest.fixture
def ledger_app(signed_settings, clock):
    application = open_app(signed_settings, clock=clock)
    yield application
    application.close()
