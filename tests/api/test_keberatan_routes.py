"""The result's receipt and the keberatan decision over HTTP: what each answers, and the codes
of the rules it breaks."""

from __future__ import annotations

from datetime import date

from tests.api.support import ADMIN, ok, problem
from tests.service.scenario import ADMIN as SERVICE_ADMIN
from tests.service.scenario import (
    finalised,
    new_nip,
    rated_and_finalised,
    reported,
    reporting_line,
)
from tests.service.test_history import import_lines, line_since_2019, record


def test_the_asn_acknowledges_once_and_an_admin_cannot_move_the_window(api, clock):
    line = reporting_line(api.kinerja)
    evaluation = finalised(api.kinerja, clock, line).id
    clock.set(2025, 1, 7, 18)  # 01:00 on 8 January in Asia/Jakarta
    body = ok(api.as_(line.asn, "asn").post(f"/evaluations/{evaluation}/receipt",
                                            {"how": "acknowledged"}))
    assert (body["receipt"]["received_on"], body["receipt"]["keberatan_until"]) == (
        "2025-01-08", "2025-01-22")
    with api.nothing_written():
        problem(api.as_(ADMIN, "admin").post(f"/evaluations/{evaluation}/notices",
                                             {"notice_ref": "800/3/BKPP"}),
                409, "result_already_received")


def test_an_admin_records_a_notice_and_a_lowering_decision_is_refused(api, clock):
    line = reporting_line(api.kinerja)
    evaluation = finalised(api.kinerja, clock, line).id  # above / meets: Baik
    notice = ok(api.as_(ADMIN, "admin").post(f"/evaluations/{evaluation}/notices",
                                             {"notice_ref": "800/3/BKPP"}))
    assert notice["receipt"]["how"] == "notice"
    filed = ok(api.as_(line.asn, "asn").post(f"/evaluations/{evaluation}/keberatan",
                                             {"grounds": "bukti diabaikan"}), 201)
    head = api.as_(line.head, "appeal_board")
    with api.nothing_written():
        problem(head.post(f"/keberatan/{filed['id']}/decision", {
            "outcome": "upheld", "reason": "x", "results": "meets", "behaviour": "above"}),
            422, "decision_lowers_result")
    decided = ok(head.post(f"/keberatan/{filed['id']}/decision", {
        "outcome": "partly_upheld", "reason": "sebagian", "results": "above",
        "behaviour": "above"}))
    assert decided["decision"]["outcome"] == "partly_upheld"


def test_no_one_who_sat_on_the_team_decides_and_bkpp_names_another(api, clock):
    line = reporting_line(api.kinerja)
    evaluation = reported(api.kinerja, clock, line)
    admin = api.as_(ADMIN, "admin")
    ok(admin.post(f"/evaluations/{evaluation.id}/team", {"members": [line.head]}))
    rated_and_finalised(api.kinerja, line, evaluation)
    filed = ok(api.as_(line.asn, "asn").post(f"/evaluations/{evaluation.id}/keberatan",
                                             {"grounds": "tim ikut menilai"}), 201)
    assert filed["authority_nip"] is None  # the head, the only one above the rater, took part
    assert filed["passed_over"] == [{"nip": line.head, "why": "sat on its supervisory team"}]
    path = f"/keberatan/{filed['id']}"
    with api.nothing_written():
        problem(api.as_(line.head, "appeal_board").post(f"{path}/decision", {
            "outcome": "rejected", "reason": "x"}), 403, "forbidden_relationship")
        problem(admin.post(f"{path}/authority", {"nip": line.head, "reason": "x"}),
                403, "conflict_of_interest")
    other = new_nip(1960)
    api.kinerja.register_employee(SERVICE_ADMIN, other, "Asisten", unit_code=line.unit,
                                  position="Asisten Administrasi Umum",
                                  effective_from=date(2024, 1, 1))
    assigned = ok(admin.post(f"{path}/authority", {"nip": other, "reason": "kepala ikut tim"}))
    assert assigned["authority_nip"] == other
    decided = ok(api.as_(other, "appeal_board").post(f"{path}/decision", {
        "outcome": "rejected", "reason": "penilaian sesuai bukti"}))
    assert decided["decision"]["by"] == other


def test_a_numeric_record_is_raised_over_http_by_scores_within_the_scale(api, clock):
    head, asn = line_since_2019(api.kinerja)
    import_lines(api.kinerja, [record(asn, 2021, skp=80, behaviour=80)])
    evaluation = api.kinerja.evaluation_of(asn, "2021")
    filed = ok(api.as_(asn, "asn").post(f"/evaluations/{evaluation.id}/keberatan",
                                        {"grounds": "nilai tidak sesuai"}), 201)
    board, path = api.as_(head, "appeal_board"), f"/keberatan/{filed['id']}/decision"
    with api.nothing_written():
        problem(board.post(path, {"outcome": "upheld", "reason": "x", "skp_score": 121,
                                  "behaviour_score": 90}), 422, "validation_error")
        problem(board.post(path, {"outcome": "upheld", "reason": "x", "results": "above",
                                  "behaviour": "above"}), 422, "invalid_value")
    decided = ok(board.post(path, {"outcome": "upheld", "reason": "bukti capaian",
                                   "skp_score": 95, "behaviour_score": 90}))
    assert decided["decision"]["scores"] == {"skp": 95, "behaviour": 90}
    assert api.kinerja.evaluation(evaluation.id).predikat == "Baik"
