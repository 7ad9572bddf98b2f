"""Every view decides about every event class of every aggregate: it handles it or ignores it.

A new event class, or a new aggregate, fails here until each view has decided; a view cannot
name something that is not an event class of ours (a misspelt class does not even import)."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

import pytest
from eventsourcing.utils import resolve_topic

import domain
from domain import events
from domain.base import Record
from domain.evaluation import Evaluation
from domain.events import AGGREGATES, EVENTS, undecided
from domain.keberatan import Keberatan
from domain.organisation import Unit
from projections.views import ALL
from projections.views.base import EventView, on
from projections.views.evaluations import EvaluationsView


def subclasses(root: type) -> set[type]:
    """Every subclass of ``root`` defined in domain/ (all its modules imported)."""
    for module in pkgutil.iter_modules(domain.__path__):
        importlib.import_module(f"domain.{module.name}")
    found, todo = set(), [root]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("domain."):  # not a test's own
                found.add(sub)
    return found


def test_the_catalogue_holds_every_aggregate_and_every_event_class():
    assert subclasses(Record) == set(AGGREGATES)
    recorded = {c for c in subclasses(Record.Event) if getattr(c, "TOPIC", None)}
    assert {resolve_topic(c.TOPIC) for c in recorded} == set(EVENTS)


@pytest.mark.parametrize("view", ALL, ids=lambda view: view.name)
def test_each_view_handles_or_ignores_every_event_class(view):
    assert undecided(view.handlers, view.ignores) == []


@pytest.mark.parametrize("view", ALL, ids=lambda view: view.name)
def test_a_view_reads_the_stored_topics_of_the_classes_it_handles(view):
    assert {resolve_topic(topic) for topic in view.topics} == set(view.handlers)


def test_a_missing_handler_is_caught():
    handlers = {c: h for c, h in EvaluationsView.handlers.items()
                if c is not Evaluation.RatingRevised}
    assert undecided(handlers, EvaluationsView.ignores) == [Evaluation.RatingRevised]


def test_a_new_event_class_is_a_decision_for_each_view_that_reads_its_aggregate(monkeypatch):
    withdrawn = type("Withdrawn", (), {"TOPIC": "kinerja/Evaluation/Withdrawn"})
    monkeypatch.setattr(events, "EVENTS", (*EVENTS, withdrawn))
    monkeypatch.setattr(events, "AGGREGATE_OF", events.AGGREGATE_OF | {withdrawn: Evaluation})
    reading = {view.name for view in ALL if undecided(view.handlers, view.ignores)}
    assert reading == {"evaluations"}  # the others ignore Evaluation as a whole


def refused(message: str, **body) -> None:
    with pytest.raises(TypeError, match=message):
        type("Wrong", (EventView,), {"name": "wrong", **body})


def fold(doc, event):
    return doc


def test_a_view_naming_no_event_of_ours_is_refused_when_defined():
    with pytest.raises(AttributeError):
        on(Evaluation.RatingRevisd)  # type: ignore[attr-defined]
    refused("no event class", on_event=on(Evaluation.Event)(fold))  # the library's nested base
    refused("no event class", ignores=(Record.Event,))


def test_a_view_deciding_twice_or_by_halves_is_refused_when_defined():
    refused("both handles and ignores", on_filed=on(Keberatan.Filed)(fold),
            ignores=(Keberatan.Filed,))
    refused("two methods", a=on(Unit.Established)(fold), b=on(Unit.Established)(fold))
    refused("whole aggregate", on_filed=on(Keberatan.Filed)(fold), ignores=(Keberatan,))


def test_no_topic_is_typed_by_hand_where_events_are_read():
    root = Path(__file__).parents[2]
    typed = [f"{path.relative_to(root)}:{number}"
             for folder in ("projections", "replay") for path in (root / folder).rglob("*.py")
             for number, line in enumerate(path.read_text().splitlines(), 1)
             if '"kinerja/' in line or "'kinerja/" in line]
    assert typed == []
