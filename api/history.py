"""A record's full history as recorded: every event with who, when, why and what it said."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import orjson

from api.schemas_out import History, HistoryEntry
from replay.timeline import BASE  # the fields every event carries, said once
from service.application import KinerjaApplication


def history(app: KinerjaApplication, record_id: UUID) -> History:
    return History(id=record_id, events=[entry(e) for e in app.events.get(record_id)])


def entry(event: Any) -> HistoryEntry:
    state = vars(event)
    data = {k: v for k, v in state.items() if k not in BASE}
    return HistoryEntry(version=event.originator_version, topic=type(event).TOPIC,
                        timestamp=event.timestamp.isoformat(), actor=event.actor,
                        role=event.role, reason=event.reason, request_id=event.request_id,
                        data=orjson.loads(orjson.dumps(data)))  # dataclasses and dates as JSON
