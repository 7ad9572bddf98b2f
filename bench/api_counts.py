"""After the load: is every acknowledged write stored, and in the ledger, and does it verify?

An acknowledgement names the record (the URL) and its version after the write (the ETag), so
each one is looked up by that key: among the stored rating events, and among the ledger's leaves.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any
from uuid import UUID

import orjson

from bench.api_bare import BareRatings
from bench.api_servers import kinerja
from ledger.db import LedgerDB
from service.config import Settings
from service.store import open_app

RATING_TOPICS = ("kinerja/Evaluation/RatingRecorded", "kinerja/Evaluation/RatingRevised")
Key = tuple[UUID, int]


def count_ours(url: str, acknowledged: Sequence[Key]) -> dict[str, int]:
    app = open_app(Settings(url), sign=False)
    try:
        db = LedgerDB.of(app.recorder)
        with db.snapshot() as reader:
            events = reader.rows(f"SELECT count(*) AS n FROM {db.events_table}")[0]["n"]
            ratings = _keys(db, reader.rows(
                f"SELECT originator_id, originator_version FROM {db.events_table}"
                " WHERE topic IN (%s, %s)", RATING_TOPICS))
            leaves = _keys(db, reader.rows(
                "SELECT originator_id, originator_version FROM ledger_leaves"))
            size = app.ledger.size(reader)
    finally:
        app.close()
    acked = set(acknowledged)
    return {"acknowledged": len(acknowledged), "distinct": len(acked),
            "rating_events": len(ratings), "acked_stored": len(acked & ratings),
            "acked_in_ledger": len(acked & leaves), "missing": len(acked - (ratings & leaves)),
            "events": events, "leaves": len(leaves), "ledger_size": size}


def count_bare(bare: BareRatings, acknowledged: Sequence[Key],
               ids: Iterable[UUID]) -> dict[str, int]:
    """Each bare aggregate starts at version 1 and gains one event per rating command."""
    versions = {i: bare.repository.get(i).version for i in ids}
    acked = set(acknowledged)
    stored = {key for key in acked if key[1] <= versions.get(key[0], 0)}
    return {"acknowledged": len(acknowledged), "distinct": len(acked),
            "events": sum(v - 1 for v in versions.values()), "acked_stored": len(stored),
            "missing": len(acked - stored)}


def verify_ledger(env: dict[str, str]) -> dict[str, Any]:
    """``kinerja verify`` as an auditor runs it: events, leaves, nodes, signed checkpoints."""
    report = orjson.loads(kinerja("verify", "--json", env=env, ok_codes=(0, 1)))
    return {"ok": report["ok"], "leaves": report["leaves"], "checkpoints": report["checkpoints"]}


def _keys(db: LedgerDB, rows: Iterable[Any]) -> set[Key]:
    return {(db.to_uuid(row["originator_id"]), int(row["originator_version"])) for row in rows}

