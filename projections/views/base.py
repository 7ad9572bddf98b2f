"""A view whose behaviour is one small method per event topic: ``on_<EventName>``."""

from __future__ import annotations

from typing import Any, Iterable

from projections.view import Doc, View


class TopicView(View):
    """Dispatches on the event's topic; ``key_of`` names the document an event touches."""

    handlers: dict[str, str]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.handlers = {topic: "on_" + topic.rsplit("/", 1)[1] for topic in cls.topics}

    def keys(self, event: Any) -> Iterable[str]:
        return (self.key_of(event),)

    def key_of(self, event: Any) -> str:
        return str(event.originator_id)

    def apply(self, key: str, doc: Doc | None, event: Any) -> Doc | None:
        handler = getattr(self, self.handlers[type(event).TOPIC])
        return handler(dict(doc) if doc else {}, event)


def at(event: Any) -> str:
    return event.timestamp.isoformat()
