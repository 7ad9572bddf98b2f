"""The verifier's check of stored subtree hashes, a range at a time, on a store in memory: every
stored node is compared, and the first one that differs is named, whichever range it is in."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from uuid import UUID

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ledger.verify as verify_module
from ledger.leaf import encode_leaf, event_leaf_hash
from ledger.merkle import leaf_hash, new_nodes
from ledger.verify import EventRow, LeafRow, node_ranges, verify

SIZE = 300


@pytest.fixture(autouse=True)
def small_ranges(monkeypatch):
    """Ranges of 4 nodes, so a small tree has many of them on each level."""
    monkeypatch.setattr(verify_module, "RANGE_BITS", 2)
    monkeypatch.setattr(verify_module, "_RANGE_MASK", 3)


def _digest(nodes: Iterator[tuple[int, bytes]]) -> bytes | None:
    """What PostgreSQL computes for ``StoredNodes.digests``, the way the docstring says."""
    digest = hashlib.sha256()
    for idx, value in nodes:
        if type(value) is not bytes or len(value) != 32:
            return None
        digest.update(idx.to_bytes(8, "big") + value)
    return digest.digest()


class MemoryNodes:
    """``verify.StoredNodes`` over dicts, computing digests as a store without SQL would."""

    def __init__(self, leaves: list[bytes], nodes: dict[tuple[int, int], bytes]) -> None:
        self.leaves, self.stored = leaves, nodes

    def digests(self, size):
        return {(level, start): _digest(self.nodes(level, start, stop))
                for level, start, stop in node_ranges(size)}

    def nodes(self, level, start, stop):
        return iter(sorted((idx, h) for (lv, idx), h in self.stored.items()
                           if lv == level and start <= idx < stop))

    def leaf_hashes(self, start, stop):
        return iter(self.leaves[start:stop])

    def leftover(self, size):
        extra = sorted((lv, idx) for lv, idx in self.stored
                       if not 0 < lv < 63 or (idx + 1) << lv > size)
        if not extra:
            return None
        level, idx = extra[0]
        return (idx << level if 0 < level < 63 else None,
                f"node (level {level}, index {idx}) is stored but never formed")


def log(size: int = SIZE):
    events, leaves = [], []
    for i in range(size):
        oid = hashlib.md5(str(i).encode()).digest()
        digest = event_leaf_hash(oid, i + 1, "kinerja/X", b'{"n": %d}' % i)
        events.append(EventRow(oid, i + 1, digest))
        leaves.append(LeafRow(i, oid, i + 1, digest))
    hashes = [leaf.hash for leaf in leaves]
    nodes = {node: h for node, h in new_nodes(0, hashes, []) if node[0] > 0}
    return events, leaves, MemoryNodes(hashes, nodes)


def check(events, leaves, nodes):
    return verify(events, leaves, [], [], "o", nodes=nodes)


def test_an_untouched_tree_verifies_in_many_ranges():
    events, leaves, nodes = log()
    assert len(list(node_ranges(SIZE))) > 50
    report = check(events, leaves, nodes)
    assert report.ok and report.leaves == SIZE


@pytest.mark.parametrize("node", [(1, 0), (1, 37), (1, 149), (3, 20), (8, 0)])
def test_a_rewritten_node_is_named_in_whichever_range(node):
    events, leaves, nodes = log()
    nodes.stored[node] = b"\x01" * 32
    report = check(events, leaves, nodes)
    first = report.first
    assert first.kind == "node_rewritten" and first.leaf_index == node[1] << node[0]
    assert f"(level {node[0]}, index {node[1]}) is a different hash" in first.detail


def test_of_two_rewritten_nodes_the_one_over_earlier_leaves_is_named():
    events, leaves, nodes = log()
    nodes.stored[(1, 100)] = b"\x01" * 32  # leaves 200-201, in an early range of level 1
    nodes.stored[(6, 2)] = b"\x02" * 32  # leaves 128-191: earlier, though its range is later
    assert check(events, leaves, nodes).first.leaf_index == 128


def test_a_missing_node_and_a_hash_of_the_wrong_size():
    events, leaves, nodes = log()
    del nodes.stored[(2, 9)]
    assert "(level 2, index 9) is missing" in check(events, leaves, nodes).first.detail
    events, leaves, nodes = log()
    nodes.stored[(1, 5)] = b"\x00" * 33
    assert check(events, leaves, nodes).first.leaf_index == 10


def test_a_node_the_tree_never_formed_is_named_after_a_whole_log():
    events, leaves, nodes = log()
    nodes.stored[(1, SIZE)] = b"\x03" * 32
    first = check(events, leaves, nodes).first
    assert first.kind == "node_rewritten" and "never formed" in first.detail


def test_nodes_formed_before_the_walk_stopped_are_still_compared():
    events, leaves, nodes = log()
    events[250] = EventRow(events[250][0], events[250][1], b"\x09" * 32)
    nodes.stored[(2, 10)] = b"\x01" * 32  # leaves 40-43, formed long before leaf 250
    report = check(events, leaves, nodes)
    assert [f.kind for f in sorted(report.findings, key=lambda f: f.leaf_index)] == [
        "node_rewritten", "content_changed"]
    assert report.first.leaf_index == 40
    events, leaves, nodes = log()
    events[250] = EventRow(events[250][0], events[250][1], b"\x09" * 32)
    nodes.stored[(1, 130)] = b"\x01" * 32  # formed after leaf 250: not compared
    assert [f.kind for f in check(events, leaves, nodes).findings] == ["content_changed"]


@settings(max_examples=60, deadline=None)
@given(oid=st.binary(min_size=16, max_size=16), version=st.integers(0, 2**64 - 1),
       topic=st.text(max_size=80), state=st.binary(max_size=600))
def test_the_one_pass_leaf_hash_is_the_leaf_hash_of_the_canonical_bytes(oid, version, topic,
                                                                        state):
    assert event_leaf_hash(oid, version, topic, state) == leaf_hash(
        encode_leaf(UUID(bytes=oid), version, topic, state))


def test_an_id_of_another_length_is_hashed_as_encode_leaf_encodes_it():
    assert event_leaf_hash(b"\x01" * 15, 1, "t", b"") == leaf_hash(
        encode_leaf(b"\x01" * 15, 1, "t", b""))
