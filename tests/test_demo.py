"""The demo generator: a small city's year on both stores, read back through the Application."""

from __future__ import annotations

import os
import random
from collections import Counter
from datetime import date, datetime
from urllib.parse import urlsplit

import orjson
import psycopg
import pytest
from typer.testing import CliRunner

from api.cli import app as cli
from demo import ranks
from demo.appeals import corrected
from demo.cycle import cast, evaluation_of
from demo.org import STAFF, plan_org
from demo.year import DemoClock, build_org, play_year, run_evaluation, start
from domain.asn import GOLONGAN
from domain.nip import PNS, PPPK, PPPK_PART_TIME, parse_nip
from domain.rules import PERMENPANRB_6_2022, Predikat
from domain.wib import wib_day
from service.config import Settings
from service.store import init_db, open_app

EMPLOYEES, SEED = 40, 11
DEMO_DB = f"kinerja_test_demo_{os.getpid()}"


def notifications(application) -> list[tuple]:
    return [(n.originator_id, n.originator_version, n.topic, n.state)
            for n in application.recorder.select_notifications(start=None, limit=100_000)]


def record_year(settings: Settings):
    clock = DemoClock()
    application = open_app(settings, clock=clock)
    demo = start(application, clock, employees=EMPLOYEES, seed=SEED)
    return application, demo, play_year(demo)


def fresh_store(backend: str, request: pytest.FixtureRequest, folder) -> Settings:
    """A store of the module's own, so other tests emptying theirs cannot touch it."""
    if backend == "sqlite":
        settings = Settings(f"sqlite:///{folder / 'demo.db'}")
    else:
        shared = request.getfixturevalue("postgres_database")
        with psycopg.connect(shared, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {DEMO_DB} WITH (FORCE)")
            conn.execute(f"CREATE DATABASE {DEMO_DB}")
        settings = Settings(urlsplit(shared)._replace(path=f"/{DEMO_DB}").geturl())
    init_db(settings)
    return settings


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def year(request: pytest.FixtureRequest, tmp_path_factory):
    """One recorded demo year per backend: (application, demo as planned, summary)."""
    settings = fresh_store(request.param, request, tmp_path_factory.mktemp("demo"))
    application, demo, summary = record_year(settings)
    yield application, demo, summary
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
    stories = cast(rng, chart, settled=set())
    shares = Counter(PERMENPANRB_6_2022.predikat(s.results, s.behaviour) for s in stories.values())
    assert shares.most_common(1)[0] == (Predikat.BAIK, shares[Predikat.BAIK])
    assert 0.6 < shares[Predikat.BAIK] / 2000 < 0.85
    assert 0.05 < shares[Predikat.SANGAT_BAIK] / 2000 < 0.3
    below = (Predikat.BUTUH_PERBAIKAN, Predikat.KURANG, Predikat.SANGAT_KURANG)
    assert 0.03 < sum(shares[p] for p in below) / 2000 < 0.2


def test_every_asn_is_recorded_with_their_nip(year):
    application, demo, summary = year
    recorded = [application.employee(p.nip) for p in demo.chart.people]
    assert len({e.nip for e in recorded}) == summary.employees == EMPLOYEES
    assert summary.pppk == sum(e.employment_type != PNS for e in recorded)
    for employee in recorded:  # a PNS with a golongan, a PPPK with a contract, as the number says
        assert employee.employment_type == parse_nip(employee.nip).asn_type
        assert (employee.golongan is None) == (employee.contract is not None)
        if employee.contract:
            period = employee.contract["start"], employee.contract["end"]
            assert period[0] <= "2024-01-01" and "2024-12-31" <= period[1]


def test_every_evaluation_is_finalised_unless_its_report_never_came(year):
    application, demo, _ = year
    for story in demo.stories.values():
        stage = application.evaluation(evaluation_of(demo, story.nip)).stage
        assert stage == ("finalised" if story.reports else "plan_agreed")


def test_plans_cascade_from_the_supervisors_agreed_plan(year):
    application, demo, _ = year
    for person in demo.chart.people:
        evaluation = application.evaluation(evaluation_of(demo, person.nip))
        if person.supervisor is None:
            assert evaluation.rater_nip == "pejabat:walikota"
            continue
        upstream = application.evaluation_of(person.supervisor, "2024").plan_results()
        assert {line["supports"] for line in evaluation.plan["lines"]} <= set(upstream)


def test_reports_come_before_the_deadline_and_few_ratings_after(year):
    application, demo, summary = year
    report_due, _ = application.calendar.deadlines("2024", date(2024, 12, 31))
    reported = [datetime.fromisoformat(_field(state, "timestamp")).date()
                for *_, topic, state in notifications(application)
                if topic == "kinerja/Evaluation/ReportSubmitted"]
    assert reported and max(reported) <= report_due
    evaluations = [application.evaluation(evaluation_of(demo, p.nip)) for p in demo.chart.people]
    late = [e for e in evaluations if any(r["late"] for r in e.ratings.values())]
    assert late and len(late) == summary.rated_late < len(evaluations) / 5


def test_keberatan_are_rejected_and_upheld_and_upheld_ones_correct_the_outcome(year):
    application, demo, summary = year
    appealed = [s for s in demo.stories.values() if s.keberatan]
    assert {"rejected", "upheld"} <= {s.keberatan for s in appealed}
    for story in appealed:
        evaluation = application.evaluation(evaluation_of(demo, story.nip))
        appeal = application.keberatan_on(evaluation.id)
        filed_on = wib_day(datetime.fromisoformat(appeal.filed_at)).isoformat()
        assert evaluation.receipt and filed_on <= evaluation.receipt["keberatan_until"]
        assert appeal.decision["outcome"] == story.keberatan and not appeal.decision["overdue"]
        upheld = story.keberatan == "upheld"
        assert len(evaluation.corrections) == int(upheld)
        if upheld:
            assert evaluation.outcome["keberatan_id"] == str(appeal.id)
            outcome = evaluation.outcome
            assert (outcome["results"], outcome["behaviour"]) == corrected(story)
    topics = [topic for _, _, topic, _ in notifications(application)]
    assert topics.count("kinerja/Evaluation/OutcomeCorrected") == summary.keberatan["upheld"]


def test_inspections_have_findings_naming_asn_and_follow_ups(year):
    application, demo, summary = year
    visits = [application.inspection(i) for i in demo.inspections]
    assert len(visits) == summary.inspections >= 3
    assert all(v.findings for v in visits)
    assert any(f["employee_ids"] for v in visits for f in v.findings.values())
    assert 0 < summary.follow_ups_resolved <= summary.follow_ups
    for visit in visits:
        if visit.closed:
            assert not visit.open_follow_ups()


def test_a_mid_year_move_changes_who_rates(year):
    application, demo, _ = year
    move = demo.moves[0]
    employee = application.employee(move.nip)
    assert employee.supervisor_on(date(2024, 6, 30)) != move.supervisor
    assert employee.supervisor_on(date(2024, 12, 31)) == move.supervisor
    outcome = application.evaluation(evaluation_of(demo, move.nip)).outcome
    assert outcome is None or outcome["by"] == move.supervisor


def test_events_are_stamped_in_order_with_request_ids_from_the_seed(year):
    application, _, summary = year
    stamps = [datetime.fromisoformat(_field(state, "timestamp"))
              for *_, state in notifications(application)]
    assert stamps == sorted(stamps) and len(stamps) == summary.events
    assert all(_field(state, "request_id").startswith(f"demo-{SEED}-")
               for *_, state in notifications(application))


def test_the_same_seed_gives_the_same_events_on_any_store(year, tmp_path):
    application, _, _ = year
    again, _, _ = record_year(fresh_store("sqlite", None, tmp_path))
    try:
        assert notifications(again) == notifications(application)
    finally:
        again.close()


def test_run_evaluation_drives_one_asn_and_the_plans_above_them(app, clock):
    demo = start(app, clock, employees=20, seed=2)
    build_org(demo)
    staff = next(p for p in demo.chart.people if p.level == STAFF)
    assert run_evaluation(demo, staff.nip, until="reported").stage == "reported"
    assert app.evaluation_of(staff.supervisor, "2024").stage == "plan_agreed"
    assert run_evaluation(demo, staff.supervisor).predikat is not None


def test_the_demo_command_fills_an_empty_store_once(tmp_path):
    env = {"KINERJA_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}"}
    first = CliRunner().invoke(cli, ["demo", "--employees", "30", "--seed", "1"], env=env)
    assert first.exit_code == 0, first.output
    assert "Demo year recorded" in first.output
    again = CliRunner().invoke(cli, ["demo", "--employees", "30", "--seed", "1"], env=env)
    assert again.exit_code == 2


def _field(state: bytes, name: str) -> str:
    return orjson.loads(state)[name]
