"""SKM through the HTTP API, on both backends: responses by element name (a wrong name is a
problem with a stable code and writes nothing), the SKM view by element, and the OPD
dashboard's SKM trend."""

from __future__ import annotations

from projections.runner import Projector
from tests.api.support import ok, problem
from tests.domain.builders import answers

UNIT = "DISDUKCAPIL"
PATH = f"/surveys/{UNIT}/2024-Q1/responses"


def _unit(api) -> str:
    return ok(api.admin.post("/units", {"code": UNIT, "name": "Dinas Kependudukan"}), 201)["id"]


def test_responses_are_taken_by_element_name_and_answered_with_each_elements_nrr(api):
    _unit(api)
    backwards = dict(reversed(answers(4, 4, 4, 4, 4, 4, 4, 4, 2).items()))
    survey = ok(api.admin.post(PATH, {"responses": [backwards, answers(*[3] * 9)]}))
    assert survey["elements"]["sarana"] == {"answers": 2, "total": 5, "nrr": "2.50"}
    assert survey["elements"]["persyaratan"]["nrr"] == "3.50"
    assert (survey["weighting"], survey["category"], survey["category_label"]) == (
        "1/9", "B", "Baik")


def test_an_unknown_or_missing_element_is_a_problem_with_its_code_and_writes_nothing(api):
    _unit(api)
    unknown = {**answers(*[3] * 9), "keramahan": 4}
    missing = {name: 3 for name in list(answers(*[3] * 9))[1:]}
    for response, code, named in ((unknown, "unknown_skm_element", "keramahan"),
                                  (missing, "missing_skm_element", "persyaratan")):
        with api.nothing_written():
            body = problem(api.admin.post(PATH, {"responses": [answers(*[4] * 9), response]}),
                           422, code)
        assert named in body["detail"] and "response 2" in body["detail"]
    with api.nothing_written():
        problem(api.admin.post(PATH, {"responses": [[3] * 9]}), 422, "validation_error")


def test_the_skm_view_and_the_dashboard_trend(api):
    unit_id = _unit(api)
    for period, answer in (("2024-Q2", 4), ("2024-Q1", 3)):
        ok(api.admin.post(f"/surveys/{UNIT}/{period}/responses",
                          {"responses": [answers(*[answer] * 9)]}))
    Projector(api.kinerja).catch_up()

    view = api.admin.get("/views/skm", unit_id=unit_id, period="2024-Q1")
    assert view.status_code == 200, view.text
    (row,) = view.json()["surveys"]
    assert row["index"] == "75.00" and row["elements"]["waktu"]["nrr"] == "3.00"
    board = api.admin.get(f"/views/units/{unit_id}/dashboard", year=2024).json()
    (trend,) = board["skm"]
    assert trend["code"] == UNIT and [(p["period"], p["category_label"]) for p in
                                      trend["periods"]] == [("2024-Q1", "Kurang Baik"),
                                                            ("2024-Q2", "Sangat Baik")]

