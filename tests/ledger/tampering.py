"""What a rogue administrator can do to the store with raw SQL, and what the verifier must then
report first.

Each case tampers with a store that holds a signed history (``leaves``: its leaf records; one
checkpoint signed at its end) and returns where it must be caught. test_tampering.py runs every
case through the verifier on the database; tests/reliability/test_tamper_offline.py through
`kinerja export` and `kinerja verify --bundle`, as an auditor would.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import orjson
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from ledger.leaf import encode_leaf
from ledger.log import Leaf
from ledger.merkle import leaf_hash, new_nodes
from ledger.note import Checkpoint, sign_note
from tests.ledger.conftest import RogueAdmin


@dataclass(frozen=True)
class Caught:
    """The first finding the verifier must report."""

    kind: str
    leaf_index: int
    event: Leaf | tuple[str, int] | None = None  # the event it must name
    at_most: bool = False  # a consistent rewrite is located only to a range ending here
    detail: str = ""  # words the detail must contain

    def check(self, found: dict[str, Any]) -> None:
        """``found``: a Finding as a dict (``asdict``, or the `--json` report's first_failure)."""
        assert found["kind"] == self.kind, found
        index = found["leaf_index"]
        assert index <= self.leaf_index if self.at_most else index == self.leaf_index, found
        if self.event is not None:
            named = (found["originator_id"], found["originator_version"])
            assert named == key(self.event), found
        assert self.detail in found["detail"], found


def key(event: Leaf | tuple[str, int]) -> tuple[str, int]:
    if isinstance(event, Leaf):  # a NamedTuple: test it first
        return str(event.originator_id), event.originator_version
    return event


@dataclass(frozen=True)
class Tampering:
    name: str
    tamper: Callable[[RogueAdmin, Sequence[Leaf], Any], Caught]  # (rogue, leaves, settings)
    exported: bool = True  # False: it changes only what a bundle does not carry (derived data)

    def __str__(self) -> str:
        return self.name


def _where(rogue: RogueAdmin, leaf: Leaf) -> tuple:
    return rogue.key(leaf.originator_id), leaf.originator_version


def _stored(rogue: RogueAdmin, leaf: Leaf) -> tuple[str, bytes]:
    (topic, state), = rogue.sql("SELECT topic, state FROM {events} WHERE originator_id = %s"
                                " AND originator_version = %s", _where(rogue, leaf))
    return topic, bytes(state)


def _set_state(rogue: RogueAdmin, leaf: Leaf, state: bytes) -> None:
    rogue.sql("UPDATE {events} SET state = %s WHERE originator_id = %s AND originator_version = %s",
              (state, *_where(rogue, leaf)))


def _delete_event(rogue: RogueAdmin, leaf: Leaf) -> None:
    rogue.sql("DELETE FROM {events} WHERE originator_id = %s AND originator_version = %s",
              _where(rogue, leaf))


def one_byte_of_state_changed(rogue, leaves, settings) -> Caught:
    target = leaves[17]
    _, state = _stored(rogue, target)
    _set_state(rogue, target, state.replace(b'"actor":"', b'"actor":"X', 1))
    return Caught("content_changed", 17, target)


def topic_changed(rogue, leaves, settings) -> Caught:
    target = leaves[9]
    rogue.sql("UPDATE {events} SET topic = %s WHERE originator_id = %s AND originator_version = %s",
              ("kinerja/Evaluation/CommentAdded", *_where(rogue, target)))
    return Caught("content_changed", 9, target)


def event_deleted_in_the_middle(rogue, leaves, settings) -> Caught:
    target = leaves[len(leaves) // 2]
    _delete_event(rogue, target)
    return Caught("missing_event", len(leaves) // 2, target)


def last_event_deleted(rogue, leaves, settings) -> Caught:
    _delete_event(rogue, leaves[-1])
    return Caught("missing_event", len(leaves) - 1, leaves[-1])


def forged_event_inserted(rogue, leaves, settings) -> Caught:
    victim = leaves[3]
    forged = orjson.dumps({"timestamp": "2025-01-07T00:00:00+00:00", "actor": "x", "role": "x",
                           "request_id": "x", "reason": "", "text": "forged", "in_reply_to": None})
    rogue.sql("INSERT INTO {events} (originator_id, originator_version, topic, state)"
              " VALUES (%s, %s, %s, %s)", (rogue.key(victim.originator_id), 999,
                                           "kinerja/Evaluation/CommentAdded", forged))
    return Caught("extra_event", len(leaves), (str(victim.originator_id), 999))


def two_events_swapped(rogue, leaves, settings) -> Caught:
    a, b = rogue.sql("SELECT {order} FROM {events} ORDER BY {order}")[20:22]
    rogue.sql("UPDATE {events} SET {order} = -1 WHERE {order} = %s", (a[0],))
    rogue.sql("UPDATE {events} SET {order} = %s WHERE {order} = %s", (a[0], b[0]))
    rogue.sql("UPDATE {events} SET {order} = %s WHERE {order} = -1", (b[0],))
    return Caught("out_of_order", 20, leaves[20])


def leaf_hash_overwritten(rogue, leaves, settings) -> Caught:
    rogue.sql("UPDATE ledger_leaves SET leaf_hash = %s WHERE leaf_index = 5", (b"\x05" * 32,))
    return Caught("content_changed", 5, leaves[5])


def event_leaf_and_nodes_rewritten_consistently(rogue, leaves, settings) -> Caught:
    target = leaves[12]
    topic, state = _stored(rogue, target)
    state = state.replace(b'"role":"', b'"role":"x', 1)
    _set_state(rogue, target, state)
    hashes = [leaf.hash for leaf in leaves]
    hashes[12] = leaf_hash(encode_leaf(target.originator_id, target.originator_version, topic,
                                       state))
    rogue.sql("UPDATE ledger_leaves SET leaf_hash = %s WHERE leaf_index = 12", (hashes[12],))
    for (level, idx), digest in new_nodes(0, hashes, []):
        if level:
            rogue.set_node(level, idx, digest)
    return Caught("history_rewritten", 12, at_most=True, detail=f"{len(leaves)}")


def log_truncated_after_a_checkpoint(rogue, leaves, settings) -> Caught:
    keep = len(leaves) - 5
    for leaf in leaves[keep:]:
        _delete_event(rogue, leaf)
    rogue.truncate(keep)
    return Caught("truncated", keep)


def checkpoint_forged_with_another_key(rogue, leaves, settings) -> Caught:
    size = len(leaves)
    forged = sign_note(Checkpoint(settings.origin, size, b"\x07" * 32).text(), settings.origin,
                       Ed25519PrivateKey.generate())
    rogue.sql("UPDATE ledger_checkpoints SET note = %s WHERE tree_size = %s", (forged, size))
    return Caught("unknown_key", size - 1)


def checkpoint_text_altered_under_its_signature(rogue, leaves, settings) -> Caught:
    (size, note), = rogue.sql("SELECT tree_size, note FROM ledger_checkpoints")
    text, signature = note.split("\n\n")
    lines = text.split("\n")
    lines[1] = str(size - 1)  # claim a smaller tree under the genuine signature line
    rogue.sql("UPDATE ledger_checkpoints SET note = %s", ("\n".join(lines) + "\n\n" + signature,))
    return Caught("checkpoint_forged", size - 2)


def node_rewritten(rogue, leaves, settings) -> Caught:
    rogue.set_node(2, 3, b"\x01" * 32)
    return Caught("node_rewritten", 12)


def leaf_record_deleted(rogue, leaves, settings) -> Caught:
    rogue.sql("DELETE FROM ledger_leaves WHERE leaf_index = 7")
    return Caught("missing_leaf", 7, leaves[7])


TAMPERINGS = [Tampering(f.__name__.replace("_", " "), f) for f in (
    one_byte_of_state_changed, topic_changed, event_deleted_in_the_middle, last_event_deleted,
    forged_event_inserted, two_events_swapped, leaf_hash_overwritten,
    event_leaf_and_nodes_rewritten_consistently, log_truncated_after_a_checkpoint,
    checkpoint_forged_with_another_key, checkpoint_text_altered_under_its_signature,
    leaf_record_deleted)] + [
    # Stored subtree hashes are derived from the leaves (they make proofs cheap); a bundle
    # carries the leaves and the verifier rebuilds every node, so only `kinerja verify` on the
    # database (and any client checking a proof the service serves) sees this one.
    Tampering("node rewritten", node_rewritten, exported=False)]
