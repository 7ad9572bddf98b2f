"""Every aggregate and every event class of ours, and the rule for code that reads events.

A reader of the log (a view, the timeline) names the event classes it handles and those it
deliberately ignores, so that a new event class forces a decision in each reader instead of
being passed over in silence (tests/projections/test_completeness.py). Event classes are the
one key: a reader's topics are derived from them, never typed.
"""

from __future__ import annotations

from collections.abc import Iterable

from domain.base import Record
from domain.calendar import PeriodCalendar
from domain.evaluation import Evaluation
from domain.inspection import Inspection
from domain.keberatan import Keberatan
from domain.organisation import Employee, Unit
from domain.skm import Survey

AGGREGATES: tuple[type[Record], ...] = (
    Unit, Employee, Evaluation, Keberatan, Inspection, Survey, PeriodCalendar)


def events_of(aggregate: type[Record]) -> tuple[type[Record.Event], ...]:
    """The event classes an aggregate declares. The library nests a copy of the base event
    class in each aggregate; it has no fixed topic and is never recorded."""
    return tuple(value for value in vars(aggregate).values()
                 if isinstance(value, type) and issubclass(value, Record.Event)
                 and getattr(value, "TOPIC", None))


AGGREGATE_OF: dict[type, type[Record]] = {
    event: aggregate for aggregate in AGGREGATES for event in events_of(aggregate)}
EVENTS: tuple[type[Record.Event], ...] = tuple(AGGREGATE_OF)


def topics(event_classes: Iterable[type]) -> frozenset[str]:
    """The stored topics of these event classes (what the log is filtered by)."""
    return frozenset(_topic(event_class) for event_class in event_classes)


def _topic(event_class: type) -> str:
    """The fixed topic an event class of ours declares. Readers key their handlers by plain
    ``type``, so it is looked up, and a class without one is refused as before."""
    topic = getattr(event_class, "TOPIC", None)
    if not isinstance(topic, str):
        raise AttributeError(f"{event_class.__qualname__} has no fixed TOPIC")
    return topic


def check_decisions(reader: str, handled: Iterable[type], ignored: Iterable[type]) -> None:
    """Refuse, when the reader is defined, what cannot be right: a class that is no event of
    ours (say, the nested base event), one both handled and ignored, or a whole aggregate
    ignored while some of its events are handled (then each of them must be decided)."""
    handles, ignores = set(handled), set(ignored)
    for event_class in handles | (ignores - set(AGGREGATES)):
        if event_class not in AGGREGATE_OF:
            raise TypeError(f"{reader}: {event_class!r} is no event class of any aggregate")
    if both := handles & ignores:
        raise TypeError(f"{reader}: both handles and ignores {_names(both)}")
    if touched := {AGGREGATE_OF[x] for x in handles} & ignores:
        raise TypeError(f"{reader}: handles some events of {_names(touched)}, so it must "
                        "name each of the others it ignores, not the whole aggregate")


def undecided(handled: Iterable[type], ignored: Iterable[type]) -> list[type]:
    """The event classes neither handled nor ignored (ignoring an aggregate ignores all its
    events): each is a decision the reader has not made."""
    decided = set(handled) | set(ignored)
    return [event for event in EVENTS
            if event not in decided and AGGREGATE_OF[event] not in decided]


def _names(classes: Iterable[type]) -> str:
    return ", ".join(sorted(c.__qualname__ for c in classes))
