"""Old events still load after their class gains a field (upcasting), on both backends; old
snapshots load to the state they held."""

from __future__ import annotations

from copy import deepcopy
from datetime import date, datetime, timezone
from typing import get_type_hints
from uuid import uuid4

import orjson
import pytest
from eventsourcing.persistence import StoredEvent

from domain.base import Snapshot
from domain.organisation import Employee, employee_id
from service.application import Actor
from tests.domain.shapes import conforms
from tests.service.scenario import ADMIN, new_nip


def test_a_version_1_registration_loads_with_the_field_added_later(app):
    app.establish_unit(ADMIN, "DISKES", "Dinas Kesehatan")
    unit = app.unit("DISKES")
    nip = new_nip()
    # Exactly what version 1 stored: no employment_type, no class_version.
    v1_state = {
        "timestamp": "2023-01-02T03:04:05+00:00", "originator_topic": "kinerja/Employee",
        "actor": "system:migrated", "role": "admin", "request_id": "legacy-1", "reason": "",
        "nip": nip, "name": "Sri Lestari", "position": "Perawat", "unit_id": str(unit.id),
        "is_unit_head": False, "effective_from": "2023-01-01",
    }
    app.recorder.insert_events([StoredEvent(
        originator_id=employee_id(nip), originator_version=1,
        topic="kinerja/Employee/Registered", state=orjson.dumps(v1_state))])

    employee = app.employee(nip)

    assert employee.employment_type == "PNS"
    assert employee.unit_on(date(2023, 6, 1)) == str(unit.id)
    assert isinstance(employee, Employee) and employee.created_on.year == 2023


def test_new_registrations_store_their_class_version(app):
    app.establish_unit(ADMIN, "DISKES", "Dinas Kesehatan")
    nip = new_nip()
    app.register_employee(Actor("system:test", "admin"), nip, "Dewi", unit_code="DISKES",
                          position="Bidan", effective_from=date(2024, 1, 1),
                          employment_type="PPPK")
    (stored,) = app.recorder.select_events(employee_id(nip))
    state = orjson.loads(stored.state)
    assert state["class_version"] == 2 and state["employment_type"] == "PPPK"
    assert app.employee(nip).employment_type == "PPPK"


# Snapshot states as the code before domain/state.py stored them (printed on 89664fb from the
# runs of tests/domain/test_state.py; the evaluation cut to one plan line and one rating, with
# a team review added): declaring the state changed no key and no value, so they load as they
# are, with no upcast and no new class_version.
STORED_BEFORE = {
    "kinerja/Evaluation": {
        "_created_on": "2024-01-08T09:00:00+00:00", "_modified_on": "2025-01-14T08:00:00+00:00",
        "class_version": 2, "employee_id": "bd5473d8-a9ab-5177-9fd0-4d5f87244a2f",
        "nip": "198001012005011001", "period": "2024",
        "unit_id": "f5ef4f8a-0f8a-5a26-9f45-6426594e6a93", "rater_nip": "197501012000031002",
        "is_unit_head": False, "report_due": "2025-01-10", "rating_due": "2025-01-31",
        "stage": "finalised",
        "plan": {"type": "quantitative", "lines": [{
            "id": "S1", "kind": "utama", "supports": "R1", "rhk": "Verifikasi berkas KTP",
            "aspect": "quantity", "indicator": "berkas", "target": "500"}],
            "behaviour_expectations": {"akuntabel": "tepat"}, "drafted_version": 2,
            "agreed_version": 3},
        "report": {"realisations": [{"line_id": "S1", "value": "520", "note": ""}],
                   "achievements": "cepat", "challenges": "server lambat",
                   "next_plan": "digitalisasi", "evidence": [], "version": 4},
        "ratings": {"results": {"rating": "above", "by": "197501012000031002", "basis": "rater",
                                "details": {}, "late": False, "version": 5, "revisions": 0,
                                "at": "2025-01-07T08:00:00+00:00"}},
        "comment_ids": [8], "team": ["197001012000031001"],
        "team_reviews": [{"by": "197001012000031001", "recommendation": "setuju",
                          "note": "cukup", "version": 6}],
        "outcome": {"predikat": "Sangat Baik", "rule_version": "permenpanrb-6-2022/1",
                    "results": "above", "behaviour": "above", "by": "197001012000031001",
                    "at": "2025-01-14T08:00:00+00:00", "version": 9,
                    "keberatan_id": "4aef7d08-1844-5e08-a325-d0ade3b89ada"},
        "corrections": [{"predikat": "Baik", "rule_version": "permenpanrb-6-2022/1",
                         "results": "above", "behaviour": "meets", "by": "197501012000031002",
                         "at": "2025-01-08T08:00:00+00:00", "version": 7}],
    },
    "kinerja/Inspection": {
        "_created_on": "2024-01-08T09:00:00+00:00", "_modified_on": "2024-01-08T09:00:00+00:00",
        "unit_id": "f5ef4f8a-0f8a-5a26-9f45-6426594e6a93", "place": "Loket 1",
        "started_at": "2024-01-08T08:00:00+00:00", "inspector": "198501012010011003",
        "checklist": [{"item": "Antrian tertib", "result": "not_met", "note": "antrian",
                       "evidence": [{"uri": "https://x/1", "sha256": "0" * 64}]}],
        "findings": {"2": {"item": "Antrian tertib", "description": "Antrian menumpuk",
                           "severity": "major", "employee_ids": [],
                           "at": "2024-01-08T09:00:00.000001+00:00"}},
        "follow_ups": {"3": {"finding_id": "2", "action": "Pasang nomor antrian",
                             "due": "2024-02-01", "assignee_nip": None,
                             "assigned_at": "2024-01-08T09:00:00.000002+00:00",
                             "resolution": {"text": "Sudah", "evidence": [
                                 {"uri": "https://x/2", "sha256": "0" * 64}],
                                 "by": "198501012010011003",
                                 "at": "2024-01-08T09:00:00.000003+00:00"}}},
        "closed": True,
    },
}


# What upcasts added since (an aggregate's upcast_vN_vN+1): the snapshots above load with these.
ADDED_SINCE = {"kinerja/Evaluation": {"receipt": None}}  # v3: the result's receipt


@pytest.mark.parametrize("topic", STORED_BEFORE)
def test_a_snapshot_stored_before_the_state_was_declared_loads_as_it(app, topic):
    stored = STORED_BEFORE[topic]
    snapshot = Snapshot(originator_id=uuid4(), originator_version=9,
                        timestamp=datetime(2025, 1, 15, tzinfo=timezone.utc), topic=topic,
                        state=deepcopy(stored))
    app.snapshots.put([snapshot])

    loaded = app.repository.get(snapshot.originator_id)

    declaration = type(loaded).__bases__[1]  # its *State (domain/state.py)
    state = {name: value for name, value in vars(loaded).items() if not name.startswith("_")}
    assert state == {k: v for k, v in stored.items() if not k.startswith("_") and
                     k != "class_version"} | ADDED_SINCE.get(topic, {})
    for name, hint in get_type_hints(declaration).items():
        conforms(state[name], hint, name)


def test_a_version_2_evaluation_snapshot_takes_a_receipt(app, clock):
    """Stored before the receipt was an event: the window then runs from the first receipt."""
    stored = deepcopy(STORED_BEFORE["kinerja/Evaluation"])
    snapshot = Snapshot(originator_id=uuid4(), originator_version=9,
                        timestamp=datetime(2025, 1, 15, tzinfo=timezone.utc),
                        topic="kinerja/Evaluation", state=stored)
    app.snapshots.put([snapshot])
    clock.set(2025, 1, 20, 18)  # 01:00 on 21 January in Asia/Jakarta
    app.acknowledge_result(Actor(stored["nip"], "asn"), snapshot.originator_id)

    loaded = app.evaluation(snapshot.originator_id)
    assert loaded.receipt is not None and loaded.version == 10
    assert (loaded.receipt["received_on"], loaded.receipt["keberatan_until"]) == (
        "2025-01-21", "2025-02-04")
