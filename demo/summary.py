"""What a demo left in the store, read back through the Application's own queries."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from demo.agenda import Demo
from demo.cycle import evaluation_of
from domain.nip import PNS
from domain.rules import Predikat


@dataclass(frozen=True)
class DemoSummary:
    units: int
    employees: int
    pppk: int
    moves: int
    evaluations: int
    stages: dict[str, int]
    predikat: dict[str, int]  # the standing outcome, after any keberatan correction
    revisions: int
    rated_late: int
    comments: int
    keberatan: dict[str, int]  # decision -> count
    corrections: int
    inspections: int
    inspections_closed: int
    findings: int
    follow_ups: int
    follow_ups_resolved: int
    events: int
    seconds: float

    @property
    def events_per_second(self) -> float:
        return self.events / self.seconds if self.seconds else 0.0

    def rows(self) -> list[tuple[str, str]]:
        """Label and value, in reading order, for a table or a log."""
        return [
            ("units", f"{self.units}"),
            ("employees (PPPK)", f"{self.employees} ({self.pppk})"),
            ("mid-year transfers", f"{self.moves}"),
            ("evaluations", f"{self.evaluations}"),
            ("stages", _spell(self.stages)),
            ("predikat", _spell(self.predikat)),
            ("ratings revised / evaluations rated late", f"{self.revisions} / {self.rated_late}"),
            ("dialog kinerja comments", f"{self.comments}"),
            ("keberatan", _spell(self.keberatan) + f" ({self.corrections} outcomes corrected)"),
            ("inspections (closed)", f"{self.inspections} ({self.inspections_closed})"),
            ("findings / follow-ups (resolved)",
             f"{self.findings} / {self.follow_ups} ({self.follow_ups_resolved})"),
            ("events", f"{self.events} in {self.seconds:.1f} s ({self.events_per_second:.0f}/s)"),
        ]


def summarise(demo: Demo, events: int, seconds: float) -> DemoSummary:
    app, chart = demo.app, demo.chart
    evaluations = [app.evaluation(evaluation_of(demo, p.nip)) for p in chart.people]
    ratings = [r for e in evaluations for r in e.ratings.values()]
    appeals = [app.keberatan_on(evaluation_of(demo, s.nip))
               for s in demo.stories.values() if s.keberatan]
    visits = [app.inspection(i) for i in demo.inspections]
    follow_ups = [f for v in visits for f in v.follow_ups.values()]
    standing = Counter(e.predikat for e in evaluations if e.predikat)
    return DemoSummary(
        units=len(chart.units), employees=len(chart.people),
        pppk=sum(p.employment != PNS for p in chart.people), moves=len(demo.moves),
        evaluations=len(evaluations), stages=dict(Counter(e.stage for e in evaluations)),
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
        events=events, seconds=seconds)


def _spell(counts: dict[str, int]) -> str:
    return ", ".join(f"{key} {value}" for key, value in counts.items()) or "none"
