"""The ledger in the database, read from one consistent snapshot: verified or exported."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import orjson

from ledger import verify as verifier
from ledger.bundle import write_bundle
from ledger.db import LedgerDB, Reader
from ledger.leaf import encode_leaf, event_leaf_hash
from ledger.merkle import HASH_SIZE
from ledger.note import Verifier
from ledger.schema import (
    SQLITE_NODES,
    completing_leaf,
    levels_completed,
    node_in_row,
    whole_hashes,
)
from ledger.verify import (
    TOP_LEVEL,
    EventFields,
    LeafFields,
    LeafRow,
    Report,
    node_ranges,
    verify,
)

CHECKPOINTS = "SELECT note FROM ledger_checkpoints ORDER BY tree_size"
LOG_SIZE = "SELECT coalesce(max(leaf_index) + 1, 0) AS size FROM ledger_leaves"

Digests = dict[tuple[int, int], bytes | None]  # as ``verify.StoredNodes.digests`` gives them


def verify_database(db: LedgerDB, verifiers: Sequence[Verifier], origin: str, *,
                    progress: Callable[[int], None] | None = None) -> Report:
    with db.snapshot() as reader:
        notes = [row["note"] for row in reader.rows(CHECKPOINTS)]
        nodes = StoredNodes(db, reader)
        with nodes.digested_beside(reader.rows(LOG_SIZE)[0]["size"]):
            return verify(event_rows(db, reader), leaf_rows(db, reader), notes, verifiers,
                          origin, nodes=nodes, progress=progress)


def _event_query(db: LedgerDB) -> str:
    order = "notification_id" if db.is_postgres else "rowid"
    return (f"SELECT {db.id_column('originator_id')}, originator_version, topic, state"
            f" FROM {db.events_table} ORDER BY {order}")


def event_rows(db: LedgerDB, reader: Reader) -> Iterator[EventFields]:
    """The stored events in commit order, each with its leaf hash recomputed from the row. The
    id stays in the store's form (bytes on PostgreSQL, hex text on SQLite), as the leaf
    records give it."""
    for batch in reader.batches(_event_query(db), ahead=True):
        yield from [(oid, version, event_leaf_hash(db.id_bytes(oid), version, topic, state))
                    for oid, version, topic, state in batch]


def leaf_rows(db: LedgerDB, reader: Reader) -> Iterator[LeafFields]:
    """The leaf records in leaf order: (index, id, version, hash), ids as ``event_rows``'."""
    for batch in reader.batches(
            f"SELECT leaf_index, {db.id_column('originator_id')}, originator_version, leaf_hash"
            " FROM ledger_leaves ORDER BY leaf_index", ahead=True):
        yield from batch


class StoredNodes:
    """The stored subtree hashes, as ``verify`` compares them (``verify.StoredNodes``)."""

    def __init__(self, db: LedgerDB, reader: Reader) -> None:
        self.db, self.reader = db, reader
        self._beside: tuple[int, Future[Digests]] | None = None

    @contextmanager
    def digested_beside(self, size: int) -> Iterator[None]:
        """On PostgreSQL, have the server hash the nodes of a tree of ``size`` leaves on a
        second connection to the same snapshot, while the walk reads this one."""
        if not self.db.is_postgres or size < 2:
            yield
            return
        with self.db.snapshot(of=self.reader.export()) as beside, \
                ThreadPoolExecutor(1, thread_name_prefix="ledger-nodes") as pool:
            self._beside = size, pool.submit(StoredNodes(self.db, beside).digests, size)
            try:
                yield
            finally:  # the pool waits for its query, then the second snapshot ends
                self._beside = None

    def digests(self, size: int) -> Digests:
        if self._beside and self._beside[0] == size:
            return self._beside[1].result()
        ranges = list(node_ranges(size))
        if not ranges:
            return {}
        if self.db.is_postgres:  # one statement; the server hashes each range
            levels, starts, stops = zip(*ranges)
            return {(row["level"], row["start"]): row["digest"] for row in self.reader.rows(
                "SELECT r.level, r.start, n.digest"
                " FROM unnest(%s::int[], %s::bigint[], %s::bigint[]) AS r(level, start, stop)"
                " CROSS JOIN LATERAL (SELECT CASE WHEN bool_and(length(hash) = 32) THEN"
                "   sha256(string_agg(int8send(idx) || hash, ''::bytea ORDER BY idx)) END"
                "   AS digest FROM ledger_nodes"
                "   WHERE level = r.level AND idx >= r.start AND idx < r.stop) n",
                (list(levels), list(starts), list(stops)))}
        # SQLite: one pass over the leaves that complete a node, in the order the nodes formed
        return _digests(self.reader.stream(
            f"SELECT leaf_index, {SQLITE_NODES} FROM ledger_leaves WHERE leaf_index < %s"
            " AND (leaf_index & 1) = 1 ORDER BY leaf_index", (size,)), ranges)

    def nodes(self, level: int, start: int, stop: int) -> Iterator[tuple[int, bytes]]:
        if self.db.is_postgres:
            return self.reader.stream("SELECT idx, hash FROM ledger_nodes WHERE level = %s"
                                      " AND idx >= %s AND idx < %s ORDER BY idx",
                                      (level, start, stop))
        rows = self.reader.stream(  # SQLite: from the leaves that complete them
            f"SELECT leaf_index, {SQLITE_NODES} FROM ledger_leaves"
            " WHERE leaf_index BETWEEN %s AND %s"
            f" AND ((leaf_index + 1) & {(1 << level) - 1}) = 0 ORDER BY leaf_index",
            (completing_leaf(level, start), completing_leaf(level, stop - 1)))
        return ((((leaf + 1) >> level) - 1, digest) for leaf, nodes in rows
                if (digest := node_in_row(nodes, level)) is not None)

    def leaf_hashes(self, start: int, stop: int) -> Iterator[bytes]:
        for (digest,) in self.reader.stream(
                "SELECT leaf_hash FROM ledger_leaves WHERE leaf_index >= %s AND leaf_index < %s"
                " ORDER BY leaf_index", (start, stop)):
            yield digest

    def leftover(self, size: int) -> tuple[int | None, str] | None:
        if not self.db.is_postgres:
            return self._leftover_in_leaves(size)
        rows, level = self.reader.rows("SELECT level, idx FROM ledger_nodes WHERE level < 1"
                                       f" OR level > {TOP_LEVEL} ORDER BY level, idx LIMIT 1"), 0
        while not rows and level < TOP_LEVEL:
            level += 1
            rows = self.reader.rows("SELECT level, idx FROM ledger_nodes WHERE level = %s"
                                    " AND idx >= %s ORDER BY idx LIMIT 1", (level, size >> level))
        if not rows:
            return None
        level, idx = rows[0]["level"], rows[0]["idx"]
        return (idx << level if 0 < level <= TOP_LEVEL else None,
                f"node (level {level}, index {idx}) is stored but never formed")

    def _leftover_in_leaves(self, size: int) -> tuple[int | None, str] | None:
        """SQLite: a leaf row whose ``nodes`` is not hashes, holds more than its leaf completes,
        or holds any past ``size``."""
        rows = self.reader.rows(
            "SELECT leaf_index, typeof(nodes) = 'blob' AND (length(nodes) & 31) = 0 AS whole"
            " FROM ledger_leaves WHERE nodes IS NOT NULL AND length(nodes) > 0"
            f" AND (leaf_index >= %s OR typeof(nodes) != 'blob' OR (length(nodes) & 31) != 0"
            f" OR length(nodes) > {HASH_SIZE * TOP_LEVEL}"
            f" OR ((leaf_index + 1) & ((1 << (length(nodes) / {HASH_SIZE})) - 1)) != 0)"
            " ORDER BY leaf_index LIMIT 1", (size,))
        if not rows:
            return None
        leaf = rows[0]["leaf_index"]
        if leaf >= size:
            return leaf, f"leaf {leaf}'s row holds subtree hashes past the tree"
        if not rows[0]["whole"]:
            return leaf, f"leaf {leaf}'s row holds something other than subtree hashes"
        return leaf, (f"leaf {leaf}'s row holds more than the {levels_completed(leaf)}"
                      " subtree hashes that leaf completes")


def _digests(rows: Iterator[tuple[int, Any]],
             ranges: list[tuple[int, int, int]]) -> dict[tuple[int, int], bytes | None]:
    """``StoredNodes.digests`` on SQLite, from the ``nodes`` of each leaf that completes one, in
    leaf order: within a level, that is idx order. A value that is not whole hashes spoils the
    ranges of the nodes its leaf completes; what a leaf does not complete is ``leftover``'s."""
    sums: dict[tuple[int, int], Any] = {(level, start): hashlib.sha256()
                                        for level, start, _ in ranges}
    mask = ~((1 << verifier.RANGE_BITS) - 1)
    for leaf, nodes in rows:
        held = whole_hashes(nodes)
        for level in range(1, levels_completed(leaf) + 1):
            idx = ((leaf + 1) >> level) - 1
            if (digest := sums.get((level, idx & mask))) is None:
                continue  # not in this tree, or its range is spoilt already
            if held is None:
                sums[level, idx & mask] = None
            elif level <= held:  # else missing: the range's digest differs by going without it
                digest.update(idx.to_bytes(8, "big")
                              + nodes[(level - 1) * HASH_SIZE:level * HASH_SIZE])
    return {key: digest.digest() if digest else None for key, digest in sums.items()}


def export_database(db: LedgerDB, path: Path, origin: str,
                    verifiers: Sequence[str]) -> dict[str, Any]:
    """Write a bundle from one consistent snapshot of the database."""
    with db.snapshot() as reader:
        notes = [row["note"] for row in reader.rows(CHECKPOINTS)]
        leaves = (LeafRow(index, db.id_bytes(oid), version, digest)
                  for index, oid, version, digest in leaf_rows(db, reader))
        return write_bundle(path, origin, leaf_bytes(db, reader), leaves, notes, verifiers,
                            orjson.dumps)


def leaf_bytes(db: LedgerDB, reader: Reader) -> Iterator[bytes]:
    """The canonical leaf bytes of the stored events, in commit order."""
    for oid, version, topic, state in reader.stream(_event_query(db)):
        yield encode_leaf(db.id_bytes(oid), version, topic, state)
