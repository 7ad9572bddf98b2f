"""Request receipts: an idempotency key recorded in the same transaction as the events it wrote.

A retry with the same key finds the receipt and gets the first result, and a concurrent
duplicate fails on the receipt's primary key, taking its events down with it: a request is
applied exactly once, even across a crash between commit and reply.
"""

from __future__ import annotations

from typing import Any, NamedTuple
from uuid import UUID

from ledger.db import LedgerDB

SQLITE_TABLE = (
    "CREATE TABLE IF NOT EXISTS request_receipts ("
    " actor TEXT NOT NULL, key TEXT NOT NULL, fingerprint BLOB NOT NULL,"
    " resource_id TEXT NOT NULL, version INTEGER NOT NULL, status INTEGER NOT NULL,"
    " PRIMARY KEY (actor, key)) WITHOUT ROWID")
POSTGRES_TABLE = (
    "CREATE TABLE IF NOT EXISTS request_receipts ("
    " actor text NOT NULL, key text NOT NULL, fingerprint bytea NOT NULL,"
    " resource_id uuid NOT NULL, version bigint NOT NULL, status smallint NOT NULL,"
    " PRIMARY KEY (actor, key))")
COLUMNS = ("actor", "key", "fingerprint", "resource_id", "version", "status")
INSERT = (f"INSERT INTO request_receipts ({', '.join(COLUMNS)})"
          f" VALUES ({', '.join(['%s'] * len(COLUMNS))})")
NAMES = tuple(f"receipt_{c}" for c in COLUMNS)  # as parameters of PostgreSQL's save


class Receipt(NamedTuple):
    actor: str
    key: str
    fingerprint: bytes  # a hash of the request (method, path, body): same key, same request
    resource_id: UUID
    version: int  # the resource's version after the request: its result can be re-read
    status: int

    def row(self, postgres: bool) -> tuple[Any, ...]:
        rid = self.resource_id if postgres else self.resource_id.hex
        return (self.actor, self.key, self.fingerprint, rid, self.version, self.status)

    @staticmethod
    def named(receipt: Receipt | None) -> dict[str, Any]:
        """The PostgreSQL row as named parameters (``NAMES``), all None for no receipt."""
        return dict(zip(NAMES, receipt.row(postgres=True) if receipt else [None] * len(NAMES)))


def find_receipt(db: LedgerDB, actor: str, key: str) -> Receipt | None:
    rows = db.query("SELECT fingerprint, resource_id, version, status FROM request_receipts"
                    " WHERE actor = %s AND key = %s", (actor, key))
    if not rows:
        return None
    row = rows[0]
    return Receipt(actor, key, bytes(row["fingerprint"]), db.to_uuid(row["resource_id"]),
                   row["version"], row["status"])
