"""The printed dossier writes each predikat as the rule set it was recorded under writes it;
the dossier's JSON keeps the stored code."""

from __future__ import annotations

from replay.report import html


def a_dossier(predikat: str, version: str) -> dict:
    outcome = {"predikat": predikat, "rule_version": version}
    return {"evaluation_id": "1e647ebd", "generated_at": "2025-02-01", "point": "version 9",
            "state_then": {"stage": "finalised", "outcome": outcome},
            "state_now": {"stage": "finalised", "outcome": outcome, "nip": "1", "period": "2024"},
            "diff": [], "timeline": [], "checkpoint": "kinerja.semarangkota.go.id/ledger",
            "rules": [{"recorded": predikat, "rule_version_then": version,
                       "predikat_then": predikat, "rule_version_now": version,
                       "predikat_now": predikat, "differs": False}]}


def test_the_printed_dossier_writes_kurang_as_kurang_misconduct_under_the_2022_matrix():
    page = html(a_dossier("Kurang", "permenpanrb-6-2022/1"))
    assert "Predikat: Kurang/Misconduct" in page and page.count("Kurang/Misconduct") == 5


def test_a_kurang_of_the_numeric_rules_stays_kurang():
    assert "Misconduct" not in html(a_dossier("Kurang", "pp30-2019/1"), "en")
