"""The verifier: proves from the stored parts alone that no event was altered, removed, added
or reordered, and names the first place where one was.

It reads two streams, events in commit order and leaf records in leaf order, recomputes every
leaf hash and the whole tree, compares each stored subtree hash (when given), and checks every
signed checkpoint against the recomputed root at its size. Standard library plus
``cryptography`` only, so an auditor can read all of it: this file, leaf.py, merkle.py, note.py.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from itertools import islice, zip_longest
from typing import Callable, Iterable, Iterator, NamedTuple, Sequence
from uuid import UUID

from ledger.merkle import CompactRange, leaf_hash
from ledger.note import Checkpoint, NoteError, UnknownKeyError, Verifier, open_checkpoint

LOOKAHEAD = 1_000  # how far to look to tell a reordering from an insertion or a deletion

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
    """A stored event in commit order, as canonical leaf bytes (ids are the 16 UUID bytes)."""

    originator_id: bytes
    originator_version: int
    leaf: bytes


class LeafRow(NamedTuple):
    index: int
    originator_id: bytes
    originator_version: int
    hash: bytes


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

    def as_dict(self) -> dict:
        first = self.first
        return {"ok": self.ok, "leaves": self.leaves, "checkpoints": self.checkpoints,
                "first_failure": asdict(first) if first else None,
                "findings": [asdict(f) for f in self.findings]}


def finding(kind: str, index: int | None, key: tuple | None, detail: str) -> Finding:
    oid, version = key if key else (None, None)
    return Finding(kind, index, str(UUID(bytes=oid)) if oid else None, version, detail)


def verify(events: Iterable[EventRow], leaves: Iterable[LeafRow], checkpoints: Sequence[str],
           verifiers: Sequence[Verifier], origin: str, *,
           nodes: Callable[[int], Iterator[tuple[int, bytes]]] | None = None,
           node_levels: int = 0, progress: Callable[[int], None] | None = None) -> Report:
    report = Report(checkpoints=len(checkpoints))
    signed = _signed_roots(checkpoints, verifiers, origin, report)
    tree = CompactRange()
    stored_nodes = _NodeCheck(nodes, node_levels) if nodes else None
    walk = _Walk(iter(events), iter(leaves))
    for index, event, leaf in walk:
        problem = walk.compare(index, event, leaf)
        if problem is None:
            problem = _add(tree, stored_nodes, index, event, leaf)
        if problem is None and tree.size in signed:
            problem = walk.check_root(tree, signed[tree.size])
        if problem:
            report.findings.append(problem)
            break
        if progress and tree.size % 10_000 == 0:
            progress(tree.size)
    else:
        report.findings.extend(_after_walk(tree, signed, stored_nodes))
    report.leaves = tree.size
    return report


def _add(tree: CompactRange, nodes: _NodeCheck | None, index: int, event: EventRow,
         leaf: LeafRow) -> Finding | None:
    computed = leaf_hash(event.leaf)
    if computed != leaf.hash:
        return finding("content_changed", index, event[:2],
                       "recomputed leaf hash differs from the stored one")
    if nodes is None:
        tree.push(computed)
        return None
    formed = tree.append(computed)
    return nodes.check(formed, event) if len(formed) > 1 else None


def _after_walk(tree: CompactRange, signed: dict[int, bytes], nodes: _NodeCheck | None) -> list[Finding]:
    found = []
    beyond = [size for size in signed if size > tree.size]
    if beyond:
        found.append(finding("truncated", tree.size, None,
                             f"{tree.size} leaves, but a checkpoint signed {max(beyond)}"))
    if nodes:
        found.extend(nodes.leftovers())
    return found


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

    def __init__(self, events: Iterator[EventRow], leaves: Iterator[LeafRow]) -> None:
        self.events, self.leaves = events, leaves
        self.verified_size = 0  # leaves covered by the last checkpoint that matched

    def __iter__(self) -> Iterator[tuple[int, EventRow | None, LeafRow | None]]:
        for index, (event, leaf) in enumerate(zip_longest(self.events, self.leaves)):
            yield index, event, leaf

    def compare(self, index: int, event: EventRow | None, leaf: LeafRow | None) -> Finding | None:
        if leaf is None:
            return finding("extra_event", index, event[:2], "no leaf records this event")
        if event is None:
            return finding("missing_event", index, leaf[1:3], "the log ends before this leaf's event")
        if leaf.index != index:
            return finding("missing_leaf", index, event[:2],
                           f"leaf records jump from {index - 1} to {leaf.index}")
        if event[:2] != leaf[1:3]:
            return self._misplaced(index, event, leaf)
        return None

    def _misplaced(self, index: int, event: EventRow, leaf: LeafRow) -> Finding:
        later_events = {e[:2] for e in islice(self.events, LOOKAHEAD)}
        later_leaves = {lf[1:3] for lf in islice(self.leaves, LOOKAHEAD)}
        key, named = event[:2], leaf[1:3]
        if named in later_events and key in later_leaves:
            return finding("out_of_order", index, named,
                           f"this leaf's event is stored after event {UUID(bytes=key[0])} "
                           f"v{key[1]}")
        if named in later_events:
            return finding("extra_event", index, key, "an event without a leaf is stored here")
        if key in later_leaves:
            return finding("missing_event", index, named, "the event this leaf names is gone")
        return finding("content_changed", index, named,
                       f"the event stored here is {UUID(bytes=key[0])} v{key[1]}, "
                       "not the one the leaf names")

    def check_root(self, tree: CompactRange, root: bytes) -> Finding | None:
        start, self.verified_size = self.verified_size, tree.size
        if tree.root() == root:
            return None
        return finding("history_rewritten", start, None,
                       f"the checkpoint signed for size {tree.size} does not match the leaves;"
                       f" the change lies in leaves {start}..{tree.size - 1}")


class _NodeCheck:
    """Stored subtree hashes, one ordered stream per level, compared as the tree forms them."""

    def __init__(self, nodes: Callable[[int], Iterator[tuple[int, bytes]]], levels: int) -> None:
        self.source, self.levels = nodes, levels
        self.streams: dict[int, Iterator[tuple[int, bytes]]] = {}

    def check(self, formed: list, event: EventRow) -> Finding | None:
        for (level, idx), computed in formed[1:]:
            stored = next(self._stream(level), None)
            if stored != (idx, computed):
                first_leaf = idx << level
                return finding("node_rewritten", first_leaf, None,
                               f"node (level {level}, index {idx}) is {_describe(stored, idx)}")
        return None

    def leftovers(self) -> list[Finding]:
        for level in range(1, max(self.levels, len(self.streams)) + 1):
            extra = next(self._stream(level), None)
            if extra is not None:
                return [finding("node_rewritten", extra[0] << level, None,
                                f"node (level {level}, index {extra[0]}) is stored but never formed")]
        return []

    def _stream(self, level: int) -> Iterator[tuple[int, bytes]]:
        if level not in self.streams:
            self.streams[level] = self.source(level)
        return self.streams[level]


def _describe(stored: tuple[int, bytes] | None, idx: int) -> str:
    if stored is None:
        return "missing"
    return "a different hash" if stored[0] == idx else f"missing (next stored is index {stored[0]})"
