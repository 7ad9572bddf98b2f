"""Real processes for the reliability tests (their write load is in ``load.py``).

A scratch database (on the shared server, or on a private cluster a test may stop) is made ready
in-process (tables, a signing key, an arranged organisation, tokens); ``kinerja serve`` and
``kinerja project run`` then run as subprocesses the tests SIGKILL.
"""

from __future__ import annotations

import itertools
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from uuid import UUID

import httpx
import psycopg
import pytest

from bench.api_servers import BIN, HOST, ROOT, kinerja, ours_command
from bench.common import postgres_store
from ledger.db import LedgerDB
from ledger.keys import create_key
from service.config import Settings
from service.store import init_db, open_app
from service.tokens import TokenStore
from tests.conftest import ADMIN_URL, Clock
from tests.service.scenario import reported, reporting_line

LONG = os.environ.get("KINERJA_RELIABILITY_LONG") == "1"
PG_BIN = Path("/usr/lib/postgresql/15/bin")
_names = itertools.count()


def free_port() -> int:
    """A port nobody listens on now (the OS's choice)."""
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


# ---- the store ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Store:
    """A scratch database with a signing key beside it; ``env`` configures a ``kinerja``."""

    url: str
    folder: Path

    @property
    def settings(self) -> Settings:
        keys = self.folder / "keys"
        return Settings(self.url, key_file=keys / "ledger.key",
                        verifier_keys=keys / "verifiers.txt")

    def env(self, **extra: str) -> dict[str, str]:
        config = self.settings
        return {"KINERJA_DATABASE_URL": self.url, "KINERJA_KEY_FILE": str(config.key_file),
                "KINERJA_VERIFIER_KEYS": str(config.verifier_keys),
                "KINERJA_CHECKPOINT_EVERY": "50", "KINERJA_CHECKPOINT_SECONDS": "2", **extra}


def ready_store(url: str, folder: Path) -> Store:
    """The empty database at ``url`` with its tables made and a signing key created."""
    store = Store(url, folder)
    init_db(store.settings)
    create_key(store.settings.key_file, store.settings.origin, store.settings.verifier_keys)
    return store


@contextmanager
def scratch_store(folder: Path) -> Iterator[Store]:
    """A fresh database on the shared server, ready, and dropped afterwards."""
    with postgres_store(ADMIN_URL, f"kinerja_rel_{os.getpid()}_{next(_names)}") as made:
        yield ready_store(made.url, folder)


@contextmanager
def observing(store: Store) -> Iterator[Any]:
    """The application on the store, in the test's process, to read what the service wrote."""
    app = open_app(replace(store.settings, pool_size=1), sign=False)
    try:
        yield app
    finally:
        app.close()


@dataclass(frozen=True)
class Office:
    """Reporting lines, each with a reported evaluation, and a token for each person."""

    evaluations: list[UUID]
    raters: list[str]  # tokens, one per evaluation
    asns: list[str]


def arrange(store: Store, lines: int) -> Office:
    """``lines`` reporting lines whose evaluations wait for their ratings (through use cases)."""
    clock = Clock()
    app = open_app(store.settings, sign=False, clock=clock)
    try:
        tokens = TokenStore(LedgerDB.of(app.recorder))
        made = [(line, reported(app, clock, line).id)
                for line in (reporting_line(app) for _ in range(lines))]
        return Office([e for _, e in made],
                      [tokens.issue(line.rater, "reviewer") for line, _ in made],
                      [tokens.issue(line.asn, "asn") for line, _ in made])
    finally:
        app.close()


# ---- processes ----------------------------------------------------------------------------

class Process:
    """A ``kinerja`` command in a session of its own, its output appended to ``log``."""

    def __init__(self, args: list[str], env: dict[str, str], log: Path) -> None:
        self.log = log
        with log.open("ab") as out:
            self.popen = subprocess.Popen(args, cwd=ROOT, env=os.environ | env, stdout=out,
                                          stderr=subprocess.STDOUT, start_new_session=True)

    def __enter__(self) -> Process:
        return self

    def __exit__(self, *_: Any) -> None:
        self.stop()

    def kill(self) -> None:
        """SIGKILL: no shutdown, no flush, connections cut mid-statement."""
        os.killpg(self.popen.pid, signal.SIGKILL)
        self.popen.wait(10)

    def stop(self) -> None:
        """SIGTERM (a graceful stop), then SIGKILL if it lingers; nothing if already gone."""
        if self.popen.poll() is not None:
            return
        os.killpg(self.popen.pid, signal.SIGTERM)
        try:
            self.popen.wait(20)
        except subprocess.TimeoutExpired:
            self.kill()

    def tail(self) -> str:
        return self.log.read_text(errors="replace")[-3000:]


class Server(Process):
    """``kinerja serve`` on a free loopback port, started and ready (its /ready answers 200)."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        port = free_port()
        super().__init__(ours_command(port, 1), env, log)
        self.url = f"http://{HOST}:{port}"
        deadline = time.monotonic() + 60
        while not self._ready():
            assert self.popen.poll() is None, f"kinerja serve exited:\n{self.tail()}"
            assert time.monotonic() < deadline, f"kinerja serve not ready:\n{self.tail()}"
            time.sleep(0.1)

    def _ready(self) -> bool:
        try:
            return httpx.get(f"{self.url}/ready", timeout=2).status_code == 200
        except httpx.TransportError:
            return False


def projector(store: Store, log: Path) -> Process:
    return Process([str(BIN / "kinerja"), "project", "run"], store.env(), log)


def eventually(holds: Callable[[], bool], seconds: float = 60, what: str = "") -> None:
    deadline = time.monotonic() + seconds
    while not holds():
        assert time.monotonic() < deadline, f"not within {seconds:.0f} s: {what}"
        time.sleep(0.1)


def report(capsys: pytest.CaptureFixture, title: str, counts: dict[str, Any]) -> None:
    """The counts of a scenario, in the test output (not captured)."""
    with capsys.disabled():
        print(f"\n[{title}] " + ", ".join(f"{k}={v}" for k, v in counts.items()))


def verify(store: Store) -> str:
    """``kinerja verify`` as an auditor runs it; raises unless it exits 0."""
    return kinerja("verify", env=store.env()).strip()


# ---- a private PostgreSQL cluster ---------------------------------------------------------

class Cluster:
    """A PostgreSQL cluster of the test's own (initdb, pg_ctl), which it may stop and start."""

    def __init__(self, folder: Path) -> None:
        self.folder, self.port = folder, free_port()
        self.admin_url = f"postgresql://postgres@{HOST}:{self.port}/postgres"

    def run(self, tool: str, *args: str, check: bool = True) -> None:
        as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run([*as_postgres, str(PG_BIN / tool), *args], check=check,
                       capture_output=True, timeout=120)

    def database(self, folder: Path) -> Store:
        """A database of its own in the cluster, ready."""
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute("CREATE DATABASE kinerja")
        return ready_store(f"postgresql://postgres@{HOST}:{self.port}/kinerja", folder)

    def start(self) -> None:
        self.run("pg_ctl", "start", "-w", "-D", str(self.folder / "data"),
                 "-l", str(self.folder / "server.log"), "-o",
                 f"-p {self.port} -k {self.folder} -c listen_addresses={HOST} -c fsync=off")

    def stop(self, mode: str = "fast", *, check: bool = True) -> None:
        self.run("pg_ctl", "stop", "-w", "-D", str(self.folder / "data"), "-m", mode,
                 check=check)


@contextmanager
def private_cluster() -> Iterator[Cluster]:
    """initdb into a temporary folder owned by ``postgres``, started; removed afterwards."""
    if not (PG_BIN / "initdb").exists() or not (PG_BIN / "pg_ctl").exists():
        pytest.skip(f"the PostgreSQL 15 server binaries are not installed in {PG_BIN}")
    folder = Path(tempfile.mkdtemp(prefix="kinerja-pg-"))
    try:
        if os.geteuid() == 0:
            shutil.chown(folder, "postgres", "postgres")
        cluster = Cluster(folder)
        cluster.run("initdb", "-D", str(folder / "data"), "-U", "postgres", "--auth=trust",
                    "--no-sync", "-E", "UTF8")
        cluster.start()
        try:
            yield cluster
        finally:
            cluster.stop("immediate", check=False)  # it may be stopped already
    finally:
        shutil.rmtree(folder, ignore_errors=True)
