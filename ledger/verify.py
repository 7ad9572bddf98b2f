"""The verifier: proves from the stored parts alone that no event was altered, removed, added
or reordered, and names the first place where one was.

It reads two streams, events in commit order and leaf records in leaf order, and walks them side
by side: the k-th event must be the k-th leaf's, and the leaf hash recomputed from the event as
stored must equal the stored one. Each event arrives with that recomputed hash, made by whoever
read it: ``bundle.read_events`` hashes the leaf bytes of a bundle, ``audit.event_rows`` the row
of a database (``leaf.event_leaf_hash``). The walk rebuilds the whole tree from those hashes and
checks every signed checkpoint against the rebuilt root at its size. When given the stored
subtree hashes, it compares them with the rebuilt ones a range at a time (one SHA-256 over each
range's nodes, each side) and reads a range that differs node by node to name the first one.
Standard library plus ``cryptography`` only, so an auditor can read all of it: this file,
leaf.py, merkle.py, note.py.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from itertools import chain, islice, zip_longest
from typing import Any, NamedTuple, Protocol
from uuid import UUID

from ledger.merkle import CompactRange
from ledger.note import Checkpoint, NoteError, UnknownKeyError, Verifier, open_checkpoint

CHUNK = 4_096  # events and leaves compared at a time
LOOKAHEAD = 1_000  # how far to look to tell a reordering from an insertion or a deletion
RANGE_BITS = 14  # stored nodes are compared 2**14 of one level at a time
_RANGE_MASK = (1 << RANGE_BITS) - 1
_sha256 = hashlib.sha256
TOP_LEVEL = 62  # the highest level a tree of fewer than 2**63 leaves has

KINDS = {
    "content_changed": "the stored event no longer matches its leaf hash",
    "missing_event": "a leaf names an event that is no longer stored",
    "extra_event": "an event is stored that has no leaf in the log",
    "out_of_order": "events are stored in a different order than their leaves",
    "missing_leaf": "a leaf record is missing from the log",
    "node_rewritten": "a stored subtree hash differs from the one the leaves form",
    "checkpoint_forged": "a checkpoint's signature does not verify",
    "unknown_key": "a checkpoint is signed by no trusted key",
    "history_rewritten": "the leaves no longer give the root a checkpoint signed",
    "truncated": "the log is shorter than a signed checkpoint",
}


class EventRow(NamedTuple):
    """A stored event in commit order: its key, and SHA-256(0x00 || canonical leaf bytes) of the
    event exactly as stored. Ids are the 16 UUID bytes, or the store's own text for them; either
    way the same form as the leaf records', as they are compared as given. (Readers may give
    these rows, and ``LeafRow``s, as plain tuples in the same order.)"""

    originator_id: bytes | str
    originator_version: int
    leaf_hash: bytes


class LeafRow(NamedTuple):
    # A field named ``index`` hides tuple.index (mypy says so); callers read ``row.index``.
    index: int  # type: ignore[assignment]
    originator_id: bytes | str
    originator_version: int
    hash: bytes


# The rows the walk takes: an ``EventRow``'s or a ``LeafRow``'s fields in order, as plain tuples
# from a cursor or a struct, or as the NamedTuple itself (which is such a tuple).
EventFields = tuple[bytes | str, int, bytes]
LeafFields = tuple[int, bytes | str, int, bytes]
Key = tuple[bytes | str, int]  # an event's id and version


class StoredNodes(Protocol):
    """The stored subtree hashes (level >= 1) and leaf hashes, as the node check reads them."""

    def digests(self, size: int) -> dict[tuple[int, int], bytes | None]:
        """For each ``(level, start, stop)`` of ``node_ranges(size)``, keyed ``(level, start)``:
        SHA-256 over ``idx (uint64, big-endian) || hash`` of the stored nodes of that level with
        start <= idx < stop, in idx order; None where a stored hash is not 32 bytes."""

    def nodes(self, level: int, start: int, stop: int) -> Iterator[tuple[int, bytes]]:
        """The stored ``(idx, hash)`` of ``level`` with start <= idx < stop, in idx order."""

    def leaf_hashes(self, start: int, stop: int) -> Iterator[bytes]:
        """The stored leaf hashes from index ``start`` up to ``stop``, in order."""

    def leftover(self, size: int) -> tuple[int | None, str] | None:
        """A stored hash that no tree of ``size`` leaves has, if there is one: the first leaf it
        concerns (None if none) and what it is, in words."""


def node_ranges(size: int) -> Iterator[tuple[int, int, int]]:
    """``(level, start, stop)``: the nodes a tree of ``size`` leaves has formed, by range."""
    for level in range(1, size.bit_length()):
        count = size >> level
        for start in range(0, count, 1 << RANGE_BITS):
            yield level, start, min(start + (1 << RANGE_BITS), count)


@dataclass(frozen=True)
class Finding:
    kind: str
    leaf_index: int | None
    originator_id: str | None
    originator_version: int | None
    detail: str

    def describe(self) -> str:
        where = f"leaf {self.leaf_index}" if self.leaf_index is not None else "the log"
        event = (f" (event {self.originator_id} v{self.originator_version})"
                 if self.originator_id else "")
        return f"{where}{event}: {KINDS[self.kind]}: {self.detail}"


@dataclass
class Report:
    leaves: int = 0
    checkpoints: int = 0
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.findings

    @property
    def first(self) -> Finding | None:
        return min(self.findings, key=lambda f: (f.leaf_index is None, f.leaf_index or 0),
                   default=None)

    def as_dict(self) -> dict[str, Any]:
        first = self.first
        return {"ok": self.ok, "leaves": self.leaves, "checkpoints": self.checkpoints,
                "first_failure": asdict(first) if first else None,
                "findings": [asdict(f) for f in self.findings]}


def finding(kind: str, index: int | None, key: Key | None, detail: str) -> Finding:
    oid, version = key if key else (None, None)
    return Finding(kind, index, _uuid(oid) if oid is not None else None, version, detail)


def _uuid(oid: bytes | str) -> str:
    try:
        return str(UUID(bytes=oid) if isinstance(oid, bytes) else UUID(oid))
    except ValueError:  # a stored id that is not a UUID at all: show it as it is
        return repr(oid)


def verify(events: Iterable[EventFields], leaves: Iterable[LeafFields],
           checkpoints: Sequence[str], verifiers: Sequence[Verifier], origin: str, *,
           nodes: StoredNodes | None = None,
           progress: Callable[[int], None] | None = None) -> Report:
    report = Report(checkpoints=len(checkpoints))
    signed = _signed_roots(checkpoints, verifiers, origin, report)
    tree = _Tree(record=nodes is not None)
    problem = _Walk(iter(events), iter(leaves)).run(tree, signed, progress)
    if problem:
        report.findings.append(problem)
    elif beyond := [size for size in signed if size > tree.size]:
        report.findings.append(finding(
            "truncated", tree.size, None,
            f"{tree.size} leaves, but a checkpoint signed {max(beyond)}"))
    if nodes is not None:
        report.findings.extend(_check_nodes(nodes, tree, whole_log=problem is None))
    report.leaves = tree.size
    return report


def _signed_roots(notes: Sequence[str], verifiers: Sequence[Verifier], origin: str,
                  report: Report) -> dict[int, bytes]:
    """Checkpoints whose signatures verify, by size; the others become findings."""
    roots: dict[int, bytes] = {}
    for note in notes:
        try:
            checkpoint = open_checkpoint(note, origin, verifiers)
        except NoteError as e:
            kind = "unknown_key" if isinstance(e, UnknownKeyError) else "checkpoint_forged"
            size = _claimed_size(note)
            report.findings.append(finding(kind, size - 1 if size else None, None,
                                           f"checkpoint for size {size}: {e}"))
            continue
        roots[checkpoint.size] = checkpoint.root
    return roots


def _claimed_size(note: str) -> int | None:
    try:
        return Checkpoint.parse(note[: note.find("\n\n") + 1]).size
    except (NoteError, ValueError):
        return None


class _Walk:
    """Events in commit order beside leaves in leaf order: the k-th of each must match."""

    def __init__(self, events: Iterator[EventFields], leaves: Iterator[LeafFields]) -> None:
        self.events, self.leaves = events, leaves
        self.verified_size = 0  # leaves covered by the last checkpoint that matched

    def run(self, tree: _Tree, signed: dict[int, bytes],
            progress: Callable[[int], None] | None) -> Finding | None:
        """Add every leaf to ``tree``; the first problem ends the walk. A chunk where every
        event matches its leaf (the usual case) is checked with whole-list comparisons; a chunk
        that does not is walked leaf by leaf, to find and name the first problem."""
        sizes = sorted(signed)
        while True:
            events = list(islice(self.events, CHUNK))
            leaves = list(islice(self.leaves, CHUNK))
            if not events and not leaves:
                return None
            if not _chunk_matches(tree.size, events, leaves):
                self.events, self.leaves = chain(events, self.events), chain(leaves, self.leaves)
                return self.one_by_one(tree, signed, progress)
            start = tree.size
            inside = sizes[bisect_right(sizes, start):bisect_right(sizes, start + len(events))]
            for stop in inside:
                tree.extend([event[2] for event in events[tree.size - start:stop - start]])
                if problem := self.check_root(tree, signed[stop]):
                    return problem
            tree.extend([event[2] for event in events[tree.size - start:]])
            if progress:
                progress(tree.size)

    def one_by_one(self, tree: _Tree, signed: dict[int, bytes],
                   progress: Callable[[int], None] | None) -> Finding | None:
        for index, (event, leaf) in enumerate(zip_longest(self.events, self.leaves), tree.size):
            if (event is None or leaf is None or leaf[0] != index or event[0] != leaf[1]
                    or event[1] != leaf[2]):
                problem = self.compare(index, event, leaf)
                if problem:
                    return problem
            if event[2] != leaf[3]:
                return finding("content_changed", index, event[:2],
                               "recomputed leaf hash differs from the stored one")
            tree.add(event[2])
            if tree.size in signed and (problem := self.check_root(tree, signed[tree.size])):
                return problem
            if progress and not tree.size % 10_000:
                progress(tree.size)
        return None

    def compare(self, index: int, event: EventFields | None,
                leaf: LeafFields | None) -> Finding | None:
        if leaf is None:
            assert event is not None  # zip_longest never pairs two Nones
            return finding("extra_event", index, event[:2], "no leaf records this event")
        if event is None:
            return finding("missing_event", index, leaf[1:3],
                           "the log ends before this leaf's event")
        if leaf[0] != index:
            return finding("missing_leaf", index, event[:2],
                           f"leaf records jump from {index - 1} to {leaf[0]}")
        if event[:2] != leaf[1:3]:
            return self._misplaced(index, event, leaf)
        return None

    def _misplaced(self, index: int, event: EventFields, leaf: LeafFields) -> Finding:
        later_events = {e[:2] for e in islice(self.events, LOOKAHEAD)}
        later_leaves = {lf[1:3] for lf in islice(self.leaves, LOOKAHEAD)}
        key, named = event[:2], leaf[1:3]
        if named in later_events and key in later_leaves:
            return finding("out_of_order", index, named,
                           f"this leaf's event is stored after event {_uuid(key[0])} v{key[1]}")
        if named in later_events:
            return finding("extra_event", index, key, "an event without a leaf is stored here")
        if key in later_leaves:
            return finding("missing_event", index, named, "the event this leaf names is gone")
        return finding("content_changed", index, named,
                       f"the event stored here is {_uuid(key[0])} v{key[1]}, "
                       "not the one the leaf names")

    def check_root(self, tree: CompactRange, root: bytes) -> Finding | None:
        start, self.verified_size = self.verified_size, tree.size
        if tree.root() == root:
            return None
        return finding("history_rewritten", start, None,
                       f"the checkpoint signed for size {tree.size} does not match the leaves;"
                       f" the change lies in leaves {start}..{tree.size - 1}")


def _chunk_matches(first: int, events: list[EventFields], leaves: list[LeafFields]) -> bool:
    """Leaves numbered ``first`` onwards without a gap, each naming the event beside it and
    holding the leaf hash recomputed from it."""
    return (len(events) == len(leaves)
            and [leaf[0] for leaf in leaves] == list(range(first, first + len(leaves)))
            and events == [leaf[1:] for leaf in leaves])  # rows are tuples


class _Tree(CompactRange):
    """The rebuilt tree. With ``record``, it also keeps a running digest of the nodes it forms,
    one per range of ``node_ranges``, in the form ``StoredNodes.digests`` gives."""

    def __init__(self, record: bool) -> None:
        super().__init__()
        self.record = record
        self.add = self._add_recording if record else self.push
        self.digests: dict[tuple[int, int], Any] = {}  # (level, start) -> hashlib object
        self._open: dict[int, Any] = {}  # level -> the digest of its newest range

    def _add_recording(self, current: bytes) -> None:
        stack, idx, level, ranges = self.stack, self.size, 0, self._open
        while idx & 1:  # leaf ``size`` completes one node per trailing one-bit of ``size``
            current = _sha256(b"\x01" + stack.pop() + current).digest()  # merkle.node_hash
            idx, level = idx >> 1, level + 1
            if not idx & _RANGE_MASK:
                self.digests[level, idx] = ranges[level] = _sha256()
            ranges[level].update(idx.to_bytes(8, "big") + current)
        stack.append(current)
        self.size += 1

    def extend(self, hashes: Iterable[bytes],
               formed: list[tuple[int, int, bytes]] | None = None) -> None:
        if not self.record:
            super().extend(hashes, formed)
            return
        if formed is not None:
            raise TypeError("a recording tree does not report the nodes it forms")
        for current in hashes:
            self._add_recording(current)

    def digest(self, level: int, start: int) -> bytes | None:
        formed = self.digests.get((level, start))
        return formed.digest() if formed else None


def _check_nodes(nodes: StoredNodes, tree: _Tree, whole_log: bool) -> list[Finding]:
    """Every stored node the walk formed a node for must equal it; after a whole log, no other
    node may be stored."""
    stored = nodes.digests(tree.size)
    differ = [(level, start, stop) for level, start, stop in node_ranges(tree.size)
              if stored.get((level, start)) != tree.digest(level, start)]
    first: tuple[int, Finding] | None = None  # the first leaf it concerns, and the finding
    for level, start, stop in sorted(differ, key=lambda r: r[1] << r[0]):  # by their first leaf
        if first and first[0] <= start << level:
            break
        found = _first_difference(nodes, level, start, stop)
        if found and (first is None or found[0] < first[0]):
            first = found
    if first:
        return [first[1]]
    if whole_log and (extra := nodes.leftover(tree.size)):
        leaf_index, detail = extra
        return [finding("node_rewritten", leaf_index, None, detail)]
    return []


def _first_difference(nodes: StoredNodes, level: int, start: int,
                      stop: int) -> tuple[int, Finding] | None:
    """Rebuild a range's nodes from the stored leaf hashes (the walk found each equal to the one
    recomputed from its event) and name the first stored node that differs, with the first leaf
    below it."""
    rebuilt = _subtrees(nodes.leaf_hashes(start << level, stop << level), level)
    stored = nodes.nodes(level, start, stop)
    for idx, (computed, found) in enumerate(zip_longest(rebuilt, stored), start):
        if found != (idx, computed):
            return idx << level, finding(
                "node_rewritten", idx << level, None,
                f"node (level {level}, index {idx}) is {_describe(found, idx)}")
    return None


def _subtrees(leaf_hashes: Iterable[bytes], level: int) -> Iterator[bytes]:
    """The hashes of the perfect subtrees of ``2**level`` consecutive leaves, left to right."""
    tree = CompactRange()
    for leaf_hash in leaf_hashes:
        for (formed_level, _), formed in tree.append(leaf_hash):
            if formed_level == level:
                yield formed


def _describe(stored: tuple[int, bytes] | None, idx: int) -> str:
    if stored is None:
        return "missing"
    return "a different hash" if stored[0] == idx else f"missing (next stored is index {stored[0]})"
