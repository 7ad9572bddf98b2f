"""The annual SKP and its periodic evaluations through the HTTP API, on both backends: opening
a quarter on the agreed SKP, the rater's revision adopted by it, evidence and feedback per line,
and the annual predikat naming the final period."""

from __future__ import annotations

from tests.api.support import ok, problem
from tests.service.scenario import agreed_plans, reporting_line

HASH = "d" * 64
LINES = [{"id": "asn-1", "kind": "utama", "supports": "rater-1", "rhk": "Hasil",
          "aspect": "quantity", "indicator": "IKI", "target": "15"},
         {"id": "asn-2", "kind": "tambahan", "supports": "rater-1", "rhk": "Tugas baru",
          "aspect": "quality", "indicator": "IKI", "target": "selesai"}]


def test_a_quarter_on_the_skp_revised_reported_with_feedback_and_the_year_from_q4(api, clock):
    line = reporting_line(api.kinerja)
    with api.nothing_written():
        problem(api.admin.post("/evaluations", {"nip": line.asn, "period": "2024-Q4"}), 422,
                "skp_not_agreed")
    annual = agreed_plans(api.kinerja, line)
    quarter = ok(api.admin.post("/evaluations", {"nip": line.asn, "period": "2024-Q4"}), 201)
    assert quarter["stage"] == "plan_agreed"
    assert quarter["plan"]["skp"]["evaluation_id"] == str(annual.id)
    asn, rater = api.as_(line.asn, "asn"), api.as_(line.rater, "reviewer")
    with api.nothing_written():
        problem(asn.post(f"/evaluations/{quarter['id']}/plan", {
            "plan_type": "quantitative", "lines": LINES}), 422, "plan_is_annual_skp")
        problem(asn.post(f"/evaluations/{annual.id}/plan/revisions", {
            "cause": "transfer", "reason": "mutasi", "lines": LINES}), 403)

    revised = ok(rater.post(f"/evaluations/{annual.id}/plan/revisions", {
        "cause": "changed_target", "reason": "target naik", "lines": LINES}))
    assert revised["plan"]["revisions"][0]["reason"] == "target naik"
    adopted = ok(rater.get(f"/evaluations/{quarter['id']}"))
    assert [x["id"] for x in adopted["plan"]["lines"]] == ["asn-1", "asn-2"]
    assert adopted["plan"]["skp"]["version"] == revised["version"]

    clock.set(2025, 1, 6, 8)
    path = f"/evaluations/{quarter['id']}"
    ok(asn.post(f"{path}/report", {
        "realisations": [{"line_id": "asn-1", "value": "16"}],
        "evidence": [{"uri": "https://arsip/q4.pdf", "sha256": HASH, "line_id": "asn-2"}]}))
    given = ok(rater.post(f"{path}/feedback", {"line_id": "asn-2", "text": "rapi"}))
    assert given["report"]["feedback"]["asn-2"]["text"] == "rapi"
    assert given["report"]["evidence"][0]["line_id"] == "asn-2"
    with api.nothing_written():
        problem(rater.post(f"/evaluations/{annual.id}/finalisation", {}), 422,
                "final_period_not_finalised")
    for dimension in ("results", "behaviour"):
        ok(rater.post(f"{path}/ratings", {"dimension": dimension, "rating": "above",
                                          "reason": "bukti lengkap"}))
    final = ok(rater.post(f"{path}/finalisation", {}))
    year = ok(rater.post(f"/evaluations/{annual.id}/finalisation", {}))
    assert (year["outcome"]["predikat"], year["outcome"]["from_period"]) == (
        final["outcome"]["predikat"], "2024-Q4")
    history = rater.get(f"/evaluations/{annual.id}/history")
    assert history.status_code == 200
    assert history.json()["events"][-1]["data"]["from_period"] == "2024-Q4"
