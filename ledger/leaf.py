"""Canonical leaf bytes: what the Merkle log hashes for each stored event (docs/LEDGER-FORMAT.md).

    leaf = 0x01 || field(originator id) || field(version) || field(topic) || field(state)
    field(x) = uint32 big-endian length of x || x

The originator id is its 16 UUID bytes, the version an unsigned
64-bit big-endian integer, the topic UTF-8, the state the stored bytes exactly as stored (so an
auditor never needs a decryption key). Standard library only: auditors read this file.
"""

from __future__ import annotations

import hashlib
import struct
from typing import NamedTuple
from uuid import UUID

LEAF_FORMAT_VERSION = 1
_U32 = struct.Struct(">I")
_U64 = struct.Struct(">Q")
_VERSION_FIELD = _U32.pack(8)


class LeafFormatError(ValueError):
    code = "malformed_leaf"


class LeafEvent(NamedTuple):
    originator_id: UUID
    originator_version: int
    topic: str
    state: bytes


def encode_leaf(originator_id: UUID | bytes, version: int, topic: str, state: bytes) -> bytes:
    """The id may be given as a UUID or as its 16 bytes."""
    ident = originator_id.bytes if isinstance(originator_id, UUID) else originator_id
    name = topic.encode()
    return b"".join((b"\x01", _U32.pack(len(ident)), ident, _VERSION_FIELD, _U64.pack(version),
                     _U32.pack(len(name)), name, _U32.pack(len(state)), state))


def event_leaf_hash(originator_id: UUID | bytes, version: int, topic: str, state: bytes) -> bytes:
    """SHA-256(0x00 || encode_leaf(...)): ``merkle.leaf_hash(encode_leaf(...))`` without copying
    the leaf bytes once more behind the prefix (the writer and the database's verifier hash
    every event)."""
    digest = hashlib.sha256(b"\x00")
    digest.update(encode_leaf(originator_id, version, topic, state))
    return digest.digest()


def decode_leaf(leaf: bytes) -> LeafEvent:
    """Parse leaf bytes strictly: a known version byte, four fields, nothing left over."""
    if not leaf or leaf[0] != LEAF_FORMAT_VERSION:
        raise LeafFormatError("unknown leaf format version")
    fields, offset = [], 1
    for _ in range(4):
        if offset + 4 > len(leaf):
            raise LeafFormatError("truncated leaf")
        (size,) = _U32.unpack_from(leaf, offset)
        offset += 4
        if offset + size > len(leaf):
            raise LeafFormatError("truncated leaf")
        fields.append(leaf[offset:offset + size])
        offset += size
    if offset != len(leaf) or len(fields[0]) != 16 or len(fields[1]) != 8:
        raise LeafFormatError("malformed leaf fields")
    try:
        topic = fields[2].decode()
    except UnicodeDecodeError:
        raise LeafFormatError("the topic is not UTF-8") from None
    return LeafEvent(UUID(bytes=fields[0]), _U64.unpack(fields[1])[0], topic, bytes(fields[3]))
