"""The access journal's durability: every queued look is written (in order, whole), a full
queue refuses new reads instead of dropping looks, a database away delays looks without losing
them, and what cannot be written by shutdown is logged whole."""

from __future__ import annotations

import logging
import time
from datetime import datetime, timezone

import pytest

from domain.errors import JournalUnavailableError
from ledger.db import LedgerDB
from service import access_journal
from service.access_journal import BATCH, GRANTED, AccessJournal, Look
from service.application import KinerjaApplication
from service.config import Settings, store_env

AT = datetime(2025, 2, 3, 3, 15, tzinfo=timezone.utc)


def _look(n: int, nip: str = "199001012015031001") -> Look:
    return Look(at=AT, actor=f"19750101200003100{n % 10}", role="auditor", outcome=GRANTED,
                what="/evaluations/{evaluation_id}", record_id=f"record-{n}", subject_nip=nip,
                reason=f"sampel {n}", request_id=f"request-{n}")


def test_every_queued_look_is_written_in_order_and_whole(app):
    journal = AccessJournal(LedgerDB.of(app.recorder))
    looks = [_look(n) for n in range(2 * BATCH + 7)]  # several batches
    for look in looks:
        journal.admit()
        journal.record([look])
    journal.record([_look(0, nip="198001012005011001")])  # someone else's file
    journal.close()  # writes what is queued
    rows = journal.page("199001012015031001", before=None, limit=10_000)
    assert [row["record_id"] for row in rows] == [look.record_id for look in reversed(looks)]
    newest = rows[0]
    assert (newest["actor"], newest["role"], newest["outcome"], newest["what"], newest["reason"],
            newest["request_id"]) == (looks[-1].actor, "auditor", GRANTED,
                                      "/evaluations/{evaluation_id}", looks[-1].reason,
                                      looks[-1].request_id)
    assert datetime.fromisoformat(newest["at"]) == AT
    assert journal.page("199001012015031001", before=rows[1]["seq"], limit=1)[0] == rows[2]


@pytest.fixture
def unready(tmp_path):
    """A journal on a store whose access_journal table does not exist (yet): every write fails
    as it would with the database away."""
    settings = Settings(f"sqlite:///{tmp_path / 'bare.db'}")
    application = KinerjaApplication(store_env(settings) | {"CREATE_TABLE": "y"})
    journal = AccessJournal(LedgerDB.of(application.recorder), capacity=3, wait_seconds=0.2)
    yield journal
    application.close()


def test_a_full_queue_refuses_the_next_read_rather_than_drop_a_look(unready, monkeypatch):
    monkeypatch.setattr(access_journal, "CLOSE_SECONDS", 0.3)
    for n in range(3):
        unready.admit()
        unready.record([_look(n)])
    started = time.monotonic()
    with pytest.raises(JournalUnavailableError) as refused:
        unready.admit()
    assert refused.value.code == "journal_unavailable"
    assert 0.2 <= time.monotonic() - started < 2
    assert unready.flush(timeout=0.2) is False
    unready.close()


def test_looks_wait_while_the_database_is_away_and_are_written_when_it_is_back(unready):
    unready.record([_look(1), _look(2)])
    assert unready.flush(timeout=0.3) is False  # retried, not dropped
    unready.create_table()  # the database is back
    assert unready.flush(timeout=10) is True
    rows = unready.page("199001012015031001", before=None, limit=10)
    assert [row["record_id"] for row in rows] == ["record-2", "record-1"]
    unready.close()


def test_looks_that_cannot_be_written_by_shutdown_are_logged_whole(unready, monkeypatch,
                                                                     caplog):
    monkeypatch.setattr(access_journal, "CLOSE_SECONDS", 0.3)
    unready.record([_look(1), _look(2)])
    with caplog.at_level(logging.ERROR, logger="kinerja.journal"):
        unready.close()
    lost = [r.getMessage() for r in caplog.records if "look not written" in r.getMessage()]
    assert len(lost) == 2 and "record-1" in lost[0] and "sampel 2" in lost[1]
