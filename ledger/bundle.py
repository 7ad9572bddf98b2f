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
import subprocess
import sys
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from io import BufferedReader
from itertools import chain
from pathlib import Path
from typing import IO, Any, cast

from ledger.leaf import LeafFormatError, decode_leaf
from ledger.merkle import leaf_hash
from ledger.note import Verifier, parse_verifier_key
from ledger.verify import EventFields, LeafFields, LeafRow, Report, verify

FORMAT = "kinerja-ledger-bundle/1"
_U32 = struct.Struct(">I")
_LEAF = struct.Struct(">Q16sQ32s")
_KEY = struct.Struct(">16s4xQ")  # an event's id and version, inside its leaf bytes from offset 5
_ROW = struct.Struct(">16sQ32s")  # an EventRow, as the reader process sends it
CHUNK = 1 << 20


class BundleError(Exception):
    code = "malformed_bundle"


def write_bundle(path: Path, origin: str, events: Iterable[bytes], leaves: Iterable[LeafRow],
                 checkpoints: Sequence[str], verifiers: Sequence[str],
                 dumps: Callable[[object], bytes]) -> dict[str, Any]:
    counts = {"events": 0, "leaves": 0}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as bundle:
        with bundle.open("events.bin", "w", force_zip64=True) as out:
            for leaf in events:  # canonical leaf bytes, in commit order
                out.write(_U32.pack(len(leaf)) + leaf)
                counts["events"] += 1
        with bundle.open("leaves.bin", "w", force_zip64=True) as out:
            for row in leaves:
                out.write(_LEAF.pack(row.index, row.originator_id, row.originator_version,
                                     row.hash))
                counts["leaves"] += 1
        bundle.writestr("checkpoints.json", dumps(list(checkpoints)))
        bundle.writestr("verifiers.txt", "".join(v + "\n" for v in verifiers))
        manifest: dict[str, Any] = {"format": FORMAT, "origin": origin, **counts,
                                    "checkpoints": len(checkpoints)}
        bundle.writestr("manifest.json", dumps(manifest))
    return manifest


def verify_bundle(path: Path, verifiers: Sequence[Verifier] | None = None, *,
                  progress: Callable[[int], None] | None = None,
                  beside: bool = True) -> tuple[Report, dict[str, Any]]:
    """Verify a bundle offline; without ``verifiers``, trust the keys the bundle carries.
    ``beside``: a second process reads and hashes the events while this one walks the leaves
    and rebuilds the tree (each is about half of the work)."""
    try:
        bundle = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as e:
        raise BundleError(f"{path} is not a bundle: {e}") from None
    with bundle:
        manifest = _json(bundle, "manifest.json")
        if manifest.get("format") != FORMAT:
            raise BundleError(f"unknown bundle format {manifest.get('format')!r}")
        trusted = list(verifiers) if verifiers else bundle_verifiers(bundle)
        with bundle.open("leaves.bin") as leaves, _events(bundle, path, beside) as events:
            report = verify(events, read_leaves(leaves), _json(bundle, "checkpoints.json"),
                            trusted, manifest["origin"], progress=progress)
    return report, manifest


def bundle_verifiers(bundle: zipfile.ZipFile) -> list[Verifier]:
    text = bundle.read("verifiers.txt").decode()
    return [parse_verifier_key(line) for line in text.split() if line]


def read_events(stream: IO[bytes]) -> Iterator[EventFields]:
    return chain.from_iterable(_event_chunks(stream))


def _event_chunks(stream: IO[bytes]) -> Iterator[list[EventFields]]:
    for leaves in _records(stream):
        for leaf in leaves:
            # The key sits at fixed offsets: version byte, length, 16 id bytes, length, 8 bytes.
            if len(leaf) < 33 or leaf[1:5] != b"\x00\x00\x00\x10":
                try:
                    decode_leaf(leaf)
                except LeafFormatError as e:
                    raise BundleError(f"events.bin holds a malformed event: {e}") from None
        # EventRows, as plain tuples: _KEY unpacks (16 id bytes, version), which mypy sees as
        # tuple[Any, ...]; cast once a chunk, not once a row.
        yield cast(list[EventFields], [(*_KEY.unpack_from(leaf, 5), leaf_hash(leaf))
                                       for leaf in leaves])


@contextmanager
def _events(bundle: zipfile.ZipFile, path: Path,
            beside: bool) -> Iterator[Iterator[EventFields]]:
    """The bundle's events as ``EventRow``s, read here, or by a process of our own (the same
    code: ``reader_main``) that sends them as fixed-size rows."""
    if not (beside and sys.executable):
        with bundle.open("events.bin") as events:
            yield read_events(events)
        return
    # -P: not a ``ledger`` in the working folder; this package's folder is searched last, in
    # case the interpreter would not find it by itself.
    home = str(Path(__file__).resolve().parents[1])
    reader = subprocess.Popen(
        [sys.executable, "-P", "-c", "import sys; sys.path.append(sys.argv[1]); "
         "from ledger.bundle import reader_main; reader_main(sys.argv[2])", home, str(path)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    # Both pipes are there (PIPE) and buffered (the default bufsize): BufferedReaders, which
    # typeshed gives as ``IO[bytes] | None`` (no read1).
    out, err = cast(BufferedReader, reader.stdout), cast(BufferedReader, reader.stderr)
    _widen(out)
    try:
        yield _received(reader, out, err)
    finally:  # also when the walk stopped early, at the first problem
        reader.kill()
        reader.wait()
        out.close()
        err.close()


def _widen(pipe: IO[bytes]) -> None:
    """A pipe of 1 MiB where the system allows it (Linux): with the usual 64 KiB, the reader
    soon waits for this process to empty it, and the two take turns instead of both working."""
    try:  # elsewhere the pipe keeps its size: no fcntl (Windows), or no F_SETPIPE_SZ (macOS)
        from fcntl import F_SETPIPE_SZ, fcntl
    except ImportError:
        return
    try:
        fcntl(pipe.fileno(), F_SETPIPE_SZ, CHUNK)
    except OSError:  # above the system's limit: the pipe keeps its size
        pass


def _received(reader: subprocess.Popen[bytes], out: BufferedReader,
              err: BufferedReader) -> Iterator[EventFields]:
    buffer = b""
    while chunk := out.read1(CHUNK):
        buffer += chunk
        whole = len(buffer) - len(buffer) % _ROW.size
        # _ROW is an EventRow (16 id bytes, version, hash); mypy sees tuple[Any, ...]
        yield from cast(Iterator[EventFields], _ROW.iter_unpack(buffer[:whole]))
        buffer = buffer[whole:]
    if reader.wait() != 0:
        raise BundleError(err.read().decode(errors="replace").strip()
                          or f"the events' reader stopped with exit code {reader.returncode}")
    if buffer:
        raise BundleError("the events' reader sent part of a row")


def reader_main(path: str) -> None:
    """The events' reader process: each event's id, version and leaf hash on stdout, as
    ``_ROW``s; on failure, one line on stderr and exit code 1."""
    try:
        with zipfile.ZipFile(path) as bundle, bundle.open("events.bin") as events:
            for rows in _event_chunks(events):
                sys.stdout.buffer.write(b"".join([_ROW.pack(*row) for row in rows]))
    except BundleError as e:
        sys.exit(str(e))
    except Exception as e:  # noqa: BLE001 - one line for the verifying process, no traceback
        sys.exit(f"{path}: {type(e).__name__}: {e}")


def read_leaves(stream: IO[bytes]) -> Iterator[LeafFields]:
    size = _LEAF.size
    buffer = b""
    while chunk := _read(stream, "leaves.bin"):
        buffer += chunk
        whole = len(buffer) - len(buffer) % size
        # LeafRows, as plain tuples (index, 16 id bytes, version, hash); mypy sees
        # tuple[Any, ...]
        yield from cast(Iterator[LeafFields], _LEAF.iter_unpack(buffer[:whole]))
        buffer = buffer[whole:]
    if buffer:
        raise BundleError("leaves.bin ends inside a record")


def _records(stream: IO[bytes]) -> Iterator[list[bytes]]:
    """The records of events.bin (``uint32 length || bytes``), a chunk's worth at a time."""
    buffer = b""
    while chunk := _read(stream, "events.bin"):
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


def _read(stream: IO[bytes], name: str) -> bytes:
    """The next chunk of a bundle member; damage to the zip file is a BundleError."""
    try:
        return stream.read(CHUNK)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as e:
        raise BundleError(f"{name} cannot be read: {e}") from None


def _json(bundle: zipfile.ZipFile, name: str) -> Any:  # JSON, of whatever shape it holds
    try:
        return json.loads(bundle.read(name))
    except (KeyError, ValueError) as e:
        raise BundleError(f"{name} is missing or not JSON: {e}") from None

