"""Demo data: a realistic appraisal year of a city government, recorded through the use cases.

``generate`` plans a Kota Semarang-style org chart, decides each ASN's story, puts every step of
the year on an agenda and plays it against the Application: real commands, real domain rules,
real events. The same seed and options give the same events in the same order (timestamps come
from the demo's clock and request ids from the seed).

Smaller pieces for tests: ``start`` (plan only: the chart, the stories), ``play_year`` (record
what ``start`` planned), ``build_org`` (record only the org chart) and ``run_evaluation`` (drive
one ASN's evaluation to a stage, with the plans it cascades from).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from datetime import date
from functools import partial
from typing import Any

from demo import ranks
from demo.agenda import ADMIN, Demo, DemoClock, Progress, Timeline, office_hour
from demo.appeals import file_keberatan
from demo.cycle import (
    Story,
    agree_plan,
    assign_team,
    cast,
    evaluation_of,
    open_dialog,
    open_evaluation,
    rate_and_finalise,
    reviewer,
    submit_report,
)
from demo.org import Move, OrgChart, Person, UnitPlan, plan_moves, plan_org
from demo.sidak import schedule_inspections
from demo.summary import DemoSummary, summarise
from domain.errors import NotFoundError
from domain.evaluation import FINALISED, PLAN_AGREED, PLANNING, REPORTED, Evaluation

STAGES = (PLANNING, PLAN_AGREED, REPORTED, FINALISED)

__all__ = ["Demo", "DemoClock", "DemoSummary", "OrgChart", "build_org", "generate", "play_year",
           "run_evaluation", "start"]


def generate(app: Any, clock: Any, *, employees: int = 2000, seed: int = 1, year: int = 2024,
             units: int = 12, progress: Progress | None = None) -> DemoSummary:
    """Record a whole appraisal year in an empty store and summarise what is there now."""
    return play_year(start(app, clock, employees=employees, seed=seed, year=year, units=units),
                     progress)


def play_year(demo: Demo, progress: Progress | None = None) -> DemoSummary:
    """Record the year ``start`` planned; the summary counts what the store holds after."""
    schedule_year(demo)
    first = demo.app.recorder.max_notification_id() or 0
    began = time.perf_counter()
    demo.agenda.run(demo.clock, progress)
    seconds = time.perf_counter() - began
    return summarise(demo, (demo.app.recorder.max_notification_id() or 0) - first, seconds)


def start(app: Any, clock: Any, *, employees: int, seed: int, year: int = 2024,
          units: int = 12) -> Demo:
    """Plan the city and everyone's story for ``year``; nothing is recorded yet."""
    if app.clock is not clock:
        raise ValueError("the Application must read the demo's clock (open_app(..., clock=clock))")
    if app.rules.on(date(year + 1, 1, 15)).scheme != "matrix":
        raise ValueError(f"the demo rates under the 2022 matrix rules, not in force for {year}")
    rng = random.Random(seed)
    chart = plan_org(rng, employees=employees, year=year, opds=units)
    clock.now = office_hour(date(year, 1, 1))
    demo = Demo(app, clock, rng, chart, Timeline.of(year, app.calendar), seed)
    demo.moves = plan_moves(rng, chart)
    demo.stories = cast(rng, chart, {p.nip for p in chart.people} - {m.nip for m in demo.moves})
    return demo


def build_org(demo: Demo) -> None:
    """Record the units and the ASN with their reporting lines, on the first working day."""
    schedule_organisation(demo)
    demo.agenda.run(demo.clock)


def run_evaluation(demo: Demo, nip: str, until: str = FINALISED) -> Evaluation:
    """Drive one ASN's evaluation to the stage ``until``, agreeing the plans of their
    supervisors first. Call after ``build_org``, before the year's deadlines pass."""
    if until not in STAGES:
        raise ValueError(f"until is one of {', '.join(STAGES)}")
    *above, person = _line_of(demo.chart, nip)
    story, t = demo.stories[nip], demo.timeline
    _move_to(demo, t.planning(0)[0])
    for boss in above:
        if _opened(demo, boss).stage == PLANNING:
            agree_plan(demo, boss)
    steps = ((t.planning(0)[0], lambda: agree_plan(demo, person)),
             (t.reports[0], lambda: submit_report(demo, story)),
             (t.ratings[0], lambda: rate_and_finalise(demo, story)))
    for day, step in steps[STAGES.index(_opened(demo, person).stage):STAGES.index(until)]:
        _move_to(demo, day)
        step()
    return demo.app.evaluation(evaluation_of(demo, nip))


def schedule_year(demo: Demo) -> None:
    t, chart, agenda = demo.timeline, demo.chart, demo.agenda
    schedule_organisation(demo)
    agenda.spread("evaluasi dibuka", chart.people, (t.day(1, 3), t.day(1, 5)),
                  partial(open_evaluation, demo))
    for level in range(5):
        agenda.spread("rencana SKP", [p for p in chart.people if p.level == level],
                      t.planning(level), partial(agree_plan, demo))
    stories = list(demo.stories.values())
    agenda.spread("dialog kinerja", _where(stories, "dialog"), (t.day(3, 1), t.day(11, 29)),
                  partial(open_dialog, demo))
    agenda.spread("mutasi", demo.moves, (t.day(7, 1), t.day(7, 1)), partial(_move, demo))
    schedule_inspections(demo)
    agenda.spread("tim penilai", _where(stories, "team"), (t.day(11, 4), t.day(11, 8)),
                  partial(assign_team, demo))
    agenda.spread("predikat organisasi", _grades(demo), (t.day(12, 16), t.day(12, 16)),
                  lambda grade: _grade(demo, *grade))
    schedule_appraisals(demo, stories)


def schedule_organisation(demo: Demo) -> None:
    steps: list[Callable[[], None]] = [partial(_establish, demo, u) for u in demo.chart.units]
    steps += [partial(_register, demo, p) for p in demo.chart.people]
    day = demo.timeline.day(1, 2)
    demo.agenda.spread("organisasi", steps, (day, day), lambda step: step())


def schedule_appraisals(demo: Demo, stories: list[Story]) -> None:
    """Reports before the deadline; ratings mostly on time, appealed ones last, a few late."""
    t, agenda = demo.timeline, demo.agenda
    reported = [s for s in stories if s.reports]
    agenda.spread("laporan", reported, t.reports, partial(submit_report, demo))
    rate = partial(rate_and_finalise, demo)
    agenda.spread("penilaian", [s for s in reported if not s.late and not s.keberatan],
                  t.ratings, rate)
    agenda.spread("penilaian", _where(reported, "keberatan"), t.appeal_ratings, rate)
    agenda.spread("penilaian terlambat", _where(reported, "late"), t.after(t.rating_due, 1, 3),
                  rate)
    agenda.spread("keberatan", _where(reported, "keberatan"), t.after(t.rating_due, 4, 6),
                  partial(file_keberatan, demo))


def _where(stories: list[Story], flag: str) -> list[Story]:
    return [s for s in stories if getattr(s, flag)]


def _establish(demo: Demo, unit: UnitPlan) -> None:
    demo.call(demo.app.establish_unit, ADMIN, unit.code, unit.name, parent_code=unit.parent)
    if unit.service_standard:
        demo.call(demo.app.set_service_standard, ADMIN, unit.code, list(unit.service_standard))


def _register(demo: Demo, person: Person) -> None:
    demo.call(demo.app.register_employee, ADMIN, person.nip, person.name, unit_code=person.unit,
              position=person.position, effective_from=demo.timeline.day(1, 1),
              employment_type=person.employment, is_unit_head=person.is_head,
              golongan=ranks.golongan(person, demo.chart.year),
              contract=ranks.contract(person, demo.chart.year),
              supervisor_nip=person.supervisor)


def _move(demo: Demo, move: Move) -> None:
    """Mutasi or rotation: a new post and, from the same day, a new direct supervisor."""
    today = demo.clock.now.date()
    demo.call(demo.app.transfer_employee, ADMIN, move.nip, unit_code=move.unit,
              position=move.position, effective_from=today)
    demo.call(demo.app.assign_supervisor, ADMIN, move.nip, move.supervisor, effective_from=today)
    person = demo.chart.person(move.nip)
    person.opd, person.unit, person.position, person.supervisor = (
        move.opd, move.unit, move.position, move.supervisor)


def _grades(demo: Demo) -> list[tuple[str, str]]:
    """Each OPD's penetapan: mostly Baik, one Istimewa, one Butuh Perbaikan. The Sekretariat
    Daerah is left out: its head, the Sekda, has no official above them in the system."""
    opds = [u.code for u in demo.chart.units if u.parent is not None and "." not in u.code
            and demo.chart.person(demo.chart.heads[u.code]).supervisor is not None]
    grades = ["Istimewa", "Butuh Perbaikan"] + ["Baik"] * (len(opds) - 2)
    demo.rng.shuffle(grades)
    return list(zip(opds, grades))


def _grade(demo: Demo, opd: str, predikat: str) -> None:
    """Set by the official above the OPD's head (the Sekda), under a numbered decree."""
    head = demo.chart.person(demo.chart.heads[opd])
    official = reviewer(head.supervisor or "")
    number = f"800/{len(demo.org_predikat) + 1:03d}/{demo.timeline.year}"
    demo.call(demo.app.set_organisation_predikat, official, opd, demo.timeline.period, predikat,
              document_number=number, document_date=demo.clock.now.date(), head_nip=head.nip)
    demo.org_predikat[opd] = predikat


def _line_of(chart: OrgChart, nip: str) -> list[Person]:
    """The reporting line from the top down to ``nip``."""
    line = [chart.person(nip)]
    while line[-1].supervisor is not None:
        line.append(chart.person(line[-1].supervisor))
    return line[::-1]


def _opened(demo: Demo, person: Person) -> Evaluation:
    try:
        return demo.app.evaluation(evaluation_of(demo, person.nip))
    except NotFoundError:
        return open_evaluation(demo, person)


def _move_to(demo: Demo, day: date) -> None:
    demo.clock.now = max(demo.clock.now, office_hour(day))
