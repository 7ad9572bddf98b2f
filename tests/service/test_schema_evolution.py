"""Old events still load after their class gains a field (upcasting), on both backends."""

from __future__ import annotations

from datetime import date

import orjson
from eventsourcing.persistence import StoredEvent

from domain.organisation import Employee, employee_id
from service.application import Actor

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
