"""A record's full history as recorded: every event with who, when, why and what it said."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import orjson

from api.schemas_out import History, HistoryEntry
from domain.base import EVENT_METADATA  # the fields every event carries, said once
from service.application import KinerjaApplication


def history(app: KinerjaApplication, record_id: UUID) -> History:
    return History(id=record_id, events=[entry(e) for e in app.events.get(record_id)])


def entry(event: Any) -> HistoryEntry:
    state = vars(event)
    data = {k: v for k, v in state.items() if k not in EVENT_METADATA}
    return HistoryEntry(version=event.originator_version, topic=topic(event),
                        timestamp=event.timestamp.isoformat(), actor=event.actor,
                        role=event.role, reason=event.reason, request_id=event.request_id,
                        data=orjson.loads(orjson.dumps(data)))  # dataclasses and dates as JSON


def between(app: KinerjaApplication, record_id: UUID, low: int, high: int) -> list[str]:
    """The events that took a record from version ``low`` to ``high``, each as ``topic vN``
    (``kinerja/Evaluation/Finalised v8``): what a diff names as responsible."""
    return [f"{topic(e)} v{e.originator_version}"
            for e in app.events.get(record_id, gt=low, lte=high)]


def topic(event: object) -> str:
    """The topic an event of ours is stored under: the TOPIC its class declares.

    Every event in the store is one of ours (``domain.events.EVENTS``), each class declaring
    its TOPIC; but the library's event store types the events it hands out by its own protocol
    alone, and ``Record.Event`` cannot declare TOPIC (its annotations are the metadata that
    ``Meta.stamp`` fills), so mypy cannot know it."""
    return type(event).TOPIC  # type: ignore[attr-defined]  # declared by each class: see above
