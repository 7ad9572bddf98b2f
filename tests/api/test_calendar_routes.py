"""A period's calendar through the HTTP API, on both backends: BKPP (an inspector) sets it,
extends it and closes the period; everyone may read it; its rules answer problems with stable
codes and write nothing."""

from __future__ import annotations

from tests.api.support import ok, problem

BKPP = "198501012010011003"
CALENDAR = {"report_opens": "2025-01-02", "report_due": "2025-01-10",
            "rating_due": "2025-01-31", "decision_target": "2025-03-31"}
EXTENSION = {"circular_number": "800/12/BKPP", "circular_date": "2025-01-08",
             "report_due": "2025-01-17", "rating_due": "2025-02-07"}


def test_bkpp_sets_extends_and_closes_a_period_and_anyone_reads_it(api):
    bkpp = api.as_(BKPP, "inspector")
    set_ = ok(bkpp.post("/periods/2024/calendar", CALENDAR), 201)
    assert set_["period"] == "2024" and set_["closed"] is False
    extended = ok(bkpp.post("/periods/2024/extensions", EXTENSION))
    assert extended["extensions"][0]["scope"] == "period"
    assert ok(bkpp.post("/periods/2024/closure", {}))["closed"] is True
    read = ok(api.as_("198001012005011001", "asn").get("/periods/2024/calendar"))
    assert read["closed"] is True and read["extensions"][0]["report_due"] == "2025-01-17"


def test_the_calendar_s_rules_answer_problems_and_write_nothing(api):
    bkpp = api.as_(BKPP, "inspector")
    with api.nothing_written():
        problem(bkpp.post("/periods/2024/calendar", CALENDAR | {"report_opens": "2024-12-31"}),
                422, "invalid_value")
        problem(bkpp.post("/periods/2024/closure", {}), 404, "not_found")
    ok(bkpp.post("/periods/2024/calendar", CALENDAR), 201)
    with api.nothing_written():
        problem(bkpp.post("/periods/2024/extensions", EXTENSION | {"report_due": "2025-01-09"}),
                422, "extension_shortens")
        problem(api.admin.post("/periods/2024/closure", {}), 403)
    ok(bkpp.post("/periods/2024/closure", {}))
    with api.nothing_written():
        problem(bkpp.post("/periods/2024/extensions", EXTENSION), 409, "period_closed")
