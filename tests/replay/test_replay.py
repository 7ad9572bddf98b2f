"""Replay on both stores: as-of equals folding a prefix of the events; a diff applied gives the
later state; dossiers verify offline and fail when altered, thinned or mixed up."""

from __future__ import annotations

import copy
from datetime import timedelta

import pytest
from eventsourcing.application import project_aggregate
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from ledger.dossier import DossierInvalid, verify_dossier
from ledger.keys import trusted_verifiers
from projections.queries import Queries
from projections.runner import Projector
from replay.asof import AsOf
from replay.diff import apply, diff, state
from replay.dossier import build
from replay.timeline import Timelines
from service.store import checkpointer
from tests.projections.conftest import random_history
from tests.service.scenario import finalised, reporting_line

SETTINGS = dict(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                      HealthCheck.too_slow])


def some_evaluations(app, clock, seed):
    """Evaluations with random histories, made now (the store is shared between examples)."""
    start = (app.recorder.max_notification_id() or 0) + 1
    random_history(app, clock, seed, lines=2)
    return [n.originator_id for n in app.recorder.select_notifications(
        start=start, limit=100, topics=["kinerja/Evaluation/Opened"])]


def findings_naming(app):
    return Queries(Projector(app).store).findings_naming


def pick(items: list, fraction: float):
    return items[min(int(fraction * len(items)), len(items) - 1)]


fractions = st.floats(0, 1)


@hsettings(max_examples=4, **SETTINGS)
@given(seed=st.integers(0, 1000), where=fractions)
def test_as_of_a_version_equals_folding_the_first_k_events(app, clock, seed, where):
    for evaluation in some_evaluations(app, clock, seed):
        events = list(app.events.get(evaluation))
        k = pick(range(1, len(events) + 1), where)
        assert AsOf(app).record(evaluation, version=k) == project_aggregate(None, events[:k])


@hsettings(max_examples=4, **SETTINGS)
@given(seed=st.integers(0, 1000), where=fractions, later=st.booleans())
def test_as_of_a_moment_picks_exactly_the_events_up_to_it(app, clock, seed, where, later):
    for evaluation in some_evaluations(app, clock, seed):
        events = list(app.events.get(evaluation))
        chosen = pick(events, where).timestamp + timedelta(seconds=int(later))
        expected = max(e.originator_version for e in events if e.timestamp <= chosen)
        assert AsOf(app).record(evaluation, moment=chosen).version == expected


@hsettings(max_examples=4, **SETTINGS)
@given(seed=st.integers(0, 1000), first=fractions, second=fractions)
def test_a_diff_applied_to_the_earlier_state_gives_the_later(app, clock, seed, first, second):
    for evaluation in some_evaluations(app, clock, seed):
        versions = range(1, app.evaluation(evaluation).version + 1)
        a, b = sorted((pick(versions, first), pick(versions, second)))
        before, after = app.evaluation(evaluation, version=a), app.evaluation(evaluation, version=b)
        assert apply(before, diff(before, after)) == state(after)


def upheld_case(app, clock):
    line = reporting_line(app)
    evaluation = finalised(app, clock, line, "meets", "meets")
    clock.advance(days=2)
    keberatan = app.file_keberatan(line.actor("asn"), evaluation.id, "bukti diabaikan")
    clock.advance(days=3)
    app.decide_keberatan(line.actor("head", "appeal_board"), keberatan.id, "upheld",
                         reason="bukti kuat", results="above", behaviour="above")
    Projector(app).catch_up()
    return evaluation.id, keberatan.id


def test_an_upheld_appeal_shows_both_outcomes_and_the_decision_linking_them(app, clock):
    evaluation, keberatan = upheld_case(app, clock)
    entries = Timelines(app, findings_naming(app)).evaluation(evaluation)
    predikat = [(c["old"], c["new"]) for e in entries for c in e.changes
                if c["field"] == "predikat"]
    assert predikat == [(None, "Baik"), ("Baik", "Sangat Baik")]
    corrected = next(e for e in entries if e.topic.endswith("OutcomeCorrected"))
    decided = next(e for e in entries if e.topic.endswith("Keberatan/Decided"))
    assert corrected.data["keberatan_id"] == str(keberatan) == decided.record_id
    assert decided.reason == "bukti kuat" and corrected.leaf_index == decided.leaf_index + 1


@pytest.fixture
def dossier(ledger_app, signed_settings, clock):
    evaluation, _ = upheld_case(ledger_app, clock)
    note = checkpointer(ledger_app, signed_settings).checkpoint().note
    document = build(ledger_app, evaluation, findings=findings_naming(ledger_app),
                     checkpoint_note=note, origin=signed_settings.origin, verifier_keys=[],
                     version=5)
    return document, trusted_verifiers(signed_settings.verifier_keys)


def test_a_dossier_verifies_offline(dossier):
    document, keys = dossier
    assert verify_dossier(document, keys) == len(document["timeline"])
    assert document["state_then"]["stage"] == "reported" and document["version_then"] == 5


@pytest.mark.parametrize("tamper, message", [
    (lambda d: d["timeline"][4]["data"].update(rating="below"), "the ledger says"),
    (lambda d: d["timeline"].pop(2), "not all there"),
    (lambda d: d["proofs"].__setitem__(
        0, d["proofs"][1] | {"leaf_index": d["proofs"][0]["leaf_index"]}),
     "not in the signed log|bytes do not give"),
    (lambda d: d["proofs"][3].update(path=d["proofs"][4]["path"]), "not in the signed log"),
    (lambda d: d.update(checkpoint=d["checkpoint"].replace("\n\n", "\n\nx")), "does not verify"),
])
def test_a_tampered_dossier_fails(dossier, tamper, message):
    document, keys = dossier
    altered = copy.deepcopy(document)
    tamper(altered)
    with pytest.raises(DossierInvalid, match=message):
        verify_dossier(altered, keys)


def test_whole_system_replay_finds_no_drift_then_finds_a_tampered_view(app, clock):
    from replay.drift import check
    random_history(app, clock, seed=17, lines=2)
    projector = Projector(app)
    projector.catch_up()
    assert all(d.clean for d in check(app, projector))
    first = next(iter(projector.store.rows("SELECT key FROM view_evaluations")))
    with projector.store.db.writer() as w:  # a view edited behind the log's back is drift
        w.execute("UPDATE view_evaluations SET doc = %s WHERE key = %s",
                  ('{"stage": "finalised", "predikat": "Sangat Baik"}', first["key"]))
    drifted = {d.view: d for d in check(app, projector)}["evaluations"]
    assert first["key"] in drifted.different
