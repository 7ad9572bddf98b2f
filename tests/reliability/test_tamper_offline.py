"""Tampering at rest, caught offline from an export, as an auditor would.

For every case of tests/ledger/tampering.py (the cases the database verifier is tested on): a
store holding a signed history is changed with raw SQL, then the real command line runs in
subprocesses — `kinerja export BUNDLE` on the store's machine, and `kinerja verify --bundle
BUNDLE --json --key <the auditor's own verifier key>` where no database is reachable. The export
must carry the tampered data (never refuse, repair or hide it); the offline verification must
exit 1 and name the first bad leaf, its event and the kind. The untouched store verifies with
exit 0. Every case on SQLite; on PostgreSQL the cases whose export reads differently there (the
commit order is the notification id, ids are uuids, state is bytea): each command costs a
second of start-up. One history per backend, copied for each case.
"""

from __future__ import annotations

import itertools
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, replace
from pathlib import Path

import psycopg
import pytest

from ledger.keys import create_key
from ledger.log import Leaf
from ledger.verify import KINDS
from service.config import Settings
from service.store import checkpointer, init_db, open_app
from tests.conftest import ADMIN_URL, Clock, postgres_url
from tests.ledger.conftest import RogueAdmin, some_history
from tests.ledger.tampering import (
    TAMPERINGS,
    forged_event_inserted,
    one_byte_of_state_changed,
    two_events_swapped,
)
from tests.ledger.test_bundle_and_cli import kinerja

NOWHERE = "postgresql://nobody@127.0.0.1:1/none"  # the auditor's machine has no database
_copies = itertools.count()
ON_POSTGRES = {one_byte_of_state_changed, forged_event_inserted, two_events_swapped}


@dataclass(frozen=True)
class History:
    settings: Settings  # the untouched store, never handed to a test
    leaves: list[Leaf]


@pytest.fixture(scope="module")
def histories(tmp_path_factory):
    """Two finalised evaluations' events with one checkpoint signed at the end: built once per
    backend, on first use."""
    built: dict[str, History] = {}

    def history(backend: str) -> History:
        if backend not in built:
            built[backend] = _signed_history(backend, tmp_path_factory.mktemp(backend))
        return built[backend]

    yield history
    if "postgres" in built:
        _database(_name(built["postgres"].settings), template=None, create=False)


def _signed_history(backend: str, folder: Path) -> History:
    name = f"kinerja_test_tamper_{os.getpid()}"
    if backend == "postgres":
        _database(name, template=None)
    url = f"sqlite:///{folder / 'kinerja.db'}" if backend == "sqlite" else postgres_url(name)
    settings = Settings(url, key_file=folder / "keys" / "ledger.key",
                        verifier_keys=folder / "keys" / "verifiers.txt",
                        checkpoint_every=10_000, checkpoint_seconds=10_000)
    init_db(settings)
    create_key(settings.key_file, settings.origin, settings.verifier_keys)
    clock = Clock()  # the app's own, which the history moves past the period's end to report
    app = open_app(settings, clock=clock)
    try:
        some_history(app, clock)
        assert checkpointer(app, settings).checkpoint() is not None
        return History(settings, app.ledger.leaves(0, app.ledger.size()))
    finally:
        app.close()


@pytest.fixture
def signed_history(histories, backend) -> History:
    return histories(backend)


@pytest.fixture
def store(signed_history, tmp_path):
    """A copy of the signed history for one test: the store the rogue administrator changes."""
    base = signed_history.settings
    if base.backend == "sqlite":
        copy = tmp_path / "kinerja.db"
        shutil.copyfile(base.database_url.split(":///", 1)[1], copy)
        yield replace(base, database_url=f"sqlite:///{copy}")
        return
    template = _name(base)
    name = f"{template}_{next(_copies)}"
    _database(name, template=template)
    yield replace(base, database_url=postgres_url(name))
    _database(name, template=None, create=False)


def _name(settings: Settings) -> str:
    return settings.database_url.rsplit("/", 1)[1]


def _database(name: str, *, template: str | None, create: bool = True) -> None:
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        if create:
            conn.execute(f"CREATE DATABASE {name}" + (f" TEMPLATE {template}" if template else ""))


def export(store: Settings, folder: Path) -> Path:
    """`kinerja export` on the store's machine: it must write the bundle, tampered or not."""
    bundle = folder / "ledger.zip"
    result = kinerja(store, "export", str(bundle))
    assert result.returncode == 0 and bundle.exists(), result.stderr
    return bundle


def audit(store: Settings, bundle: Path, *options: str) -> subprocess.CompletedProcess:
    """`kinerja verify --bundle` on the auditor's machine, trusting the auditor's own key only
    (taken from `kinerja keys init`'s output when the key was made, not from the bundle)."""
    (key,) = store.verifier_keys.read_text().split()
    return subprocess.run(
        [sys.executable, "-m", "api", "verify", "--bundle", str(bundle), "--key", key, *options],
        env={**os.environ, "KINERJA_DATABASE_URL": NOWHERE}, capture_output=True, text=True,
        timeout=120)


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_an_untouched_store_exports_a_bundle_that_verifies_offline(signed_history, store,
                                                                   tmp_path):
    result = audit(store, export(store, tmp_path), "--json")
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(result.stdout)
    assert report["ok"] and report["first_failure"] is None
    assert (report["leaves"], report["checkpoints"]) == (len(signed_history.leaves), 1)


@pytest.mark.parametrize("backend, case", [
    *(("sqlite", case) for case in TAMPERINGS),
    *(("postgres", case) for case in TAMPERINGS if case.tamper in ON_POSTGRES)], ids=str)
def test_tampering_at_rest_is_caught_offline_from_an_export(signed_history, store, tmp_path,
                                                            case):
    with RogueAdmin(store) as rogue:
        caught = case.tamper(rogue, signed_history.leaves, store)
    result = audit(store, export(store, tmp_path), "--json")
    report = json.loads(result.stdout)
    if not case.exported:
        # The bundle holds every event, leaf and checkpoint, all intact; the rewritten subtree
        # hash is not evidence (the verifier rebuilds the tree), so the bundle verifies...
        assert result.returncode == 0 and report["ok"], report
        # ...and the auditor's run on the database itself names it.
        result = kinerja(store, "verify", "--json")
        report = json.loads(result.stdout)
    assert result.returncode == 1, result.stdout + result.stderr
    assert report["ok"] is False
    caught.check(report["first_failure"])


@pytest.mark.parametrize("backend", ["sqlite"])
def test_the_plain_report_names_the_leaf_the_event_and_what_happened(signed_history, store,
                                                                     tmp_path):
    with RogueAdmin(store) as rogue:
        caught = one_byte_of_state_changed(rogue, signed_history.leaves, store)
    result = audit(store, export(store, tmp_path))
    oid, version = str(caught.event.originator_id), caught.event.originator_version
    assert result.returncode == 1
    assert result.stdout.startswith(f"FAILED: leaf {caught.leaf_index} (event {oid} v{version}):"
                                    f" {KINDS[caught.kind]}: "), result.stdout
