"""A predikat through the HTTP API, on both backends: its stored code, and its label as the
regulation writes it ("Kurang/Misconduct", PermenPANRB 6/2022)."""

from __future__ import annotations

from projections.runner import Projector
from tests.api.support import ok
from tests.service.scenario import finalised, reporting_line


def test_a_kurang_predikat_reads_kurang_misconduct_and_keeps_its_code(api, clock):
    line = reporting_line(api.kinerja)
    evaluation = finalised(api.kinerja, clock, line, "above", "below")
    read = ok(api.admin.get(f"/evaluations/{evaluation.id}"))
    assert read["outcome"]["predikat"] == "Kurang"
    assert read["predikat_label"] == "Kurang/Misconduct"
    Projector(api.kinerja).catch_up()
    (row,) = api.admin.get("/views/evaluations", nip=line.asn).json()["items"]
    assert (row["predikat"], row["predikat_label"]) == ("Kurang", "Kurang/Misconduct")
    board = api.admin.get(f"/views/units/{row['unit_id']}/dashboard", year=2024).json()
    assert board["predikat"]["Kurang"] == 1
    assert board["predikat_labels"]["Kurang"] == "Kurang/Misconduct"
