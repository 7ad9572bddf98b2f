"""An evaluation's timeline: every event in order, with what changed (old -> new), who (name,
NIP, role), when, why, the rule version used, and its place in the ledger (leaf index and
hash); with the events that matter to it: its keberatan, and inspection findings about the ASN
in the period."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

import orjson

from domain.base import EVENT_METADATA, local_day
from domain.calendar import PeriodCalendar
from domain.errors import NotFoundError
from domain.evaluation import Evaluation
from domain.events import check_decisions
from domain.inspection import Inspection
from domain.keberatan import Keberatan, keberatan_id
from domain.organisation import Employee, Unit, employee_id
from domain.periods import parse_period
from domain.skm import Survey
from ledger.db import LedgerDB
from ledger.log import record_leaves
from projections.views.inspections import FindingDoc
from replay.source import FindingsAbout, Records

BASE = EVENT_METADATA  # what every event carries; the rest is what it says (an entry's data)


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
    # "Plt" or "Plh": the actor acted as such (the tenure and whom they stood in for are the
    # data's "acting"); None: in their own right, or an act that records no capacity.
    acting_as: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class Timelines:
    """``findings``: the findings naming an employee (as Queries.findings_naming gives them)."""

    def __init__(self, app: Records, findings: FindingsAbout) -> None:
        self.app, self.db, self.findings = app, LedgerDB.of(app.recorder), findings
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
        entries: list[Entry] = []
        previous: dict[str, Any] = {}  # what _changes compares the next event with
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
                     leaf_hash=leaf[1].hex() if leaf else None, data=data,
                     acting_as=_acting_as(event))

    def _keberatan(self, evaluation_id: UUID) -> list[Entry]:
        try:
            return self.record(keberatan_id(evaluation_id))
        except NotFoundError:
            return []

    def _findings(self, subject: Evaluation) -> list[Entry]:
        """Inspection findings naming the ASN, recorded within the evaluation's period."""
        found = []
        for finding in findings_in_period(self.findings, subject):
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


def findings_in_period(findings: FindingsAbout, evaluation: Evaluation) -> list[FindingDoc]:
    """The sidak findings naming the evaluated ASN, recorded within the evaluation's period:
    context for whoever may read the evaluation, never a score (no command reads them)."""
    period = parse_period(evaluation.period)
    return [f for f in findings(str(employee_id(evaluation.nip)))
            if period.start <= local_day(datetime.fromisoformat(f["at"])) <= period.end]


def _acting_as(event: Any) -> str | None:
    """The kind of tenure an act was done in, as the (upcast) event records it."""
    acting = getattr(event, "acting", None)
    return acting["kind"] if acting else None


def _changes(event: Any, previous: dict[str, Any]) -> list[dict[str, Any]]:
    """Old -> new for what disputes turn on: ratings and the predikat."""
    changes = CHANGES.get(type(event))
    return changes(event, previous) if changes else []


def _rating(event: Any, previous: dict[str, Any]) -> list[dict[str, Any]]:
    return _change(previous, f"rating.{event.dimension}", event.rating)


def _predikat(event: Any, previous: dict[str, Any]) -> list[dict[str, Any]]:
    return _change(previous, "predikat", event.predikat)


def _moved(event: Any, previous: dict[str, Any]) -> list[dict[str, Any]]:
    """A mid-year transfer: the unit and who rates (the event names both, old and new)."""
    return [{"field": "unit", "old": event.from_unit, "new": event.to_unit},
            {"field": "rater", "old": event.previous_rater, "new": event.new_rater}]


def _change(previous: dict[str, Any], key: str, new: Any) -> list[dict[str, Any]]:
    change = {"field": key, "old": previous.get(key), "new": new}
    previous[key] = new
    return [change]


# Every event is shown; these also say what they changed. The others are shown with their
# data alone (a new event class must be put in one or the other: tests/replay).
CHANGES: dict[type, Callable[[Any, dict[str, Any]], list[dict[str, Any]]]] = {
    Evaluation.RatingRecorded: _rating, Evaluation.RatingRevised: _rating,
    Evaluation.Finalised: _predikat, Evaluation.OutcomeCorrected: _predikat,
    Evaluation.HistoryImported: _predikat,  # a PP 30/2019 record arrives decided
    Evaluation.Transferred: _moved,
}
WITHOUT_CHANGES = (
    Evaluation.Opened, Evaluation.PlanDrafted, Evaluation.PlanAgreed, Evaluation.ReportSubmitted,
    # the SKP adopted, revised (cause and lines in the data, reason and rater on the entry),
    # and feedback: words on the plan, never a rating or the predikat
    Evaluation.PlanAdopted, Evaluation.PlanRevised, Evaluation.FeedbackGiven,
    Evaluation.CommentAdded, Evaluation.TeamAssigned, Evaluation.TeamReviewRecorded,
    Evaluation.DeadlinesExtended,  # moves when things are due, not what was decided
    Evaluation.ResultReceived,  # starts the keberatan window; changes no rating or predikat
    # leave: the days served, or none (excused); the spans and days are the entry's data
    Evaluation.ServiceShortened, Evaluation.Excused,
    Keberatan.Filed, Keberatan.ExplanationRecorded, Keberatan.Decided,
    Keberatan.AuthorityAssigned,  # who decides, and why (a conflict of interest)
    Inspection.Recorded, Inspection.FindingRecorded, Inspection.FollowUpAssigned,
    Inspection.FollowUpResolved, Inspection.Closed,
    Unit, Employee, Survey,  # not in an evaluation's timeline; a record's shows their data
    PeriodCalendar,  # the period's deadlines: what an evaluation's dues record, not its own
)
check_decisions("the timeline", CHANGES, WITHOUT_CHANGES)
