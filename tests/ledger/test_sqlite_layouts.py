"""SQLite keeps each subtree hash in the row of the leaf that completes it (schema.py), and
``kinerja db init`` brings databases made before (a ledger_nodes table, WITHOUT ROWID or by
position) up to date in one transaction."""

from __future__ import annotations

import os
import re
import sqlite3
import stat
from contextlib import closing

import pytest
from eventsourcing.persistence import IntegrityError

from ledger.audit import verify_database
from ledger.db import LedgerDB
from ledger.log import record_leaves, version_at_leaf
from ledger.merkle import (
    CompactRange,
    InvalidSizesError,
    new_nodes,
    verify_consistency,
    verify_inclusion,
)
from ledger.schema import levels_completed
from service.config import Settings
from service.store import StoreError, init_db, open_app
from tests.ledger.conftest import RogueAdmin, some_history
from tests.ledger.test_ledger_store import reference_root

EARLIER_NODES = {  # ledger/schema.py's SQLite ledger_nodes before nodes moved into leaf rows
    "without rowid": "CREATE TABLE ledger_nodes (level INTEGER NOT NULL, idx INTEGER NOT NULL,"
                     " hash BLOB NOT NULL, PRIMARY KEY (level, idx)) WITHOUT ROWID",
    "by position": "CREATE TABLE ledger_nodes (level INTEGER NOT NULL, idx INTEGER NOT NULL,"
                   " hash BLOB NOT NULL)",
}


def path_of(settings: Settings) -> str:
    return settings.database_url.split(":///", 1)[1]


@pytest.fixture
def sqlite_settings(tmp_path) -> Settings:
    config = Settings(f"sqlite:///{tmp_path / 'kinerja.db'}")
    init_db(config)
    return config


@pytest.fixture
def history(sqlite_settings, clock):
    app = open_app(sqlite_settings, clock=clock)
    some_history(app, clock)
    yield app
    app.close()


def verify(settings):
    app = open_app(settings, sign=False)
    try:
        return verify_database(LedgerDB.of(app.recorder), [], settings.origin)
    finally:
        app.close()


def make_earlier(settings: Settings, layout: str) -> None:
    """Turn a database back into an earlier layout: its nodes in a ledger_nodes table of their
    own (rowid = position, where they had one), none in the leaf rows."""
    with closing(sqlite3.connect(path_of(settings), isolation_level=None)) as conn:
        hashes = [bytes(h) for h, in conn.execute(
            "SELECT leaf_hash FROM ledger_leaves ORDER BY leaf_index")]
        conn.execute("BEGIN")
        conn.execute(EARLIER_NODES[layout])
        conn.executemany(
            "INSERT INTO ledger_nodes (level, idx, hash) VALUES (?, ?, ?)"
            if layout == "without rowid" else
            "INSERT INTO ledger_nodes (rowid, level, idx, hash) VALUES"
            " (((((? + 1) << ?) - 1) << 6) | ?, ?, ?, ?)",
            [(level, idx, digest) if layout == "without rowid"
             else (idx, level, level, level, idx, digest)
             for (level, idx), digest in new_nodes(0, hashes, []) if level])
        conn.execute("ALTER TABLE ledger_leaves DROP COLUMN nodes")
        conn.execute("COMMIT")


def test_each_leaf_row_holds_the_nodes_it_completes_and_nothing_else(history, sqlite_settings):
    n, _, hashes = reference_root(history)
    expected = {}
    for (level, idx), digest in new_nodes(0, hashes, []):
        if level:
            leaf = ((idx + 1) << level) - 1
            expected[leaf] = expected.get(leaf, b"") + digest
    with closing(sqlite3.connect(path_of(sqlite_settings))) as conn:
        tables = {name for name, in conn.execute("SELECT name FROM sqlite_master")}
        rows = dict(conn.execute("SELECT leaf_index, nodes FROM ledger_leaves"))
    assert "ledger_nodes" not in tables
    assert {leaf: nodes for leaf, nodes in rows.items() if nodes is not None} == expected
    assert all(len(rows[leaf] or b"") == 32 * levels_completed(leaf) for leaf in range(n))


@pytest.mark.parametrize("layout", sorted(EARLIER_NODES))
def test_an_earlier_database_is_refused_until_init_brings_it_up_to_date(
        history, sqlite_settings, layout, clock):
    n, root, hashes = reference_root(history)
    history.close()
    make_earlier(sqlite_settings, layout)
    with pytest.raises(StoreError, match="kinerja db init"):
        open_app(sqlite_settings, clock=clock)
    init_db(sqlite_settings)
    app = open_app(sqlite_settings, clock=clock)
    try:
        assert app.ledger.root() == (n, root)
        for m in (1, n // 2, n - 1):
            _, root_m = app.ledger.root(m)
            verify_inclusion(hashes[m - 1], m - 1, m, app.ledger.inclusion_proof(m - 1, m), root_m)
            verify_consistency(m, n, app.ledger.consistency_proof(m, n), root_m, root)
        some_history(app, clock, lines=1)  # and it goes on growing from the moved nodes
        assert app.ledger.root() == reference_root(app)[:2]
    finally:
        app.close()
    assert verify(sqlite_settings).ok


def test_a_failed_migration_leaves_the_earlier_database_as_it_was(history, sqlite_settings):
    history.close()
    make_earlier(sqlite_settings, "by position")
    with closing(sqlite3.connect(path_of(sqlite_settings), isolation_level=None)) as conn:
        conn.execute("CREATE TRIGGER refuse BEFORE UPDATE ON ledger_leaves"
                     " BEGIN SELECT RAISE(ABORT, 'injected failure'); END")
    with pytest.raises(StoreError, match="injected failure"):
        init_db(sqlite_settings)
    with closing(sqlite3.connect(path_of(sqlite_settings), isolation_level=None)) as conn:
        columns = {row[1] for row in conn.execute("PRAGMA table_info(ledger_leaves)")}
        assert "nodes" not in columns
        assert conn.execute("SELECT count(*) FROM ledger_nodes").fetchone()[0] > 0
        conn.execute("DROP TRIGGER refuse")
    init_db(sqlite_settings)
    assert verify(sqlite_settings).ok


@pytest.mark.parametrize("damage, named", [
    ("INSERT INTO ledger_nodes (level, idx, hash) VALUES (1, 1000, zeroblob(32))",
     "node (level 1, index 1000) is stored where the tree has no more nodes"),
    ("DELETE FROM ledger_nodes WHERE level = 1 AND idx = 1",
     "node (level 2, index 0) is stored where node (level 1, index 1) was expected"),
    ("DELETE FROM ledger_nodes WHERE ((idx + 1) << level)"
     " = (SELECT max((idx + 1) << level) FROM ledger_nodes)", "is missing"),  # the last leaf's
    ("UPDATE ledger_nodes SET hash = X'00' WHERE level = 2 AND idx = 1",
     "node (level 2, index 1) is not a 32-byte hash"),
    ("UPDATE ledger_nodes SET hash = 'text' WHERE level = 2 AND idx = 1",
     "node (level 2, index 1) is not a 32-byte hash"),
    ("INSERT INTO ledger_nodes (level, idx, hash) VALUES (70, 0, zeroblob(32))",
     "node (level 70, index 0) is stored where node (level 1, index 0) was expected"),
])
def test_an_earlier_database_whose_nodes_are_not_as_appended_is_refused_unchanged(
        history, sqlite_settings, damage, named):
    """Moved, a stray node would vanish and a missing one shift the hashes after it."""
    history.close()
    make_earlier(sqlite_settings, "without rowid")
    with closing(sqlite3.connect(path_of(sqlite_settings), isolation_level=None)) as conn:
        conn.execute(damage)
        before = conn.execute("SELECT * FROM ledger_nodes ORDER BY level, idx").fetchall()
    with pytest.raises(StoreError, match=re.escape(named)):
        init_db(sqlite_settings)
    with closing(sqlite3.connect(path_of(sqlite_settings), isolation_level=None)) as conn:
        assert "nodes" not in {row[1] for row in conn.execute("PRAGMA table_info(ledger_leaves)")}
        assert conn.execute("SELECT * FROM ledger_nodes ORDER BY level, idx").fetchall() == before


def test_a_large_earlier_database_is_moved_in_batches(history, sqlite_settings, clock,
                                                      monkeypatch):
    monkeypatch.setattr("ledger.upgrade.BATCH", 3)
    n, root, _ = reference_root(history)
    history.close()
    make_earlier(sqlite_settings, "by position")
    init_db(sqlite_settings)
    assert verify(sqlite_settings).ok
    app = open_app(sqlite_settings, clock=clock)
    try:
        assert app.ledger.root() == (n, root)
    finally:
        app.close()


def test_a_record_s_leaves_are_found_through_the_rowids(history):
    db = LedgerDB.of(history.recorder)
    leaves = history.ledger.leaves(0, history.ledger.size())
    record = leaves[-1].originator_id
    mine = {leaf.originator_version: (leaf.index, leaf.hash) for leaf in leaves
            if leaf.originator_id == record}
    with db.snapshot() as reader:
        assert record_leaves(db, reader, record) == mine
        first, last = min(mine), max(mine)
        assert version_at_leaf(db, reader, record, mine[first][0] - 1) is None
        assert version_at_leaf(db, reader, record, mine[last][0]) == last


def test_a_record_s_leaves_are_found_even_when_rowids_and_leaves_part(history, sqlite_settings,
                                                                      clock):
    """An event stored without a leaf (as a rogue would) moves every later rowid away from its
    leaf: the lookup then searches the leaves (verification reports the event, of course)."""
    with RogueAdmin(sqlite_settings) as rogue:
        rogue.sql("INSERT INTO {events} VALUES (%s, 1, 'kinerja/X', X'7B7D')", ("0" * 32,))
    some_history(history, clock, lines=1)
    db = LedgerDB.of(history.recorder)
    leaves = history.ledger.leaves(0, history.ledger.size())
    record = leaves[-1].originator_id
    with db.snapshot() as reader:
        assert record_leaves(db, reader, record) == {
            leaf.originator_version: (leaf.index, leaf.hash) for leaf in leaves
            if leaf.originator_id == record}


@pytest.mark.parametrize("change, named", [  # leaf 9 completes node (1, 4) only
    ("zeroblob(32)", "node (level 1, index 4) is a different hash"),
    ("X'00'", "node (level 1, index 4) is missing"),  # not whole hashes
    ("CAST(nodes || X'00' AS BLOB)", "node (level 1, index 4) is missing"),  # nor this
    ("substr(nodes, 33)", "node (level 1, index 4) is missing"),
    ("CAST(hex(nodes) AS TEXT)", "node (level 1, index 4) is missing"),  # not bytes at all
    ("CAST(nodes AS TEXT)", "node (level 1, index 4) is missing"),  # nor UTF-8
    ("NULL", "node (level 1, index 4) is missing"),
])
def test_a_leaf_row_s_nodes_spoilt_are_caught(history, sqlite_settings, change, named):
    with RogueAdmin(sqlite_settings) as rogue:
        rogue.sql(f"UPDATE ledger_leaves SET nodes = {change} WHERE leaf_index = 9")
    first = verify(sqlite_settings).first
    assert first.kind == "node_rewritten" and first.leaf_index == 8
    assert named in first.detail


@pytest.mark.parametrize("leaf, change, named", [
    (10, "zeroblob(32)", "more than the 0 subtree hashes that leaf completes"),
    (11, "CAST(nodes || zeroblob(32) AS BLOB)",
     "more than the 2 subtree hashes that leaf completes"),
    (10, "zeroblob(31)", "something other than subtree hashes"),
    (10, "'abc'", "something other than subtree hashes"),
    (10, "5", "something other than subtree hashes"),
])
def test_a_leaf_row_holding_what_its_leaf_does_not_complete_is_caught(
        history, sqlite_settings, leaf, change, named):
    with RogueAdmin(sqlite_settings) as rogue:
        rogue.sql(f"UPDATE ledger_leaves SET nodes = {change} WHERE leaf_index = %s", (leaf,))
    first = verify(sqlite_settings).first
    assert first.kind == "node_rewritten" and first.leaf_index == leaf
    assert f"leaf {leaf}'s row holds {named}" in first.detail


def test_appending_refuses_to_go_on_from_a_tree_missing_a_subtree(history, sqlite_settings,
                                                                  clock):
    size = history.ledger.size()
    top = size.bit_length() - 1  # the first perfect subtree of the tree: the largest
    with RogueAdmin(sqlite_settings) as rogue:
        rogue.sql("UPDATE ledger_leaves SET nodes = substr(nodes, 1, %s)"
                  " WHERE leaf_index = %s", (32 * (top - 1), (1 << top) - 1))
    # as if another process had appended last: the tree is read back from the store
    history.recorder._frontier = type(history.recorder._frontier)(CompactRange(), None)
    with pytest.raises(IntegrityError, match="lacks a subtree hash"):
        some_history(history, clock, lines=1)
    assert history.ledger.size() == size


def test_a_proof_for_a_size_past_any_leaf_is_refused_as_too_large(history):
    with pytest.raises(InvalidSizesError):
        history.ledger.consistency_proof(3, 1 << 62)


def test_the_database_and_its_wal_and_shm_are_readable_by_their_owner_only(tmp_path, clock):
    """Evaluations are personal data: a new database is not world-readable whatever the umask
    (0644 under the usual 022), and SQLite gives -wal and -shm the database file's mode."""
    previous = os.umask(0o022)
    try:
        settings = Settings(f"sqlite:///{tmp_path / 'private.db'}")
        init_db(settings)
        app = open_app(settings, clock=clock)
        try:
            some_history(app, clock)
            files = [tmp_path / f"private.db{suffix}" for suffix in ("", "-wal", "-shm")]
            modes = {f.name: oct(stat.S_IMODE(f.stat().st_mode)) for f in files}
        finally:
            app.close()
    finally:
        os.umask(previous)
    assert modes == {f.name: "0o600" for f in files}
