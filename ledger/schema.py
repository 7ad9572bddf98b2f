"""Tables of the Merkle log, beside the library's stored_events table, for each backend.

ledger_leaves   one row per event: dense 0-based leaf index in commit order, the event's key
                (originator id and version: enough to rebuild the leaf bytes) and the leaf hash
ledger_nodes    every complete subtree above the leaves (level >= 1) as it forms; level-0
                hashes are the leaf hashes. Node (level, idx) covers leaves
                [idx * 2**level, (idx + 1) * 2**level). PostgreSQL only: SQLite keeps a
                node in the row of the leaf that completes it (below).
ledger_checkpoints  signed checkpoints (C2SP signed notes), one per tree size
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import cast

from ledger.merkle import HASH_SIZE

# SQLite writes every page a commit changed to the WAL, so a save's ledger rows should sit on
# as few pages as they can: each leaf row also holds, in ``nodes``, the hashes of the subtrees
# that leaf completes (leaf i completes one per trailing one-bit of i: levels 1, 2, ... end to
# end, NULL when none), and there is no ledger_nodes table to write. ledger_leaves has no index
# on the event's key (the events table's key already makes it unique, and an event's leaf is
# found through its rowid: ``log.record_leaves``). ``kinerja db init`` moves the nodes of a
# database made before (``SQLITE_EARLIER``) into their leaves.
SQLITE_TABLES = [
    "CREATE TABLE IF NOT EXISTS ledger_leaves ("
    " leaf_index INTEGER PRIMARY KEY, originator_id TEXT NOT NULL,"
    " originator_version INTEGER NOT NULL, leaf_hash BLOB NOT NULL, nodes BLOB)",
    "CREATE TABLE IF NOT EXISTS ledger_checkpoints ("
    " tree_size INTEGER PRIMARY KEY, root BLOB NOT NULL, note TEXT NOT NULL,"
    " created_at TEXT NOT NULL)",
]
SQLITE_EARLIER = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'ledger_nodes'"
# ``nodes`` as read: text (which only a rogue stores) need not be UTF-8, and the driver would
# fail to decode it; any text reads as this marker instead, which is no hash.
SQLITE_NODES = "CASE WHEN typeof(nodes) = 'text' THEN 'text' ELSE nodes END"


def completing_leaf(level: int, idx: int) -> int:
    """The leaf whose append forms node (level, idx): the last one it covers."""
    return ((idx + 1) << level) - 1


def levels_completed(leaf_index: int) -> int:
    """How many nodes the leaf completes (its trailing one-bits): levels 1 up to this."""
    return ((leaf_index + 1) & -(leaf_index + 1)).bit_length() - 1


def nodes_by_leaf(nodes: Iterable[tuple[int, int, bytes]]) -> dict[int, bytes]:
    """SQLite's ``nodes`` value of each leaf, from (level, idx, hash) in the order they form."""
    by_leaf: dict[int, bytes] = {}
    for level, idx, digest in nodes:
        leaf = completing_leaf(level, idx)
        by_leaf[leaf] = by_leaf.get(leaf, b"") + digest
    return by_leaf


def whole_hashes(nodes: object) -> int | None:
    """How many hashes a leaf row's ``nodes`` holds (0 for NULL); None if it is not hashes."""
    if nodes is None:
        return 0
    if type(nodes) is not bytes or len(nodes) % HASH_SIZE:
        return None
    return len(nodes) // HASH_SIZE


def node_in_row(nodes: object, level: int) -> bytes | None:
    """The hash of the level-``level`` node a leaf row's ``nodes`` holds, if it holds one."""
    if (whole_hashes(nodes) or 0) < level:
        return None
    return cast(bytes, nodes)[(level - 1) * HASH_SIZE:level * HASH_SIZE]  # whole_hashes: bytes


POSTGRES_TABLES = [
    "CREATE TABLE IF NOT EXISTS ledger_leaves ("
    " leaf_index bigint PRIMARY KEY, originator_id uuid NOT NULL,"
    " originator_version bigint NOT NULL, leaf_hash bytea NOT NULL,"
    " UNIQUE (originator_id, originator_version))",
    "CREATE TABLE IF NOT EXISTS ledger_nodes ("
    " level smallint NOT NULL, idx bigint NOT NULL, hash bytea NOT NULL,"
    " PRIMARY KEY (level, idx))",
    "CREATE TABLE IF NOT EXISTS ledger_checkpoints ("
    " tree_size bigint PRIMARY KEY, root bytea NOT NULL, note text NOT NULL,"
    " created_at timestamptz NOT NULL)",
]

LEDGER_TABLES = ("ledger_leaves", "ledger_nodes", "ledger_checkpoints")


def postgres_append_only(events_table: str) -> list[str]:
    """Defence in depth: nothing recorded may change, not even by the service's own role."""
    return [
        """CREATE OR REPLACE FUNCTION kinerja_refuse_change() RETURNS trigger
        LANGUAGE plpgsql AS $$ BEGIN
          RAISE EXCEPTION 'kinerja-ledger: % on % is refused: the ledger is append-only',
            TG_OP, TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
        END $$""",
        *[f"""DO $$ BEGIN
          CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table}
            FOR EACH ROW EXECUTE FUNCTION kinerja_refuse_change();
          CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}
            FOR EACH STATEMENT EXECUTE FUNCTION kinerja_refuse_change();
        EXCEPTION WHEN duplicate_object THEN NULL; END $$"""
          for table in (events_table, *LEDGER_TABLES)],
    ]


def postgres_service_role(role: str, events_table: str, snapshots_table: str,
                          kept: Sequence[str], save_signature: str) -> list[str]:
    """Grants for the role the service runs as: the record (events, snapshots, the ledger,
    request receipts) it may read and append to, never change or remove; what it keeps up to
    date (``kept``: views, their positions, tokens) it may also change; and it may call the
    save function. Run after every table exists."""
    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", role):
        raise ValueError("a role name is lowercase letters, digits and '_' (at most 63)")
    record = ", ".join((events_table, snapshots_table, *LEDGER_TABLES, "request_receipts"))
    return [
        f"""DO $$ BEGIN CREATE ROLE "{role}" LOGIN;
        EXCEPTION WHEN duplicate_object THEN NULL; END $$""",
        f'REVOKE ALL ON {record} FROM "{role}"',
        f'GRANT SELECT, INSERT ON {record} TO "{role}"',
        # The library serialises appends with LOCK TABLE ... IN EXCLUSIVE MODE, which PostgreSQL
        # allows only to holders of UPDATE; the row trigger still refuses every actual UPDATE,
        # and only the table's owner or a superuser could disable it.
        f'GRANT UPDATE ON {events_table} TO "{role}"',
        f'GRANT SELECT, INSERT, UPDATE, DELETE ON {", ".join(kept)} TO "{role}"',
        f'GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO "{role}"',
        f'GRANT EXECUTE ON FUNCTION {save_signature} TO "{role}"',
    ]
