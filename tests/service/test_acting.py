"""An acting official (Plh) rates in the tenure, on both stores; the definitive supervisor
cannot then, and can again once it ends."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from domain.errors import NotAllowedError
from service.application import Actor
from tests.service.scenario import ADMIN, new_nip, reported, reporting_line


def test_a_plh_rates_in_the_tenure_and_the_supervisor_after_it(app, clock):
    line = reporting_line(app)
    evaluation = reported(app, clock, line)  # the clock is on the report day, 6 January 2025
    plh = new_nip(1972)
    app.register_employee(ADMIN, plh, "Plh Kabid", unit_code=line.unit, position="Kepala Seksi",
                          effective_from=date(2024, 1, 1))
    app.appoint_acting_supervisor(ADMIN, line.asn, plh, kind="Plh", start=date(2025, 1, 6),
                                  end=date(2025, 1, 20), letter_number="800/5/2025",
                                  letter_date=date(2025, 1, 3))

    with pytest.raises(NotAllowedError):
        app.record_rating(line.actor("rater", "reviewer"), evaluation.id, "results", "meets",
                          reason="bukan giliran saya")
    rated = app.record_rating(Actor(plh, "reviewer"), evaluation.id, "results", "above",
                              reason="Plh menilai")
    clock.now = datetime(2025, 1, 21, 2, 0, tzinfo=timezone.utc)  # the day after the tenure
    with pytest.raises(NotAllowedError):
        app.record_rating(Actor(plh, "reviewer"), evaluation.id, "behaviour", "meets",
                          reason="sudah berakhir")
    again = app.record_rating(line.actor("rater", "reviewer"), evaluation.id, "behaviour",
                              "meets", reason="atasan kembali")

    assert rated.ratings["results"]["by"] == plh
    assert again.ratings["behaviour"]["by"] == line.rater
    assert app.employee(line.asn).acting[0]["acting_nip"] == plh
