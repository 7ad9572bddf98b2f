"""The OPD's distribution when an evaluation is finalised: what ``Evaluation.finalise`` needs to
judge the curve (``domain.curve.Standing``), gathered from the log.

No record holds an OPD's evaluations (an evaluation knows its unit; a unit knows its parent),
and the views may lag behind the log or not run at all (the demo, the command line). So each
process keeps a small fold of its own, of the four events that decide it (a unit's parent, an
evaluation's unit and period, its predikat), and reads the log up to its end before every use:
the standing is the log's as of that moment. Two finalisations in one OPD at the same instant
can still each miss the other; the dashboard shows the whole distribution's departures anyway.
"""

from __future__ import annotations

import threading
from collections import Counter
from functools import cached_property
from typing import Any
from uuid import UUID

from domain.curve import Standing
from domain.evaluation import FINALISED, Evaluation
from domain.organisation import Unit, opd_of
from domain.periods import parse_period
from service.organisation import OrganisationUseCases

BATCH = 1000


class Tally:
    """Per OPD and period, each evaluation's predikat (None until it is finalised)."""

    FOLDED = (Unit.Established, Evaluation.Opened, Evaluation.Finalised,
              Evaluation.OutcomeCorrected, Evaluation.Transferred, Evaluation.Excused)

    def __init__(self, app: Any) -> None:
        self.app = app
        self.parents: dict[str, str | None] = {}
        self.placed: dict[str, tuple[str, str]] = {}  # evaluation -> (OPD, period)
        self.predikats: dict[tuple[str, str], dict[str, str | None]] = {}
        self.position = 0
        self.lock = threading.Lock()

    def standing(self, evaluation: Evaluation, organisation_predikat: str | None) -> Standing:
        """The OPD's distribution for the evaluation's period, leaving the evaluation out."""
        key = str(evaluation.id)
        with self.lock:
            self._catch_up()
            others = {k: p for k, p in self.predikats.get(self.placed.get(key, ("", "")),
                                                          {}).items() if k != key}
        finalised = Counter(p for p in others.values() if p is not None)
        return Standing(organisation_predikat, dict(finalised),
                        sum(p is None for p in others.values()))

    def opd(self, unit: str) -> str:
        with self.lock:
            self._catch_up()
            return opd_of(unit, self.parents)

    def _catch_up(self) -> None:
        topics = [cls.TOPIC for cls in self.FOLDED]
        while notes := self.app.recorder.select_notifications(
                start=self.position + 1, limit=BATCH, topics=topics):
            for note in notes:
                self._fold(self.app.mapper.to_domain_event(note))
            self.position = notes[-1].id

    def _place(self, key: str, place: tuple[str, str]) -> None:
        """Count the evaluation (still undecided) in an OPD's period, and nowhere else."""
        if (previous := self.placed.get(key)) is not None:
            self.predikats[previous].pop(key, None)
        self.placed[key] = place
        self.predikats.setdefault(place, {})[key] = None

    def _fold(self, e: Any) -> None:
        key = str(e.originator_id)
        if isinstance(e, Unit.Established):
            self.parents[key] = e.parent_id
        elif isinstance(e, Evaluation.Opened):
            self._place(key, (opd_of(e.unit_id, self.parents) if e.unit_id else "", e.period))
        elif key not in self.placed:
            return
        elif isinstance(e, Evaluation.Transferred):  # counted in the new OPD from now on
            self._place(key, (opd_of(e.to_unit, self.parents), self.placed[key][1]))
        elif isinstance(e, Evaluation.Excused):  # no evaluation for the period: not counted
            del self.predikats[self.placed.pop(key)][key]
        else:  # finalised, or its outcome corrected
            self.predikats[self.placed[key]][key] = e.predikat


class CurveUseCases(OrganisationUseCases):
    @cached_property
    def tally(self) -> Tally:
        return Tally(self)

    def curve_standing(self, evaluation: Evaluation) -> Standing | None:
        """The OPD's standing for the evaluation's period (None: it has no unit), with the
        organisation predikat set for that period, or else for its year."""
        if evaluation.unit_id is None or evaluation.stage == FINALISED:
            return None
        opd: Unit = self.load(UUID(self.tally.opd(evaluation.unit_id)), Unit, copy=False)
        period = parse_period(evaluation.period)
        graded = opd.org_predikat.get(period.key) or opd.org_predikat.get(str(period.year))
        return self.tally.standing(evaluation, graded)
