"""The ledger on a real store: inline leaves, proofs, checkpoints, keys, append-only tables."""

from __future__ import annotations

import os
import threading
from dataclasses import replace
from uuid import uuid4

import psycopg
import pytest
from eventsourcing.persistence import IntegrityError, PersistenceError, StoredEvent
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from domain.errors import DomainError
from ledger.append import EMPTY
from ledger.audit import verify_database
from ledger.checkpoints import CheckpointRefusedError
from ledger.db import LedgerDB
from ledger.keys import KeyFileError, load_signer, rotate_key, trusted_verifiers
from ledger.merkle import CompactRange, leaf_hash, verify_consistency, verify_inclusion
from service.config import Settings
from service.store import StoreError, checkpointer, init_db, open_app
from tests.conftest import empty_postgres
from tests.ledger.conftest import RogueAdmin, some_history
from tests.service.scenario import ADMIN, reporting_line


def reference_root(app) -> tuple[int, bytes, list[bytes]]:
    leaves = app.ledger.leaves(0, app.ledger.size())
    tree = CompactRange()
    for leaf in leaves:
        assert leaf_hash(leaf.leaf) == leaf.hash
        tree.append(leaf.hash)
    return tree.size, tree.root(), [leaf.hash for leaf in leaves]


@hsettings(max_examples=8, deadline=None,
           suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(batches=st.lists(st.integers(1, 25), min_size=1, max_size=6))
def test_leaves_are_dense_and_every_proof_verifies_whatever_the_batches(app, batches):
    line = reporting_line(app)
    evaluation = app.open_evaluation(ADMIN, line.asn, "2024")
    for size in batches:  # one save carries ``size`` events
        loaded = app.evaluation(evaluation.id)
        for n in range(size):
            loaded.comment(app.meta(line.actor("asn")), f"catatan {n}")
        app.commit(loaded)
    n, root, hashes = reference_root(app)
    assert app.ledger.root() == (n, root)
    for m in sorted({1, n // 3 or 1, n - 1 or 1, n}):
        _, root_m = app.ledger.root(m)
        for i in {0, m // 2, m - 1}:
            verify_inclusion(hashes[i], i, m, app.ledger.inclusion_proof(i, m), root_m)
        verify_consistency(m, n, app.ledger.consistency_proof(m, n), root_m, root)


def test_a_failure_inside_the_transaction_leaves_neither_event_nor_leaf(app, settings):
    line = reporting_line(app)
    evaluation = app.open_evaluation(ADMIN, line.asn, "2024")
    events_before, size_before = app.recorder.max_notification_id(), app.ledger.size()
    with RogueAdmin(settings) as rogue:
        rogue.fail_next_leaf_insert()
        with pytest.raises(Exception, match="injected failure"):
            app.comment(line.actor("asn"), evaluation.id, "x")
    assert app.recorder.max_notification_id() == events_before
    assert app.ledger.size() == size_before
    assert verify_database(LedgerDB.of(app.recorder), [], settings.origin).ok
    app.comment(line.actor("asn"), evaluation.id, "y")  # the failed save left no trace
    assert app.ledger.size() == size_before + 1
    assert verify_database(LedgerDB.of(app.recorder), [], settings.origin).ok


def test_checkpoints_are_signed_every_n_events(signed_settings, clock):
    app = open_app(replace(signed_settings, checkpoint_every=25), clock=clock)
    some_history(app, clock, lines=3)
    sizes = [c.tree_size for c in app.ledger.checkpoints()]
    assert len(sizes) >= 2 and all(b - a >= 25 for a, b in zip(sizes, sizes[1:]))
    report = verify_database(LedgerDB.of(app.recorder),
                             trusted_verifiers(signed_settings.verifier_keys),
                             signed_settings.origin)
    assert report.ok and report.checkpoints == len(sizes)
    app.close()


def test_no_checkpoint_is_signed_over_a_rewritten_history(ledger_app, signed_settings, clock):
    some_history(ledger_app, clock)
    signer = checkpointer(ledger_app, signed_settings)
    signer.checkpoint()
    with RogueAdmin(signed_settings) as rogue:
        rogue.set_node(5, 0, b"\x05" * 32)
    reporting_line(ledger_app)  # more events, so there is something new to sign
    with pytest.raises(CheckpointRefusedError):
        signer.checkpoint()


def test_a_rotated_key_keeps_old_checkpoints_verifiable(ledger_app, signed_settings, clock):
    some_history(ledger_app, clock, lines=1)
    checkpointer(ledger_app, signed_settings).checkpoint()
    rotate_key(signed_settings.key_file, signed_settings.origin, signed_settings.verifier_keys)
    some_history(ledger_app, clock, lines=1)
    checkpointer(ledger_app, signed_settings).checkpoint()
    notes = [c.note for c in ledger_app.ledger.checkpoints()]
    assert len(notes) == 2 and notes[0].split()[-1][:6] != notes[1].split()[-1][:6]
    assert len(trusted_verifiers(signed_settings.verifier_keys)) == 2
    report = verify_database(LedgerDB.of(ledger_app.recorder),
                             trusted_verifiers(signed_settings.verifier_keys),
                             signed_settings.origin)
    assert report.ok and report.checkpoints == 2


def test_the_private_key_file_is_readable_by_its_owner_only(signed_settings):
    assert os.stat(signed_settings.key_file).st_mode & 0o777 == 0o600
    os.chmod(signed_settings.key_file, 0o644)
    with pytest.raises(KeyFileError, match="chmod 600"):
        load_signer(signed_settings.key_file)


@pytest.mark.parametrize("statement", [
    "UPDATE {events} SET topic = 'x'", "DELETE FROM ledger_leaves",
    "TRUNCATE ledger_nodes", "UPDATE ledger_checkpoints SET note = 'x'",
])
def test_postgres_refuses_changes_to_the_ledger_even_for_its_owner(postgres_database, statement,
                                                                   clock):
    empty_postgres(postgres_database)
    app = open_app(Settings(postgres_database), clock=clock)
    some_history(app, clock, lines=1)
    assert app.ledger.size() > 0
    app.close()
    with psycopg.connect(postgres_database, autocommit=True) as conn:
        if "checkpoints" in statement:
            conn.execute("INSERT INTO ledger_checkpoints VALUES (1, %s, 'n', now())", (b"r" * 32,))
        with pytest.raises(psycopg.Error, match="append-only"):
            conn.execute(statement.replace("{events}", "kinerja_events"))


def test_the_service_role_may_read_and_append_only(postgres_database, clock):
    init_db(Settings(postgres_database), service_role="kinerja_service")
    service_url = postgres_database.replace("postgres@", "kinerja_service@")
    app = open_app(Settings(service_url), clock=clock)
    reporting_line(app)  # appends work
    app.close()
    with psycopg.connect(service_url, autocommit=True) as conn:
        conn.execute("SELECT count(*) FROM ledger_leaves")
        for statement in ("SET session_replication_role = replica", "DELETE FROM ledger_leaves",
                          "TRUNCATE kinerja_events", "UPDATE kinerja_events SET topic = 'x'",
                          "ALTER TABLE kinerja_events DISABLE TRIGGER USER"):
            with pytest.raises(psycopg.Error):
                conn.execute(statement)


def empty_store(settings: Settings) -> None:
    """The store of ``settings`` with its tables and nothing in them (one per example)."""
    if settings.backend == "postgresql":
        empty_postgres(settings.database_url)
        return
    path = settings.database_url.split(":///", 1)[1]
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)
    init_db(settings)


@hsettings(max_examples=12, deadline=None,
           suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(saves=st.lists(st.tuples(st.integers(0, 2), st.integers(1, 9)), min_size=1, max_size=12))
def test_writers_in_any_interleaving_build_the_one_tree(settings, saves):
    """Three writers, each save by any of them, of any size: whenever a writer's tree is stale
    the store makes the nodes (PostgreSQL: inside the save function); the tree is the one
    the leaves give, every proof verifies and the log verifies."""
    empty_store(settings)
    writers = [open_app(settings) for _ in range(3)]
    known, size, stale = [0, 0, 0], 0, 0  # the log's size as each writer last saw it
    try:
        for writer, count in saves:
            writers[writer].recorder.insert_events([
                StoredEvent(uuid4(), 1, "kinerja/X", b'{"n": %d}' % n) for n in range(count)])
            stale += known[writer] != size
            size = known[writer] = size + count
        if settings.backend == "postgresql":
            assert sum(w.recorder.stale_saves for w in writers) == stale
        n, root, hashes = reference_root(writers[0])
        assert n == sum(count for _, count in saves)
        assert all(w.ledger.root() == (n, root) for w in writers)
        for m in {1, n // 2 or 1, n}:
            _, root_m = writers[0].ledger.root(m)
            verify_consistency(m, n, writers[0].ledger.consistency_proof(m, n), root_m, root)
            verify_inclusion(hashes[m - 1], m - 1, m, writers[0].ledger.inclusion_proof(m - 1, m),
                             root_m)
        assert verify_database(LedgerDB.of(writers[0].recorder), [], settings.origin).ok
    finally:
        for writer in writers:
            writer.close()


def test_two_writers_taking_turns_keep_the_leaves_dense_and_the_tree_whole(settings):
    """Each recorder reuses the tree its last commit left only while the log still ends there:
    here every save finds the other writer's leaves after its own."""
    first, second = open_app(settings), open_app(settings)
    try:
        for n in range(12):
            writer = (first, second)[n % 2]
            writer.recorder.insert_events([
                StoredEvent(uuid4(), version, "kinerja/X", b'{"n": %d}' % n)
                for version in range(1, 1 + n % 4 + 1)])
        n, root, _ = reference_root(first)
        assert first.ledger.root() == (n, root) == second.ledger.root()
        assert n == sum(n % 4 + 1 for n in range(12))
        assert verify_database(LedgerDB.of(second.recorder), [], settings.origin).ok
    finally:
        first.close()
        second.close()


@pytest.mark.parametrize("settings", ["postgres"], indirect=True)  # SQLite: under its lock
def test_concurrent_saves_in_one_process_build_on_each_other_not_on_a_stale_tree(app):
    """PostgreSQL: saves from many threads of one process take turns on the cached tree, so
    none finds its tree stale (the database then makes its nodes); the log stays whole either
    way."""
    recorder = app.recorder
    stale_before = recorder.stale_saves

    def saves(worker: int) -> None:
        for _ in range(15):
            recorder.insert_events([StoredEvent(uuid4(), 1, "kinerja/X", b"{}")])

    threads = [threading.Thread(target=saves, args=(w,)) for w in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert recorder.stale_saves == stale_before and app.ledger.size() == 8 * 15
    report = verify_database(LedgerDB.of(recorder), [], "test")
    assert report.ok and report.leaves == 120


@pytest.mark.parametrize("settings", ["postgres"], indirect=True)  # SQLite: no nodes table
def test_a_clash_in_the_ledger_is_not_disguised_as_a_version_conflict(app, settings, clock):
    """A node already stored where the next save forms one (damage, or a rogue's) fails that
    save as what it is, never as "changed by someone else; reload and retry": the save
    function's name contains the events table's, so the whole error text would match."""
    if app.ledger.size() % 2 == 0:
        app.recorder.insert_events([StoredEvent(uuid4(), 1, "kinerja/X", b"{}")])
    size = app.ledger.size()  # odd: leaf ``size`` completes node (1, size // 2)
    with RogueAdmin(settings) as rogue:
        rogue.sql("INSERT INTO ledger_nodes VALUES (1, %s, %s)", (size // 2, b"\x07" * 32))
    with pytest.raises(IntegrityError, match="ledger_nodes_pkey") as refused:
        reporting_line(app)
    assert not isinstance(refused.value, DomainError) and app.ledger.size() == size


EARLIER_SAVES = {  # functions of the same name from other releases
    "other parameters": "CREATE FUNCTION kinerja_events_save(events int) RETURNS SETOF bigint"
                        " LANGUAGE sql AS 'SELECT 1::bigint'",
    "another result": None,  # this release's parameters, the result of 640f1d0's
}


@pytest.mark.parametrize("earlier", sorted(EARLIER_SAVES))
def test_db_init_replaces_a_save_function_of_another_release(postgres_database, clock, earlier):
    """The service refuses a database whose save function has other parameters or another
    result (it would fail every write); db init drops that one and creates this release's
    (CREATE OR REPLACE cannot change a result type)."""
    empty_postgres(postgres_database)
    with psycopg.connect(postgres_database, autocommit=True) as conn:
        if EARLIER_SAVES[earlier]:
            conn.execute("DROP FUNCTION kinerja_events_save")
            conn.execute(EARLIER_SAVES[earlier])
        else:
            (arguments,), = conn.execute(
                "SELECT pg_get_function_arguments('kinerja_events_save'::regproc)").fetchall()
            conn.execute("DROP FUNCTION kinerja_events_save")
            conn.execute(f"CREATE FUNCTION kinerja_events_save({arguments})"
                         " RETURNS SETOF bigint LANGUAGE sql AS 'SELECT 1::bigint'")
    with pytest.raises(StoreError, match="kinerja db init"):
        open_app(Settings(postgres_database), clock=clock)
    init_db(Settings(postgres_database))
    with psycopg.connect(postgres_database, autocommit=True) as conn:
        assert conn.execute("SELECT count(*) FROM pg_proc"
                            " WHERE proname = 'kinerja_events_save'").fetchone()[0] == 1
    app = open_app(Settings(postgres_database), clock=clock)
    reporting_line(app)
    assert app.ledger.size() > 0
    app.close()


@pytest.mark.parametrize("settings", ["postgres"], indirect=True)  # SQLite: test_sqlite_layouts
@pytest.mark.parametrize("size, node", [(5, (2, 0)), (7, (1, 2))])
def test_a_stale_save_refuses_to_go_on_from_a_stored_tree_that_lacks_a_hash(app, settings, size,
                                                                            node):
    """The database makes the nodes of a stale writer's save from the stored tree: a subtree
    hash a rogue deleted fails the save and writes nothing (a NULL would else have been
    hashed on, or the writer's cached tree broken after the commit)."""
    app.recorder.insert_events([StoredEvent(uuid4(), 1, "kinerja/X", b"{}") for _ in range(size)])
    with RogueAdmin(settings) as rogue:
        rogue.sql("DELETE FROM ledger_nodes WHERE level = %s AND idx = %s", node)
    app.recorder._frontier = EMPTY  # as if another process had appended last
    with pytest.raises(PersistenceError, match="lacks a subtree hash"):
        app.recorder.insert_events([StoredEvent(uuid4(), 1, "kinerja/X", b"{}")])
    assert app.ledger.size() == size
