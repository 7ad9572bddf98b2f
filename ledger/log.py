"""The Merkle log as the auditor contract sees it: size, roots, proofs, leaves, checkpoints.

Every root or proof reads only the O(log n) stored subtree hashes it needs, in one query.
"""

from __future__ import annotations

from typing import Any, Iterable, NamedTuple

from ledger.db import LedgerDB, Reader
from ledger.leaf import encode_leaf
from ledger.merkle import (
    EMPTY_ROOT, IndexOutOfRangeError, InvalidSizesError, NodeId, build_proof, consistency_nodes,
    inclusion_nodes, node_ids, root_hash, root_nodes,
)

class Leaf(NamedTuple):
    index: int
    originator_id: Any
    originator_version: int
    leaf: bytes | None  # canonical bytes rebuilt from the stored event (None: event missing)
    hash: bytes


class StoredCheckpoint(NamedTuple):
    tree_size: int
    root: bytes
    note: str


class MerkleLog:
    def __init__(self, db: LedgerDB) -> None:
        self.db = db

    def size(self, reader: Reader | None = None) -> int:
        return self._one(reader, lambda r: tree_size(r))

    def root(self, size: int | None = None) -> tuple[int, bytes]:
        def read(r: Reader) -> tuple[int, bytes]:
            n = tree_size(r) if size is None else self._check_size(r, size)
            return n, (root_hash(n, hashes(r, root_nodes(n))) if n else EMPTY_ROOT)
        return self._one(None, read)

    def inclusion_proof(self, index: int, size: int) -> list[bytes]:
        def read(r: Reader) -> list[bytes]:
            self._check_size(r, size)
            if not 0 <= index < size:
                raise IndexOutOfRangeError(f"leaf {index} is not in a tree of size {size}")
            plan = inclusion_nodes(index, size)
            return build_proof(plan, hashes(r, node_ids(plan)))
        return self._one(None, read)

    def consistency_proof(self, first: int, second: int) -> list[bytes]:
        def read(r: Reader) -> list[bytes]:
            self._check_size(r, second)
            if not 0 < first <= second:
                raise InvalidSizesError(f"no consistency proof from {first} to {second}")
            plan = consistency_nodes(first, second)
            return build_proof(plan, hashes(r, node_ids(plan)))
        return self._one(None, read)

    def leaves(self, start: int, end: int) -> list[Leaf]:
        """Leaf records [start, end) with the canonical bytes rebuilt from the stored events."""
        rows = self._one(None, lambda r: r.rows(
            f"SELECT l.leaf_index, l.originator_id, l.originator_version, l.leaf_hash,"
            f" e.topic, e.state FROM ledger_leaves l LEFT JOIN {self.db.events_table} e"
            f" ON e.originator_id = l.originator_id"
            f" AND e.originator_version = l.originator_version"
            f" WHERE l.leaf_index >= %s AND l.leaf_index < %s ORDER BY l.leaf_index",
            (start, end)))
        return [_leaf(self.db, row) for row in rows]

    def checkpoints(self, reader: Reader | None = None) -> list[StoredCheckpoint]:
        return self._one(reader, lambda r: [StoredCheckpoint(row["tree_size"], bytes(row["root"]),
                                                             row["note"]) for row in r.rows(
            "SELECT tree_size, root, note FROM ledger_checkpoints ORDER BY tree_size")])

    def latest_checkpoint(self) -> StoredCheckpoint | None:
        rows = self._one(None, lambda r: r.rows(
            "SELECT tree_size, root, note FROM ledger_checkpoints"
            " ORDER BY tree_size DESC LIMIT 1"))
        return StoredCheckpoint(rows[0]["tree_size"], bytes(rows[0]["root"]), rows[0]["note"]) if rows else None

    def _one(self, reader: Reader | None, read: Any) -> Any:
        if reader is not None:
            return read(reader)
        with self.db.snapshot() as r:
            return read(r)

    @staticmethod
    def _check_size(reader: Reader, size: int) -> int:
        current = tree_size(reader)
        if not 0 <= size <= current:
            raise InvalidSizesError(f"tree size {size} is beyond the log's {current} leaves")
        return size


def tree_size(reader: Reader) -> int:
    return reader.rows("SELECT coalesce(max(leaf_index) + 1, 0) AS size FROM ledger_leaves")[0]["size"]


def hashes(reader: Reader, nodes: Iterable[NodeId]) -> dict[NodeId, bytes]:
    """The stored hashes of the given subtrees: leaves from ledger_leaves, the rest from nodes."""
    nodes = list(nodes)
    found: dict[NodeId, bytes] = {}
    leaves = [idx for level, idx in nodes if level == 0]
    if leaves:
        marks = ", ".join(["%s"] * len(leaves))
        for row in reader.rows(f"SELECT leaf_index AS idx, leaf_hash AS hash FROM ledger_leaves"
                               f" WHERE leaf_index IN ({marks})", leaves):
            found[(0, row["idx"])] = bytes(row["hash"])
    inner = [(level, idx) for level, idx in nodes if level > 0]
    if inner:
        where = " OR ".join(["(level = %s AND idx = %s)"] * len(inner))
        params = [value for node in inner for value in node]
        for row in reader.rows(f"SELECT level, idx, hash FROM ledger_nodes WHERE {where}", params):
            found[(row["level"], row["idx"])] = bytes(row["hash"])
    return found


def _leaf(db: LedgerDB, row: Any) -> Leaf:
    originator_id = db.to_uuid(row["originator_id"])
    leaf = None
    if row["state"] is not None:
        leaf = encode_leaf(originator_id, row["originator_version"], row["topic"], bytes(row["state"]))
    return Leaf(row["leaf_index"], originator_id, row["originator_version"], leaf,
                bytes(row["leaf_hash"]))
