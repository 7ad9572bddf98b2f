"""The verifier's walk compares whole chunks of events and leaves at once, and walks a chunk
that does not match leaf by leaf: for any log and any tampering, it must find exactly what the
leaf-by-leaf walk alone finds, with the same tree and the same checkpoints checked."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ledger.verify as verify_module
from ledger.merkle import CompactRange, leaf_hash
from ledger.verify import _Tree, _Walk

TAMPERINGS = ("none", "content", "drop_event", "drop_leaf", "swap_events", "extra_event",
              "renumber_leaf", "forged_root")


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch):
    monkeypatch.setattr(verify_module, "CHUNK", 7)


def honest_log(size: int) -> tuple[list[tuple], list[tuple]]:
    events, leaves = [], []
    for i in range(size):
        oid, digest = i.to_bytes(16, "big"), leaf_hash(b"event %d" % i)
        events.append((oid, 1, digest))
        leaves.append((i, oid, 1, digest))
    return events, leaves


def tamper(events: list, leaves: list, how: str, at: int) -> None:
    at = min(at, len(events) - 1)
    if how == "content":
        events[at] = (*events[at][:2], leaf_hash(b"changed"))
    elif how == "drop_event":
        del events[at]
    elif how == "drop_leaf":
        del leaves[at]
    elif how == "swap_events" and at + 1 < len(events):
        events[at], events[at + 1] = events[at + 1], events[at]
    elif how == "extra_event":
        events.insert(at, (b"\xff" * 16, 1, leaf_hash(b"forged")))
    elif how == "renumber_leaf":
        leaves[at] = (leaves[at][0] + 1, *leaves[at][1:])


def signed_roots(size: int, every: int, forged_at: int | None) -> dict[int, bytes]:
    tree, roots = CompactRange(), {}
    for i, (_, _, _, digest) in enumerate(honest_log(size)[1]):
        tree.push(digest)
        if (i + 1) % every == 0:
            roots[i + 1] = tree.root()
    if forged_at is not None and roots:
        size = sorted(roots)[forged_at % len(roots)]
        roots[size] = leaf_hash(b"not the root")
    return roots


def walked(events, leaves, signed, chunked: bool, record: bool):
    tree = _Tree(record=record)
    walk = _Walk(iter(events), iter(leaves))
    found = (walk.run if chunked else walk.one_by_one)(tree, signed, None)
    return found, tree.size, tree.root(), walk.verified_size


@settings(max_examples=300, deadline=None)
@given(size=st.integers(1, 40), how=st.sampled_from(TAMPERINGS), at=st.integers(0, 39),
       every=st.integers(1, 12), record=st.booleans())
def test_chunked_walk_finds_what_the_leaf_by_leaf_walk_finds(size, how, at, every, record):
    signed = signed_roots(size, every, at if how == "forged_root" else None)
    events, leaves = honest_log(size)
    tamper(events, leaves, how, at)
    chunked = walked(list(events), list(leaves), signed, chunked=True, record=record)
    assert chunked == walked(events, leaves, signed, chunked=False, record=record)
    if how == "none":
        assert chunked[0] is None and chunked[1] == size
    elif how in ("content", "drop_event", "drop_leaf", "extra_event", "renumber_leaf"):
        assert chunked[0] is not None
