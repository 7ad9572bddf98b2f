"""The timeline's metadata fields are the domain's, said once."""

from __future__ import annotations

from datetime import datetime, timezone

from domain.base import EVENT_METADATA, Meta, Record
from replay.timeline import BASE


def test_what_an_event_says_is_told_from_its_metadata_by_the_domain_s_list():
    stamp = Meta("197501012000031002", "reviewer", datetime.now(timezone.utc), "r1").stamp()
    assert BASE is EVENT_METADATA
    assert set(stamp) | set(Record.Event.__annotations__) <= EVENT_METADATA
