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


def entry(actor: str, acting_as: str | None) -> dict:
    return {"at": "2025-01-07T03:00:00+00:00", "topic": "kinerja/Evaluation/Finalised",
            "version": 7, "actor": actor, "actor_name": "Pejabat", "role": "reviewer",
            "changes": [], "reason": "", "leaf_index": 12, "acting_as": acting_as}


def test_the_printed_dossier_says_which_acts_a_plt_or_plh_did_as_such():
    dossier = a_dossier("Baik", "permenpanrb-6-2022/1") | {"timeline": [
        entry("197201012000031003", "Plh"), entry("197501012000031002", None)]}
    page, english = html(dossier), html(dossier, "en")
    assert "(197201012000031003) sebagai Plh" in page and page.count("sebagai") == 1
    assert "(197201012000031003) as Plh" in english
    older = dossier | {"timeline": [{k: v for k, v in entry("1", None).items()
                                      if k != "acting_as"}]}  # a dossier made before
    assert "sebagai" not in html(older)
