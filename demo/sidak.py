"""Sidak in the demo: BKPP's inspectors visit service counters unannounced through the year.

The checklist is the unit's service standard; each item not met becomes a finding (naming the
ASN on duty where the failure is personal) with a follow-up for their supervisor. Most
follow-ups are resolved with a photo as evidence; an inspection closes once all of them are.
The last visit is three days before the demo's day, so its follow-ups are open and due.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from functools import partial
from uuid import UUID

from demo.agenda import Demo
from demo.catalog import INSPECTING_OPD
from demo.cycle import reviewer
from demo.org import SECTION, UnitPlan
from demo.plans import evidence
from demo.words import ACTIONS, CHECKLIST_NOTES, PERSONAL_ITEMS, RESOLUTIONS
from domain.values import ChecklistResult
from service.core import Actor

RESULTS = {"met": 80, "not_met": 15, "not_applicable": 5}
RESOLVED_SHARE = 0.88
FOLLOW_UP_DAYS = 30
LAST_VISIT = 3  # days before the demo's day


def schedule_inspections(demo: Demo, first: date) -> None:
    """About one visit per 80 ASN a year, from ``first`` to the last one, just before today."""
    counters = [unit for unit in demo.chart.units if unit.service_standard]
    inspectors = [p.nip for p in demo.chart.in_opd(INSPECTING_OPD)
                  if p.unit == f"{INSPECTING_OPD}.1" or p.unit.startswith(f"{INSPECTING_OPD}.1.")]
    last = demo.today - timedelta(LAST_VISIT)
    years = max(0.0, (last - first).days / 365)
    count = max(3, round(len(demo.chart.people) / 80 * years))
    visits = [(counters[n % len(counters)], inspectors[n % len(inspectors)]) for n in range(count)]
    demo.rng.shuffle(visits)
    *earlier, latest = visits
    demo.agenda.spread("sidak", earlier, (first, last - timedelta(1)),
                       lambda visit: inspect(demo, *visit))
    demo.agenda.on(last, "sidak", lambda: inspect(demo, *latest))


def inspect(demo: Demo, unit: UnitPlan, inspector: str) -> UUID:
    rng, actor = demo.rng, Actor(inspector, "inspector")
    checklist = _checklist(rng, unit.service_standard)
    started = demo.clock.now - timedelta(minutes=rng.randint(60, 150))
    visit = demo.call(demo.app.record_inspection, actor, unit.code, unit.place, started, checklist)
    demo.inspections.append(visit.id)
    follow_ups = [_find(demo, actor, visit.id, unit, c.item)
                  for c in checklist if c.result == "not_met"]
    resolving = [(f, who, rng.randint(5, 25))
                 for f, who in follow_ups if rng.random() < RESOLVED_SHARE]
    for follow_up, assignee, days in resolving:
        demo.later(days, "tindak lanjut sidak",
                   partial(_resolve, demo, visit.id, follow_up, assignee))
    if len(resolving) == len(follow_ups):
        last = max((days for *_, days in resolving), default=0)
        demo.later(last + 2, "sidak ditutup", lambda: demo.call(demo.app.close_inspection, actor,
                                                                  visit.id))
    return visit.id


def _checklist(rng: random.Random, items: tuple[str, ...]) -> list[ChecklistResult]:
    """Each item's result; a sidak follows complaints, so at least one item is not met."""
    results = rng.choices(tuple(RESULTS), weights=tuple(RESULTS.values()), k=len(items))
    if "not_met" not in results:
        results[rng.randrange(len(items))] = "not_met"
    return [ChecklistResult(item, result, CHECKLIST_NOTES[item] if result == "not_met" else "")
            for item, result in zip(items, results)]


def _find(demo: Demo, actor: Actor, visit: UUID, unit: UnitPlan, item: str) -> tuple[str, str]:
    """Record the finding and assign its follow-up; return (follow-up id, assignee NIP)."""
    rng, chart = demo.rng, demo.chart
    on_duty = [p for p in chart.in_opd(unit.code) if p.level >= SECTION]
    personal = item in PERSONAL_ITEMS
    named = rng.sample(on_duty, min(len(on_duty), rng.randint(1, 2))) if personal else []
    severity = "critical" if "pungutan" in item else rng.choice(("minor", "major"))
    state = demo.call(demo.app.record_finding, actor, visit, CHECKLIST_NOTES[item], severity,
                      item=item, nips=[p.nip for p in named])
    assignee = named[0].supervisor if named else chart.heads[unit.code]
    assert assignee is not None  # only the Sekda has none, and a sidak names no one above SECTION
    due = demo.clock.now.date() + timedelta(FOLLOW_UP_DAYS)
    state = demo.call(demo.app.assign_follow_up, actor, visit, str(state.version),
                      rng.choice(ACTIONS), due, assignee)
    return str(state.version), assignee


def _resolve(demo: Demo, visit: UUID, follow_up: str, assignee: str) -> None:
    demo.call(demo.app.resolve_follow_up, reviewer(assignee), visit, follow_up,
              demo.rng.choice(RESOLUTIONS),
              evidence(demo.rng, demo.day.year, assignee, f"tindak-lanjut-{follow_up}",
                       least=1))
