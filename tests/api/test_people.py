"""People through the HTTP API, on both backends: an ASN's standing as their number's layout
says (a mismatch is a problem with a stable code), and the employee views as on a day."""

from __future__ import annotations

from datetime import datetime, timezone

from projections.runner import Projector
from tests.api.support import Api, ok, problem
from tests.service.scenario import new_nip

UNIT = "DINKES"
PPPK_NI = "199009132025212014"
PART_TIME_NI = "199110022025242011"


def person(nip: str, **fields) -> dict:
    return {"nip": nip, "name": f"Pegawai {nip[-3:]}", "unit_code": UNIT, "position": "Perawat",
            "effective_from": "2025-03-01"} | fields


def views(api: Api, path: str, **params) -> dict:
    Projector(api.kinerja).catch_up()  # the app under test leaves its views to a projector
    response = api.admin.get(path, **params)
    assert response.status_code == 200, response.text
    return response.json()


def test_each_asn_is_registered_with_the_standing_of_their_kind(api):
    ok(api.admin.post("/units", {"code": UNIT, "name": "Dinas Kesehatan"}), 201)
    part_time = ok(api.admin.post("/employees", person(
        PART_TIME_NI, contract={"start": "2025-03-01", "end": "2026-02-28"})), 201)
    assert (part_time["employment_type"], part_time["contract"], part_time["golongan"]) == (
        "PPPK paruh waktu", {"start": "2025-03-01", "end": "2026-02-28"}, None)
    pns = ok(api.admin.post("/employees", person(new_nip(1985), golongan="III/c")), 201)
    assert (pns["employment_type"], pns["pangkat"], pns["contract"]) == ("PNS", "Penata", None)
    with api.nothing_written():
        refused = problem(api.admin.post("/employees", person(
            PPPK_NI, employment_type="PNS")), 422, "asn_type_mismatch")
        problem(api.admin.post("/employees", person(PPPK_NI)), 422, "invalid_value")
        problem(api.admin.post("/employees", person(new_nip(), golongan="V/a")), 422,
                "validation_error")
    assert "digits 13-14" in refused["detail"]


def test_the_employee_views_answer_as_on_the_day_asked_today_in_wib_by_default(api, clock):
    ok(api.admin.post("/units", {"code": UNIT, "name": "Dinas Kesehatan"}), 201)
    head, old, new, asn = new_nip(1968), new_nip(1970), new_nip(1972), new_nip(1990)
    for nip, supervisor in ((head, None), (old, head), (new, head), (asn, old)):
        ok(api.admin.post("/employees", person(nip, effective_from="2024-01-01",
                                               supervisor_nip=supervisor)), 201)
    ok(api.admin.post(f"/employees/{asn}/supervisor",
                      {"supervisor_nip": new, "effective_from": "2024-07-01"}))
    clock.now = datetime(2024, 6, 30, 16, 59, tzinfo=timezone.utc)  # 23:59 WIB, 30 June

    before = views(api, f"/views/employees/{asn}")["employee"]
    assert (before["on"], before["supervisor_nip"]) == ("2024-06-30", old)
    assert [e["from"] for e in before["reporting_line"]] == ["2024-01-01", "2024-07-01"]
    assert views(api, "/views/employees", supervisor_nip=new)["employees"] == []

    clock.now = datetime(2024, 6, 30, 17, 0, tzinfo=timezone.utc)  # 00:00 WIB, 1 July
    assert views(api, f"/views/employees/{asn}")["employee"]["supervisor_nip"] == new
    assert [e["nip"] for e in views(api, "/views/employees", supervisor_nip=new)[
        "employees"]] == [asn]
    asked = views(api, f"/views/employees/{asn}", on="2024-03-01")["employee"]
    assert (asked["on"], asked["supervisor_nip"]) == ("2024-03-01", old)


def test_a_reviewer_lists_their_own_staff_on_the_day_and_no_one_elses(api):
    ok(api.admin.post("/units", {"code": UNIT, "name": "Dinas Kesehatan"}), 201)
    head, rater, asn = new_nip(1968), new_nip(1975), new_nip(1990)
    for nip, supervisor in ((head, None), (rater, head), (asn, rater)):
        ok(api.admin.post("/employees", person(nip, effective_from="2024-01-01",
                                               supervisor_nip=supervisor)), 201)
    Projector(api.kinerja).catch_up()
    reviewer = api.as_(rater, "reviewer")
    mine = reviewer.get("/views/employees", on="2024-05-01")
    assert mine.status_code == 200 and [e["nip"] for e in mine.json()["employees"]] == [asn]
    problem(reviewer.get("/views/employees", supervisor_nip=head), 403, "forbidden_relationship")
