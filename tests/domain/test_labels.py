"""Labels as the regulations write them: the stored code stays, people read the label."""

from __future__ import annotations

from domain.rules import (
    PERMENPANRB_6_2022,
    PP30_2019,
    OrganisationPredikat,
    Predikat,
    RuleBook,
    label_of,
)


def test_the_staff_predikat_reads_as_the_2022_matrix_writes_it_and_the_code_stays():
    assert Predikat.KURANG == "Kurang" and Predikat.KURANG.label == "Kurang/Misconduct"
    assert [p.label for p in Predikat if p != Predikat.KURANG] == [
        p.value for p in Predikat if p != Predikat.KURANG]
    assert PERMENPANRB_6_2022.label("Kurang") == "Kurang/Misconduct"
    assert OrganisationPredikat.KURANG == "Kurang"  # another scale: not a staff predikat


def test_the_label_follows_the_rule_set_the_predikat_was_recorded_under():
    assert PP30_2019.label("Kurang") == "Kurang"  # the numeric scale writes it plainly
    book = RuleBook()
    assert book.label("Kurang", PERMENPANRB_6_2022.version) == "Kurang/Misconduct"
    assert book.label("Kurang", PP30_2019.version) == "Kurang"
    assert book.label("Kurang", "elsewhere/1") == "Kurang/Misconduct"  # read as the latest
    assert label_of("Baik", PERMENPANRB_6_2022.version) == "Baik"
    assert label_of(None, None) is None
