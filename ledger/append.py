"""The write path shared by both backends: leaves and newly formed nodes for a batch of events.

Runs inside the transaction that stores the events, after the events table lock is taken, so
the leaf indexes are dense and in commit order, and no event is ever committed without its leaf.
"""

from __future__ import annotations

from typing import NamedTuple, Sequence

from eventsourcing.persistence import StoredEvent

from ledger.leaf import encode_leaf
from ledger.merkle import CompactRange, leaf_hash


class Appended(NamedTuple):
    leaves: list[tuple[int, StoredEvent, bytes]]  # (leaf index, event, leaf hash)
    nodes: list[tuple[int, int, bytes]]  # (level >= 1, idx, hash)
    size: int  # the tree's size after the append
    frontier: list[bytes]  # and its perfect subtrees, for the next append


def append(size: int, frontier: Sequence[bytes], events: Sequence[StoredEvent]) -> Appended:
    tree = CompactRange(size, frontier)
    leaves, nodes = [], []
    for index, event in enumerate(events, start=size):
        digest = leaf_hash(encode_leaf(event.originator_id, event.originator_version,
                                       event.topic, event.state))
        leaves.append((index, event, digest))
        nodes += [(level, idx, h) for (level, idx), h in tree.append(digest)[1:]]
    return Appended(leaves, nodes, tree.size, tree.stack)
