"""What every aggregate and event of ours shares: who, when, why, and a fixed topic.

Commands take a ``Meta`` (built once per request by the application from the authenticated
identity and the clock) and pass it to ``_record``; events never read clocks or settings.
Aggregate state is kept to JSON values (str, int, float, bool, None, list, dict) so that a
snapshot reloads to exactly the state that was saved.
"""

from __future__ import annotations

import re
import unicodedata
from copy import deepcopy
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Any, ClassVar, Self
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate
from eventsourcing.domain import Snapshot as LibrarySnapshot
from eventsourcing.utils import register_topic

from domain.errors import DomainError, InvalidValueError, ReasonRequiredError
from domain.limits import MAX_REASON, MAX_TEXT

NAMESPACE = UUID("6f1c1f2e-3b1a-5a0e-9d0a-6b696e65726a")  # "kinerja" ids are uuid5 in this space
WIB = timezone(timedelta(hours=7), "WIB")  # Asia/Jakarta, which keeps no daylight saving


def stable_id(*parts: str) -> UUID:
    """A deterministic id from natural keys, so registering twice is a conflict, not a twin."""
    return uuid5(NAMESPACE, "/".join(parts))


@dataclass(frozen=True)
class Meta:
    """Who did it, when, why, and under which request: recorded on every event."""

    actor: str  # NIP or service id
    role: str
    at: datetime  # UTC
    request_id: str
    reason: str = ""

    def __post_init__(self) -> None:
        if self.at.tzinfo is None or self.at.utcoffset() != timezone.utc.utcoffset(None):
            raise InvalidValueError("event time must be UTC")
        object.__setattr__(self, "reason", text(self.reason, "reason", required=False,
                                                limit=MAX_REASON))

    def stamp(self) -> dict[str, Any]:
        """The metadata of an event: when, and the fields Record.Event declares, same-named here."""
        return {"timestamp": self.at, **{name: getattr(self, name) for name in STAMPED}}

    def require_reason(self) -> None:
        if not self.reason.strip():
            raise ReasonRequiredError("this change must say why (reason)")


def local_day(at: datetime) -> date:
    """The date in Asia/Jakarta (WIB) of a moment: the day a rule counts in."""
    return at.astimezone(WIB).date()


def text(value: str, name: str, *, required: bool = True, limit: int = MAX_TEXT) -> str:
    """Validate free text at the command boundary (never inside an event): the text as it is
    recorded (``readable``)."""
    if not isinstance(value, str):
        raise InvalidValueError(f"{name} must be text")
    if required and not value.strip():
        raise InvalidValueError(f"{name} is required")
    return readable(value, name, limit=limit)


# Characters nobody sees: format marks (zero-width space and joiners, bidi controls), spaces
# of every width, and unassigned or private ones.
INVISIBLE = frozenset({"Cf", "Zs", "Zl", "Zp", "Co", "Cn"})
LINE_BREAKS = "\n\r\t"  # the only control characters a multi-line text keeps
# Unicode's control characters (category Cc: U+0000-U+001F, U+007F-U+009F), with and without
# the line breaks; and any plainly visible ASCII character (then the text is not invisible).
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_CONTROLS_OR_BREAKS = re.compile("[\x00-\x1f\x7f-\x9f]")
_PLAIN_VISIBLE = re.compile("[!-~]")


def readable(value: str, name: str, *, limit: int, multiline: bool = True,
             error: type[DomainError] = InvalidValueError) -> str:
    """Text people will read on a record they cannot change: normalised (NFC, so the same
    words are the same bytes), bounded, without control characters (line breaks aside, where
    ``multiline``), and never only invisible characters."""
    # Most text is plain: the checks below run at C speed on it (every comment pays them).
    normalised = value if unicodedata.is_normalized("NFC", value) else unicodedata.normalize(
        "NFC", value)
    if len(normalised) > limit:
        raise error(f"{name} is at most {limit} characters")
    if (_CONTROLS if multiline else _CONTROLS_OR_BREAKS).search(normalised):
        raise error(f"{name} may not contain control characters")
    visible = normalised.strip()
    if visible and not _PLAIN_VISIBLE.search(visible) and all(
            unicodedata.category(c) in INVISIBLE or c in LINE_BREAKS for c in visible):
        raise error(f"{name} must contain visible text, not only invisible characters")
    return normalised


class Snapshot(LibrarySnapshot):
    """Restores the base timestamps, which JSON keeps as text."""

    def mutate(self, _: None) -> Any:
        aggregate = super().mutate(None)
        for name in ("_created_on", "_modified_on"):
            value = aggregate.__dict__[name]
            if isinstance(value, str):
                aggregate.__dict__[name] = datetime.fromisoformat(value)
        return aggregate


register_topic("kinerja/Snapshot", Snapshot)


class Record(Aggregate):
    """Base of our aggregates: events carry who, when and why."""

    TOPIC: ClassVar[str]

    def __deepcopy__(self, memo: dict[int, Any]) -> Record:
        # The application copies every aggregate it hands out of its cache. The state is JSON
        # values, so copying dicts and lists and sharing immutable leaves is a whole copy, at
        # a seventh of what the generic deepcopy costs.
        copied = object.__new__(type(self))
        copied.__dict__.update({name: _copy(value) for name, value in self.__dict__.items()})
        return copied

    class Event(Aggregate.Event):
        actor: str
        role: str
        request_id: str
        reason: str

    class Created(Event, Aggregate.Created):
        """Base of our creation events; each aggregate names its own subclass."""

    @classmethod
    def _begin(cls, event_class: type[Created], meta: Meta, id: UUID, **fields: Any) -> Self:
        return cls._create(event_class, id=id, **meta.stamp(), **fields)

    def _record(self, event_class: type[Record.Event], meta: Meta, **fields: Any) -> None:
        stamp = meta.stamp()
        # Time never runs backwards within a record (a clock behind the last event, e.g. on
        # another host, records 1 µs after it), so "as of a moment" is a clean cut.
        if stamp["timestamp"] <= self.modified_on:
            stamp["timestamp"] = self.modified_on + timedelta(microseconds=1)
        self.trigger_event(event_class, **stamp, **fields)


# Every event's metadata, as against what it says: the library's (which record, which version,
# when, the record's class on creation, the event class's version) and ours, declared once by
# Record.Event and filled by Meta.stamp.
STAMPED = tuple(Record.Event.__annotations__)
EVENT_METADATA = frozenset({"originator_id", "originator_version", "timestamp",
                            "originator_topic", "class_version", *STAMPED})

IMMUTABLE = frozenset({str, int, float, bool, type(None), datetime, date, UUID})


def _copy(value: Any) -> Any:
    kind = type(value)
    if kind is dict:
        return {key: _copy(item) for key, item in value.items()}
    if kind is list:
        return [_copy(item) for item in value]
    return value if kind in IMMUTABLE else deepcopy(value)


# Lift the base creation event out of the class: the library copies every nested event class of
# a base into each subclass, and a copy would have no fixed topic.
Created = Record.Created
del Record.Created


Record.Snapshot = Snapshot
