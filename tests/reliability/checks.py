"""After the trouble: what the store holds for each recorded write, and the views beside a rebuild.

A write's event is found by its request id (the writers send their Idempotency-Key as the
X-Request-Id, which every event records), its leaf by the event's key in ``ledger_leaves``.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import httpx
import orjson

from ledger.db import LedgerDB
from projections.runner import Projector
from projections.views import ALL as VIEWS
from tests.reliability.load import Write

REVISED = "kinerja/Evaluation/RatingRevised"


@dataclass(frozen=True)
class Found:
    """The events of some evaluations by request id, and every leaf of the ledger."""

    events: dict[str, list[Any]]
    leaves: set[tuple[UUID, int]]

    @classmethod
    def read(cls, app: Any, evaluations: Iterable[UUID]) -> Found:
        events: dict[str, list[Any]] = defaultdict(list)
        for evaluation in set(evaluations):
            for event in app.events.get(evaluation):
                events[event.request_id].append(event)
        db = LedgerDB.of(app.recorder)
        leaves = {(db.to_uuid(row["originator_id"]), int(row["originator_version"]))
                  for row in db.query(
                      "SELECT originator_id, originator_version FROM ledger_leaves")}
        return cls(dict(events), leaves)

    def of(self, write: Write) -> list[Any]:
        return self.events.get(write.key, [])


def check_writes(app: Any, writes: list[Write], earlier: list[Write] = ()) -> Counter:
    """Each acknowledged write is stored once, at its ETag's version, with its leaf; a refused
    one not at all; one left without a final answer once (event and leaf) or not at all. No
    event carries a request id of the load that neither these nor ``earlier`` writes sent."""
    found = Found.read(app, (w.evaluation for w in writes))
    counts = Counter(sent=len(writes))
    for write in writes:
        events = found.of(write)
        assert len(events) <= 1, f"{write.key} is stored {len(events)} times"
        for event in events:
            assert (event.originator_id, event.originator_version) in found.leaves, \
                f"{write.key}: its event is stored without its leaf"
            assert (event.originator_id, type(event).TOPIC) == (
                write.evaluation, f"kinerja/Evaluation/{write.topic}"), write.key
        if write.acknowledged:
            assert [e.originator_version for e in events] == [write.version], \
                f"acknowledged {write.key} (version {write.version}) is not stored as such"
        elif write.refused:
            assert not events, f"{write.key} was refused ({write.status}) but is stored"
        else:
            counts["unanswered_stored" if events else "unanswered_absent"] += 1
        counts[_outcome(write)] += 1
    stray = {k for k in found.events if k.startswith("rel-")} - {w.key for w in [*earlier,
                                                                                  *writes]}
    assert not stray, f"events no write sent: {sorted(stray)[:5]}"
    return counts


def _outcome(write: Write) -> str:
    if write.acknowledged:
        return "acknowledged"
    return f"refused_{write.status}" if write.refused else "unanswered"


def retry_unanswered(app: Any, url: str, writes: list[Write]) -> int:
    """Send each write that has no final answer again, with its key: a stored one answers its
    first result (a replay, the same version); an absent one is written now, once."""
    unanswered = [w for w in writes if not (w.acknowledged or w.refused)]
    found = Found.read(app, (w.evaluation for w in unanswered))
    with httpx.Client(base_url=url, timeout=30) as http:
        for write in unanswered:
            before = found.of(write)
            response = write.send(http)
            assert response is not None and response.status_code == 200, \
                f"retry of {write.key}: {response and response.text[:300]}"
            assert write.replayed == bool(before), f"retry of {write.key}: replayed?"
            assert not before or write.version == before[0].originator_version, write.key
    return len(unanswered)


# ---- views ----------------------------------------------------------------------------------

def view_rows(app: Any) -> dict[str, dict[str, str]]:
    db = LedgerDB.of(app.recorder)
    return {view.name: {row["key"]: row["doc"] for row in db.query(
        f"SELECT key, doc FROM view_{view.name}")} for view in VIEWS}


def lag(app: Any) -> int:
    """How far the slowest view is behind the log's head (events)."""
    head = app.recorder.max_notification_id() or 0
    return head - min(Projector(app).positions().values())


def check_views_equal_a_rebuild(app: Any) -> dict[str, int]:
    """The views as the projector left them equal the views rebuilt from the whole log, and no
    rating revision was counted twice (or missed) in the evaluations view."""
    assert lag(app) == 0, "the views have not caught up"
    kept = view_rows(app)
    Projector(app).rebuild()
    rebuilt = view_rows(app)
    for name in rebuilt:
        assert kept[name] == rebuilt[name], f"view_{name} differs from its rebuild"
    revisions = {str(row["originator_id"]): row["n"] for row in LedgerDB.of(app.recorder).query(
        f"SELECT originator_id, count(*) AS n FROM {app.recorder.events_table_name}"
        " WHERE topic = %s GROUP BY originator_id", (REVISED,))}
    for key, doc in kept["evaluations"].items():
        assert orjson.loads(doc)["revisions"] == revisions.get(key, 0), f"revisions of {key}"
    return {"view_rows": sum(len(rows) for rows in kept.values()),
            "revisions_in_log": sum(revisions.values())}
