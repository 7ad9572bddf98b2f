"""What a demo left in the store, read back through the Application's own queries; and the
work waiting for each role on the demo's day."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from demo.agenda import Demo
from demo.cycle import evaluation_of
from demo.surveys import E_LAYANAN_OPD
from domain.errors import NotFoundError
from domain.evaluation import REPORTED, Evaluation
from domain.nip import PNS
from domain.rules import Predikat


@dataclass(frozen=True)
class WorkWaiting:
    """On the demo's day: what each role finds to do."""

    ratings_due: int  # reported evaluations not finalised, their rating deadline not passed
    ratings_overdue: int
    in_keberatan_window: int  # results received whose keberatan window is still open
    keberatan_pending: int  # filed, awaiting the decision of the Atasan Pejabat Penilai
    follow_ups_due: int  # sidak follow-ups open and due from today on
    extensions_in_force: int  # BKPP circulars whose rating deadline is today or later


@dataclass(frozen=True)
class DemoSummary:
    today: date
    periods: list[str]
    units: int
    employees: int
    pppk: int
    moves: int
    evaluations: int
    stages: dict[str, int]  # of the quarter being rated
    predikat: dict[str, int]  # the standing outcome, after any keberatan correction
    revisions: int
    rated_late: int
    comments: int
    keberatan: dict[str, int]  # decision (or pending) -> count
    corrections: int
    inspections: int
    inspections_closed: int
    findings: int
    follow_ups: int
    follow_ups_resolved: int
    skm: list[tuple[str, str]]  # Disdukcapil's index per quarter surveyed
    waiting: WorkWaiting
    events: int
    seconds: float

    @property
    def events_per_second(self) -> float:
        return self.events / self.seconds if self.seconds else 0.0

    def rows(self) -> list[tuple[str, str]]:
        """Label and value, in reading order, for a table or a log."""
        w = self.waiting
        return [
            ("today", f"{self.today} ({', '.join(self.periods)})"),
            ("units", f"{self.units}"),
            ("employees (PPPK)", f"{self.employees} ({self.pppk})"),
            ("mid-year transfers", f"{self.moves}"),
            ("evaluations", f"{self.evaluations}"),
            ("quarter being rated", _spell(self.stages)),
            ("predikat", _spell(self.predikat)),
            ("ratings revised / evaluations rated late", f"{self.revisions} / {self.rated_late}"),
            ("dialog kinerja comments", f"{self.comments}"),
            ("keberatan", _spell(self.keberatan) + f" ({self.corrections} outcomes corrected)"),
            ("inspections (closed)", f"{self.inspections} ({self.inspections_closed})"),
            ("findings / follow-ups (resolved)",
             f"{self.findings} / {self.follow_ups} ({self.follow_ups_resolved})"),
            ("SKM Disdukcapil", ", ".join(f"{p} {i}" for p, i in self.skm) or "none"),
            ("waiting: ratings due (overdue)", f"{w.ratings_due} ({w.ratings_overdue})"),
            ("waiting: keberatan window open / pending",
             f"{w.in_keberatan_window} / {w.keberatan_pending}"),
            ("waiting: follow-ups due / extensions in force",
             f"{w.follow_ups_due} / {w.extensions_in_force}"),
            ("events", f"{self.events} in {self.seconds:.1f} s ({self.events_per_second:.0f}/s)"),
        ]


def recorded(demo: Demo) -> list[Evaluation]:
    """Every evaluation the demo opened (a period's are opened in its first days)."""
    found = []
    for period, nip in demo.stories:
        try:
            found.append(demo.app.evaluation(evaluation_of(demo, nip, period)))
        except NotFoundError:
            continue
    return found


def summarise(demo: Demo, events: int, seconds: float) -> DemoSummary:
    app, chart = demo.app, demo.chart
    evaluations = recorded(demo)
    ratings = [r for e in evaluations for r in e.ratings.values()]
    appeals = _appeals(demo)
    visits = [app.inspection(i) for i in demo.inspections]
    follow_ups = [f for v in visits for f in v.follow_ups.values()]
    standing = Counter(e.predikat for e in evaluations if e.predikat)
    rated = demo.waiting.rated.key
    return DemoSummary(
        today=demo.today, periods=sorted({e.period for e in evaluations}),
        units=len(chart.units), employees=len(chart.people),
        pppk=sum(p.employment != PNS for p in chart.people), moves=len(demo.moves),
        evaluations=len(evaluations),
        stages=dict(Counter(e.stage for e in evaluations if e.period == rated)),
        predikat={p.value: standing[p.value] for p in Predikat if standing[p.value]},
        revisions=sum(r["revisions"] for r in ratings),
        rated_late=sum(any(r["late"] for r in e.ratings.values()) for e in evaluations),
        comments=sum(len(e.comment_ids) for e in evaluations),
        keberatan=dict(Counter(a.decision["outcome"] if a.decision else "pending"
                               for a in appeals)),
        corrections=sum(len(e.corrections) for e in evaluations),
        inspections=len(visits), inspections_closed=sum(v.closed for v in visits),
        findings=sum(len(v.findings) for v in visits), follow_ups=len(follow_ups),
        follow_ups_resolved=sum(f["resolution"] is not None for f in follow_ups),
        skm=[(p, str(i)) for p, i in skm_trend(demo)],
        waiting=work_waiting(demo, evaluations, appeals, follow_ups),
        events=events, seconds=seconds)


def work_waiting(demo: Demo, evaluations: list[Evaluation], appeals: list[Any],
                 follow_ups: list[Any]) -> WorkWaiting:
    today = demo.today
    calendar = demo.app.period_calendar(demo.waiting.rated.key)
    rating_dues = [rating_due_in_force(demo, e) for e in evaluations if e.stage == REPORTED]
    return WorkWaiting(
        ratings_due=sum(due >= today for due in rating_dues),
        ratings_overdue=sum(due < today for due in rating_dues),
        in_keberatan_window=sum(e.receipt is not None
                                and e.receipt["keberatan_until"] >= today.isoformat()
                                for e in evaluations),
        keberatan_pending=sum(a.decision is None for a in appeals),
        follow_ups_due=sum(f["resolution"] is None and f["due"] >= today.isoformat()
                           for f in follow_ups),
        extensions_in_force=sum(x["rating_due"] >= today.isoformat()
                                for x in calendar.extensions))


def rating_due_in_force(demo: Demo, evaluation: Evaluation) -> date:
    """The rating deadline BKPP's calendar sets for the evaluation today, with any extension
    that names it (the evaluation records an extension at its next command)."""
    calendar = demo.app.period_calendar(evaluation.period)
    return calendar.dues(str(evaluation.id), evaluation.unit_id)[1]


def skm_trend(demo: Demo) -> list[tuple[str, Decimal | None]]:
    """Disdukcapil's index, quarter by quarter, as the surveys recorded compute it."""
    trend = []
    for year in range(demo.waiting.first_year - 1, demo.today.year + 1):
        for quarter in range(1, 5):
            try:
                survey = demo.app.survey(E_LAYANAN_OPD, f"{year}-Q{quarter}")
            except NotFoundError:
                continue
            trend.append((f"{year}-Q{quarter}", survey.index))
    return trend


def _appeals(demo: Demo) -> list[Any]:
    """The keberatan filed (a story with one files it, unless today came first)."""
    found = []
    for (period, nip), story in demo.stories.items():
        if story.keberatan:
            try:
                found.append(demo.app.keberatan_on(evaluation_of(demo, nip, period)))
            except NotFoundError:
                continue
    return found


def _spell(counts: dict[str, int]) -> str:
    return ", ".join(f"{key} {value}" for key, value in counts.items()) or "none"
