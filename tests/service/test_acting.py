"""An acting official (Plh) rates in the tenure, on both stores; the definitive supervisor
cannot then, and can again once it ends."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from domain.errors import NotAllowedError
from domain.values import PlanLine
from projections.queries import Queries
from projections.runner import Projector
from replay.timeline import Timelines
from service.application import Actor
from tests.service.scenario import (
    ADMIN,
    WALIKOTA,
    appoint,
    finalised,
    new_nip,
    rated_and_finalised,
    reported,
    reporting_line,
    with_plh,
)


def test_a_plh_rates_in_the_tenure_and_the_supervisor_after_it(app, clock):
    line = reporting_line(app)
    evaluation = reported(app, clock, line)  # the clock is on the report day, 6 January 2025
    plh = new_nip(1972)
    app.register_employee(ADMIN, plh, "Plh Kabid", unit_code=line.unit, position="Kepala Seksi",
                          effective_from=date(2024, 1, 1))
    app.appoint_acting_supervisor(ADMIN, line.asn, plh, kind="Plh", start=date(2025, 1, 6),
                                  end=date(2025, 1, 20), letter_number="800/5/2025",
                                  letter_date=date(2025, 1, 3))

    with pytest.raises(NotAllowedError):
        app.record_rating(line.actor("rater", "reviewer"), evaluation.id, "results", "meets",
                          reason="bukan giliran saya")
    rated = app.record_rating(Actor(plh, "reviewer"), evaluation.id, "results", "above",
                              reason="Plh menilai")
    clock.now = datetime(2025, 1, 21, 2, 0, tzinfo=timezone.utc)  # the day after the tenure
    with pytest.raises(NotAllowedError):
        app.record_rating(Actor(plh, "reviewer"), evaluation.id, "behaviour", "meets",
                          reason="sudah berakhir")
    again = app.record_rating(line.actor("rater", "reviewer"), evaluation.id, "behaviour",
                              "meets", reason="atasan kembali")

    assert rated.ratings["results"]["by"] == plh
    assert again.ratings["behaviour"]["by"] == line.rater
    assert app.employee(line.asn).acting[0]["acting_nip"] == plh


def test_a_plh_s_rating_and_finalisation_record_the_capacity_in_the_views_and_the_timeline(
        app, clock):
    line = reporting_line(app)
    evaluation = reported(app, clock, line)
    acting = with_plh(app, line)  # the Plh stands in for the rater from the report day

    rated_and_finalised(app, acting, evaluation)

    done = app.evaluation(evaluation.id)
    assert done.outcome is not None and done.outcome["by"] == acting.rater
    capacity = done.outcome["acting"]
    assert (capacity["kind"], capacity["in_place_of"], capacity["start"]) == (
        "Plh", line.rater, "2025-01-06")
    assert done.ratings["results"]["acting"] == done.ratings["behaviour"]["acting"] == capacity
    projector = Projector(app)
    projector.catch_up()
    (row,) = Queries(projector.store).evaluations(nip=line.asn).items
    assert (row["rated_as"], row["finalised_as"], row["finalised_by"]) == (
        "Plh", "Plh", acting.rater)
    timeline = Timelines(app, lambda _: []).evaluation(evaluation.id)
    assert [(e.topic.rsplit("/", 1)[1], e.acting_as) for e in timeline][-3:] == [
        ("RatingRecorded", "Plh"), ("RatingRecorded", "Plh"), ("Finalised", "Plh")]
    assert timeline[0].acting_as is None


def test_the_authority_over_a_plh_s_result_is_the_superior_of_the_post_they_stood_in_for(
        app, clock):
    line = reporting_line(app)
    evaluation = reported(app, clock, line)
    elsewhere = new_nip(1961)  # the Plh's own superior, over another bidang
    app.register_employee(ADMIN, elsewhere, "Kabid lain", unit_code=line.unit,
                          position="Kepala Bidang", effective_from=date(2024, 1, 1))
    acting = with_plh(app, line, supervisor=elsewhere)
    rated_and_finalised(app, acting, evaluation)

    keberatan = app.file_keberatan(line.actor("asn"), evaluation.id, "tidak objektif")

    assert keberatan.authority_nip == line.head != elsewhere
    assert keberatan.rater_nip == acting.rater


def test_a_plt_above_the_rater_on_the_day_of_rating_decides_and_the_decision_says_so(
        app, clock):
    line = reporting_line(app)
    plt = appoint(app, line, "Plt", line.rater, date(2025, 1, 1), date(2025, 3, 31))
    evaluation = finalised(app, clock, line, "meets", "meets")  # on 6 January 2025
    clock.set(2025, 1, 8, 2)
    keberatan = app.file_keberatan(line.actor("asn"), evaluation.id, "bukti diabaikan")
    assert keberatan.authority_nip == plt
    with pytest.raises(NotAllowedError):
        app.decide_keberatan(Actor(line.head, "appeal_board"), keberatan.id, "rejected",
                             reason="bukan wewenang")

    decided = app.decide_keberatan(Actor(plt, "appeal_board"), keberatan.id, "upheld",
                                   reason="bukti kuat", results="above", behaviour="above")

    assert decided.decision is not None
    capacity = decided.decision["acting"]
    assert (capacity["kind"], capacity["letter_number"], capacity["in_place_of"]) == (
        "Plt", f"800/{plt[-3:]}/2025", line.head)
    corrected = app.evaluation(evaluation.id).outcome
    assert corrected is not None and corrected["acting"] == capacity
    projector = Projector(app)
    projector.catch_up()
    (appeal,) = Queries(projector.store).appeals(date(2025, 1, 9), status="upheld")
    assert (appeal["decided_by"], appeal["decided_as"]) == (plt, "Plt")


def test_a_plh_agrees_a_plan_cascading_from_the_plan_of_the_official_they_stand_in_for(
        app, clock):
    line = reporting_line(app)
    supports = ""
    for who, rater in (("head", WALIKOTA), ("rater", line.head)):
        upper = app.open_evaluation(ADMIN, getattr(line, who), "2024", top_rater=WALIKOTA)
        app.draft_plan(Actor(getattr(line, who), "asn"), upper.id, "quantitative",
                       [PlanLine(f"{who}-1", "utama", supports, "Hasil", "quantity", "IKI", "9")])
        app.agree_plan(Actor(rater, "reviewer"), upper.id)
        supports = f"{who}-1"
    plh = appoint(app, line, "Plh", line.asn, date(2024, 1, 8), date(2024, 1, 31))  # no plan
    evaluation = app.open_evaluation(ADMIN, line.asn, "2024")
    app.draft_plan(line.actor("asn"), evaluation.id, "quantitative",
                   [PlanLine("asn-1", "utama", "rater-1", "Hasil", "quantity", "IKI", "3")])

    agreed = app.agree_plan(Actor(plh, "reviewer"), evaluation.id)

    assert agreed.stage == "plan_agreed" and agreed.plan is not None
    assert (agreed.plan["agreed_acting"]["kind"], agreed.plan["agreed_acting"]["in_place_of"]) == (
        "Plh", line.rater)
