"""Whole-system replay: every view recomputed from the log, and every evaluation rebuilt from
its events, compared with what the stored views say. Any difference is drift to report."""

from __future__ import annotations

from dataclasses import dataclass, field
from uuid import UUID

from domain.evaluation import Evaluation
from projections.runner import Projector
from projections.view import fold
from projections.views.evaluations import EvaluationsView
from replay.source import Records


@dataclass
class Drift:
    view: str
    missing: list[str] = field(default_factory=list)  # in the log's fold, not stored
    extra: list[str] = field(default_factory=list)  # stored, not in the fold
    different: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not (self.missing or self.extra or self.different)


def check(app: Records, projector: Projector | None = None) -> list[Drift]:
    """Compare the views, as far as they have read, with the log and the aggregates."""
    projector = projector or Projector(app)
    position = min(projector.positions().values())
    events = [app.mapper.to_domain_event(n) for n in
              app.recorder.select_notifications(start=None, limit=10**9, stop=position)]
    found = []
    for view in projector.views:
        stored = projector.store.documents(view)
        expected = fold(view, events)
        found.append(Drift(view.name, sorted(set(expected) - set(stored)),
                           sorted(set(stored) - set(expected)),
                           sorted(k for k in set(stored) & set(expected)
                                  if stored[k] != expected[k])))
        if view.name == EvaluationsView.name:
            found[-1].different += _against_aggregates(app, stored, position)
    return found


def _against_aggregates(app: Records, stored: dict[str, dict], position: int) -> list[str]:
    """The evaluations view's stage and predikat against each evaluation rebuilt from events."""
    drifted = []
    for key, doc in stored.items():
        record = app.load(UUID(key), Evaluation)
        if record.stage != doc["stage"] or record.predikat != doc["predikat"]:
            drifted.append(f"{key} (aggregate)")
    return drifted
