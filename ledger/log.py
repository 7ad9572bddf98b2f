"""The Merkle log as the auditor contract sees it: size, roots, proofs, leaves, checkpoints.

Every root or proof reads only the O(log n) stored subtree hashes it needs, in one query.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, NamedTuple, TypeVar
from uuid import UUID

from ledger.db import LedgerDB, Reader, Row
from ledger.leaf import encode_leaf
from ledger.merkle import (
    EMPTY_ROOT,
    IndexOutOfRangeError,
    InvalidSizesError,
    NodeId,
    build_proof,
    consistency_nodes,
    inclusion_nodes,
    node_ids,
    root_hash,
    root_nodes,
)
from ledger.schema import SQLITE_NODES, completing_leaf, node_in_row

T = TypeVar("T")


class Leaf(NamedTuple):
    # A field named ``index`` hides tuple.index (mypy says so); callers read ``leaf.index``.
    index: int  # type: ignore[assignment]
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
        return self._one(reader, tree_size)

    def root(self, size: int | None = None) -> tuple[int, bytes]:
        if size is None:
            size = self.size()
        found = self._hashes(root_nodes(size), size)
        return size, (root_hash(size, found) if size else EMPTY_ROOT)

    def inclusion_proof(self, index: int, size: int) -> list[bytes]:
        if not 0 <= index < size:
            raise IndexOutOfRangeError(f"leaf {index} is not in a tree of size {size}")
        plan = inclusion_nodes(index, size)
        return build_proof(plan, self._hashes(node_ids(plan), size))

    def inclusion_proofs(self, indexes: list[int], size: int) -> dict[int, list[bytes]]:
        """Proofs for several leaves against one tree size, read in one statement."""
        if any(not 0 <= index < size for index in indexes):
            raise IndexOutOfRangeError(f"a leaf is not in a tree of size {size}")
        plans = {index: inclusion_nodes(index, size) for index in indexes}
        found = self._hashes(sorted({n for plan in plans.values() for n in node_ids(plan)}), size)
        return {index: build_proof(plan, found) for index, plan in plans.items()}

    def consistency_proof(self, first: int, second: int) -> list[bytes]:
        if not 0 < first <= second:
            raise InvalidSizesError(f"no consistency proof from {first} to {second}")
        plan = consistency_nodes(first, second)
        return build_proof(plan, self._hashes(node_ids(plan), second))

    def _hashes(self, nodes: list[NodeId], size: int) -> dict[NodeId, bytes]:
        """The stored hashes of ``nodes``, and a check that the log holds ``size`` leaves: one
        statement, one round trip (subtrees never change once formed, so no snapshot is
        needed)."""
        if self.db.is_postgres:
            rows = self.db.query(*_hashes_query(nodes))
            found = {(row["level"], row["idx"]): bytes(row["hash"])
                     for row in rows if row["level"] >= 0}
        else:
            query, leaves = leaf_rows_query(nodes)
            rows = self.db.query(SQLITE_LOG_SIZE + (" UNION ALL " + query if leaves else ""),
                                 leaves)
            found = hashes_in_leaf_rows(nodes, rows)
        current = next(row["idx"] for row in rows if row["level"] == -1)
        if not 0 <= size <= current:
            raise InvalidSizesError(f"tree size {size} is beyond the log's {current} leaves")
        return found

    def leaves(self, start: int, end: int) -> list[Leaf]:
        """Leaf records [start, end) with the canonical bytes rebuilt from the stored events."""
        return self._leaves("l.leaf_index >= %s AND l.leaf_index < %s", [start, end])

    def leaves_at(self, indexes: list[int]) -> list[Leaf]:
        """The leaf records at these positions, in one statement."""
        marks = ", ".join(["%s"] * len(indexes))
        return self._leaves(f"l.leaf_index IN ({marks})", list(indexes)) if indexes else []

    def _leaves(self, where: str, params: list[int]) -> list[Leaf]:
        rows = self.db.query(
            f"SELECT l.leaf_index, l.originator_id, l.originator_version, l.leaf_hash,"
            f" e.topic, e.state FROM ledger_leaves l LEFT JOIN {self.db.events_table} e"
            f" ON e.originator_id = l.originator_id"
            f" AND e.originator_version = l.originator_version"
            f" WHERE {where} ORDER BY l.leaf_index", params)
        return [_leaf(self.db, row) for row in rows]

    def checkpoints(self, reader: Reader | None = None) -> list[StoredCheckpoint]:
        return self._one(reader, lambda r: [StoredCheckpoint(row["tree_size"], bytes(row["root"]),
                                                             row["note"]) for row in r.rows(
            "SELECT tree_size, root, note FROM ledger_checkpoints ORDER BY tree_size")])

    def latest_checkpoint(self) -> StoredCheckpoint | None:
        rows = self._one(None, lambda r: r.rows(
            "SELECT tree_size, root, note FROM ledger_checkpoints"
            " ORDER BY tree_size DESC LIMIT 1"))
        if not rows:
            return None
        return StoredCheckpoint(rows[0]["tree_size"], bytes(rows[0]["root"]), rows[0]["note"])

    def _one(self, reader: Reader | None, read: Callable[[Reader], T]) -> T:
        if reader is not None:
            return read(reader)
        with self.db.snapshot() as r:
            return read(r)



def record_leaves(db: LedgerDB, reader: Reader, record_id: UUID) -> dict[int, tuple[int, bytes]]:
    """Each stored version of a record: its leaf index and leaf hash.

    PostgreSQL looks them up by the event's key. SQLite finds each event's leaf through the
    event's rowid, which is its leaf index + 1 (rowids count the appended rows from 1, and
    leaves are appended with their events, in order), checked against the leaf's key; only if
    some event has no leaf there is ledger_leaves searched by key (it has no index on it)."""
    if db.is_postgres:
        rows = reader.rows("SELECT originator_version AS v, leaf_index, leaf_hash"
                           " FROM ledger_leaves WHERE originator_id = %s", (record_id,))
    else:
        rows = reader.rows(
            "SELECT e.originator_version AS v, l.leaf_index, l.leaf_hash"
            f" FROM {db.events_table} e LEFT JOIN ledger_leaves l ON l.leaf_index = e.rowid - 1"
            " AND l.originator_id = e.originator_id"
            " AND l.originator_version = e.originator_version WHERE e.originator_id = %s",
            (record_id.hex,))
        if any(row["leaf_index"] is None for row in rows):
            rows = reader.rows("SELECT originator_version AS v, leaf_index, leaf_hash"
                               " FROM ledger_leaves WHERE originator_id = %s", (record_id.hex,))
    return {row["v"]: (row["leaf_index"], bytes(row["leaf_hash"])) for row in rows}


def version_at_leaf(db: LedgerDB, reader: Reader, record_id: UUID, leaf: int) -> int | None:
    """The record's last version with a leaf index at most ``leaf`` (None: none yet)."""
    return max((version for version, (index, _) in record_leaves(db, reader, record_id).items()
                if index <= leaf), default=None)


def tree_size(reader: Reader) -> int:
    size: int = reader.rows(
        "SELECT coalesce(max(leaf_index) + 1, 0) AS size FROM ledger_leaves")[0]["size"]
    return size


LOG_SIZE = ("SELECT -1 AS level, coalesce(max(leaf_index) + 1, 0) AS idx, NULL AS hash"
            " FROM ledger_leaves")
SQLITE_LOG_SIZE = LOG_SIZE.replace("NULL AS hash", "NULL AS hash, NULL AS nodes")


def _hashes_query(nodes: Iterable[NodeId]) -> tuple[str, list[int]]:
    """PostgreSQL: leaves from ledger_leaves, inner nodes from ledger_nodes, and the log's size
    as level -1."""
    nodes = list(nodes)
    parts: list[str] = [LOG_SIZE]
    params: list[int] = []
    leaves = [idx for level, idx in nodes if level == 0]
    if leaves:
        parts.append("SELECT 0, leaf_index, leaf_hash FROM ledger_leaves WHERE leaf_index IN ("
                     + ", ".join(["%s"] * len(leaves)) + ")")
        params += leaves
    inner = [(level, idx) for level, idx in nodes if level > 0]
    if inner:
        parts.append("SELECT level, idx, hash FROM ledger_nodes WHERE "
                     + " OR ".join(["(level = %s AND idx = %s)"] * len(inner)))
        params += [value for node in inner for value in node]
    return " UNION ALL ".join(parts), params


def leaf_rows_query(nodes: Iterable[NodeId]) -> tuple[str, list[int]]:
    """SQLite: the rows of the leaves that complete ``nodes`` (level 0, the leaf's index as
    idx, its hash and its ``nodes``), for ``hashes_in_leaf_rows``. Leaves past SQLite's
    integers are of no stored log: left out."""
    leaves = sorted({leaf for leaf in (completing_leaf(*node) for node in nodes) if leaf < 1 << 63})
    return (f"SELECT 0 AS level, leaf_index AS idx, leaf_hash AS hash, {SQLITE_NODES} AS nodes"
            " FROM ledger_leaves WHERE leaf_index IN (" + ", ".join(["%s"] * len(leaves)) + ")",
            leaves)


def hashes_in_leaf_rows(nodes: Iterable[NodeId], rows: Sequence[Row]) -> dict[NodeId, bytes]:
    """The stored hashes of ``nodes`` found in ``leaf_rows_query``'s rows (level 0 only)."""
    by_leaf = {row["idx"]: row for row in rows if row["level"] == 0}
    found: dict[NodeId, bytes] = {}
    for level, idx in nodes:
        if (row := by_leaf.get(completing_leaf(level, idx))) is None:
            continue
        digest = bytes(row["hash"]) if level == 0 else node_in_row(row["nodes"], level)
        if digest is not None:
            found[level, idx] = digest
    return found


def _leaf(db: LedgerDB, row: Row) -> Leaf:
    originator_id = db.to_uuid(row["originator_id"])
    leaf = None
    if row["state"] is not None:
        leaf = encode_leaf(originator_id, row["originator_version"], row["topic"],
                           bytes(row["state"]))
    return Leaf(row["leaf_index"], originator_id, row["originator_version"], leaf,
                bytes(row["leaf_hash"]))
