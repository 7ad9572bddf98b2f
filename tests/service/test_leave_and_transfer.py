"""Leave and mid-year transfers through the use cases, on both stores: the employee's change and
what it does to their open evaluations are saved in one transaction; an excused evaluation
takes nothing more; a moved one is rated in the new line and counted in the new OPD."""

from __future__ import annotations

from datetime import date

import orjson
import pytest

from domain.errors import ExcusedError, InvalidStateError, NotAllowedError
from domain.evaluation import EXCUSED, PLAN_AGREED, evaluation_id
from domain.organisation import employee_id, unit_id
from domain.values import Realisation
from service.application import Actor
from tests.service.scenario import ADMIN, REPORT_DAY, agreed_plans, city, reporting_line

SK = "800/45/BKPP/2024"


def request_ids(app, *record_ids) -> set[str]:
    """The request each record's last event was written in."""
    return {orjson.loads(app.recorder.select_events(i)[-1].state)["request_id"]
            for i in record_ids}


def test_leave_excuses_and_shortens_the_open_evaluations_it_touches_at_once(app, clock):
    line = reporting_line(app)
    annual = agreed_plans(app, line)  # the year's SKP: the quarters evaluate it
    q2, q3 = (app.open_evaluation(ADMIN, line.asn, p) for p in ("2024-Q2", "2024-Q3"))
    app.record_leave(ADMIN, line.asn, kind="cltn", start=date(2024, 4, 1),
                     end=date(2024, 7, 15), decree_number=SK, decree_date=date(2024, 1, 2),
                     request_id="req-leave-1")

    assert app.evaluation(q2.id).stage == EXCUSED
    assert app.evaluation(q3.id).active_days == 92 - 15
    assert app.evaluation(annual.id).active_days == 366 - 106
    assert app.employee(line.asn).leave[0]["decree_number"] == SK
    assert request_ids(app, employee_id(line.asn), annual.id, q2.id, q3.id) == {"req-leave-1"}
    with pytest.raises(ExcusedError):
        app.comment(line.actor("asn"), q2.id, "masih ada?")


def test_an_evaluation_opened_for_a_period_on_leave_opens_excused_or_shortened(app, clock):
    line = reporting_line(app)
    agreed_plans(app, line)
    app.record_leave(ADMIN, line.asn, kind="tugas_belajar", start=date(2024, 4, 1),
                     end=date(2024, 7, 15), decree_number=SK, decree_date=date(2024, 1, 2))
    may = app.open_evaluation(ADMIN, line.asn, "2024-M05")
    july = app.open_evaluation(ADMIN, line.asn, "2024-M07")
    assert may.stage == EXCUSED and may.active_days == 0
    assert july.stage != EXCUSED and july.active_days == 16
    with pytest.raises(ExcusedError):
        app.draft_plan(line.actor("asn"), may.id, "quantitative", [])


def test_overlapping_leave_is_refused_and_nothing_is_written(app, clock):
    line = reporting_line(app)
    agreed_plans(app, line)
    q2 = app.open_evaluation(ADMIN, line.asn, "2024-Q2")
    app.record_leave(ADMIN, line.asn, kind="cuti_besar", start=date(2024, 5, 1),
                     end=date(2024, 5, 31), decree_number=SK, decree_date=date(2024, 1, 2))
    version = app.evaluation(q2.id).version
    with pytest.raises(Exception, match="overlaps"):
        app.record_leave(ADMIN, line.asn, kind="cltn", start=date(2024, 4, 1),
                         end=date(2024, 6, 30), decree_number=SK, decree_date=date(2024, 1, 2))
    assert app.evaluation(q2.id).version == version and len(app.employee(line.asn).leave) == 1


def test_a_transfer_moves_the_open_evaluation_to_the_new_opd_and_line(app, clock):
    town, line = city(app), reporting_line(app)
    annual = agreed_plans(app, line)  # the ASN's 2024 SKP, agreed by their rater
    q1 = app.open_evaluation(ADMIN, line.asn, "2024-Q1")  # ended before the move: stays
    clock.now = REPORT_DAY
    moved = app.open_evaluation(ADMIN, town.kadis, "2024", top_rater=town.sekda)
    before = app.tally.standing(moved, None).still_open

    app.transfer_employee(ADMIN, line.asn, unit_code=town.section, position="Analis",
                          effective_from=date(2024, 8, 1), supervisor_nip=town.kadis,
                          handover_note="SKP diserahterimakan", request_id="req-move-1")

    now = app.evaluation(annual.id)
    assert (now.unit_id, now.rater_nip, now.stage) == (str(unit_id(town.section)), town.kadis,
                                                       PLAN_AGREED)
    assert now.previous_raters == [{"nip": line.rater, "unit_id": str(unit_id(line.unit)),
                                    "until": "2024-07-31",
                                    "handover_note": "SKP diserahterimakan"}]
    assert app.evaluation(q1.id).unit_id == str(unit_id(line.unit))
    assert request_ids(app, employee_id(line.asn), annual.id) == {"req-move-1"}
    # The new OPD counts it (the section rolls up to the OPD); the old one no more.
    assert app.tally.standing(moved, None).still_open == before + 1
    app.submit_report(line.actor("asn"), annual.id, [Realisation("asn-1", "12")], "capaian",
                      "kendala", "rencana")
    with pytest.raises(NotAllowedError):
        app.record_rating(line.actor("rater", "reviewer"), annual.id, "results", "meets",
                          reason="sudah pindah")
    rated = app.record_rating(Actor(town.kadis, "reviewer"), annual.id, "results", "meets",
                              reason="atasan baru")
    assert rated.ratings["results"]["by"] == town.kadis


def test_a_transfer_before_the_latest_posting_moves_nothing(app, clock):
    line = reporting_line(app)
    annual = app.open_evaluation(ADMIN, line.asn, "2024")
    app.transfer_employee(ADMIN, line.asn, unit_code=line.unit, position="Analis Madya",
                          effective_from=date(2024, 9, 1), supervisor_nip=line.head)
    with pytest.raises(InvalidStateError):
        app.transfer_employee(ADMIN, line.asn, unit_code=line.unit, position="Analis",
                              effective_from=date(2024, 8, 1), supervisor_nip=line.rater)
    assert [p["nip"] for p in app.evaluation(annual.id).previous_raters] == [line.rater]
    assert app.evaluation(evaluation_id(employee_id(line.asn), "2024")).rater_nip == line.head
