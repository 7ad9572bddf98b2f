"""Old events still load after their class gains a field (upcasting), on both backends; old
snapshots load to the state they held."""

from __future__ import annotations

from copy import deepcopy
from datetime import date, datetime, timezone
from typing import get_type_hints
from uuid import UUID, uuid4

import orjson
import pytest
from eventsourcing.persistence import StoredEvent

from domain.base import Snapshot
from domain.evaluation import Evaluation
from domain.keberatan import Keberatan
from domain.organisation import Employee, Unit, employee_id, unit_id
from domain.skm import survey_id
from projections.queries import Queries
from projections.runner import Projector
from service.application import Actor
from tests.domain.shapes import conforms
from tests.service.scenario import ADMIN, agreed_plans, new_nip, reporting_line


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

    assert employee.employment_type == "PNS" and employee.golongan is None
    assert employee.unit_on(date(2023, 6, 1)) == str(unit.id)
    assert isinstance(employee, Employee) and employee.created_on.year == 2023


def test_new_registrations_store_their_class_version(app):
    app.establish_unit(ADMIN, "DISKES", "Dinas Kesehatan")
    nip = "199009132025212014"  # an NI PPPK: code 21
    app.register_employee(Actor("system:test", "admin"), nip, "Dewi", unit_code="DISKES",
                          position="Bidan", effective_from=date(2025, 3, 1),
                          contract=(date(2025, 3, 1), date(2030, 2, 28)))
    (stored,) = app.recorder.select_events(employee_id(nip))
    state = orjson.loads(stored.state)
    assert state["class_version"] == 3 and state["employment_type"] == "PPPK"
    assert (state["contract_start"], state["contract_end"]) == ("2025-03-01", "2030-02-28")
    assert app.employee(nip).contract == {"start": "2025-03-01", "end": "2030-02-28"}


def version_2(nip: str, unit: str, employment_type: str) -> StoredEvent:
    """Exactly what version 2 stored: an employment type, no golongan, pangkat nor contract."""
    return StoredEvent(originator_id=employee_id(nip), originator_version=1,
                       topic="kinerja/Employee/Registered", state=orjson.dumps({
                           "timestamp": "2024-01-02T03:04:05+00:00",
                           "originator_topic": "kinerja/Employee", "actor": "system:migrated",
                           "role": "admin", "request_id": "legacy-2", "reason": "",
                           "nip": nip, "name": "Sri Lestari", "employment_type": employment_type,
                           "position": "Perawat", "unit_id": unit, "is_unit_head": False,
                           "effective_from": "2024-01-01", "class_version": 2}))


@pytest.mark.parametrize("nip, stored, loaded", [
    ("198001012005011001", "PNS", "PNS"),
    ("198001012005011002", "PPPK", "PPPK"),  # a PPPK given a NIP-shaped number: as stored
    ("199009132020242014", "PPPK", "PPPK paruh waktu"),  # laid out as an NI PPPK: as it says
])
def test_a_version_2_registration_loads_with_the_type_its_layout_or_record_says(
        app, nip, stored, loaded):
    app.establish_unit(ADMIN, "DISKES", "Dinas Kesehatan")
    app.recorder.insert_events([version_2(nip, str(app.unit("DISKES").id), stored)])

    employee = app.employee(nip)

    assert employee.employment_type == loaded
    assert (employee.golongan, employee.pangkat, employee.contract) == (None, None, None)


def test_an_employee_snapshot_of_version_1_loads_with_its_standing_added(app):
    state = {"_created_on": "2024-01-02T03:04:05+00:00",
             "_modified_on": "2024-01-02T03:04:05+00:00", "nip": "199009132020212014",
             "name": "Sri Lestari", "employment_type": "PPPK",
             "postings": [{"from": "2024-01-01", "unit_id": "u", "position": "Perawat",
                           "is_unit_head": False}], "reporting_line": []}
    snapshot = Snapshot(originator_id=uuid4(), originator_version=100,
                        timestamp=datetime(2024, 1, 2, tzinfo=timezone.utc),
                        topic="kinerja/Employee", state=deepcopy(state))
    app.snapshots.put([snapshot])

    loaded = app.repository.get(snapshot.originator_id)

    assert (loaded.employment_type, loaded.golongan, loaded.pangkat, loaded.contract) == (
        "PPPK", None, None, None)
    for name, hint in get_type_hints(type(loaded).__bases__[1]).items():
        conforms(getattr(loaded, name), hint, name)


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
ADDED_SINCE = {"kinerja/Evaluation": {
    "receipt": None,  # v3: the result's receipt
    "inactive": [], "active_days": None, "previous_raters": [],  # v4: leave, transfers
}}


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


# A survey as version 1 stored it: nine answers by position, in the element order of then.
V1_ANSWERS = [[4, 3, 3, 4, 4, 3, 4, 3, 2], [1, 2, 3, 4, 1, 2, 3, 4, 4]]
V1_ORDER = ("persyaratan", "sistem_prosedur", "waktu", "biaya", "produk", "kompetensi",
            "perilaku", "pengaduan", "sarana")


def _store_a_version_1_survey(app) -> UUID:
    app.establish_unit(ADMIN, "DISDUKCAPIL", "Dinas Kependudukan dan Pencatatan Sipil")
    unit = app.unit("DISDUKCAPIL")
    survey = survey_id(unit.id, "2024-Q1")
    meta = {"actor": "system:migrated", "role": "admin", "request_id": "legacy-2", "reason": ""}
    app.recorder.insert_events([
        StoredEvent(originator_id=survey, originator_version=1, topic="kinerja/Survey/Opened",
                    state=orjson.dumps({"timestamp": "2024-04-02T03:04:05+00:00",
                                        "originator_topic": "kinerja/Survey", **meta,
                                        "unit_id": str(unit.id), "period": "2024-Q1"})),
        StoredEvent(originator_id=survey, originator_version=2,
                    topic="kinerja/Survey/ResponsesRecorded",
                    state=orjson.dumps({"timestamp": "2024-04-02T03:05:05+00:00", **meta,
                                        "responses": V1_ANSWERS}))])
    return survey


def test_version_1_survey_responses_load_named_in_the_order_they_were_recorded_under(app):
    survey = _store_a_version_1_survey(app)

    events = list(app.events.get(survey))
    loaded = app.survey("DISDUKCAPIL", "2024-Q1")

    assert events[1].responses == [dict(zip(V1_ORDER, a)) for a in V1_ANSWERS]
    assert loaded.totals == [sum(a[i] for a in V1_ANSWERS) for i in range(9)]
    assert loaded.counts == [2] * 9 and loaded.responses == 2
    (stored,) = [e for e in app.recorder.select_events(survey) if e.originator_version == 2]
    assert orjson.loads(stored.state)["responses"] == V1_ANSWERS  # stored bytes never change
    projector = Projector(app)
    projector.catch_up()
    (row,) = Queries(projector.store).skm(unit=str(app.unit("DISDUKCAPIL").id))
    assert row["elements"]["sarana"] == {"answers": 2, "total": 6, "nrr": "3.00"}
    assert row["elements"]["pengaduan"]["total"] == 7 and row["index"] == str(loaded.index)


def test_new_survey_responses_are_stored_by_name_with_their_class_version(app):
    survey = _store_a_version_1_survey(app)
    app.record_survey_responses(ADMIN, "DISDUKCAPIL", "2024-Q1",
                                [dict(reversed(list(zip(V1_ORDER, V1_ANSWERS[0]))))])
    stored = orjson.loads(app.recorder.select_events(survey)[-1].state)
    assert stored["class_version"] == 2
    assert stored["responses"] == [dict(zip(V1_ORDER, V1_ANSWERS[0]))]
    assert list(stored["responses"][0]) == list(V1_ORDER)  # in the elements' order, whatever sent
    assert app.survey("DISDUKCAPIL", "2024-Q1").responses == 3


def test_a_version_1_yearly_grade_loads_as_the_annual_periods_penetapan(app):
    code = f"LAMA{new_nip()[-4:]}"
    meta = {"timestamp": "2023-01-02T03:04:05+00:00", "actor": "system:migrated",
            "role": "admin", "request_id": "legacy-1", "reason": ""}
    app.recorder.insert_events([
        StoredEvent(originator_id=unit_id(code), originator_version=1,
                    topic=Unit.Established.TOPIC, state=orjson.dumps(meta | {
                        "originator_topic": "kinerja/Unit", "code": code, "name": "Dinas Lama",
                        "parent_id": None})),
        StoredEvent(originator_id=unit_id(code), originator_version=2,
                    topic=Unit.OrganisationPredikatSet.TOPIC,
                    state=orjson.dumps(meta | {"year": 2023, "predikat": "Baik"}))])
    assert app.unit(code).org_predikat == {"2023": "Baik"}
    (*_, old) = app.events.get(unit_id(code))
    assert (old.period, old.document_number, old.document_date, old.head_nip) == (
        "2023", "", None, None)


def test_a_version_1_finalisation_loads_with_no_departures(app):
    record = uuid4()
    state = {"timestamp": datetime(2023, 1, 20, 3, tzinfo=timezone.utc).isoformat(),
             "actor": "197501012000031002", "role": "reviewer", "request_id": "legacy-2",
             "reason": "", "predikat": "Baik", "rule_version": "permenpanrb-6-2022",
             "results": "meets", "behaviour": "meets", "curve_departure": "alasan lama"}
    app.recorder.insert_events([StoredEvent(originator_id=record, originator_version=1,
                                            topic=Evaluation.Finalised.TOPIC,
                                            state=orjson.dumps(state))])
    (stored,) = app.recorder.select_events(record)
    event = app.mapper.to_domain_event(stored)
    assert (event.departures, event.curve_departure) == ([], "alasan lama")


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


def test_a_version_1_report_loads_as_on_time(app):
    """Stored when a report after its deadline was refused: none stored then was late."""
    record = uuid4()
    state = {"timestamp": datetime(2025, 1, 6, 3, tzinfo=timezone.utc).isoformat(),
             "actor": "198001012005011001", "role": "asn", "request_id": "legacy-3",
             "reason": "", "realisations": [{"line_id": "S1", "value": "520", "note": ""}],
             "achievements": "cepat", "challenges": "", "next_plan": "", "evidence": []}
    app.recorder.insert_events([StoredEvent(originator_id=record, originator_version=1,
                                            topic=Evaluation.ReportSubmitted.TOPIC,
                                            state=orjson.dumps(state))])
    (stored,) = app.recorder.select_events(record)
    event = app.mapper.to_domain_event(stored)
    assert event.late is False and event.realisations[0].value == "520"


def test_a_version_1_filing_loads_with_no_one_passed_over(app):
    """Filed before conflicts of interest were checked: its authority stands, as named."""
    record = uuid4()
    state = {"timestamp": datetime(2025, 1, 20, 3, tzinfo=timezone.utc).isoformat(),
             "originator_topic": "kinerja/Keberatan", "actor": "198001012005011001",
             "role": "asn", "request_id": "legacy-4", "reason": "",
             "evaluation_id": str(uuid4()), "nip": "198001012005011001",
             "rater_nip": "197501012000031002", "authority_nip": "197001012000031001",
             "grounds": "tidak objektif", "predikat": "Baik",
             "decision_due": datetime(2025, 2, 3, 3, tzinfo=timezone.utc).isoformat()}
    app.recorder.insert_events([StoredEvent(originator_id=record, originator_version=1,
                                            topic="kinerja/Keberatan/Filed",
                                            state=orjson.dumps(state))])
    loaded = app.keberatan(record)
    assert (loaded.authority_nip, loaded.passed_over) == ("197001012000031001", [])


def test_a_version_2_report_and_finalisation_load_with_no_line_and_no_source_period(app):
    """Before the annual SKP, evidence was the report's as a whole and every evaluation was
    rated on its own: old events load with ``line_id`` None and ``from_period`` None."""
    evaluation = agreed_plans(app, reporting_line(app))
    at = app.evaluation(evaluation.id).version

    def stored(version: int, topic: str, **data) -> StoredEvent:
        return StoredEvent(originator_id=evaluation.id, originator_version=version,
                           topic=f"kinerja/Evaluation/{topic}", state=orjson.dumps({
                               "timestamp": f"2025-01-0{version - at + 5}T03:00:00+00:00",
                               "actor": "197501012000031002", "role": "reviewer",
                               "request_id": "legacy", "reason": "", "class_version": 2,
                               **data}))
    app.recorder.insert_events([
        stored(at + 1, "ReportSubmitted", realisations=[], achievements="", challenges="",
               next_plan="", late=False, evidence=[{"uri": "https://x/1", "sha256": "c" * 64}]),
        stored(at + 2, "Finalised", predikat="Baik", rule_version="permenpanrb-6-2022/1",
               results="meets", behaviour="meets", curve_departure="", departures=[])])

    loaded = app.evaluation(evaluation.id)

    assert loaded.report["evidence"] == [{"uri": "https://x/1", "sha256": "c" * 64,
                                          "line_id": None}]
    assert loaded.outcome["predikat"] == "Baik" and "from_period" not in loaded.outcome
    last = app.events.get(evaluation.id, gt=at + 1)
    assert [e.from_period for e in last] == [None]
ACTS_BEFORE_CAPACITY = [  # (event class, the class version stored before acts recorded it)
    (Evaluation.RatingRecorded, 1, {"dimension": "results", "rating": "meets", "basis": "rater",
                                    "details": {}, "late": False}),
    (Evaluation.RatingRevised, 1, {"dimension": "results", "rating": "above",
                                   "previous": "meets", "revises": 5, "basis": "rater",
                                   "details": {}, "late": False}),
    (Evaluation.PlanAgreed, 1, {}),
    (Evaluation.Finalised, 2, {"predikat": "Baik", "rule_version": "permenpanrb-6-2022",
                               "results": "meets", "behaviour": "meets", "curve_departure": "",
                               "departures": []}),
    (Evaluation.OutcomeCorrected, 1, {"keberatan_id": str(uuid4()), "predikat": "Sangat Baik",
                                      "previous_predikat": "Baik",
                                      "rule_version": "permenpanrb-6-2022",
                                      "results": "above", "behaviour": "above"}),
    (Keberatan.Decided, 1, {"outcome": "rejected", "results": None, "behaviour": None,
                            "overdue": False}),
]


@pytest.mark.parametrize("event_class, version, fields", ACTS_BEFORE_CAPACITY,
                         ids=lambda x: getattr(x, "__qualname__", ""))
def test_an_act_stored_before_capacities_were_recorded_loads_as_not_acting(
        app, event_class, version, fields):
    """Then a Plt/Plh's capacity was read from the tenure, not written: the old bytes load
    as acts in the official's own right (acting None), and stay as they were stored."""
    record = uuid4()
    state = {"timestamp": datetime(2025, 1, 7, 3, tzinfo=timezone.utc).isoformat(),
             "actor": "197501012000031002", "role": "reviewer", "request_id": "legacy-4",
             "reason": "lama", **fields}
    if version > 1:
        state["class_version"] = version
    app.recorder.insert_events([StoredEvent(originator_id=record, originator_version=1,
                                            topic=event_class.TOPIC, state=orjson.dumps(state))])
    (stored,) = app.recorder.select_events(record)

    event = app.mapper.to_domain_event(stored)

    assert event.acting is None and type(event) is event_class
    assert "acting" not in orjson.loads(stored.state)
