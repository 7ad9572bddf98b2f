"""The write path shared by both backends: leaves and newly formed nodes for a batch of events.

Runs inside the transaction that stores the events, after the events table lock is taken, so
the leaf indexes are dense and in commit order, and no event is ever committed without its leaf.
"""

from __future__ import annotations

from typing import NamedTuple, Sequence

from eventsourcing.persistence import StoredEvent

from ledger.leaf import encode_leaf
from ledger.merkle import leaf_hash, new_nodes


class Appended(NamedTuple):
    leaves: list[tuple[int, StoredEvent, bytes]]  # (leaf index, event, leaf hash)
    nodes: list[tuple[int, int, bytes]]  # (level >= 1, idx, hash)


def append(size: int, frontier: Sequence[bytes], events: Sequence[StoredEvent]) -> Appended:
    hashes = [leaf_hash(encode_leaf(e.originator_id, e.originator_version, e.topic, e.state))
              for e in events]
    formed = new_nodes(size, hashes, frontier)
    leaves = [(size + i, event, h) for i, (event, h) in enumerate(zip(events, hashes))]
    nodes = [(level, idx, h) for (level, idx), h in formed if level > 0]
    return Appended(leaves, nodes)
