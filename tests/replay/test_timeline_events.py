"""The timeline decides about every event class: it shows each, and says for each whether it
also works out what changed (old -> new). A new event class fails here until it is put on one
side or the other. Its metadata fields are the domain's, said once."""

from __future__ import annotations

from datetime import datetime, timezone

from domain.base import EVENT_METADATA, Meta, Record
from domain.evaluation import Evaluation
from domain.events import undecided
from replay.timeline import BASE, CHANGES, WITHOUT_CHANGES


def test_the_timeline_decides_about_every_event_class():
    assert undecided(CHANGES, WITHOUT_CHANGES) == []


def test_an_event_class_with_its_changes_forgotten_is_caught():
    changes = {c: f for c, f in CHANGES.items() if c is not Evaluation.OutcomeCorrected}
    assert undecided(changes, WITHOUT_CHANGES) == [Evaluation.OutcomeCorrected]


def test_what_an_event_says_is_told_from_its_metadata_by_the_domain_s_list():
    stamp = Meta("197501012000031002", "reviewer", datetime.now(timezone.utc), "r1").stamp()
    assert BASE is EVENT_METADATA
    assert set(stamp) | set(Record.Event.__annotations__) <= EVENT_METADATA
