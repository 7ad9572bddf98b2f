"""Keberatan use cases on both stores: the receipt, the window it fixes, the authority on the
day of the rating, and a partly upheld decision saved with its correction."""

from __future__ import annotations

from datetime import date

import pytest

from domain.errors import (
    DeadlinePassedError,
    DecisionLowersResultError,
    ResultAlreadyReceivedError,
)
from projections.queries import Queries
from projections.runner import Projector
from service.application import Actor
from tests.service.scenario import ADMIN, finalised, new_nip, reporting_line


def test_the_authority_is_the_raters_supervisor_on_the_day_of_the_rating(app, clock):
    line = reporting_line(app)
    evaluation = finalised(app, clock, line)  # on 6 January 2025
    successor = new_nip(1968)
    app.register_employee(ADMIN, successor, "Kepala baru", unit_code=line.unit,
                          position="Kepala Dinas", effective_from=date(2025, 1, 7))
    app.assign_supervisor(ADMIN, line.rater, successor, effective_from=date(2025, 1, 7))
    clock.set(2025, 1, 10, 3)

    keberatan = app.file_keberatan(line.actor("asn"), evaluation.id, "tidak objektif")

    assert keberatan.authority_nip == line.head != successor


def test_the_window_runs_from_the_first_receipt_in_jakarta_days(app, clock):
    line = reporting_line(app)
    evaluation = finalised(app, clock, line)
    clock.set(2025, 1, 7, 17, 30)  # 00:30 on 8 January in Asia/Jakarta
    app.record_notice_delivered(ADMIN, evaluation.id, "800/12/BKPP/2025")
    clock.set(2025, 1, 9, 2)
    with pytest.raises(ResultAlreadyReceivedError):  # the first receipt counts
        app.acknowledge_result(line.actor("asn"), evaluation.id)
    received = app.evaluation(evaluation.id).receipt
    assert received is not None and received["how"] == "notice"
    assert (received["received_on"], received["keberatan_until"]) == ("2025-01-08", "2025-01-22")
    clock.set(2025, 1, 22, 17)  # 00:00 on 23 January in Asia/Jakarta
    before = app.recorder.max_notification_id()
    with pytest.raises(DeadlinePassedError):
        app.file_keberatan(line.actor("asn"), evaluation.id, "terlambat")
    assert app.recorder.max_notification_id() == before


def test_the_views_show_the_receipt_and_a_partly_upheld_decision(app, clock):
    line = reporting_line(app)
    evaluation = finalised(app, clock, line, "meets", "meets")
    clock.set(2025, 1, 8, 2)
    app.acknowledge_result(line.actor("asn"), evaluation.id)
    keberatan = app.file_keberatan(line.actor("asn"), evaluation.id, "bukti diabaikan")
    authority = Actor(line.head, "appeal_board")
    with pytest.raises(DecisionLowersResultError):
        app.decide_keberatan(authority, keberatan.id, "partly_upheld", reason="x",
                             results="below", behaviour="above")
    app.decide_keberatan(authority, keberatan.id, "partly_upheld", reason="sebagian terbukti",
                         results="above", behaviour="meets")

    corrected = app.evaluation(evaluation.id)
    assert corrected.outcome["results"] == "above" and corrected.predikat == "Baik"
    log = app.recorder.select_notifications(start=None, limit=10_000)
    assert [n.topic for n in log][-2:] == ["kinerja/Keberatan/Decided",
                                           "kinerja/Evaluation/OutcomeCorrected"]
    projector = Projector(app)
    projector.catch_up()
    queries = Queries(projector.store)
    (row,) = queries.history(line.asn)
    assert (row["received_on"], row["keberatan_until"], row["predikat"]) == (
        "2025-01-08", "2025-01-22", "Baik")
    assert [a["outcome"] for a in queries.appeals(date(2025, 1, 9))] == ["partly_upheld"]
