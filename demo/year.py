"""Demo data: a city government's appraisal cycle as it stands on the demo's day, recorded
through the use cases.

``generate`` plans a Kota Semarang-style org chart, decides each ASN's story in each period,
puts every step from 1 January of the demo's first year on an agenda, and plays it against
the Application up to ``today`` (docs/DEMO.md): real commands, real domain rules, real
events. Each ASN agrees the annual SKP in January, then each quarter's evaluation is opened,
planned, reported, rated and finalised; the results are received and some are objected to.
BKPP sets each period's calendar and extends one by circular; the official above each OPD's
head sets its predikat for each period; inspectors make sidak; service units survey the
public. The same seed and ``today`` give the same events in the same order (timestamps come
from the demo's clock and request ids from the seed).

Smaller pieces for tests: ``start`` (plan only: the chart, the stories), ``play_year``
(record what ``start`` planned) and ``build_org`` (record only the org chart).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from functools import partial
from typing import Any

from demo import ranks
from demo.agenda import (
    ADMIN,
    Agenda,
    Demo,
    DemoClock,
    PeriodDates,
    Progress,
    office_hour,
    start_of,
)
from demo.appeals import file_keberatan, receive_and_object
from demo.catalog import INSPECTING_OPD
from demo.cycle import (
    Story,
    agree_plan,
    assign_team,
    cast,
    open_dialog,
    open_evaluation,
    open_periodic,
    rate_and_finalise,
    receive,
    reviewer,
    submit_report,
)
from demo.line import go_on_leave, move, plan_leave
from demo.org import OrgChart, Person, UnitPlan, plan_moves, plan_org
from demo.sidak import schedule_inspections
from demo.summary import DemoSummary, summarise
from demo.surveys import schedule_surveys
from demo.today import ANCHORED_AFTER, Waiting, plan_waiting, quarter_ended
from domain.wib import wib_day
from service.core import Actor

__all__ = ["Demo", "DemoClock", "DemoSummary", "OrgChart", "build_org", "generate", "play_year",
           "start", "today_in_jakarta"]
PREDIKAT_SET_AFTER = 3  # days after a quarter ends: before any of its ratings
LEVELS = 5


def today_in_jakarta() -> date:
    return wib_day(datetime.now(timezone.utc))


def generate(app: Any, clock: Any, *, employees: int = 2000, seed: int = 1,
             today: date | None = None, units: int = 12,
             progress: Progress | None = None) -> DemoSummary:
    """Record the cycle up to ``today`` (by default today in Asia/Jakarta) in an empty store
    and summarise what is there now."""
    return play_year(start(app, clock, employees=employees, seed=seed,
                           today=today or today_in_jakarta(), units=units), progress)


def play_year(demo: Demo, progress: Progress | None = None) -> DemoSummary:
    """Record what ``start`` planned; the summary counts what the store holds after."""
    schedule_cycle(demo)
    first = demo.app.recorder.max_notification_id() or 0
    began = time.perf_counter()
    demo.agenda.run(demo.clock, progress)
    seconds = time.perf_counter() - began
    return summarise(demo, (demo.app.recorder.max_notification_id() or 0) - first, seconds)


def start(app: Any, clock: Any, *, employees: int, seed: int, today: date,
          units: int = 12) -> Demo:
    """Plan the city and everyone's stories up to ``today``; nothing is recorded yet."""
    if app.clock is not clock:
        raise ValueError("the Application must read the demo's clock (open_app(..., clock=clock))")
    first_year = quarter_ended(today, ANCHORED_AFTER).period.year
    if app.rules.on(date(first_year, 1, 1)).scheme != "matrix":
        raise ValueError(f"the demo rates under the 2022 matrix rules, not in force in "
                         f"{first_year}")
    rng = random.Random(seed)
    chart = plan_org(rng, employees=employees, year=first_year, opds=units)
    clock.now = office_hour(date(first_year, 1, 1))
    demo = Demo(app, clock, rng, chart, today, seed, Agenda(start_of(today)))
    demo.moves = plan_moves(rng, chart)
    moved = {m.nip for m in demo.moves}
    busy = {chart.person(m.nip).unit for m in demo.moves} | {m.unit for m in demo.moves}
    demo.waiting = plan_waiting(rng, chart, today, moved, busy)
    settled = {p.nip for p in chart.people} - moved
    for period in periods(first_year, today):
        for nip, story in cast(rng, chart, settled, period.key).items():
            demo.stories[(period.key, nip)] = story
    _leave_work_waiting(demo, demo.waiting)
    return demo


def periods(first_year: int, today: date) -> list[PeriodDates]:
    """Each year's annual period and its quarters, those begun before ``today``."""
    keys = [k for year in range(first_year, today.year + 1)
            for k in (str(year), *(f"{year}-Q{q}" for q in range(1, 5)))]
    return [p for p in map(PeriodDates.of, keys) if p.period.start < today]


def build_org(demo: Demo) -> None:
    """Record the units and the ASN with their reporting lines, on the first working day."""
    schedule_organisation(demo)
    demo.agenda.run(demo.clock)


def schedule_cycle(demo: Demo) -> None:
    waiting, agenda = demo.waiting, demo.agenda
    first_day = date(waiting.first_year, 1, 2)
    schedule_organisation(demo)
    for year in range(waiting.first_year, demo.today.year + 1):
        schedule_year(demo, year)
    for period in periods(waiting.first_year, demo.today):
        schedule_period(demo, period)
    agenda.spread("mutasi", demo.moves, (date(waiting.first_year, 7, 1),) * 2,
                  partial(move, demo))
    leave = plan_leave(demo.chart, waiting)
    agenda.on(leave.letter_date, "cuti dan Plt", partial(go_on_leave, demo, leave))
    agenda.on(waiting.circular_date, "perpanjangan", partial(_extend, demo, waiting))
    schedule_inspections(demo, date(waiting.first_year, 2, 5))
    schedule_surveys(demo, first_day + timedelta(1))


def schedule_organisation(demo: Demo) -> None:
    steps: list[Callable[[], None]] = [partial(_establish, demo, u) for u in demo.chart.units]
    steps += [partial(_register, demo, p) for p in demo.chart.people]
    day = date(demo.waiting.first_year, 1, 2)
    demo.agenda.spread("organisasi", steps, (day, day), lambda step: step())


def schedule_year(demo: Demo, year: int) -> None:
    """BKPP's calendars for the year's periods; dialog kinerja and the tim penilai on the
    annual evaluation."""
    agenda, key = demo.agenda, str(year)
    keys = [key, *(f"{year}-Q{q}" for q in range(1, 5))]
    agenda.spread("kalender periode", keys, (date(year, 1, 2),) * 2,
                  partial(_set_calendar, demo))
    stories = [s for (period, _), s in demo.stories.items() if period == key]
    agenda.spread("dialog kinerja", _where(stories, "dialog"),
                  (date(year, 3, 1), date(year, 11, 29)), partial(open_dialog, demo))
    agenda.spread("tim penilai", _where(stories, "team"), (date(year, 11, 4), date(year, 11, 8)),
                  partial(assign_team, demo))


def schedule_period(demo: Demo, dates: PeriodDates) -> None:
    chart, agenda, key = demo.chart, demo.agenda, dates.key
    if dates.period.is_annual:  # the SKP, agreed level by level down the lines
        agenda.spread("evaluasi dibuka", chart.people, dates.opening,
                      partial(open_evaluation, demo, key))
        for level in range(LEVELS):
            agenda.spread("rencana SKP", [p for p in chart.people if p.level == level],
                          dates.planning(level), partial(agree_plan, demo, key))
    else:  # a quarter opens on the year's agreed SKP, which it adopts
        for level in range(LEVELS):
            agenda.spread("evaluasi periodik dibuka",
                          [p for p in chart.people if p.level == level],
                          dates.planning(level), partial(open_periodic, demo, key))
    day = date(dates.period.year, 12, 16) if dates.period.is_annual else \
        dates.after_end(PREDIKAT_SET_AFTER)
    agenda.spread("predikat organisasi", _grades(demo, key), (day, day),
                  lambda grade: _grade(demo, key, *grade))
    schedule_appraisals(demo, dates,
                        [s for (period, _), s in demo.stories.items() if period == key])


def schedule_appraisals(demo: Demo, dates: PeriodDates, stories: list[Story]) -> None:
    """Reports before the deadline; ratings mostly on time, appealed ones last, a few late.
    A story with its own days (work waiting today) reports and is rated on them."""
    agenda = demo.agenda
    reported = [s for s in stories if s.reports]
    own = [s for s in reported if s.rate_on]
    reported = [s for s in reported if not s.rate_on]
    agenda.spread("laporan", reported, dates.reports, partial(submit_report, demo))
    rate = partial(rate_and_finalise, demo)
    agenda.spread("penilaian", [s for s in reported if not s.late and not s.keberatan],
                  dates.ratings, rate)
    agenda.spread("penilaian", _where(reported, "keberatan"), dates.appeal_ratings, rate)
    agenda.spread("penilaian terlambat", _where(reported, "late"), dates.late_ratings, rate)
    agenda.spread("keberatan", _where(reported, "keberatan"), dates.filings,
                  partial(file_keberatan, demo))
    for story in own:
        assert story.report_on is not None and story.rate_on is not None
        agenda.at(office_hour(story.report_on, 0.5), "laporan", partial(submit_report, demo, story))
        agenda.on(story.rate_on, "penilaian", partial(rate, story))
        if story.receive_on is not None:
            step = receive_and_object if story.keberatan else receive
            agenda.on(story.receive_on, "hasil diterima", partial(step, demo, story))


def _leave_work_waiting(demo: Demo, waiting: Waiting) -> None:
    """Give the stories of ``waiting`` their days: the anchor quarter's keberatan stories and
    the Plt's staff report on its first day and are rated early in its rating window; the
    extended section reports once the circular is out and is rated just before its extended
    deadline, after today."""
    anchor, first_day = waiting.anchor.key, waiting.anchor.after_end(1)
    for nip, receive_on, objection in ((waiting.in_window, 2, None),
                                       (waiting.objecting, 8, "pending")):
        _own_days(demo.stories[(anchor, nip)], first_day, waiting.anchor.after_end(11),
                  waiting.today - timedelta(receive_on), objection)
    for nip in plan_leave(demo.chart, waiting).staff:
        _own_days(demo.stories[(anchor, nip)], first_day, waiting.anchor_rating_day)
    extended_rating = waiting.extended_dues[1] - timedelta(2)
    for person in demo.chart.people:
        if person.unit == waiting.extended:
            _own_days(demo.stories[(waiting.rated.key, person.nip)], waiting.circular_date,
                      extended_rating)


def _own_days(story: Story, report_on: date, rate_on: date, receive_on: date | None = None,
              keberatan: str | None = None) -> None:
    story.report_on, story.rate_on, story.receive_on = report_on, rate_on, receive_on
    story.keberatan, story.reports, story.late = keberatan, True, False


def _where(stories: list[Story], flag: str) -> list[Story]:
    return [s for s in stories if getattr(s, flag)]


def _establish(demo: Demo, unit: UnitPlan) -> None:
    demo.call(demo.app.establish_unit, ADMIN, unit.code, unit.name, parent_code=unit.parent)
    if unit.service_standard:
        demo.call(demo.app.set_service_standard, ADMIN, unit.code, list(unit.service_standard))


def _register(demo: Demo, person: Person) -> None:
    year = demo.chart.year
    demo.call(demo.app.register_employee, ADMIN, person.nip, person.name, unit_code=person.unit,
              position=person.position, effective_from=date(year, 1, 1),
              employment_type=person.employment, is_unit_head=person.is_head,
              golongan=ranks.golongan(person, year), contract=ranks.contract(person, year),
              supervisor_nip=person.supervisor)


def bkpp(demo: Demo) -> Actor:
    """BKPP's head of performance appraisal, who keeps the period calendars."""
    return Actor(demo.chart.heads[f"{INSPECTING_OPD}.1"], "inspector")


def _set_calendar(demo: Demo, key: str) -> None:
    dates = PeriodDates.of(key)
    demo.call(demo.app.set_calendar, bkpp(demo), key, report_opens=dates.after_end(1),
              report_due=dates.report_due, rating_due=dates.rating_due,
              decision_target=dates.decision_target)


def _extend(demo: Demo, waiting: Waiting) -> None:
    """A circular gives one section more time for the quarter being rated (its counter was
    short-staffed by a system outage): the extension in force today."""
    report_due, rating_due = waiting.extended_dues
    number = f"800/SE/{waiting.circular_date:%m%d}/BKPP/{waiting.circular_date.year}"
    demo.call(demo.app.grant_extension, bkpp(demo), waiting.rated.key, number,
              waiting.circular_date, report_due=report_due, rating_due=rating_due,
              scope="unit", unit_code=waiting.extended)


def _grades(demo: Demo, period: str) -> list[tuple[str, str]]:
    """Each OPD's penetapan: mostly Baik, one Istimewa, one Butuh Perbaikan. The Sekretariat
    Daerah is left out: its head, the Sekda, has no official above them in the system."""
    opds = [u.code for u in demo.chart.units if u.parent is not None and "." not in u.code
            and demo.chart.person(demo.chart.heads[u.code]).supervisor is not None]
    grades = ["Istimewa", "Butuh Perbaikan"] + ["Baik"] * (len(opds) - 2)
    demo.rng.shuffle(grades)
    return list(zip(opds, grades))


def _grade(demo: Demo, period: str, opd: str, predikat: str) -> None:
    """Set by the official above the OPD's head (the Sekda), under a numbered decree."""
    head = demo.chart.person(demo.chart.heads[opd])
    official = reviewer(head.supervisor or "")
    number = f"800/{len(demo.org_predikat) + 1:03d}/{demo.day.year}"
    demo.call(demo.app.set_organisation_predikat, official, opd, period, predikat,
              document_number=number, document_date=demo.day, head_nip=head.nip)
    demo.org_predikat[(opd, period)] = predikat

