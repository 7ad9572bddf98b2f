"""Leave and transfers through the HTTP API, on both backends: BKPP records a period without
service, the evaluations it covers read excused or shortened (an overlap is a problem with a
stable code and writes nothing), and a transfer moves the evaluation to the new unit's
dashboard."""

from __future__ import annotations

from projections.runner import Projector
from tests.api.support import ok, problem
from tests.service.scenario import ADMIN, agreed_plans, city, reporting_line


def leave(start: str, end: str, kind: str = "cuti_besar") -> dict:
    return {"kind": kind, "start": start, "end": end, "decree_number": "800/45/BKPP/2024",
            "decree_date": "2024-01-02"}


def test_bkpp_records_leave_and_the_evaluations_read_excused_or_shortened(api):
    line = reporting_line(api.kinerja)
    agreed_plans(api.kinerja, line)  # the year's SKP: the quarters evaluate it
    q2 = api.kinerja.open_evaluation(ADMIN, line.asn, "2024-Q2")
    q3 = api.kinerja.open_evaluation(ADMIN, line.asn, "2024-Q3")
    bkpp = api.as_("198501012010011003", "inspector")
    employee = ok(bkpp.post(f"/employees/{line.asn}/leave", leave("2024-04-01", "2024-07-15")))
    assert employee["leave"][0]["end"] == "2024-07-15"

    assert ok(api.admin.get(f"/evaluations/{q2.id}"))["stage"] == "excused"
    shortened = ok(api.admin.get(f"/evaluations/{q3.id}"))
    assert (shortened["active_days"], shortened["inactive"][0]["start"]) == (77, "2024-07-01")
    with api.nothing_written():
        problem(bkpp.post(f"/employees/{line.asn}/leave", leave("2024-07-01", "2024-07-31")),
                409, "leave_overlaps")
        problem(api.as_(line.asn, "asn").post(f"/evaluations/{q2.id}/comments",
                                              {"text": "cuti"}), 409, "evaluation_excused")
    Projector(api.kinerja).catch_up()
    rows = {r["period"]: r for r in api.admin.get("/views/evaluations",
                                                  nip=line.asn).json()["items"]}
    assert (rows["2024-Q2"]["stage"], rows["2024-Q3"]["active_days"]) == ("excused", 77)


def test_a_transfer_moves_the_evaluation_to_the_new_units_dashboard(api):
    town, line = city(api.kinerja), reporting_line(api.kinerja)
    evaluation = api.kinerja.open_evaluation(ADMIN, line.asn, "2024")
    ok(api.admin.post(f"/employees/{line.asn}/transfers", {
        "unit_code": town.section, "position": "Analis", "effective_from": "2024-08-01",
        "supervisor_nip": town.kadis, "handover_note": "SKP diserahterimakan"}))
    moved = ok(api.admin.get(f"/evaluations/{evaluation.id}"))
    assert (moved["rater_nip"], moved["previous_raters"][0]["nip"]) == (town.kadis, line.rater)
    Projector(api.kinerja).catch_up()
    (row,) = api.admin.get("/views/evaluations", nip=line.asn).json()["items"]
    assert row["previous_raters"][0]["handover_note"] == "SKP diserahterimakan"
    board = api.admin.get(f"/views/units/{row['unit_id']}/dashboard", year=2024).json()
    assert line.asn in board["not_finalised"] and board["opd_id"] != row["unit_id"]
