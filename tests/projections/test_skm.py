"""The SKM view per unit and period, by element (NRR) and overall, and an OPD's trend of its
service units (SQLite and PostgreSQL)."""

from __future__ import annotations

from domain.skm import ELEMENTS, WEIGHTING
from projections.queries import Queries
from projections.runner import Projector
from tests.domain.builders import answers
from tests.service.scenario import ADMIN


def caught_up(app) -> Queries:
    projector = Projector(app)
    projector.catch_up()
    return Queries(projector.store)


def test_the_skm_row_gives_each_elements_nrr_by_name_and_the_index_from_raw_totals(app):
    app.establish_unit(ADMIN, "DISDUKCAPIL", "Dinas Kependudukan dan Pencatatan Sipil")
    app.record_survey_responses(ADMIN, "DISDUKCAPIL", "2024-Q1", [
        answers(4, 4, 4, 4, 4, 4, 4, 4, 1), answers(3, 3, 3, 3, 3, 3, 3, 3, 2),
        answers(3, 3, 3, 3, 3, 3, 3, 3, 2)])

    (row,) = caught_up(app).skm(unit=str(app.unit("DISDUKCAPIL").id), period="2024-Q1")

    assert list(row["elements"]) == list(ELEMENTS) and row["weighting"] == WEIGHTING == "1/9"
    assert row["elements"]["persyaratan"] == {"answers": 3, "total": 10, "nrr": "3.33"}
    assert row["elements"]["sarana"] == {"answers": 3, "total": 5, "nrr": "1.67"}
    # 25/9 * (8 * 10/3 + 5/3) = 78.70...; from the rounded NRRs it would be 78.64
    assert (row["index"], row["category"], row["category_label"]) == ("78.70", "B", "Baik")


def test_the_category_is_named_and_a_period_without_a_survey_has_no_row(app):
    app.establish_unit(ADMIN, "DISDUKCAPIL", "Dinas Kependudukan dan Pencatatan Sipil")
    app.record_survey_responses(ADMIN, "DISDUKCAPIL", "2024", [answers(*[4] * 9)])
    (row,) = caught_up(app).skm(period="2024")
    assert row["category_label"] == "Sangat Baik" and row["index"] == "100.00"
    assert caught_up(app).skm(period="2023") == []


def test_the_opd_dashboard_shows_its_service_units_skm_in_order_of_time(app):
    app.establish_unit(ADMIN, "DISDUKCAPIL", "Dinas Kependudukan dan Pencatatan Sipil")
    app.establish_unit(ADMIN, "DISDUKCAPIL-KEC1", "Layanan Kecamatan 1", parent_code="DISDUKCAPIL")
    app.establish_unit(ADMIN, "DISDUKCAPIL-KEC1-A", "Loket A", parent_code="DISDUKCAPIL-KEC1")
    app.establish_unit(ADMIN, "DINKES", "Dinas Kesehatan")
    for period, answer in (("2024-Q3", 4), ("2024-Q1", 2), ("2024-Q2", 3), ("2025-Q1", 4)):
        app.record_survey_responses(ADMIN, "DISDUKCAPIL", period, [answers(*[answer] * 9)])
    app.record_survey_responses(ADMIN, "DISDUKCAPIL-KEC1-A", "2024", [answers(*[3] * 9)])
    app.record_survey_responses(ADMIN, "DINKES", "2024", [answers(*[1] * 9)])

    trend = caught_up(app).skm_trend(str(app.unit("DISDUKCAPIL").id), 2024)

    assert [(t["code"], [p["period"] for p in t["periods"]]) for t in trend] == [
        ("DISDUKCAPIL", ["2024-Q1", "2024-Q2", "2024-Q3"]), ("DISDUKCAPIL-KEC1-A", ["2024"])]
    assert [(p["index"], p["category"], p["category_label"]) for p in trend[0]["periods"]] == [
        ("50.00", "D", "Tidak Baik"), ("75.00", "C", "Kurang Baik"),
        ("100.00", "A", "Sangat Baik")]
    assert caught_up(app).skm_trend(str(app.unit("DINKES").id), 2023) == []
