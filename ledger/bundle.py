"""Export bundles: everything an auditor needs to verify the ledger offline, in one zip file.

    manifest.json     format, origin, counts
    events.bin        the events in commit order, each as uint32 length || canonical leaf bytes
    leaves.bin        the leaf records: uint64 index || 16-byte event id || uint64 version
                      || 32-byte leaf hash (64 bytes each)
    checkpoints.json  the signed checkpoints (C2SP signed notes), by tree size
    verifiers.txt     the verifier keys the exporter trusts (an auditor should bring their own)

Reading needs the standard library only (plus ``cryptography`` to check signatures).
"""

from __future__ import annotations

import json
import struct
import zipfile
from pathlib import Path
from typing import IO, Callable, Iterable, Iterator, Sequence

from ledger.leaf import decode_leaf
from ledger.merkle import leaf_hash
from ledger.note import Verifier, parse_verifier_key
from ledger.verify import EventRow, LeafRow, Report, verify

FORMAT = "kinerja-ledger-bundle/1"
_U32 = struct.Struct(">I")
_LEAF = struct.Struct(">Q16sQ32s")
CHUNK = 1 << 20


class BundleError(Exception):
    code = "malformed_bundle"


def write_bundle(path: Path, origin: str, events: Iterable[bytes], leaves: Iterable[LeafRow],
                 checkpoints: Sequence[str], verifiers: Sequence[str],
                 dumps: Callable[[object], bytes]) -> dict:
    counts = {"events": 0, "leaves": 0}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as bundle:
        with bundle.open("events.bin", "w", force_zip64=True) as out:
            for leaf in events:  # canonical leaf bytes, in commit order
                out.write(_U32.pack(len(leaf)) + leaf)
                counts["events"] += 1
        with bundle.open("leaves.bin", "w", force_zip64=True) as out:
            for leaf in leaves:
                out.write(_LEAF.pack(leaf.index, leaf.originator_id, leaf.originator_version,
                                     leaf.hash))
                counts["leaves"] += 1
        bundle.writestr("checkpoints.json", dumps(list(checkpoints)))
        bundle.writestr("verifiers.txt", "".join(v + "\n" for v in verifiers))
        manifest = {"format": FORMAT, "origin": origin, **counts,
                    "checkpoints": len(checkpoints)}
        bundle.writestr("manifest.json", dumps(manifest))
    return manifest


def verify_bundle(path: Path, verifiers: Sequence[Verifier] | None = None, *,
                  progress: Callable[[int], None] | None = None) -> tuple[Report, dict]:
    """Verify a bundle offline; without ``verifiers``, trust the keys the bundle carries."""
    try:
        bundle = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as e:
        raise BundleError(f"{path} is not a bundle: {e}") from None
    with bundle:
        manifest = _json(bundle, "manifest.json")
        if manifest.get("format") != FORMAT:
            raise BundleError(f"unknown bundle format {manifest.get('format')!r}")
        trusted = list(verifiers) if verifiers else bundle_verifiers(bundle)
        with bundle.open("events.bin") as events, bundle.open("leaves.bin") as leaves:
            report = verify(read_events(events), read_leaves(leaves),
                            _json(bundle, "checkpoints.json"), trusted, manifest["origin"],
                            progress=progress)
    return report, manifest


def bundle_verifiers(bundle: zipfile.ZipFile) -> list[Verifier]:
    text = bundle.read("verifiers.txt").decode()
    return [parse_verifier_key(line) for line in text.split() if line]


def read_events(stream: IO[bytes]) -> Iterator[EventRow]:
    for leaves in _records(stream):
        for leaf in leaves:
            # The key sits at fixed offsets: version byte, length, 16 id bytes, length, 8 bytes.
            if len(leaf) < 33 or leaf[1:5] != b"\x00\x00\x00\x10":
                decode_leaf(leaf)  # raises a clear LeafFormatError
        yield from [(leaf[5:21], int.from_bytes(leaf[25:33], "big"), leaf_hash(leaf))
                    for leaf in leaves]  # EventRows, as plain tuples


def read_leaves(stream: IO[bytes]) -> Iterator[LeafRow]:
    size = _LEAF.size
    buffer = b""
    while chunk := stream.read(CHUNK):
        buffer += chunk
        whole = len(buffer) - len(buffer) % size
        yield from _LEAF.iter_unpack(buffer[:whole])  # LeafRows, as plain tuples
        buffer = buffer[whole:]
    if buffer:
        raise BundleError("leaves.bin ends inside a record")


def _records(stream: IO[bytes]) -> Iterator[list[bytes]]:
    """The records of events.bin (``uint32 length || bytes``), a chunk's worth at a time."""
    buffer = b""
    while chunk := stream.read(CHUNK):
        buffer += chunk
        records, offset, end = [], 0, len(buffer)
        while end - offset >= 4:
            stop = offset + 4 + _U32.unpack_from(buffer, offset)[0]
            if stop > end:
                break
            records.append(buffer[offset + 4:stop])
            offset = stop
        yield records
        buffer = buffer[offset:]
    if buffer:
        raise BundleError("events.bin ends inside a record")


def _json(bundle: zipfile.ZipFile, name: str) -> object:
    try:
        return json.loads(bundle.read(name))
    except (KeyError, ValueError) as e:
        raise BundleError(f"{name} is missing or not JSON: {e}") from None
