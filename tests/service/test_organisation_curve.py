"""The organisation's curve through the use cases, on both stores: the penetapan by the official
above the OPD's head, the OPD's sub-units counted with it at finalisation, a departure refused
without a reason and recorded with one (the old events upcast: test_schema_evolution.py)."""

from __future__ import annotations

import orjson
import pytest

from domain.errors import (
    CurveDepartureReasonRequiredError,
    InvalidValueError,
    NotAllowedError,
)
from domain.evaluation import Evaluation
from domain.organisation import unit_id
from service.application import Actor
from tests.service.scenario import ADMIN, REPORT_DAY, city, reported_staff


def finalise(app, evaluation: Evaluation, rater: str, results: str, *, reason: str = ""):
    reviewer = Actor(rater, "reviewer")
    app.record_rating(reviewer, evaluation.id, "results", results, reason="hasil")
    app.record_rating(reviewer, evaluation.id, "behaviour", "meets", reason="perilaku")
    return app.finalise(reviewer, evaluation.id, curve_departure=reason)


# ---- the penetapan -------------------------------------------------------------------------

def test_the_official_above_the_opds_head_records_the_penetapan(app, clock):
    clock.now = REPORT_DAY
    town = city(app)
    unit = town.grade(app, "Baik")
    assert unit.org_predikat == {"2024": "Baik"}
    (*_, stored) = app.recorder.select_events(unit_id(town.opd))
    state = orjson.loads(stored.state)
    assert (state["class_version"], state["period"], state["document_number"],
            state["document_date"], state["head_nip"]) == (
        2, "2024", "800/7/2025", "2025-01-06", town.kadis)


@pytest.mark.parametrize("who", ["admin", "kadis"])
def test_neither_an_admin_nor_the_head_records_it(app, clock, who):
    clock.now = REPORT_DAY
    town = city(app)
    by = {"admin": ADMIN.id, "kadis": town.kadis}[who]
    with pytest.raises(NotAllowedError):
        town.grade(app, "Baik", by=by)


def test_a_section_has_no_penetapan_of_its_own(app, clock):
    clock.now = REPORT_DAY
    town = city(app)
    with pytest.raises(InvalidValueError, match="sub-unit"):
        town.grade(app, "Baik", unit=town.section)


# ---- finalisation against the OPD's curve, its sections counted ----------------------------

def test_a_sections_finalisations_count_towards_their_opds_curve(app, clock):
    town = city(app)
    first = reported_staff(app, clock, town.section, town.kadis)
    second = reported_staff(app, clock, town.section, town.kadis)
    town.grade(app, "Baik")
    assert finalise(app, first, town.kadis, "meets").predikat == "Baik"
    with pytest.raises(CurveDepartureReasonRequiredError):  # two Baik of two: 100% > 70%
        finalise(app, second, town.kadis, "meets")
    assert not app.evaluation(second.id).is_finalised
    app.finalise(Actor(town.kadis, "reviewer"), second.id,
                 curve_departure="Kedua staf melampaui target layanan")
    final = app.events.get(second.id, desc=True, limit=1)
    (event,) = list(final)
    assert event.curve_departure == "Kedua staf melampaui target layanan"
    assert event.departures == ["Baik: 100% is above the 70% allowed",
                                "Butuh Perbaikan or Kurang: some are expected, there are none"]


def test_an_open_evaluation_of_the_opd_can_still_mend_the_pattern(app, clock):
    town = city(app)
    first = reported_staff(app, clock, town.section, town.kadis)
    reported_staff(app, clock, town.opd, town.kadis)  # open, in the OPD itself
    town.grade(app, "Baik")
    assert finalise(app, first, town.kadis, "meets").is_finalised


def test_an_opd_without_a_penetapan_has_no_pattern_to_depart_from(app, clock):
    town = city(app)
    for evaluation in [reported_staff(app, clock, town.section, town.kadis) for _ in range(3)]:
        assert finalise(app, evaluation, town.kadis, "above").is_finalised

