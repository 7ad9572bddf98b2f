"""RFC 9162 §2.1 Merkle tree over SHA-256: hashing, node arithmetic, proofs, verification.

Storage model: every complete (perfect) subtree is stored once, as it forms, under a node id
``(level, index)``. Level 0 holds the leaf hashes (index = leaf index); node ``(L, i)`` covers
leaves ``[i * 2**L, (i + 1) * 2**L)``. Such a node never changes once formed.

Working out which nodes a root or proof needs is pure arithmetic (``root_nodes``,
``inclusion_nodes``, ``consistency_nodes``), separate from fetching them, so the database can
load all of them in one query. A proof *plan* is a list of groups, one group per proof hash,
deepest first. A group is usually a single stored node; the one exception is a sibling on the
tree's ragged right edge, which is not a perfect subtree and is rebuilt by folding the stored
perfect subtrees that cover it (``fold``: right to left with ``node_hash``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence

HASH_SIZE = 32
NodeId = tuple[int, int]
ProofPlan = list[list[NodeId]]

_sha256 = hashlib.sha256


class ProofError(Exception):
    """A proof could not be built or did not verify; ``code`` names the failed check."""

    code = "proof_error"


class IndexOutOfRangeError(ProofError):
    code = "index_out_of_range"


class InvalidSizesError(ProofError):
    code = "invalid_sizes"


class BadHashSizeError(ProofError):
    code = "bad_hash_size"


class WrongProofSizeError(ProofError):
    code = "wrong_proof_size"


class RootMismatchError(ProofError):
    code = "root_mismatch"

    def __init__(self, message: str, expected: bytes, calculated: bytes) -> None:
        super().__init__(message)
        self.expected = expected
        self.calculated = calculated


class MissingNodeError(ProofError):
    """A node the plan needs is absent from storage: the stored tree is incomplete."""

    code = "missing_node"


# --- hashing ---------------------------------------------------------------------------------

EMPTY_ROOT = _sha256(b"").digest()


def leaf_hash(data: bytes) -> bytes:
    return _sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return _sha256(b"\x01" + left + right).digest()


def fold(hashes: Sequence[bytes]) -> bytes:
    """Combine adjacent subtree hashes right to left, as RFC 9162 MTH does on a ragged edge."""
    result = hashes[-1]
    for left in reversed(hashes[:-1]):
        result = node_hash(left, result)
    return result


# --- which nodes are needed (pure arithmetic) ------------------------------------------------

def _split(n: int) -> int:
    """The largest power of two strictly smaller than n (n > 1): RFC 9162's k."""
    return 1 << ((n - 1).bit_length() - 1)


def _cover(begin: int, end: int) -> list[NodeId]:
    """The perfect subtrees that exactly cover leaves [begin, end), left to right."""
    nodes = []
    while begin < end:
        width = 1 << ((end - begin).bit_length() - 1)
        if begin:
            width = min(width, begin & -begin)  # stay aligned to begin's own subtree
        level = width.bit_length() - 1
        nodes.append((level, begin >> level))
        begin += width
    return nodes


def root_nodes(size: int) -> list[NodeId]:
    """The perfect subtrees of a tree of ``size`` leaves, left to right; ``fold`` them for the
    root."""
    if size < 0:
        raise InvalidSizesError(f"tree size {size} is negative")
    return _cover(0, size)


def inclusion_nodes(index: int, size: int) -> ProofPlan:
    """Plan for RFC 9162 PATH(index, D[0:size]): one group per proof hash, leaf level first."""
    if not 0 <= index < size:
        raise IndexOutOfRangeError(f"leaf index {index} not in a tree of size {size}")
    groups = []
    begin, end = 0, size
    while end - begin > 1:
        mid = begin + _split(end - begin)
        if index < mid:
            groups.append(_cover(mid, end))
            end = mid
        else:
            groups.append(_cover(begin, mid))
            begin = mid
    groups.reverse()
    return groups


def consistency_nodes(size1: int, size2: int) -> ProofPlan:
    """Plan for RFC 9162 PROOF(size1, D[0:size2]); empty when the sizes are equal."""
    _check_consistency_sizes(size1, size2)
    groups = []
    begin, end, whole_old_tree = 0, size2, True
    while size1 != end:
        mid = begin + _split(end - begin)
        if size1 <= mid:
            groups.append(_cover(mid, end))
            end = mid
        else:
            groups.append(_cover(begin, mid))
            begin, whole_old_tree = mid, False
    if not whole_old_tree:  # the verifier knows the old root, but not this inner subtree
        groups.append(_cover(begin, end))
    groups.reverse()
    return groups


def node_ids(plan: Iterable[Iterable[NodeId]]) -> list[NodeId]:
    """Every stored node a plan needs, once each, for a single fetch."""
    return list(dict.fromkeys(node for group in plan for node in group))


def _check_consistency_sizes(size1: int, size2: int) -> None:
    if size1 <= 0:
        raise InvalidSizesError(f"a consistency proof from size {size1} proves nothing")
    if size1 > size2:
        raise InvalidSizesError(f"size1 {size1} is larger than size2 {size2}")


# --- assembling from stored hashes -----------------------------------------------------------

def _lookup(hashes: Mapping[NodeId, bytes], node: NodeId) -> bytes:
    try:
        return hashes[node]
    except KeyError:
        raise MissingNodeError(f"node (level {node[0]}, index {node[1]}) is not stored") from None


def build_proof(plan: ProofPlan, hashes: Mapping[NodeId, bytes]) -> list[bytes]:
    """Turn a plan into proof hashes, folding the groups that stand for a ragged subtree."""
    return [fold([_lookup(hashes, node) for node in group]) for group in plan]


def root_hash(size: int, hashes: Mapping[NodeId, bytes]) -> bytes:
    nodes = root_nodes(size)
    return fold([_lookup(hashes, node) for node in nodes]) if nodes else EMPTY_ROOT


class CompactRange:
    """The perfect subtrees of a growing tree, left to right: enough to append and to root it."""

    def __init__(self, size: int = 0, frontier: Sequence[bytes] = ()) -> None:
        if len(frontier) != size.bit_count():
            raise ValueError(f"a tree of size {size} has {size.bit_count()} frontier hashes")
        _check_hashes(frontier, "frontier")
        self.size, self.stack = size, list(frontier)

    def append(self, current: bytes) -> list[tuple[NodeId, bytes]]:
        """Add a leaf hash; return every node it completes, the leaf itself first.

        Appending leaf i completes one node per trailing one-bit of i, each the parent of the
        newest stacked hash.
        """
        _check_hash(current, f"leaf hash {self.size}")
        leaf = ((0, self.size), current)
        nodes: list[tuple[int, int, bytes]] = []
        self.extend((current,), nodes)
        return [leaf, *(((level, idx), digest) for level, idx, digest in nodes)]

    def push(self, current: bytes) -> None:
        """``append`` without reporting the nodes formed."""
        self.extend((current,))

    def extend(self, hashes: Iterable[bytes],
               formed: list[tuple[int, int, bytes]] | None = None) -> None:
        """``push`` each of ``hashes``, in one loop, adding to ``formed`` (if given) the
        ``(level, idx, hash)`` of every node above the leaves they complete. The hot path of
        writers and verifiers, so ``node_hash`` is written out in it."""
        stack, size = self.stack, self.size
        for current in hashes:
            rest, level = size, 0
            while rest & 1:
                current = _sha256(b"\x01" + stack.pop() + current).digest()
                rest, level = rest >> 1, level + 1
                if formed is not None:
                    formed.append((level, rest, current))
            stack.append(current)
            size += 1
        self.size = size

    def root(self) -> bytes:
        return fold(self.stack) if self.stack else EMPTY_ROOT

    def copy(self) -> CompactRange:
        tree = CompactRange()
        tree.size, tree.stack = self.size, list(self.stack)
        return tree


def new_nodes(
    size_before: int, leaf_hashes: Iterable[bytes], frontier: Sequence[bytes]
) -> list[tuple[NodeId, bytes]]:
    """Every complete subtree (leaves included) that forms when appending ``leaf_hashes``.

    ``frontier`` holds the hashes of ``root_nodes(size_before)``, in that order.
    """
    tree = CompactRange(size_before, frontier)
    return [node for current in leaf_hashes for node in tree.append(current)]


# --- verification (RFC 9162 §2.1.3.2 and §2.1.4.2, strict) -----------------------------------

def _check_hash(value: bytes, what: str) -> None:
    if len(value) != HASH_SIZE:
        raise BadHashSizeError(f"{what} is {len(value)} bytes, want {HASH_SIZE}")


def _check_hashes(values: Sequence[bytes], what: str) -> None:
    for position, value in enumerate(values):
        _check_hash(value, f"{what}[{position}]")


def _require_match(calculated: bytes, expected: bytes, what: str) -> None:
    if calculated != expected:
        raise RootMismatchError(f"calculated {what} does not match", expected, calculated)


def root_from_inclusion(leaf: bytes, index: int, size: int, proof: Sequence[bytes]) -> bytes:
    """The root that ``proof`` implies for ``leaf`` at ``index``: RFC 9162 §2.1.3.2 steps 1-5."""
    if not 0 <= index < size:
        raise IndexOutOfRangeError(f"leaf index {index} not in a tree of size {size}")
    _check_hash(leaf, "leaf hash")
    _check_hashes(proof, "proof")
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            raise WrongProofSizeError(f"inclusion proof of {len(proof)} hashes is too long")
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while fn and not fn & 1:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = node_hash(r, p)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:
        raise WrongProofSizeError(f"inclusion proof of {len(proof)} hashes is too short")
    return r


def verify_inclusion(
    leaf: bytes, index: int, size: int, proof: Sequence[bytes], root: bytes
) -> None:
    """Raise a ``ProofError`` unless ``proof`` shows ``leaf`` at ``index`` under ``root``."""
    calculated = root_from_inclusion(leaf, index, size, proof)
    _check_hash(root, "root")
    _require_match(calculated, root, "root")


def verify_consistency(
    size1: int, size2: int, proof: Sequence[bytes], root1: bytes, root2: bytes
) -> None:
    """Raise a ``ProofError`` unless ``proof`` shows tree ``size1`` is a prefix of tree
    ``size2``."""
    _check_consistency_sizes(size1, size2)
    _check_hash(root1, "root1")
    _check_hash(root2, "root2")
    _check_hashes(proof, "proof")
    if size1 == size2:
        if proof:
            raise WrongProofSizeError("equal tree sizes need an empty consistency proof")
        _require_match(root1, root2, "root2")
        return
    fr, sr = _roots_from_consistency(size1, size2, proof, root1)
    _require_match(fr, root1, "root1")
    _require_match(sr, root2, "root2")


def _roots_from_consistency(
    size1: int, size2: int, proof: Sequence[bytes], root1: bytes
) -> tuple[bytes, bytes]:
    """RFC 9162 §2.1.4.2 steps 1-7 for size1 < size2: the (old, new) roots the proof implies."""
    if not proof:
        raise WrongProofSizeError("consistency proof is empty")
    path = list(proof)
    if size1 & (size1 - 1) == 0:  # size1 is a whole subtree: the verifier already has it
        path.insert(0, root1)
    fn, sn = size1 - 1, size2 - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            raise WrongProofSizeError(f"consistency proof of {len(proof)} hashes is too long")
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            while fn and not fn & 1:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:
        raise WrongProofSizeError(f"consistency proof of {len(proof)} hashes is too short")
    return fr, sr
