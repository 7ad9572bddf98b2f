"""Verifying an appeal dossier offline (standard library plus ``cryptography``): the checkpoint
is signed by a trusted key, every cited event's leaf is in the log under that checkpoint, every
timeline entry says exactly what its leaf says, and the evaluation's own events are complete."""

from __future__ import annotations

import base64
import json
from collections.abc import Sequence
from typing import Any

from ledger.leaf import LeafFormatError, decode_leaf
from ledger.merkle import ProofError, leaf_hash, verify_inclusion
from ledger.note import NoteError, Verifier, open_checkpoint

BASE = {"originator_id", "originator_version", "timestamp", "originator_topic", "actor", "role",
        "reason", "request_id", "class_version"}


class DossierInvalid(Exception):
    code = "dossier_invalid"


def verify_dossier(dossier: dict[str, Any], verifiers: Sequence[Verifier]) -> int:
    """Raise DossierInvalid naming the first thing that does not hold; else the events checked."""
    try:
        checkpoint = open_checkpoint(dossier["checkpoint"], dossier["origin"], verifiers)
    except (NoteError, KeyError) as e:
        raise DossierInvalid(f"the checkpoint does not verify: {e}") from None
    proofs = {p["leaf_index"]: p for p in dossier["proofs"]}
    for proof in dossier["proofs"]:
        _check_proof(proof, checkpoint.size, checkpoint.root)
    for entry in dossier["timeline"]:
        _check_entry(entry, proofs)
    _check_complete(dossier)
    return len(dossier["timeline"])


def _check_proof(proof: dict[str, Any], size: int, root: bytes) -> None:
    leaf = base64.b64decode(proof["leaf"])
    digest = leaf_hash(leaf)
    if digest.hex() != proof["hash"]:
        raise DossierInvalid(f"leaf {proof['leaf_index']}: its bytes do not give its hash")
    try:
        verify_inclusion(digest, proof["leaf_index"], size,
                         [bytes.fromhex(h) for h in proof["path"]], root)
    except (ProofError, ValueError) as e:
        raise DossierInvalid(f"leaf {proof['leaf_index']} is not in the signed log: {e}") from None


def _check_entry(entry: dict[str, Any], proofs: dict[int, dict[str, Any]]) -> None:
    where = f"{entry['topic']} v{entry['version']}"
    proof = proofs.get(entry["leaf_index"])
    if proof is None:
        raise DossierInvalid(f"{where}: no proof for its leaf")
    try:
        event = decode_leaf(base64.b64decode(proof["leaf"]))
    except LeafFormatError as e:
        raise DossierInvalid(f"{where}: {e}") from None
    stored = json.loads(event.state)
    said = {"record_id": str(event.originator_id), "version": event.originator_version,
            "topic": event.topic, "actor": stored["actor"], "role": stored["role"],
            "reason": stored["reason"], "request_id": stored["request_id"],
            "at": stored["timestamp"], "data": {k: v for k, v in stored.items() if k not in BASE}}
    for key, value in said.items():
        if entry[key] != value:
            raise DossierInvalid(f"{where}: the dossier says {key}={entry[key]!r}, "
                                 f"the ledger says {value!r}")


def _check_complete(dossier: dict[str, Any]) -> None:
    own = [e["version"] for e in dossier["timeline"] if e["record_id"] == dossier["evaluation_id"]]
    if own != list(range(1, dossier["version_now"] + 1)):
        raise DossierInvalid("the evaluation's events are not all there, in order: "
                             f"versions {own[:3]}…, want 1..{dossier['version_now']}")
