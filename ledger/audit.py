"""The ledger in the database, read from one consistent snapshot: verified or exported."""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterator, Sequence

import orjson

from ledger.bundle import write_bundle
from ledger.db import LedgerDB, Reader
from ledger.leaf import encode_leaf
from ledger.note import Verifier
from ledger.verify import EventRow, LeafRow, Report, verify


def verify_database(db: LedgerDB, verifiers: Sequence[Verifier], origin: str, *,
                    progress: Callable[[int], None] | None = None) -> Report:
    with db.snapshot() as reader:
        notes = [row["note"] for row in reader.rows(
            "SELECT note FROM ledger_checkpoints ORDER BY tree_size")]
        levels = reader.rows("SELECT coalesce(max(level), 0) AS top FROM ledger_nodes")[0]["top"]
        return verify(events(db, reader), leaves(db, reader), notes, verifiers, origin,
                      nodes=lambda level: nodes(reader, level), node_levels=levels,
                      progress=progress)


def events(db: LedgerDB, reader: Reader) -> Iterator[EventRow]:
    order = "notification_id" if db.is_postgres else "rowid"
    for oid, version, topic, state in reader.stream(
            f"SELECT {db.id_column('originator_id')}, originator_version, topic, state"
            f" FROM {db.events_table} ORDER BY {order}"):
        ident = db.id_bytes(oid)
        yield EventRow(ident, version, encode_leaf(ident, version, topic, bytes(state)))


def leaves(db: LedgerDB, reader: Reader) -> Iterator[LeafRow]:
    for index, oid, version, digest in reader.stream(
            f"SELECT leaf_index, {db.id_column('originator_id')}, originator_version, leaf_hash"
            " FROM ledger_leaves ORDER BY leaf_index"):
        yield LeafRow(index, db.id_bytes(oid), version, bytes(digest))


def nodes(reader: Reader, level: int) -> Iterator[tuple[int, bytes]]:
    for idx, digest in reader.stream(
            "SELECT idx, hash FROM ledger_nodes WHERE level = %s ORDER BY idx", (level,)):
        yield idx, bytes(digest)


def export_database(db: LedgerDB, path: Path, origin: str, verifiers: Sequence[str]) -> dict:
    """Write a bundle from one consistent snapshot of the database."""
    with db.snapshot() as reader:
        notes = [row["note"] for row in reader.rows(
            "SELECT note FROM ledger_checkpoints ORDER BY tree_size")]
        return write_bundle(path, origin, events(db, reader), leaves(db, reader), notes,
                            verifiers, orjson.dumps)
