"""Sidak findings for the people they name, as context of their evaluation (never a score);
the penetapan of an OPD's predikat by the official above its head; the dashboard rolling an
OPD's sections up into its curve, with every departure and its reason."""

from __future__ import annotations

from datetime import timedelta

import httpx

from domain.inspection import Inspection
from domain.values import ChecklistResult
from service.application import Actor
from tests.api.support import problem
from tests.service.scenario import (
    REPORT_DAY,
    city,
    finalised,
    graded,
    new_nip,
    reported,
    reported_staff,
    reporting_line,
)


def read(response: httpx.Response) -> dict:
    assert response.status_code == 200, f"{response.status_code}: {response.text[:500]}"
    return response.json()


def caught_up(api) -> int:
    """The views brought up to the log's head (these tests run no projection thread)."""
    api.services.projector.catch_up()
    return api.position()


def found(api, clock, line, description: str) -> None:
    """A sidak of the line's unit an hour ago, with a finding naming its ASN."""
    k = api.kinerja
    inspector = Actor(new_nip(1985), "inspector")
    inspection = k.record_inspection(inspector, line.unit, "Loket 1",
                                     clock.now - timedelta(hours=1),
                                     [ChecklistResult("Antrian tertib", "not_met")])
    k.record_finding(inspector, inspection.id, description, "major", item="Antrian tertib",
                     nips=[line.asn])


def test_the_asn_and_their_supervisor_read_the_findings_naming_the_asn(api, clock):
    line, other = reporting_line(api.kinerja), reporting_line(api.kinerja)
    found(api, clock, line, "Antrian menumpuk")
    path = f"/views/asn/{line.asn}/findings"
    mine = read(api.as_(line.asn, "asn").get(path, after=caught_up(api)))
    assert [f["description"] for f in mine["findings"]] == ["Antrian menumpuk"]
    assert mine["findings"][0]["unit_id"] == str(api.kinerja.unit(line.unit).id)
    assert read(api.as_(line.rater, "reviewer").get(path))["findings"] == mine["findings"]
    for nip, role in ((line.head, "reviewer"), (other.asn, "asn"), (other.rater, "reviewer")):
        problem(api.as_(nip, role).get(path), 403, "forbidden_relationship")
    own = read(api.as_(other.asn, "asn").get(f"/views/asn/{other.asn}/findings"))
    assert own["findings"] == []


def test_an_asn_reads_the_periods_findings_as_context_of_their_evaluation(api, clock):
    line = reporting_line(api.kinerja)
    found(api, clock, line, "Antrian menumpuk")  # in January 2024: within the period
    evaluation = finalised(api.kinerja, clock, line, "meets", "meets")
    found(api, clock, line, "Loket tutup lebih awal")  # in January 2025: another period
    read(api.as_(line.asn, "asn").get(f"/views/asn/{line.asn}/findings",
                                      after=caught_up(api)))  # the views have read them
    for nip, role in ((line.asn, "asn"), (line.rater, "reviewer")):
        history = read(api.as_(nip, role).get(f"/evaluations/{evaluation.id}/history"))
        assert [c["description"] for c in history["context"]] == ["Antrian menumpuk"]
        assert {e["topic"].rsplit("/", 2)[1] for e in history["events"]} == {"Evaluation"}
    # Context, never a score: the predikat is the ratings' own, and the finding changes nothing.
    assert api.kinerja.evaluation(evaluation.id).predikat == "Baik"
    timeline = read(api.admin.get(f"/replay/evaluations/{evaluation.id}/timeline"))
    (finding,) = [e for e in timeline if e["topic"] == Inspection.FindingRecorded.TOPIC]
    assert finding["changes"] == []


def test_the_penetapan_is_the_official_above_the_heads_and_no_admins(api, clock):
    k = api.kinerja
    line = reporting_line(k)
    reported(k, clock, line)
    official = graded(k, line, "Baik")
    body = {"period": "2024-S2", "predikat": "Istimewa", "document_number": "800/9/2025",
            "document_date": REPORT_DAY.date().isoformat(), "head_nip": line.head}
    path = f"/units/{line.unit}/organisation-predikat"
    problem(api.admin.post(path, body), 403, "forbidden_role")
    problem(api.as_(line.head, "reviewer").post(path, body), 403, "forbidden_relationship")
    answer = api.as_(official, "reviewer").post(path, body)
    assert answer.status_code == 200, answer.text
    assert answer.json()["org_predikat"] == {"2024": "Baik", "2024-S2": "Istimewa"}


def test_the_dashboard_rolls_sections_up_and_lists_each_departure_with_its_reason(api, clock):
    k = api.kinerja
    town = city(k)
    in_opd = reported_staff(k, clock, town.opd, town.kadis)
    in_section = reported_staff(k, clock, town.section, town.kadis)
    town.grade(k, "Istimewa")
    kadis = Actor(town.kadis, "reviewer")
    for evaluation, results, behaviour in ((in_opd, "above", "above"),
                                           (in_section, "meets", "meets")):
        k.record_rating(kadis, evaluation.id, "results", results, reason="hasil")
        k.record_rating(kadis, evaluation.id, "behaviour", behaviour, reason="perilaku")
    # One Sangat Baik of two, one still open: it does not depart yet; a reason given is kept.
    k.finalise(kadis, in_opd.id, curve_departure="Inovasi layanan terverifikasi")
    k.finalise(kadis, in_section.id)
    opd, section = (str(k.unit(code).id) for code in (town.opd, town.section))
    board = read(api.admin.get(f"/views/units/{opd}/dashboard", year=2024,
                               after=caught_up(api)))
    assert (board["opd_id"], board["organisation_predikat"], board["evaluations"],
            board["finalised"], board["predikat"]["Sangat Baik"], board["predikat"]["Baik"]) == (
        opd, "Istimewa", 2, 2, 1, 1)
    (row,) = board["curve_departures"]
    assert (row["evaluation_id"], row["predikat"], row["departures"], row["reason"]) == (
        str(in_opd.id), "Sangat Baik", [], "Inovasi layanan terverifikasi")
    part = read(api.admin.get(f"/views/units/{section}/dashboard", year=2024))
    assert (part["opd_id"], part["organisation_predikat"], part["evaluations"]) == (
        opd, "Istimewa", 1)
    assert part["curve_departures"] == board["curve_departures"]  # the OPD's curve


def test_the_dashboard_withholds_people_from_those_who_may_not_see_them(api, clock):
    """The OPD's head and an admin get the whole figures; a reviewer elsewhere and an
    inspector get no cell of fewer than 5 and no names (one person's result is theirs)."""
    k = api.kinerja
    town = city(k)
    evaluation = reported_staff(k, clock, town.section, town.kadis)
    kadis = Actor(town.kadis, "reviewer")
    k.record_rating(kadis, evaluation.id, "results", "above", reason="hasil")
    k.record_rating(kadis, evaluation.id, "behaviour", "meets", reason="perilaku")
    k.finalise(kadis, evaluation.id)
    opd = str(k.unit(town.opd).id)
    path, position = f"/views/units/{opd}/dashboard", caught_up(api)
    for reader in (api.admin, api.as_(town.kadis, "reviewer")):
        whole = read(reader.get(path, year=2024, after=position))
        assert (whole["disclosure"], whole["predikat"]["Baik"]) == ("individual", 1)
    outsider = reporting_line(k).rater
    for reader in (api.as_(outsider, "reviewer"), api.as_(new_nip(1985), "inspector")):
        board = read(reader.get(path, year=2024, after=position))
        assert board["disclosure"] == "aggregate"
        assert board["predikat"]["Baik"] is None and board["shares"]["Baik"] is None
        assert board["predikat"]["Sangat Baik"] == 0  # an empty cell names no one
        assert board["not_finalised"] is None and board["curve_departures"] is None
        assert board["evaluations"] == 1  # how far the OPD is, not who got what
