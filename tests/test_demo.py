"""The demo generator: a small city's cycle up to a pinned day, on both stores, read back
through the Application and the views people work from."""

from __future__ import annotations

import os
import random
from collections import Counter
from datetime import date, datetime, timedelta
from urllib.parse import urlsplit

import orjson
import psycopg
import pytest
from typer.testing import CliRunner

from api.cli import app as cli
from demo import ranks
from demo.agenda import PeriodDates
from demo.appeals import corrected
from demo.catalog import is_school
from demo.cycle import cast, evaluation_of
from demo.line import plan_leave
from demo.org import STAFF, plan_org
from demo.surveys import E_LAYANAN_OPD
from demo.today import quarter_ended
from demo.year import DemoClock, build_org, play_year, start
from domain.asn import GOLONGAN
from domain.evaluation import FINALISED, PLAN_AGREED, PLANNING
from domain.nip import PNS, PPPK, PPPK_PART_TIME, parse_nip
from domain.rules import PERMENPANRB_6_2022, Predikat
from domain.wib import wib_day
from projections.queries import Queries
from projections.runner import Projector
from projections.views.appeals import OPEN
from service.config import Settings
from service.store import init_db, open_app

EMPLOYEES, SEED = 60, 11  # 60: four OPDs, so a second service unit is surveyed
AUGUST, JANUARY = date(2026, 8, 20), date(2027, 1, 6)  # mid-quarter; a year just begun
DEMO_DB = f"kinerja_test_demo_{os.getpid()}"


def notifications(application) -> list[tuple]:
    return [(n.originator_id, n.originator_version, n.topic, n.state)
            for n in application.recorder.select_notifications(start=None, limit=100_000)]


def record_cycle(settings: Settings, today: date):
    clock = DemoClock()
    application = open_app(settings, clock=clock)
    demo = start(application, clock, employees=EMPLOYEES, seed=SEED, today=today)
    return application, demo, play_year(demo)


def fresh_store(backend: str, request: pytest.FixtureRequest | None, folder) -> Settings:
    """A store of the module's own, so other tests emptying theirs cannot touch it."""
    if backend == "sqlite":
        settings = Settings(f"sqlite:///{folder / 'demo.db'}")
    else:
        assert request is not None
        shared = request.getfixturevalue("postgres_database")
        with psycopg.connect(shared, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {DEMO_DB} WITH (FORCE)")
            conn.execute(f"CREATE DATABASE {DEMO_DB}")
        settings = Settings(urlsplit(shared)._replace(path=f"/{DEMO_DB}").geturl())
    init_db(settings)
    return settings


@pytest.fixture(scope="module", params=[("sqlite", AUGUST), ("postgres", AUGUST),
                                        ("sqlite", JANUARY)],
                ids=["sqlite-august", "postgres-august", "sqlite-january"])
def cycle(request: pytest.FixtureRequest, tmp_path_factory):
    """One recorded demo per backend and day: (application, demo as planned, summary, the
    views caught up)."""
    backend, today = request.param
    settings = fresh_store(backend, request, tmp_path_factory.mktemp("demo"))
    application, demo, summary = record_cycle(settings, today)
    projector = Projector(application)
    projector.catch_up()
    yield application, demo, summary, Queries(projector.store)
    application.close()


def test_every_planned_nip_is_valid_distinct_and_plausible():
    chart = plan_org(random.Random(3), employees=3000, year=2024, opds=16)
    nips = [parse_nip(p.nip) for p in chart.people]
    assert len({n.value for n in nips}) == 3000
    for nip, person in zip(nips, chart.people, strict=True):
        assert 23 <= 2024 - nip.birth_date.year <= 58
        assert nip.birth_date.year + 20 <= nip.appointed[0] <= 2023
        assert nip.asn_type == person.employment  # a PPPK holds a real NI PPPK


def test_every_pns_holds_a_golongan_of_their_post_and_every_pppk_a_contract_in_force():
    chart = plan_org(random.Random(3), employees=3000, year=2024, opds=16)
    kinds = Counter(p.employment for p in chart.people)
    assert kinds[PPPK_PART_TIME] > 0 and kinds[PPPK] > kinds[PPPK_PART_TIME]
    step = GOLONGAN.index
    for person in chart.people:
        rank, period = ranks.golongan(person, 2024), ranks.contract(person, 2024)
        if person.employment == PNS:
            low, high = ranks.BANDS[person.level]
            assert period is None and rank and step(low) <= step(rank) <= step(high)
        else:
            assert rank is None and period
            assert period[0] <= date(2024, 1, 1) and date(2024, 12, 31) <= period[1]
            assert period[0].year >= parse_nip(person.nip).appointed[0]


def test_the_org_chart_reports_up_to_the_sekda_alone():
    chart = plan_org(random.Random(5), employees=2000, year=2024)
    tops = [p for p in chart.people if p.supervisor is None]
    assert [p.position for p in tops] == ["Sekretaris Daerah"]
    for person in chart.people:
        if person.supervisor:
            assert chart.person(person.supervisor).level < person.level
    assert len([u for u in chart.units if u.parent == "PEMKOT-SMG"]) == 12
    assert sum(p.level == STAFF for p in chart.people) > 0.8 * 2000


def test_most_asn_are_to_be_rated_baik_some_sangat_baik_a_few_below():
    rng = random.Random(8)
    chart = plan_org(rng, employees=2000, year=2024)
    stories = cast(rng, chart, settled=set(), period="2024-Q2")
    shares = Counter(PERMENPANRB_6_2022.predikat(s.results, s.behaviour) for s in stories.values())
    assert shares.most_common(1)[0] == (Predikat.BAIK, shares[Predikat.BAIK])
    assert 0.6 < shares[Predikat.BAIK] / 2000 < 0.85
    assert 0.05 < shares[Predikat.SANGAT_BAIK] / 2000 < 0.3
    below = (Predikat.BUTUH_PERBAIKAN, Predikat.KURANG, Predikat.SANGAT_KURANG)
    assert 0.03 < sum(shares[p] for p in below) / 2000 < 0.2


@pytest.mark.parametrize(("today", "rated", "anchor"), [
    (date(2026, 8, 20), "2026-Q2", "2026-Q2"),
    (date(2026, 7, 2), "2026-Q2", "2026-Q1"),  # the quarter ended two days before: rated
    (date(2026, 7, 1), "2026-Q1", "2026-Q1"),
    (date(2026, 4, 21), "2026-Q1", "2026-Q1"),  # three weeks after: the anchor too
    (date(2026, 4, 20), "2026-Q1", "2025-Q4"),  # before: the year before is played too
    (date(2027, 1, 6), "2026-Q4", "2026-Q3"),  # a year just begun: the last one's Q4 is live
])
def test_the_live_quarters_follow_from_today(today, rated, anchor):
    assert quarter_ended(today, 2).key == rated and quarter_ended(today, 21).key == anchor


def test_each_role_has_work_on_the_demo_day(cycle):
    application, demo, summary, queries = cycle
    today, waiting = demo.today, demo.waiting
    waits = summary.waiting
    assert waits.ratings_due and waits.in_keberatan_window and waits.keberatan_pending
    assert waits.follow_ups_due and waits.extensions_in_force
    # reviewers: ratings due (not overdue) in their queue, for the quarter being rated
    raters = {application.employee(nip).supervisor_on(today)
              for nip in _in_unit(demo, waiting.extended)}
    tasks = [t for r in raters for t in queries.queue(r, today)]
    due = [t for t in tasks if t["period"] == waiting.rated.key and t["task"] == "rate"]
    assert due and not any(t["overdue"] for t in due)
    # an ASN inside the keberatan window, counted in whole WIB days from receipt
    received = application.evaluation(evaluation_of(demo, waiting.in_window, waiting.anchor.key))
    assert received.receipt["received_on"] < today.isoformat()
    assert today.isoformat() <= received.receipt["keberatan_until"]
    # the appeal board: a keberatan awaiting its decision, not yet overdue
    pending = [a for a in queries.appeals(today, status=OPEN) if a["nip"] == waiting.objecting]
    assert len(pending) == 1 and not pending[0]["overdue"]
    assert pending[0]["authority_nip"] != pending[0]["rater_nip"]
    # inspectors: a sidak whose follow-ups are open and due from today on
    assert any(f["due"] >= today.isoformat() for f in queries.open_follow_ups(today))
    # BKPP: an extension in force by circular, named in the evaluations it moved
    extension = application.period_calendar(waiting.rated.key).extensions[-1]
    assert extension["scope"] == "unit" and extension["rating_due"] > today.isoformat()
    moved = [application.evaluation(evaluation_of(demo, nip, waiting.rated.key))
             for nip in _in_unit(demo, waiting.extended)]
    assert all(e.rating_due == extension["rating_due"] for e in moved)


def test_nothing_is_stamped_on_or_after_the_demo_day(cycle):
    application, demo, summary, _ = cycle
    stamps = [datetime.fromisoformat(_field(state, "timestamp"))
              for *_, state in notifications(application)]
    # In the demo clock's order; within one command a record may be stamped 1 µs after
    # another's (time never runs backwards within a record: domain/base.py), hence the ms.
    in_ms = [stamp.replace(microsecond=stamp.microsecond // 1000 * 1000) for stamp in stamps]
    assert in_ms == sorted(in_ms) and len(stamps) == summary.events
    assert wib_day(stamps[-1]) < demo.today
    assert wib_day(stamps[-1]) >= demo.today - timedelta(3)  # the demo is alive up to today
    assert all(_field(state, "request_id").startswith(f"demo-{SEED}-")
               for *_, state in notifications(application))


def test_every_asn_is_recorded_with_their_nip_and_pppk_with_an_ni_pppk(cycle):
    application, demo, summary, _ = cycle
    recorded = [application.employee(p.nip) for p in demo.chart.people]
    assert len({e.nip for e in recorded}) == summary.employees == EMPLOYEES
    pppk = [e for e in recorded if e.employment_type != PNS]
    assert pppk and summary.pppk == len(pppk)
    assert all(e.nip[12:14] in ("21", "24") for e in pppk)  # the PPPK code, not a month
    first_year = demo.waiting.first_year
    for employee in recorded:  # a PNS with a golongan, a PPPK with a contract, as the number says
        assert employee.employment_type == parse_nip(employee.nip).asn_type
        assert (employee.golongan is None) == (employee.contract is not None)
        if employee.contract:
            period = employee.contract["start"], employee.contract["end"]
            assert period[0] <= f"{first_year}-01-01" and f"{first_year}-12-31" <= period[1]


def test_earlier_quarters_are_finalised_and_the_running_one_is_planned(cycle):
    application, demo, _, _ = cycle
    today, anchor = demo.today, demo.waiting.anchor
    for (period, nip), story in demo.stories.items():
        dates = PeriodDates.of(period)
        if dates.period.is_annual:
            continue
        stage = _stage(application, demo, nip, period)
        if dates.rating_due + timedelta(10) < today and period != anchor.key:
            assert stage == (FINALISED if story.reports else PLAN_AGREED), (period, nip)
        if dates.end >= today:  # under way: no report before the period ends
            assert stage in (None, PLANNING, PLAN_AGREED)
    running = {k for k, _ in demo.stories if PeriodDates.of(k).end >= today and "Q" in k}
    # A quarter opens on the year's agreed SKP: a first quarter, once that is agreed (February).
    opened = (PLANNING, PLAN_AGREED) if today.month > 2 else (None, PLANNING, PLAN_AGREED)
    assert running and all(_stage(application, demo, nip, period) in opened
                           for period, nip in demo.stories if period in running)


def test_quarterly_plans_follow_the_annual_skp_and_cascade(cycle):
    application, demo, _, _ = cycle
    quarter, year = demo.waiting.rated.key, str(demo.waiting.rated.period.year)
    for person in demo.chart.people:
        annual = application.evaluation_of(person.nip, year).plan["lines"]
        periodic = application.evaluation_of(person.nip, quarter)
        assert [line["rhk"] for line in periodic.plan["lines"]] == [line["rhk"] for line in annual]
        # the SKP cascades from the supervisor's SKP as agreed in January (a transfer later
        # hands it over as it is)
        supervisor = application.employee(person.nip).supervisor_on(date(int(year), 1, 31))
        if supervisor:
            upstream = application.evaluation_of(supervisor, year).plan_results()
            assert {line["supports"] for line in periodic.plan["lines"]} <= set(upstream)


def test_a_plt_rates_the_staff_of_the_section_head_on_leave(cycle):
    application, demo, _, _ = cycle
    leave = plan_leave(demo.chart, demo.waiting)
    assert leave.staff and leave.acting == demo.chart.person(leave.nip).supervisor
    for nip in leave.staff:
        employee = application.employee(nip)
        assert employee.supervisor_on(leave.start) == leave.acting
        assert employee.supervisor_on(leave.start - timedelta(1)) == leave.nip
        outcome = application.evaluation_of(nip, demo.waiting.anchor.key).outcome
        assert outcome["by"] == leave.acting


def test_the_organisation_predikat_is_set_each_quarter_by_the_official_above(cycle):
    application, demo, _, _ = cycle
    rated = demo.waiting.rated.key
    graded = {opd for opd, period in demo.org_predikat if period == rated}
    assert graded
    for opd in graded:
        assert application.unit(opd).org_predikat[rated] == demo.org_predikat[(opd, rated)]
    setters = {_field(state, "actor") for *_, topic, state in notifications(application)
               if topic == "kinerja/Unit/OrganisationPredikatSet"}
    sekda = next(p.nip for p in demo.chart.people if p.supervisor is None)
    assert setters == {sekda}  # the official above every OPD's head, not an admin


def test_skm_for_disdukcapil_rises_after_e_layanan_and_other_units_are_surveyed(cycle):
    application, demo, _, queries = cycle
    trends = queries.skm_trend(str(application.unit("PEMKOT-SMG").id), demo.today.year)
    by_code = {t["code"]: [p for p in t["periods"] if p["index"]] for t in trends}
    disdukcapil = by_code.pop(E_LAYANAN_OPD)
    first, last = disdukcapil[0], disdukcapil[-1]
    assert first["category"] == "C" and last["category"] in ("A", "B")
    assert float(last["index"]) > float(first["index"]) + 5
    assert by_code and all(len(points) == len(disdukcapil) for points in by_code.values())


def test_keberatan_are_rejected_and_upheld_and_upheld_ones_correct_the_outcome(cycle):
    application, demo, summary, _ = cycle
    decided = [(k, s) for k, s in demo.stories.items() if s.keberatan in ("rejected", "upheld")
               and _filed(application, demo, *k)]
    decided = [(k, s) for k, s in decided
               if application.keberatan_on(evaluation_of(demo, k[1], k[0])).decision]
    assert {"rejected", "upheld"} <= {s.keberatan for _, s in decided}
    for (period, nip), story in decided:
        evaluation = application.evaluation(evaluation_of(demo, nip, period))
        appeal = application.keberatan_on(evaluation.id)
        filed_on = wib_day(datetime.fromisoformat(appeal.filed_at)).isoformat()
        assert evaluation.receipt and filed_on <= evaluation.receipt["keberatan_until"]
        assert appeal.decision["outcome"] == story.keberatan and not appeal.decision["overdue"]
        upheld = story.keberatan == "upheld"
        assert len(evaluation.corrections) == int(upheld)
        if upheld:
            assert (evaluation.outcome["results"], evaluation.outcome["behaviour"]) == \
                corrected(story)
    topics = [topic for _, _, topic, _ in notifications(application)]
    assert topics.count("kinerja/Evaluation/OutcomeCorrected") == summary.keberatan["upheld"]


def test_inspections_have_findings_naming_asn_and_follow_ups(cycle):
    application, demo, summary, _ = cycle
    visits = [application.inspection(i) for i in demo.inspections]
    assert len(visits) == summary.inspections >= 3
    assert all(v.findings for v in visits)
    assert summary.follow_ups_resolved < summary.follow_ups
    for visit in visits:
        if visit.closed:
            assert not visit.open_follow_ups()


def test_a_mid_year_move_changes_who_rates(cycle):
    application, demo, _, _ = cycle
    move = demo.moves[0]
    year = demo.waiting.first_year
    employee = application.employee(move.nip)
    assert employee.supervisor_on(date(year, 6, 30)) != move.supervisor
    assert employee.supervisor_on(date(year, 7, 31)) == move.supervisor
    third = application.evaluation_of(move.nip, f"{year}-Q3")
    assert third.rater_nip == move.supervisor


@pytest.fixture(scope="module")
def recorded_again(tmp_path_factory):
    """Each day's demo recorded once more, on SQLite (once per day, however many stores)."""
    recorded: dict[date, list[tuple]] = {}

    def again(today: date) -> list[tuple]:
        if today not in recorded:
            settings = fresh_store("sqlite", None, tmp_path_factory.mktemp("again"))
            application, _, _ = record_cycle(settings, today)
            recorded[today] = notifications(application)
            application.close()
        return recorded[today]
    return again


def test_the_same_seed_and_day_give_the_same_events_on_any_store(cycle, recorded_again):
    application, demo, _, _ = cycle
    assert recorded_again(demo.today) == notifications(application)


def test_build_org_records_the_chart_alone(app, clock):
    demo = start(app, clock, employees=20, seed=2, today=AUGUST)
    build_org(demo)
    staff = next(p for p in demo.chart.people if p.level == STAFF)
    assert app.employee(staff.nip).supervisor_on(date(2026, 1, 1)) == staff.supervisor
    assert {n[2] for n in notifications(app)} <= {
        "kinerja/Unit/Established", "kinerja/Unit/ServiceStandardSet",
        "kinerja/Employee/Registered", "kinerja/Employee/SupervisorAssigned"}


def test_the_demo_command_fills_an_empty_store_once(tmp_path):
    env = {"KINERJA_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}"}
    args = ["demo", "--employees", "30", "--seed", "1", "--today", "2026-05-12"]
    first = CliRunner().invoke(cli, args, env=env)
    assert first.exit_code == 0, first.output
    assert "Demo cycle recorded" in first.output and "2026-05-12" in first.output
    again = CliRunner().invoke(cli, args, env=env)
    assert again.exit_code == 2


def _in_unit(demo, unit: str) -> list[str]:
    return [p.nip for p in demo.chart.people if p.unit == unit]


def _stage(application, demo, nip: str, period: str) -> str | None:
    from domain.errors import NotFoundError
    try:
        return application.evaluation(evaluation_of(demo, nip, period)).stage
    except NotFoundError:
        return None


def _filed(application, demo, period: str, nip: str) -> bool:
    from domain.errors import NotFoundError
    try:
        application.keberatan_on(evaluation_of(demo, nip, period))
    except NotFoundError:
        return False
    return True


def _field(state: bytes, name: str) -> str:
    return orjson.loads(state)[name]


def test_teachers_teach_in_schools_and_schools_are_staffed_by_teachers():
    chart = plan_org(random.Random(SEED), employees=400, year=2026)
    staff = [p for p in chart.people if p.level == STAFF]
    in_schools = [p for p in staff if is_school(chart.unit_name(p.unit))]
    assert in_schools, "a city of this size keeps Dinas Pendidikan and its schools"
    assert all(p.position.startswith("Guru") for p in in_schools)
    assert all(is_school(chart.unit_name(p.unit)) for p in staff if p.position.startswith("Guru"))
    heads = {chart.person(chart.heads[p.unit]).position for p in in_schools}
    assert all(head.startswith(("Kepala SD Negeri", "Kepala SMP Negeri")) for head in heads)
