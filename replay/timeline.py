"""An evaluation's timeline: every event in order, with what changed (old -> new), who (name,
NIP, role), when, why, the rule version used, and its place in the ledger (leaf index and
hash); with the events that matter to it: its keberatan, and inspection findings about the ASN
in the period."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any
from uuid import UUID

import orjson
from pydantic import ConfigDict, with_config

from domain.errors import NotFoundError
from domain.evaluation import Evaluation
from domain.keberatan import keberatan_id
from domain.organisation import employee_id
from domain.periods import parse_period
from ledger.db import LedgerDB
from ledger.log import record_leaves
from service.core import Core

BASE = {"originator_id", "originator_version", "timestamp", "originator_topic", "actor", "role",
        "reason", "request_id", "class_version"}


@with_config(ConfigDict(json_schema_extra={"examples": [{
    "record_id": "1e647ebd-3aaa-5844-920e-083e6ba43d2b", "version": 6,
    "topic": "kinerja/Evaluation/RatingRevised", "at": "2025-01-08T03:00:00+00:00",
    "actor": "197501012000031002", "actor_name": "Siti Rahayu", "role": "reviewer",
    "reason": "Setelah dialog kinerja", "request_id": "9f1c…",
    "changes": [{"field": "rating.results", "old": "above", "new": "meets"}],
    "rule_version": None, "leaf_index": 4032, "leaf_hash": "6e34…",
    "data": {"dimension": "results", "rating": "meets"}}]}))
@dataclass
class Entry:
    record_id: str
    version: int
    topic: str
    at: str
    actor: str
    actor_name: str | None
    role: str
    reason: str
    request_id: str
    changes: list[dict[str, Any]] = field(default_factory=list)  # {field, old, new}
    rule_version: str | None = None
    leaf_index: int | None = None
    leaf_hash: str | None = None
    data: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class Timelines:
    def __init__(self, app: Core) -> None:
        self.app, self.db = app, LedgerDB.of(app.recorder)
        self._names: dict[str, str | None] = {}

    def evaluation(self, evaluation_id: UUID, *, up_to: int | None = None) -> list[Entry]:
        """The evaluation's own events (to ``up_to``), then its keberatan and related findings,
        all in ledger order."""
        own = self.record(evaluation_id, up_to=up_to)
        subject = self.app.load(evaluation_id, Evaluation)
        related = self._keberatan(evaluation_id) + self._findings(subject)
        return own + sorted(related, key=lambda e: (e.leaf_index is None, e.leaf_index or 0))

    def record(self, record_id: UUID, *, up_to: int | None = None) -> list[Entry]:
        leaves = self._leaves(record_id)
        stored = self.app.recorder.select_events(record_id, lte=up_to)
        entries, previous = [], {}
        for event, raw in zip(self.app.events.get(record_id, lte=up_to), stored, strict=True):
            entry = self._entry(event, raw.state, leaves.get(event.originator_version))
            entry.changes = _changes(event, previous)
            entries.append(entry)
        return entries

    def _entry(self, event: Any, stored_state: bytes, leaf: tuple[int, bytes] | None) -> Entry:
        # The data as stored (what the ledger holds), not as upcast for today's classes.
        data = {k: v for k, v in orjson.loads(stored_state).items() if k not in BASE}
        return Entry(record_id=str(event.originator_id), version=event.originator_version,
                     topic=type(event).TOPIC, at=event.timestamp.isoformat(), actor=event.actor,
                     actor_name=self._name(event.actor), role=event.role, reason=event.reason,
                     request_id=event.request_id, rule_version=data.get("rule_version"),
                     leaf_index=leaf[0] if leaf else None,
                     leaf_hash=leaf[1].hex() if leaf else None, data=data)

    def _keberatan(self, evaluation_id: UUID) -> list[Entry]:
        try:
            return self.record(keberatan_id(evaluation_id))
        except NotFoundError:
            return []

    def _findings(self, subject: Evaluation) -> list[Entry]:
        """Inspection findings naming the ASN, recorded within the evaluation's period."""
        period = parse_period(subject.period)
        person = str(employee_id(subject.nip))
        with self.db.snapshot() as r:
            rows = r.rows("SELECT doc FROM view_findings WHERE employees LIKE %s",
                          (f"%,{person},%",))
        found = []
        for row in rows:
            finding = orjson.loads(row["doc"])
            if period.start <= date.fromisoformat(finding["at"][:10]) <= period.end:
                version = int(finding["finding_id"])
                found += [e for e in self.record(UUID(finding["inspection_id"]), up_to=version)
                          if e.version == version]
        return found

    def _leaves(self, record_id: UUID) -> dict[int, tuple[int, bytes]]:
        with self.db.snapshot() as r:
            return record_leaves(self.db, r, record_id)

    def _name(self, nip: str) -> str | None:
        if nip not in self._names:
            try:
                self._names[nip] = self.app.employee(nip).name
            except Exception:  # a service id or an official outside the civil service
                self._names[nip] = None
        return self._names[nip]


def _changes(event: Any, previous: dict[str, Any]) -> list[dict[str, Any]]:
    """Old -> new for what disputes turn on: ratings, the predikat, the stage."""
    topic = type(event).TOPIC.rsplit("/", 1)[1]
    if topic in ("RatingRecorded", "RatingRevised"):
        key = f"rating.{event.dimension}"
        change = {"field": key, "old": previous.get(key), "new": event.rating}
        previous[key] = event.rating
        return [change]
    if topic in ("Finalised", "OutcomeCorrected"):
        change = {"field": "predikat", "old": previous.get("predikat"), "new": event.predikat}
        previous["predikat"] = event.predikat
        return [change]
    return []
