"""A view whose behaviour is one small method per event class, marked ``@on(EventClass)``.

The view's topics are derived from the classes it handles; ``ignores`` names the ones it
deliberately skips (an event class, or a whole aggregate none of whose events concern it), so
that a new event class is a decision for every view (domain.events).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, ClassVar, TypeVar

from domain.events import check_decisions, topics
from projections.view import Doc, View

Handler = TypeVar("Handler", bound=Callable[..., Doc])


def on(*event_classes: type) -> Callable[[Handler], Handler]:
    """Marks a method as the view's fold of these event classes: ``(self, doc, event) -> doc``."""
    def mark(method: Handler) -> Handler:
        method.folds = event_classes  # type: ignore[attr-defined]
        return method
    return mark


class EventView(View):
    """Dispatches on the event's class; ``key_of`` names the document an event touches."""

    ignores: ClassVar[tuple[type, ...]] = ()
    # The TypedDict declaring the documents the handlers write: their keys and value types
    # (the API derives its models from it; tests/projections checks the folds against it).
    document: ClassVar[type] = dict
    handlers: ClassVar[dict[type, Callable[..., Doc]]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        own: dict[type, Callable[..., Doc]] = {}
        for method in vars(cls).values():
            for event_class in getattr(method, "folds", ()):
                if event_class in own:
                    raise TypeError(f"{cls.__name__}: two methods handle "
                                    f"{event_class.__qualname__}")
                own[event_class] = method
        cls.handlers = cls.handlers | own  # a subclass of a view keeps what it does not redo
        check_decisions(cls.__name__, cls.handlers, cls.ignores)
        cls.topics = topics(cls.handlers)

    def keys(self, event: Any) -> Iterable[str]:
        return (self.key_of(event),)

    def key_of(self, event: Any) -> str:
        return str(event.originator_id)

    def apply(self, key: str, doc: Doc | None, event: Any) -> Doc | None:
        return self.handlers[type(event)](self, dict(doc) if doc else {}, event)


def at(event: Any) -> str:
    return event.timestamp.isoformat()
