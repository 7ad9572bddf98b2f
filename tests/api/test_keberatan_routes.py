"""The result's receipt and the keberatan decision over HTTP: what each answers, and the codes
of the rules it breaks."""

from __future__ import annotations

from tests.api.support import ADMIN, ok, problem
from tests.service.scenario import finalised, reporting_line


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
