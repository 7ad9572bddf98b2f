"""Each role's day through the HTTP API, on both backends: the admin sets up a unit and its
people, the ASN plans and reports, the rater rates, revises, comments and finalises, the ASN
objects, the Atasan Pejabat Penilai decides; an inspector records a sidak whose follow-up the
assignee resolves. Every write answers its ETag (= version), every creation its Location, and
the actor on every event is the token's NIP, never something a body said.
"""

from __future__ import annotations

from dataclasses import dataclass

from tests.api.support import ADMIN, Api, etag, ok, problem
from tests.service.scenario import REPORT_DAY, finalised, new_nip, reported, reporting_line

WALIKOTA = "pejabat:walikota"  # the rater at the top of the line, outside the civil service
UNIT = "DISDUKCAPIL"


@dataclass
class Office:
    head: str
    rater: str
    asn: str


def set_up_office(api: Api) -> Office:
    """The admin's morning: a unit, its service standard, and a reporting line of three."""
    created = api.admin.post("/units", {"code": UNIT, "name": "Dinas Kependudukan"})
    assert ok(created, 201)["version"] == 1 and created.headers["location"] == f"/units/{UNIT}"
    standard = api.admin.post(f"/units/{UNIT}/service-standard",
                              {"items": ["Antrian tertib", "Petugas ramah"]}, if_match=1)
    assert ok(standard)["version"] == 2
    office = Office(new_nip(1968), new_nip(1976), new_nip(1990, sex="2"))
    for nip, supervisor in ((office.head, None), (office.rater, office.head),
                            (office.asn, office.rater)):
        response = api.admin.post("/employees", {
            "nip": nip, "name": f"Pegawai {nip[-3:]}", "unit_code": UNIT, "position": "Analis",
            "effective_from": "2024-01-01", "is_unit_head": supervisor is None,
            "supervisor_nip": supervisor})
        assert ok(response, 201)["nip"] == nip
        assert response.headers["location"] == f"/employees/{nip}"
    return office


def agreed_plans(api: Api, office: Office) -> str:
    """Plans cascade: head (rated by the walikota), then rater, then the ASN; returns the ASN's
    evaluation with its plan agreed."""
    supports = ""
    for nip, rater in ((office.head, WALIKOTA), (office.rater, office.head),
                       (office.asn, office.rater)):
        opened = api.admin.post("/evaluations", {"nip": nip, "period": "2024",
                                                 "top_rater": WALIKOTA})
        evaluation = ok(opened, 201)["id"]
        assert opened.headers["location"] == f"/evaluations/{evaluation}"
        drafted = api.as_(nip, "asn").post(f"/evaluations/{evaluation}/plan", {
            "plan_type": "quantitative", "lines": [{
                "id": f"{nip}-1", "kind": "utama", "supports": supports, "rhk": "Layanan KTP-el",
                "aspect": "quantity", "indicator": "Berkas terverifikasi", "target": "500"}]},
            if_match=1)
        agreed = api.as_(rater, "reviewer").post(f"/evaluations/{evaluation}/plan/agreement", {},
                                                 if_match=etag(drafted))
        assert ok(agreed)["stage"] == "plan_agreed" and etag(agreed) == 3
        supports = f"{nip}-1"
    return evaluation


def history(api: Api, path: str) -> list[tuple[str, str, str]]:
    response = api.as_(ADMIN, "auditor").get(f"{path}/history")
    assert response.status_code == 200, response.text
    return [(e["topic"].rsplit("/", 1)[1], e["actor"], e["role"])
            for e in response.json()["events"]]


def test_an_appraisal_year_ends_in_an_upheld_keberatan_with_the_corrected_predikat(api, clock):
    office = set_up_office(api)
    evaluation = agreed_plans(api, office)
    path = f"/evaluations/{evaluation}"
    asn, rater = api.as_(office.asn, "asn"), api.as_(office.rater, "reviewer")
    clock.now = REPORT_DAY

    report = asn.post(f"{path}/report", {"realisations": [{"line_id": f"{office.asn}-1",
                                                           "value": "480 berkas"}],
                                         "achievements": "Antrian lebih pendek"}, if_match=3)
    assert ok(report)["stage"] == "reported"
    for dimension, rating in (("results", "below"), ("behaviour", "meets")):
        rated = rater.post(f"{path}/ratings", {"dimension": dimension, "rating": rating,
                                               "reason": "sesuai bukti"}, if_match=etag(report))
        report = rated
    results = ok(rated)["ratings"]["results"]
    assert (results["rating"], results["by"], results["revisions"]) == ("below", office.rater, 0)
    revised = rater.post(f"{path}/ratings/results/revisions",
                         {"rating": "meets", "reason": "setelah dialog kinerja"}, if_match=6)
    assert ok(revised)["ratings"]["results"]["revisions"] == 1
    asked = asn.post(f"{path}/comments", {"text": "Mohon bukti bulan Maret dipertimbangkan"})
    question = ok(asked)
    answered = rater.post(f"{path}/comments", {"text": "Sudah", "in_reply_to": question["id"]})
    assert ok(answered) | {"at": None} == {
        "id": 9, "by": office.rater, "role": "reviewer", "text": "Sudah", "in_reply_to": 8,
        "at": None}
    final = rater.post(f"{path}/finalisation", {}, if_match=9)
    assert ok(final)["outcome"]["predikat"] == "Baik" and ok(final)["stage"] == "finalised"

    filed = asn.post(f"{path}/keberatan", {"grounds": "Capaian 480 dari 500 tidak adil"})
    keberatan = ok(filed, 201)
    assert filed.headers["location"] == f"/keberatan/{keberatan['id']}"
    assert (keberatan["authority_nip"], keberatan["rater_nip"]) == (office.head, office.rater)
    k = f"/keberatan/{keberatan['id']}"
    for caller, party in ((asn, "asn"), (rater, "rater")):
        assert ok(caller.post(f"{k}/explanations", {"party": party, "text": f"dari {party}"}))
    decided = api.as_(office.head, "appeal_board").post(f"{k}/decision", {
        "outcome": "upheld", "reason": "bukti kuat", "results": "above", "behaviour": "above"},
        if_match=3)
    assert ok(decided)["decision"] | {"at": None} == {
        "outcome": "upheld", "results": "above", "behaviour": "above", "overdue": False,
        "by": office.head, "reason": "bukti kuat", "at": None, "version": 4,
        "acting": None,  # the head decided in their own right, not as a Plt/Plh
        "scores": None}  # ratings raised it: no PP 30/2019 scores

    corrected = ok(asn.get(path))
    assert corrected["outcome"]["predikat"] == "Sangat Baik"
    assert corrected["outcome"]["keberatan_id"] == keberatan["id"]
    assert [c["predikat"] for c in corrected["corrections"]] == ["Baik"]
    assert history(api, path) == [
        ("Opened", ADMIN, "admin"), ("PlanDrafted", office.asn, "asn"),
        ("PlanAgreed", office.rater, "reviewer"), ("ReportSubmitted", office.asn, "asn"),
        ("RatingRecorded", office.rater, "reviewer"), ("RatingRecorded", office.rater, "reviewer"),
        ("RatingRevised", office.rater, "reviewer"), ("CommentAdded", office.asn, "asn"),
        ("CommentAdded", office.rater, "reviewer"), ("Finalised", office.rater, "reviewer"),
        ("OutcomeCorrected", office.head, "appeal_board")]
    assert history(api, k) == [
        ("Filed", office.asn, "asn"), ("ExplanationRecorded", office.asn, "asn"),
        ("ExplanationRecorded", office.rater, "reviewer"),
        ("Decided", office.head, "appeal_board")]


def test_a_rejected_keberatan_leaves_the_predikat_and_its_decision_is_final(api, clock):
    line = reporting_line(api.kinerja)
    evaluation = finalised(api.kinerja, clock, line, results="meets", behaviour="meets").id
    filed = api.as_(line.asn, "asn").post(f"/evaluations/{evaluation}/keberatan",
                                          {"grounds": "Perilaku saya di atas ekspektasi"})
    k = f"/keberatan/{ok(filed, 201)['id']}"
    board = api.as_(line.head, "appeal_board")
    decided = board.post(f"{k}/decision", {"outcome": "rejected", "reason": "bukti kurang"})
    assert ok(decided)["decision"]["outcome"] == "rejected"
    unchanged = ok(api.as_(line.asn, "asn").get(f"/evaluations/{evaluation}"))
    assert (unchanged["outcome"]["predikat"], unchanged["corrections"]) == ("Baik", [])
    with api.nothing_written():
        again = board.post(f"{k}/decision", {"outcome": "upheld", "reason": "berubah pikiran",
                                             "results": "above", "behaviour": "above"})
        problem(again, 409, "invalid_state")


def test_an_inspection_with_a_finding_whose_follow_up_its_assignee_resolves(api, clock):
    line = reporting_line(api.kinerja)
    inspector_nip = new_nip(1985)
    inspector, assignee = api.as_(inspector_nip, "inspector"), api.as_(line.rater, "reviewer")
    recorded = inspector.post("/inspections", {
        "unit_code": line.unit, "place": "Loket 2", "started_at": "2024-01-08T02:00:00Z",
        "checklist": [{"item": "Antrian tertib", "result": "not_met", "note": "menumpuk"}]})
    inspection = ok(recorded, 201)
    path = f"/inspections/{inspection['id']}"
    assert recorded.headers["location"] == path and inspection["inspector"] == inspector_nip
    found = inspector.post(f"{path}/findings", {"description": "Petugas tidak di loket",
                                                "severity": "major", "item": "Antrian tertib",
                                                "nips": [line.asn]}, if_match=1)
    assert list(ok(found)["findings"]) == ["2"]
    assigned = inspector.post(f"{path}/follow-ups", {
        "finding_id": "2", "action": "Jadwal piket loket", "due": "2024-02-01",
        "assignee_nip": line.rater}, if_match=2)
    assert ok(assigned)["follow_ups"]["3"]["assignee_nip"] == line.rater
    with api.nothing_written():
        problem(inspector.post(f"{path}/closure", {}), 409, "invalid_state")
    resolved = assignee.post(f"{path}/follow-ups/3/resolution",
                             {"resolution": "Jadwal piket dipasang"}, if_match=3)
    assert ok(resolved)["follow_ups"]["3"]["resolution"]["by"] == line.rater
    closed = inspector.post(f"{path}/closure", {}, if_match=4)
    assert ok(closed)["closed"] is True and etag(closed) == 5
    assert history(api, path) == [
        ("Recorded", inspector_nip, "inspector"), ("FindingRecorded", inspector_nip, "inspector"),
        ("FollowUpAssigned", inspector_nip, "inspector"),
        ("FollowUpResolved", line.rater, "reviewer"), ("Closed", inspector_nip, "inspector")]


def test_the_actor_comes_from_the_token_and_a_body_cannot_name_one(api, clock):
    line = reporting_line(api.kinerja)
    evaluation = finalised(api.kinerja, clock, line).id
    asn = api.as_(line.asn, "asn")
    with api.nothing_written():
        smuggled = asn.post(f"/evaluations/{evaluation}/comments",
                            {"text": "atas nama atasan", "actor": line.head, "role": "admin"})
    fields = {e["field"] for e in problem(smuggled, 422, "validation_error")["errors"]}
    assert fields == {"body.actor", "body.role"}
    written = asn.post(f"/evaluations/{evaluation}/comments", {"text": "dari saya sendiri"},
                       headers={"X-Request-Id": "req-actor-1"})
    assert written.headers["x-request-id"] == "req-actor-1"
    event = api.as_(ADMIN, "auditor").get(f"/evaluations/{evaluation}/history").json()["events"][-1]
    assert (event["actor"], event["role"], event["request_id"]) == (line.asn, "asn", "req-actor-1")


def test_a_supervisory_team_reviews_before_the_rater_finalises(api, clock):
    line = reporting_line(api.kinerja)
    member = reporting_line(api.kinerja).rater
    evaluation = reported(api.kinerja, clock, line).id
    path = f"/evaluations/{evaluation}"
    assigned = api.as_(line.rater, "reviewer").post(f"{path}/team", {"members": [member]})
    assert ok(assigned)["team"] == [member]
    reviewed = api.as_(member, "reviewer").post(f"{path}/team-reviews", {
        "recommendation": "Pertahankan penilaian", "note": "Bukti memadai"})
    assert [r["by"] for r in ok(reviewed)["team_reviews"]] == [member]
    with api.nothing_written():
        problem(api.as_(line.head, "reviewer").post(f"{path}/team-reviews", {
            "recommendation": "Saya bukan anggota tim"}), 403, "forbidden_relationship")
    assert history(api, path)[-2:] == [("TeamAssigned", line.rater, "reviewer"),
                                       ("TeamReviewRecorded", member, "reviewer")]
