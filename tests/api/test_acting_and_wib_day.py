"""Through the HTTP API, on both backends: "the supervisor today" is today in Asia/Jakarta
(at 23:30 UTC it is already tomorrow there), and an act by a Plh says so in the answers."""

from __future__ import annotations

from datetime import date, datetime, timezone

from projections.runner import Projector
from tests.api.support import Api, ok, problem
from tests.service.scenario import (
    ADMIN,
    new_nip,
    rated_and_finalised,
    reported,
    reporting_line,
    with_plh,
)


def test_the_supervisor_today_is_the_one_of_the_wib_day_at_23_30_utc(api: Api, clock):
    line = reporting_line(api.kinerja)
    successor = new_nip(1971)
    api.kinerja.register_employee(ADMIN, successor, "Kabid baru", unit_code=line.unit,
                                  position="Kepala Bidang", effective_from=date(2024, 1, 1),
                                  supervisor_nip=line.head)
    api.kinerja.assign_supervisor(ADMIN, line.asn, successor, effective_from=date(2025, 1, 7))
    Projector(api.kinerja).catch_up()
    new, old = api.as_(successor, "reviewer"), api.as_(line.rater, "reviewer")

    clock.now = datetime(2025, 1, 6, 16, 59, tzinfo=timezone.utc)  # 23:59 WIB, 6 January
    problem(new.get(f"/employees/{line.asn}"), 403)
    assert old.get(f"/views/asn/{line.asn}/history").status_code == 200

    clock.now = datetime(2025, 1, 6, 23, 30, tzinfo=timezone.utc)  # 06:30 WIB, 7 January
    assert ok(new.get(f"/employees/{line.asn}"))["nip"] == line.asn
    assert new.get(f"/views/asn/{line.asn}/history").status_code == 200
    problem(old.get(f"/views/asn/{line.asn}/history"), 403)
    problem(old.get(f"/employees/{line.asn}"), 403)


def test_a_plh_s_rating_and_finalisation_are_answered_as_acting(api: Api, clock):
    app = api.kinerja
    line = reporting_line(app)
    evaluation = reported(app, clock, line)
    acting = with_plh(app, line)
    rated_and_finalised(app, acting, evaluation)

    read = ok(api.as_(line.asn, "asn").get(f"/evaluations/{evaluation.id}"))

    capacity = read["outcome"]["acting"]
    assert (capacity["kind"], capacity["in_place_of"], capacity["end"]) == (
        "Plh", line.rater, "2025-01-31")
    assert read["ratings"]["results"]["acting"] == capacity
    assert read["plan"]["agreed_acting"] is None  # the rater agreed it, in their own right
    Projector(app).catch_up()
    page = api.admin.get("/views/evaluations", nip=line.asn).json()
    assert (page["items"][0]["rated_as"], page["items"][0]["finalised_as"]) == ("Plh", "Plh")
