"""How events become stored bytes and back: orjson for the bytes, Pydantic for the types.

orjson writes every value our events hold (str, int, bool, None, dates, UUIDs, dataclasses,
lists and dicts); on the way back Pydantic rebuilds the typed event from its class's fields, so
no hand-written transcodings are needed. Old stored versions are upcast before typing.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

import orjson
from eventsourcing.persistence import Mapper, MapperDeserialisationError, StoredEvent, Transcoder
from eventsourcing.utils import resolve_topic
from pydantic import TypeAdapter


class OrjsonTranscoder(Transcoder):
    def encode(self, obj: Any) -> bytes:
        return orjson.dumps(obj)

    def decode(self, data: bytes) -> Any:
        return orjson.loads(data)


class TypedMapper(Mapper[UUID]):  # our aggregates are identified by UUIDs
    """Decodes stored state into the event's own types (``dataclass`` fields via Pydantic)."""

    _adapters: dict[type, TypeAdapter[Any]] = {}

    def to_domain_event(self, stored_event: StoredEvent) -> Any:
        cls = resolve_topic(stored_event.topic)
        try:
            state = self._decode(stored_event.state)
        except Exception as e:
            msg = (f"cannot decode the state of {stored_event.topic} "
                   f"{stored_event.originator_id} v{stored_event.originator_version}: {e}")
            raise MapperDeserialisationError(msg) from e
        state["originator_id"] = stored_event.originator_id
        state["originator_version"] = stored_event.originator_version
        _upcast(cls, state)
        return self._adapter(cls).validate_python(state)

    def _decode(self, data: bytes) -> dict[str, Any]:
        if self.cipher:
            data = self.cipher.decrypt(data)
        if self.compressor:
            data = self.compressor.decompress(data)
        state: dict[str, Any] = self.transcoder.decode(data)  # an event's state: a JSON object
        return state

    @classmethod
    def _adapter(cls, event_class: type) -> TypeAdapter[Any]:
        adapter = cls._adapters.get(event_class)
        if adapter is None:
            adapter = cls._adapters[event_class] = TypeAdapter(event_class)
        return adapter


def _upcast(cls: type, state: dict[str, Any]) -> None:
    target = getattr(cls, "class_version", 1)
    version = state.pop("class_version", 1)
    while version < target:
        getattr(cls, f"upcast_v{version}_v{version + 1}")(state)
        version += 1
