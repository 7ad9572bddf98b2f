"""Idempotency receipts: a client's key for a request, recorded with the request's events.

The receipt is written in the command's own transaction (``Commits.commit``), so a repeated
request can never commit twice; the API looks the receipt up only when a write fails.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from eventsourcing.application import Application

from ledger.db import LedgerDB
from ledger.receipts import Receipt, find_receipt


@dataclass(frozen=True)
class Idempotency:
    """A client's idempotency key for one request, and what to answer when it is repeated."""

    key: str
    fingerprint: bytes  # hash of the request: the same key with another request is refused
    status: int = 200


class Receipts(Application):
    """Receipts of idempotent requests, kept in the ledger's database."""

    @staticmethod
    def receipt(meta: Any, aggregate: Any, request: Mapping[str, Any]) -> Receipt | None:
        """The receipt to record with the aggregate as it now is, if the request has a key."""
        idempotency = request.get("idempotency")
        if idempotency is None:
            return None
        return Receipt(meta.actor, idempotency.key, idempotency.fingerprint, aggregate.id,
                       aggregate.version, idempotency.status)

    def find_receipt(self, actor_id: str, key: str) -> Receipt | None:
        """The receipt of ``actor_id``'s request with this key (keys are per actor), if any."""
        # Only when a write with a key fails (a LedgerDB is cheap to make).
        return find_receipt(LedgerDB.of(self.recorder), actor_id, key)
