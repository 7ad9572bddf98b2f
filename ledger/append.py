"""The write path shared by both backends: leaves and newly formed nodes for a batch of events.

Runs inside the transaction that stores the events, after the events table lock is taken, so
the leaf indexes are dense and in commit order, and no event is ever committed without its leaf.
A recorder keeps the tree as its last commit left it (``Frontier``), and reuses it only while
the stored log still ends where that commit ended it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from eventsourcing.persistence import StoredEvent

from ledger.leaf import event_leaf_hash
from ledger.merkle import CompactRange


class Appended(NamedTuple):
    hashes: list[bytes]  # the leaf hash of each event, in order, from leaf index ``first``
    nodes: list[tuple[int, int, bytes]]  # (level >= 1, idx, hash) of every node formed
    first: int  # the first event's leaf index
    tree: CompactRange  # the tree after the append


class Frontier(NamedTuple):
    """The tree after a committed append, and the hash of its last leaf."""

    tree: CompactRange
    last: bytes | None

    def reusable(self, size: int, last: bytes | None) -> CompactRange | None:
        """A copy of the tree, if the stored log still has its size and its last leaf."""
        if self.tree.size == size and self.last == last:
            return self.tree.copy()
        return None


EMPTY = Frontier(CompactRange(), None)


def append(tree: CompactRange, events: Sequence[StoredEvent]) -> Appended:
    """Add ``events`` to ``tree`` (changed in place): their leaf hashes and the nodes they form."""
    first = tree.size
    nodes: list[tuple[int, int, bytes]] = []
    # The library types an id as UUID | str; our aggregates' ids are UUIDs. An ignore, not a
    # cast: this runs once an event on every save.
    hashes = [event_leaf_hash(event.originator_id.bytes,  # type: ignore[union-attr]
                              event.originator_version, event.topic, event.state)
              for event in events]
    tree.extend(hashes, nodes)
    return Appended(hashes, nodes, first, tree)
