"""A rogue administrator changes the store with raw SQL; `kinerja verify`'s engine must fail and
name the right place. Every case (tests/ledger/tampering.py) runs on SQLite and on PostgreSQL."""

from __future__ import annotations

from dataclasses import asdict

import pytest

from ledger.audit import verify_database
from ledger.db import LedgerDB
from ledger.keys import trusted_verifiers
from service.store import checkpointer
from tests.ledger.conftest import some_history
from tests.ledger.tampering import TAMPERINGS


@pytest.fixture
def ledger(ledger_app, signed_settings, clock):
    """A history with a signed checkpoint at its end; returns (app, leaves)."""
    some_history(ledger_app, clock)
    checkpointer(ledger_app, signed_settings).checkpoint()
    return ledger_app, ledger_app.ledger.leaves(0, ledger_app.ledger.size())


def verify(app, settings):
    return verify_database(LedgerDB.of(app.recorder), trusted_verifiers(settings.verifier_keys),
                           settings.origin)


def test_an_untouched_ledger_verifies(ledger, signed_settings):
    app, leaves = ledger
    report = verify(app, signed_settings)
    assert report.ok and report.leaves == len(leaves) and report.checkpoints == 1


@pytest.mark.parametrize("case", TAMPERINGS, ids=str)
def test_tampering_is_caught_at_the_first_place_it_touched(ledger, signed_settings, rogue, case):
    app, leaves = ledger
    caught = case.tamper(rogue, leaves, signed_settings)
    report = verify(app, signed_settings)
    assert not report.ok, "tampering went unnoticed"
    caught.check(asdict(report.first))
