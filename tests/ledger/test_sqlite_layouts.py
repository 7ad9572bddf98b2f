"""SQLite keeps nodes by position and leaves without an index on the event's key (schema.py);
databases made before, with ledger_nodes WITHOUT ROWID and that index, keep working."""

from __future__ import annotations

import sqlite3
from contextlib import closing

import pytest

from ledger.audit import verify_database
from ledger.db import LedgerDB
from ledger.log import record_leaves, version_at_leaf
from ledger.merkle import InvalidSizesError, verify_consistency, verify_inclusion
from ledger.schema import node_position
from service.config import Settings
from service.store import init_db, open_app

from tests.ledger.conftest import RogueAdmin, some_history
from tests.ledger.test_ledger_store import reference_root

EARLIER_TABLES = [  # ledger/schema.py's SQLite tables before the nodes kept their positions
    "CREATE TABLE ledger_leaves (leaf_index INTEGER PRIMARY KEY, originator_id TEXT NOT NULL,"
    " originator_version INTEGER NOT NULL, leaf_hash BLOB NOT NULL,"
    " UNIQUE (originator_id, originator_version))",
    "CREATE TABLE ledger_nodes (level INTEGER NOT NULL, idx INTEGER NOT NULL,"
    " hash BLOB NOT NULL, PRIMARY KEY (level, idx)) WITHOUT ROWID",
]


@pytest.fixture(params=["by position", "earlier"])
def sqlite_settings(request, tmp_path) -> Settings:
    config = Settings(f"sqlite:///{tmp_path / 'kinerja.db'}")
    if request.param == "earlier":
        with closing(sqlite3.connect(tmp_path / "kinerja.db")) as conn:
            for statement in EARLIER_TABLES:
                conn.execute(statement)
    init_db(config)
    return config


@pytest.fixture
def history(sqlite_settings, clock):
    app = open_app(sqlite_settings, clock=clock)
    some_history(app, clock)
    yield app
    app.close()


def verify(app, settings):
    return verify_database(LedgerDB.of(app.recorder), [], settings.origin)


def test_the_layout_is_told_apart_and_both_serve_roots_proofs_and_verification(
        history, sqlite_settings):
    db = LedgerDB.of(history.recorder)
    with closing(sqlite3.connect(sqlite_settings.database_url.split(":///", 1)[1])) as conn:
        (table,), = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'ledger_nodes'")
    assert db.nodes_by_position == ("WITHOUT ROWID" not in table)
    n, root, hashes = reference_root(history)
    assert history.ledger.root() == (n, root)
    for m in (1, n // 2, n - 1):
        _, root_m = history.ledger.root(m)
        verify_inclusion(hashes[m - 1], m - 1, m, history.ledger.inclusion_proof(m - 1, m), root_m)
        verify_consistency(m, n, history.ledger.consistency_proof(m, n), root_m, root)
    assert verify(history, sqlite_settings).ok


def test_a_record_s_leaves_are_found_whatever_the_layout(history):
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


@pytest.mark.parametrize("sqlite_settings", ["by position"], indirect=True)
def test_a_node_moved_from_its_position_is_caught(history, sqlite_settings):
    with RogueAdmin(sqlite_settings) as rogue:
        rogue.sql("UPDATE ledger_nodes SET rowid = rowid + 1000000 WHERE level = 2 AND idx = 3")
    first = verify(history, sqlite_settings).first
    assert first.kind == "node_rewritten" and first.leaf_index == 12
    assert "(level 2, index 3) is missing" in first.detail


@pytest.mark.parametrize("sqlite_settings", ["by position"], indirect=True)
def test_a_copy_of_a_node_away_from_its_position_is_caught(history, sqlite_settings):
    with RogueAdmin(sqlite_settings) as rogue:
        rogue.sql("INSERT INTO ledger_nodes (rowid, level, idx, hash)"
                  " SELECT %s, level, idx, hash FROM ledger_nodes WHERE level = 1 AND idx = 2",
                  (node_position(1, 2) + 1,))
    first = verify(history, sqlite_settings).first
    assert first.kind == "node_rewritten" and "(level 1, index 2)" in first.detail


def test_a_proof_for_a_size_past_any_position_is_refused_as_too_large(history):
    with pytest.raises(InvalidSizesError):
        history.ledger.consistency_proof(3, 1 << 62)
