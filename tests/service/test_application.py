"""Every use case on a real store (SQLite and PostgreSQL): what is saved reloads the same."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from eventsourcing.application import project_aggregate

from domain.base import Snapshot
from domain.errors import NotAllowedError
from domain.organisation import employee_id
from domain.values import ChecklistResult, Evidence
from service.application import ConflictError, NotFoundError, StaleVersionError
from service.store import open_app
from tests.service.scenario import ADMIN, finalised, new_nip, reported, reporting_line


def reloaded(app, aggregate):
    return app.load(aggregate.id)


def test_registered_employees_reload_with_their_reporting_line(app):
    line = reporting_line(app)
    employee = app.employee(line.asn)
    assert employee.supervisor_on(date(2024, 3, 1)) == line.rater
    assert employee.unit_on(date(2024, 3, 1)) is not None


def test_registering_the_same_nip_twice_is_a_conflict(app):
    line = reporting_line(app)
    with pytest.raises(ConflictError, match="already registered"):
        app.register_employee(ADMIN, line.asn, "Lagi", unit_code=line.unit, position="x",
                              effective_from=date(2024, 1, 1))


def test_an_unknown_unit_is_not_found(app):
    with pytest.raises(NotFoundError) as error:
        app.register_employee(ADMIN, new_nip(), "X", unit_code="NOPE", position="x",
                              effective_from=date(2024, 1, 1))
    assert error.value.code == "not_found"


def test_the_whole_cycle_reloads_to_the_state_in_memory(app, clock):
    line = reporting_line(app)
    evaluation = finalised(app, clock, line)
    assert reloaded(app, evaluation) == evaluation
    assert evaluation.predikat == "Baik"


def test_the_evaluation_as_it_stood_at_an_earlier_version(app, clock):
    line = reporting_line(app)
    evaluation = finalised(app, clock, line)
    assert app.evaluation(evaluation.id, version=3).stage == "plan_agreed"
    assert app.evaluation(evaluation.id, version=evaluation.version - 1).predikat is None


def test_a_rating_checks_the_reporting_line_on_the_day(app, clock):
    line = reporting_line(app)
    evaluation = reported(app, clock, line)
    newcomer = new_nip(1980)
    app.register_employee(ADMIN, newcomer, "Kabid Baru", unit_code=line.unit,
                          position="Kepala Bidang", effective_from=date(2024, 1, 1))
    app.assign_supervisor(ADMIN, line.asn, newcomer, effective_from=date(2025, 1, 1))
    with pytest.raises(NotAllowedError):
        app.record_rating(line.actor("rater", "reviewer"), evaluation.id, "results", "meets",
                          reason="x")
    app.record_rating(line.actor("asn").__class__(newcomer, "reviewer"), evaluation.id,
                      "results", "meets", reason="penilai baru")


def test_a_rejected_command_writes_nothing(app, clock):
    line = reporting_line(app)
    evaluation = reported(app, clock, line)
    before = app.recorder.max_notification_id()
    with pytest.raises(NotAllowedError):
        app.record_rating(line.actor("asn"), evaluation.id, "results", "above", reason="diri")
    assert app.recorder.max_notification_id() == before


def test_a_stale_expected_version_is_refused(app, clock):
    line = reporting_line(app)
    evaluation = reported(app, clock, line)
    with pytest.raises(StaleVersionError):
        app.comment(line.actor("asn"), evaluation.id, "halo",
                    expected_version=evaluation.version - 1)


def test_two_writers_on_one_evaluation_one_wins_the_other_gets_a_conflict(app, settings, clock):
    line = reporting_line(app)
    evaluation = reported(app, clock, line)
    other = open_app(settings, clock=clock)
    try:
        mine, theirs = app.evaluation(evaluation.id), other.evaluation(evaluation.id)
        mine.comment(app.meta(line.actor("asn")), "pertama")
        theirs.comment(other.meta(line.actor("rater", "reviewer")), "kedua")
        app.commit(mine)
        with pytest.raises(ConflictError) as error:
            other.commit(theirs)
        assert error.value.code == "conflict"
        assert [c["text"] for c in app.comments(evaluation.id)] == ["pertama"]
    finally:
        other.close()


def test_an_upheld_keberatan_saves_decision_and_correction_together(app, clock):
    line = reporting_line(app)
    evaluation = finalised(app, clock, line)
    clock.advance(days=3)
    keberatan = app.file_keberatan(line.actor("asn"), evaluation.id, "tidak objektif")
    assert keberatan.authority_nip == line.head
    clock.advance(days=5)
    app.decide_keberatan(line.actor("head", "appeal_board"), keberatan.id, "upheld",
                         reason="bukti kuat", results="above", behaviour="above")
    corrected = app.evaluation(evaluation.id)
    decision = app.keberatan(keberatan.id)
    assert corrected.predikat == "Sangat Baik" and corrected.corrections[0]["predikat"] == "Baik"
    assert corrected.outcome["keberatan_id"] == str(keberatan.id)
    assert decision.decision["outcome"] == "upheld"
    # one transaction: the decision and the correction are adjacent in the log
    log = app.recorder.select_notifications(start=None, limit=10_000)
    topics = [n.topic for n in log][-2:]
    assert topics == ["kinerja/Keberatan/Decided", "kinerja/Evaluation/OutcomeCorrected"]


def test_an_inspection_with_findings_and_follow_ups(app, clock):
    line = reporting_line(app)
    inspector = line.actor("rater", "inspector").__class__("198501012010011003", "inspector")
    checklist = [ChecklistResult("Petugas ramah", "not_met", "ketus",
                                 (Evidence("https://foto/1.jpg", "b" * 64),))]
    inspection = app.record_inspection(inspector, line.unit, "Loket 2",
                                       clock.now - timedelta(hours=1), checklist)
    app.record_finding(inspector, inspection.id, "Petugas tidak ramah", "minor",
                       item="Petugas ramah", nips=[line.asn])
    app.assign_follow_up(inspector, inspection.id, "2", "Pelatihan layanan", date(2024, 3, 1),
                         line.rater)
    app.resolve_follow_up(line.actor("rater", "reviewer"), inspection.id, "3", "Sudah dilatih")
    closed = app.close_inspection(inspector, inspection.id)
    assert reloaded(app, closed) == closed
    assert closed.findings["2"]["employee_ids"] == [str(employee_id(line.asn))]
    assert closed.checklist[0]["evidence"][0]["sha256"] == "b" * 64


def test_long_lived_aggregates_load_from_snapshots_to_the_same_state(app, clock):
    line = reporting_line(app)
    evaluation = reported(app, clock, line)
    actor = line.actor("asn")
    for n in range(130):
        app.comment(actor, evaluation.id, f"catatan {n}")
    snapshots = list(app.snapshots.get(evaluation.id))
    assert [s.originator_version for s in snapshots] == [25, 50, 75, 100, 125]
    full = app.repository.get(evaluation.id)
    replayed = project_aggregate(None, app.events.get(evaluation.id))
    assert full == replayed and len(full.comment_ids) == 130
    assert [c["text"] for c in app.comments(evaluation.id)] == [f"catatan {n}" for n in range(130)]


def test_a_version_1_snapshot_with_the_whole_thread_upcasts_to_comment_ids(app, clock):
    line = reporting_line(app)
    evaluation = reported(app, clock, line)
    for n in range(3):
        app.comment(line.actor("asn"), evaluation.id, f"catatan {n}")
    now = app.evaluation(evaluation.id)
    state = Snapshot.take(now).state  # what this code writes: version 4, ids only
    assert state.pop("class_version") == 4
    assert state.pop("receipt") is None  # version 1 had no receipt (version 3 added it)
    for added in ("inactive", "active_days", "previous_raters"):  # nor leave (version 4)
        state.pop(added)
    state["comments"] = [entry | {"text": "lama"} for entry in app.comments(evaluation.id)]
    ids = state.pop("comment_ids")
    old = Snapshot(originator_id=now.id, originator_version=now.version, timestamp=now.modified_on,
                   topic=Snapshot.take(now).topic, state=state)
    restored = old.mutate(None)
    assert restored.comment_ids == ids == now.comment_ids and not hasattr(restored, "comments")
    assert restored.receipt is None


def test_snapshots_inside_and_at_the_end_of_a_batch_equal_the_folded_events(app, clock):
    line = reporting_line(app)
    evaluation = app.evaluation(reported(app, clock, line).id)
    for n in range(50 - evaluation.version):  # one save: a snapshot at 25 inside, 50 at its end
        evaluation.comment(app.meta(line.actor("asn")), f"catatan {n}")
    app.commit(evaluation)
    events = list(app.events.get(evaluation.id))
    snapshots = list(app.snapshots.get(evaluation.id))
    assert [s.originator_version for s in snapshots] == [25, 50]
    for snapshot in snapshots:
        version = snapshot.originator_version
        assert snapshot.mutate(None) == project_aggregate(None, events[:version])
