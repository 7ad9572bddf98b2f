"""Bringing a SQLite ledger made by an earlier release up to the current layout (schema.py):
its ``ledger_nodes`` table moved into the rows of the leaves that complete the nodes.

Run by ``kinerja db init``, in the transaction that creates the tables: if anything fails,
nothing has changed.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from eventsourcing.persistence import PersistenceError

from ledger.merkle import HASH_SIZE
from ledger.schema import levels_completed

BATCH = 10_000  # leaf rows updated per statement batch


class EarlierNodesError(PersistenceError):
    """The earlier ``ledger_nodes`` is not as appends left it; nothing was changed."""


def move_nodes_into_leaves(c: Any) -> None:
    """Move each node into its leaf's row, then drop ``ledger_nodes``.

    Only a table exactly as appends left it is moved: every node of the tree of the log's
    size, once, each a 32-byte hash, and nothing else. Anything else (damage, or a rogue's
    work) is refused and named: moved, a stray node would vanish and a missing one would shift
    the hashes after it, and the evidence would be lost. The hashes themselves are moved as
    they are, for ``kinerja verify`` to check afterwards."""
    c.execute("SELECT name FROM pragma_table_info('ledger_leaves')")
    if "nodes" not in {row[0] for row in c.fetchall()}:
        c.execute("ALTER TABLE ledger_leaves ADD COLUMN nodes BLOB")
    c.execute("SELECT coalesce(max(leaf_index) + 1, 0) FROM ledger_leaves")
    size = c.fetchone()[0]
    reader = c.sqlite_cursor.connection.cursor()  # streams the nodes while ``c`` writes
    reader.execute("SELECT level, idx, hash FROM ledger_nodes ORDER BY ((idx + 1) << level), level")
    updates: list[tuple[bytes, int | None]] = []
    for leaf, nodes in _by_leaf(_checked(_rows(reader), size)):
        updates.append((nodes, leaf))
        if len(updates) == BATCH:
            c.executemany("UPDATE ledger_leaves SET nodes = ? WHERE leaf_index = ?", updates)
            updates.clear()
    c.executemany("UPDATE ledger_leaves SET nodes = ? WHERE leaf_index = ?", updates)
    c.execute("DROP TABLE ledger_nodes")


def _rows(cursor: Any) -> Iterator[tuple[Any, Any, Any]]:
    while batch := cursor.fetchmany(BATCH):
        yield from batch


def formed(size: int) -> Iterator[tuple[int, int, int]]:
    """(leaf, level, idx) of every node a tree of ``size`` leaves has, in the order they form."""
    for leaf in range(size):
        for level in range(1, levels_completed(leaf) + 1):
            yield leaf, level, ((leaf + 1) >> level) - 1


# (leaf, hash). The leaf is None only for a stored node beyond the tree's nodes whose level and
# idx are both NULL, which the earlier table's NOT NULL columns never held.
LeafHashes = Iterator[tuple[int | None, bytes]]


def _checked(rows: Iterator[tuple[Any, Any, Any]], size: int) -> LeafHashes:
    """(leaf, hash) of each stored node, if the nodes are exactly those of the tree."""
    expected = formed(size)
    for level, idx, digest in rows:
        leaf, *node = next(expected, (None, None, None))
        if [level, idx] != node:
            raise _refused(f"node (level {level}, index {idx}) is stored where "
                           + (f"node (level {node[0]}, index {node[1]})" if leaf is not None
                              else "the tree has no more nodes") + " was expected")
        if type(digest) is not bytes or len(digest) != HASH_SIZE:
            raise _refused(f"node (level {level}, index {idx}) is not a {HASH_SIZE}-byte hash")
        yield leaf, digest
    if (missing := next(expected, None)) is not None:
        raise _refused(f"node (level {missing[1]}, index {missing[2]}) is missing")


def _by_leaf(nodes: LeafHashes) -> LeafHashes:
    """(leaf, its hashes end to end), from (leaf, hash) in leaf order."""
    leaf: int | None = None
    held = b""
    for at, digest in nodes:
        if at != leaf and held:
            yield leaf, held
            held = b""
        leaf, held = at, held + digest
    if held:
        yield leaf, held


def _refused(what: str) -> EarlierNodesError:
    return EarlierNodesError(
        f"ledger_nodes is not as the appends left it: {what}. Nothing was changed: check this"
        " database with `kinerja verify` of the release that made it")
