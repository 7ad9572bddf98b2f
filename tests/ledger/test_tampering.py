"""A rogue administrator changes the store with raw SQL; `kinerja verify`'s engine must fail and
name the right place. Every case runs on SQLite and on PostgreSQL."""

from __future__ import annotations

import orjson
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from ledger.audit import verify_database
from ledger.db import LedgerDB
from ledger.keys import trusted_verifiers
from ledger.leaf import encode_leaf
from ledger.merkle import leaf_hash, new_nodes
from ledger.note import Checkpoint, sign_note
from service.store import checkpointer

from tests.ledger.conftest import some_history


@pytest.fixture
def ledger(ledger_app, signed_settings, clock):
    """A history with a signed checkpoint at its end; returns (app, leaves)."""
    some_history(ledger_app, clock)
    checkpointer(ledger_app, signed_settings).checkpoint()
    return ledger_app, ledger_app.ledger.leaves(0, ledger_app.ledger.size())


def verify(app, settings):
    return verify_database(LedgerDB.of(app.recorder), trusted_verifiers(settings.verifier_keys),
                           settings.origin)


def first(app, settings, kind: str):
    report = verify(app, settings)
    assert not report.ok, "tampering went unnoticed"
    assert report.first.kind == kind, report.first
    return report.first


def named(found, leaf) -> bool:
    return (found.originator_id, found.originator_version) == (str(leaf.originator_id),
                                                               leaf.originator_version)


def test_an_untouched_ledger_verifies(ledger, signed_settings):
    app, leaves = ledger
    report = verify(app, signed_settings)
    assert report.ok and report.leaves == len(leaves) and report.checkpoints == 1


def test_one_byte_of_state_changed(ledger, signed_settings, rogue):
    app, leaves = ledger
    target = leaves[17]
    (state,) = rogue.sql("SELECT state FROM {events} WHERE originator_id = %s AND originator_version = %s",
                         (rogue.key(target.originator_id), target.originator_version))[0]
    changed = bytes(state).replace(b'"actor":"', b'"actor":"X', 1)
    rogue.sql("UPDATE {events} SET state = %s WHERE originator_id = %s AND originator_version = %s",
              (changed, rogue.key(target.originator_id), target.originator_version))
    found = first(app, signed_settings, "content_changed")
    assert found.leaf_index == 17 and named(found, target)


def test_topic_changed(ledger, signed_settings, rogue):
    app, leaves = ledger
    target = leaves[9]
    rogue.sql("UPDATE {events} SET topic = %s WHERE originator_id = %s AND originator_version = %s",
              ("kinerja/Evaluation/CommentAdded", rogue.key(target.originator_id),
               target.originator_version))
    found = first(app, signed_settings, "content_changed")
    assert found.leaf_index == 9 and named(found, target)


@pytest.mark.parametrize("position", ["middle", "last"])
def test_an_event_deleted(ledger, signed_settings, rogue, position):
    app, leaves = ledger
    index = len(leaves) // 2 if position == "middle" else len(leaves) - 1
    target = leaves[index]
    rogue.sql("DELETE FROM {events} WHERE originator_id = %s AND originator_version = %s",
              (rogue.key(target.originator_id), target.originator_version))
    found = first(app, signed_settings, "missing_event")
    assert found.leaf_index == index and named(found, target)


def test_a_forged_event_inserted(ledger, signed_settings, rogue):
    app, leaves = ledger
    victim = leaves[3]
    forged = orjson.dumps({"timestamp": "2025-01-07T00:00:00+00:00", "actor": "x", "role": "x",
                           "request_id": "x", "reason": "", "text": "forged", "in_reply_to": None})
    rogue.sql("INSERT INTO {events} (originator_id, originator_version, topic, state)"
              " VALUES (%s, %s, %s, %s)", (rogue.key(victim.originator_id), 999,
                                           "kinerja/Evaluation/CommentAdded", forged))
    found = first(app, signed_settings, "extra_event")
    assert found.leaf_index == len(leaves)
    assert (found.originator_id, found.originator_version) == (str(victim.originator_id), 999)


def test_two_events_swapped(ledger, signed_settings, rogue):
    app, leaves = ledger
    a, b = rogue.sql("SELECT {order} FROM {events} ORDER BY {order}")[20:22]
    rogue.sql("UPDATE {events} SET {order} = -1 WHERE {order} = %s", (a[0],))
    rogue.sql("UPDATE {events} SET {order} = %s WHERE {order} = %s", (a[0], b[0]))
    rogue.sql("UPDATE {events} SET {order} = %s WHERE {order} = -1", (b[0],))
    found = first(app, signed_settings, "out_of_order")
    assert found.leaf_index == 20 and named(found, leaves[20])


def test_event_leaf_and_nodes_rewritten_consistently(ledger, signed_settings, rogue):
    app, leaves = ledger
    target = leaves[12]
    key = (rogue.key(target.originator_id), target.originator_version)
    (topic, state), = rogue.sql("SELECT topic, state FROM {events} WHERE originator_id = %s"
                                " AND originator_version = %s", key)
    state = bytes(state).replace(b'"role":"', b'"role":"x', 1)
    rogue.sql("UPDATE {events} SET state = %s WHERE originator_id = %s AND originator_version = %s",
              (state, *key))
    hashes = [leaf.hash for leaf in leaves]
    hashes[12] = leaf_hash(encode_leaf(target.originator_id, target.originator_version, topic, state))
    rogue.sql("UPDATE ledger_leaves SET leaf_hash = %s WHERE leaf_index = 12", (hashes[12],))
    for (level, idx), digest in new_nodes(0, hashes, []):
        if level:
            rogue.sql("UPDATE ledger_nodes SET hash = %s WHERE level = %s AND idx = %s",
                      (digest, level, idx))
    found = first(app, signed_settings, "history_rewritten")
    assert found.leaf_index <= 12 and f"{len(leaves)}" in found.detail


def test_log_truncated_after_a_checkpoint(ledger, signed_settings, rogue):
    app, leaves = ledger
    keep = len(leaves) - 5
    for leaf in leaves[keep:]:
        rogue.sql("DELETE FROM {events} WHERE originator_id = %s AND originator_version = %s",
                  (rogue.key(leaf.originator_id), leaf.originator_version))
    rogue.sql("DELETE FROM ledger_leaves WHERE leaf_index >= %s", (keep,))
    rogue.sql("DELETE FROM ledger_nodes WHERE (idx + 1) * (1 << level) > %s", (keep,))
    found = first(app, signed_settings, "truncated")
    assert found.leaf_index == keep


def test_checkpoint_forged_with_another_key(ledger, signed_settings, rogue):
    app, leaves = ledger
    size, root = app.ledger.root()
    forged = sign_note(Checkpoint(signed_settings.origin, size, b"\x07" * 32).text(),
                       signed_settings.origin, Ed25519PrivateKey.generate())
    rogue.sql("UPDATE ledger_checkpoints SET note = %s WHERE tree_size = %s", (forged, size))
    found = first(app, signed_settings, "unknown_key")
    assert found.leaf_index == size - 1


def test_checkpoint_text_altered_under_its_signature(ledger, signed_settings, rogue):
    app, _ = ledger
    (size, note), = rogue.sql("SELECT tree_size, note FROM ledger_checkpoints")
    text, signature = note.split("\n\n")
    lines = text.split("\n")
    lines[1] = str(size - 1)  # claim a smaller tree under the genuine signature line
    rogue.sql("UPDATE ledger_checkpoints SET note = %s", ("\n".join(lines) + "\n\n" + signature,))
    found = first(app, signed_settings, "checkpoint_forged")
    assert found.leaf_index == size - 2


def test_a_node_rewritten(ledger, signed_settings, rogue):
    app, _ = ledger
    rogue.sql("UPDATE ledger_nodes SET hash = %s WHERE level = 2 AND idx = 3", (b"\x01" * 32,))
    found = first(app, signed_settings, "node_rewritten")
    assert found.leaf_index == 12


def test_a_leaf_record_deleted(ledger, signed_settings, rogue):
    app, leaves = ledger
    rogue.sql("DELETE FROM ledger_leaves WHERE leaf_index = 7")
    found = first(app, signed_settings, "missing_leaf")
    assert found.leaf_index == 7 and named(found, leaves[7])
