"""ledger.merkle against a naive reference written straight from RFC 9162 §2.1, on random trees."""

from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.merkle import (
    EMPTY_ROOT,
    ProofError,
    build_proof,
    consistency_nodes,
    inclusion_nodes,
    leaf_hash,
    new_nodes,
    node_hash,
    root_hash,
    root_nodes,
    verify_consistency,
    verify_inclusion,
)

MAX_SIZE = 3000
LEAF_HASHES = [leaf_hash(i.to_bytes(4, "big")) for i in range(MAX_SIZE)]


# --- naive reference: MTH, PATH and PROOF as the RFC writes them -----------------------------

def split_point(n: int) -> int:
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def mth(hashes: list[bytes]) -> bytes:
    if not hashes:
        return EMPTY_ROOT
    if len(hashes) == 1:
        return hashes[0]
    k = split_point(len(hashes))
    return node_hash(mth(hashes[:k]), mth(hashes[k:]))


def path(m: int, hashes: list[bytes]) -> list[bytes]:
    if len(hashes) == 1:
        return []
    k = split_point(len(hashes))
    if m < k:
        return path(m, hashes[:k]) + [mth(hashes[k:])]
    return path(m - k, hashes[k:]) + [mth(hashes[:k])]


def subproof(m: int, hashes: list[bytes], whole: bool) -> list[bytes]:
    n = len(hashes)
    if m == n:
        return [] if whole else [mth(hashes)]
    k = split_point(n)
    if m <= k:
        return subproof(m, hashes[:k], whole) + [mth(hashes[k:])]
    return subproof(m - k, hashes[k:], False) + [mth(hashes[:k])]


# --- building stored trees -------------------------------------------------------------------

def store(size: int, cuts: list[int]) -> dict:
    """All nodes of a tree of ``size`` leaves, appended in batches split at ``cuts``."""
    nodes: dict = {}
    bounds = sorted({0, size, *(cut % (size + 1) for cut in cuts)})
    for start, end in zip(bounds, bounds[1:]):
        frontier = [nodes[node] for node in root_nodes(start)]
        nodes.update(new_nodes(start, LEAF_HASHES[start:end], frontier))
    return nodes


sizes = st.integers(min_value=1, max_value=MAX_SIZE)
cut_lists = st.lists(st.integers(min_value=0, max_value=MAX_SIZE), max_size=12)


def raises_proof_error(check, *args) -> bool:
    try:
        check(*args)
    except ProofError:
        return True
    return False


# --- properties ------------------------------------------------------------------------------

@settings(max_examples=60, deadline=None)
@given(size=sizes, cuts=cut_lists)
def test_any_batch_split_stores_every_complete_subtree_exactly_once(size, cuts):
    nodes = store(size, cuts)
    assert nodes == store(size, [])
    assert len(nodes) == sum(size >> level for level in range(size.bit_length()))
    for level, index in [max(nodes), min(nodes), (0, size - 1)]:
        leaves = LEAF_HASHES[index << level:(index + 1) << level]
        assert nodes[(level, index)] == mth(leaves)


@settings(max_examples=60, deadline=None)
@given(size=sizes, cuts=cut_lists, data=st.data())
def test_inclusion_proofs_from_stored_nodes_match_the_reference_and_verify(size, cuts, data):
    nodes = store(size, cuts)
    index = data.draw(st.integers(min_value=0, max_value=size - 1))
    proof = build_proof(inclusion_nodes(index, size), nodes)
    root = root_hash(size, nodes)
    assert root == mth(LEAF_HASHES[:size])
    assert proof == path(index, LEAF_HASHES[:size])
    verify_inclusion(LEAF_HASHES[index], index, size, proof, root)


@settings(max_examples=60, deadline=None)
@given(size=sizes, data=st.data())
def test_an_inclusion_proof_fails_for_another_leaf_index_or_size(size, data):
    nodes = store(size, [])
    index = data.draw(st.integers(min_value=0, max_value=size - 1))
    other = data.draw(st.integers(min_value=0, max_value=MAX_SIZE - 1).filter(lambda i: i != index))
    other_size = data.draw(sizes.filter(lambda n: n != size))
    proof, root = build_proof(inclusion_nodes(index, size), nodes), root_hash(size, nodes)
    assert raises_proof_error(verify_inclusion, LEAF_HASHES[other], index, size, proof, root)
    assert raises_proof_error(verify_inclusion, LEAF_HASHES[index], other, size, proof, root)
    other_root = mth(LEAF_HASHES[:other_size])
    assert raises_proof_error(verify_inclusion, LEAF_HASHES[index], index, other_size, proof,
                              other_root)


@settings(max_examples=60, deadline=None)
@given(size2=sizes, cuts=cut_lists, data=st.data())
def test_consistency_proofs_from_stored_nodes_match_the_reference_and_verify(size2, cuts, data):
    nodes = store(size2, cuts)
    size1 = data.draw(st.integers(min_value=1, max_value=size2))
    proof = build_proof(consistency_nodes(size1, size2), nodes)
    assert proof == subproof(size1, LEAF_HASHES[:size2], True)
    verify_consistency(size1, size2, proof, root_hash(size1, nodes), root_hash(size2, nodes))


@settings(max_examples=60, deadline=None)
@given(size2=st.integers(min_value=2, max_value=MAX_SIZE), data=st.data())
def test_a_consistency_proof_fails_for_other_sizes_roots_or_hashes(size2, data):
    nodes = store(size2, [])
    size1 = data.draw(st.integers(min_value=1, max_value=size2))
    other1 = data.draw(st.integers(min_value=1, max_value=size2).filter(lambda n: n != size1))
    proof = build_proof(consistency_nodes(size1, size2), nodes)
    root1, root2 = root_hash(size1, nodes), root_hash(size2, nodes)
    other_root1 = root_hash(other1, nodes)
    assert raises_proof_error(verify_consistency, other1, size2, proof, other_root1, root2)
    assert raises_proof_error(verify_consistency, size1, size2, proof, root1,
                              mth(LEAF_HASHES[:size2 - 1]))
    if proof:
        position = data.draw(st.integers(min_value=0, max_value=len(proof) - 1))
        tampered = [*proof[:position], bytes(32), *proof[position + 1:]]
        assert raises_proof_error(verify_consistency, size1, size2, tampered, root1, root2)


def test_every_proof_in_trees_up_to_64_leaves_matches_the_reference_and_verifies():
    nodes = store(64, [])
    for size in range(1, 65):
        hashes, root = LEAF_HASHES[:size], root_hash(size, nodes)
        for index in range(size):
            proof = build_proof(inclusion_nodes(index, size), nodes)
            assert proof == path(index, hashes)
            verify_inclusion(hashes[index], index, size, proof, root)
        for size1 in range(1, size + 1):
            proof = build_proof(consistency_nodes(size1, size), nodes)
            assert proof == subproof(size1, hashes, True)
            verify_consistency(size1, size, proof, root_hash(size1, nodes), root)
