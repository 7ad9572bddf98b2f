"""Each view's documents have exactly the keys its ``document`` TypedDict declares, with values
of the declared types: the declaration (from which the API derives its models) cannot drift
from what the handlers write."""

from __future__ import annotations

import types
from typing import Any, Union, get_args, get_origin, get_type_hints, is_typeddict

import pytest

from domain.errors import DomainError
from domain.inspection import Inspection
from domain.state import ContractState
from projections.view import fold
from projections.views import ALL
from tests.projections.conftest import random_history
from tests.projections.test_views import all_events
from tests.service.scenario import ADMIN


def conforms(value: Any, hint: Any) -> bool:
    """Whether a JSON value is of the declared type (bool is not taken for int)."""
    origin, args = get_origin(hint), get_args(hint)
    if origin in (Union, types.UnionType):
        return any(conforms(value, arg) for arg in args)
    if origin is list:
        return type(value) is list and all(conforms(v, args[0]) for v in value)
    if origin is dict:
        return type(value) is dict and all(conforms(k, args[0]) and conforms(v, args[1])
                                           for k, v in value.items())
    if is_typeddict(hint):  # a nested shape: its keys, each of its type
        fields = get_type_hints(hint)
        return type(value) is dict and value.keys() == fields.keys() and all(
            conforms(value[key], field) for key, field in fields.items())
    if hint is type(None):
        return value is None
    return type(value) is hint


def test_the_checker_tells_types_apart():
    assert conforms(None, str | None) and conforms("x", str | None)
    assert not conforms(True, int) and not conforms(1, bool) and not conforms(1, str)
    assert conforms({"2024": "Baik"}, dict[str, str]) and not conforms({"a": 1}, dict[str, str])
    assert conforms(["a"], list[str]) and not conforms([1], list[str])
    assert conforms({"start": "a", "end": "b"}, ContractState)
    assert not conforms({"start": "a"}, ContractState)
    assert not conforms({"start": "a", "end": 1}, ContractState)




@pytest.mark.parametrize("view", ALL, ids=lambda view: view.name)
def test_each_document_has_the_declared_keys_and_types(view, app, clock):
    for seed in (3, 7, 11):
        random_history(app, clock, seed)
    for event in all_events(app):  # random histories leave inspections open
        if type(event) is Inspection.Recorded:
            try:
                app.close_inspection(type(ADMIN)(event.actor, "inspector"), event.originator_id)
            except DomainError:
                pass  # one with a follow-up still open stays open
    docs = fold(view, all_events(app)).values()
    declared = view.document
    hints = get_type_hints(declared)
    required, optional = declared.__required_keys__, declared.__optional_keys__
    assert docs, f"{view.name}: the history wrote no documents to check"
    for doc in docs:
        assert required <= doc.keys() <= hints.keys(), (
            view.name, doc.keys() - hints.keys(), required - doc.keys())
        wrong = {key: value for key, value in doc.items() if not conforms(value, hints[key])}
        assert not wrong, (view.name, wrong)
    # Each key a document may leave out is written by some document here, so its type is checked.
    assert optional <= set().union(*(doc.keys() for doc in docs)), (view.name, optional)
