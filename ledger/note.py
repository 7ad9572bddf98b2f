"""C2SP tlog-checkpoint bodies and C2SP signed-note Ed25519 signatures (Go sumdb/note format).

A signed note is its text (ending in a newline), a blank line, then one line per signature:
``— <key name> <base64(4-byte key id || 64-byte Ed25519 signature)>``. The signature covers the
text including its final newline, not the blank line.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

ED25519 = b"\x01"  # C2SP signed-note signature type byte
SIGNATURE_PREFIX = "\u2014 "  # em dash, space
MAX_SIGNATURES = 100  # C2SP: accept at least 16; bounds the work an attacker can cause
ROOT_SIZE = 32
_DECIMAL = re.compile(r"0|[1-9][0-9]*")
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f]")


class NoteError(Exception):
    """A note, checkpoint or key was rejected; ``code`` names the failed check."""

    code = "note_error"


class MalformedNoteError(NoteError):
    code = "malformed_note"


class MalformedCheckpointError(NoteError):
    code = "malformed_checkpoint"


class WrongOriginError(NoteError):
    code = "wrong_origin"


class InvalidKeyError(NoteError):
    code = "invalid_key"


class KeyIdMismatchError(InvalidKeyError):
    code = "key_id_mismatch"


class UnknownKeyError(NoteError):
    """No signature on the note comes from a known key."""

    code = "unknown_key"

    def __init__(self, message: str, signers: list[str]) -> None:
        super().__init__(message)
        self.signers = signers


class BadSignatureError(NoteError):
    """A signature from a known key (name and id both match) does not verify."""

    code = "bad_signature"

    def __init__(self, message: str, name: str) -> None:
        super().__init__(message)
        self.name = name


# --- encodings -------------------------------------------------------------------------------

def _b64encode(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def _b64decode(text: str) -> bytes | None:
    """Strict standard base64 (padded, canonical), or None: one text, one byte string."""
    try:
        raw = base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError):
        return None
    return raw if _b64encode(raw) == text else None


def _is_valid_name(name: str) -> bool:
    return bool(name) and "+" not in name and not any(ch.isspace() for ch in name)


def _is_valid_text(text: str) -> bool:
    """Well-formed UTF-8 with no ASCII control characters other than newline (C2SP)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return _CONTROL.search(text) is None


# --- checkpoints -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Checkpoint:
    """A tree head: origin, size and root, plus any opaque extension lines (without newlines)."""

    origin: str
    size: int
    root: bytes
    extensions: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        lines = (self.origin, *self.extensions)
        if not all(line and "\n" not in line and _is_valid_text(line) for line in lines):
            raise MalformedCheckpointError("origin and extension lines must be non-empty lines")
        if not 0 <= self.size < 2**64:
            raise MalformedCheckpointError(f"tree size {self.size} is out of range")
        if len(self.root) != ROOT_SIZE:
            raise MalformedCheckpointError(f"root hash is {len(self.root)} bytes")

    def text(self) -> str:
        lines = (self.origin, str(self.size), _b64encode(self.root), *self.extensions)
        return "".join(line + "\n" for line in lines)

    @classmethod
    def parse(cls, text: str) -> Checkpoint:
        if not text.endswith("\n"):
            raise MalformedCheckpointError("checkpoint text must end with a newline")
        lines = text[:-1].split("\n")
        if len(lines) < 3:
            raise MalformedCheckpointError("checkpoint needs origin, size and root lines")
        origin, size, root, *extensions = lines
        if not _DECIMAL.fullmatch(size):
            raise MalformedCheckpointError(f"tree size {size!r} is not a plain decimal")
        raw_root = _b64decode(root)
        if raw_root is None:
            raise MalformedCheckpointError("root hash is not standard base64")
        return cls(origin, int(size), raw_root, tuple(extensions))


# --- keys ------------------------------------------------------------------------------------

def key_id(name: str, public_key: bytes) -> bytes:
    """First 4 bytes of SHA-256(name || 0x0A || 0x01 || public key)."""
    return hashlib.sha256(name.encode("utf-8") + b"\n" + ED25519 + public_key).digest()[:4]


@dataclass(frozen=True)
class Verifier:
    name: str
    key_id: bytes
    public_key: Ed25519PublicKey


@dataclass(frozen=True)
class Signer:
    name: str
    key_id: bytes
    private_key: Ed25519PrivateKey


def _raw_public(public_key: Ed25519PublicKey) -> bytes:
    return public_key.public_bytes_raw()


def _require_name(name: str) -> None:
    if not _is_valid_name(name):
        raise InvalidKeyError(f"key name {name!r} must be non-empty, without spaces or '+'")


def verifier_key(name: str, public_key: Ed25519PublicKey) -> str:
    """``<name>+<key id hex>+<base64(0x01 || public key)>``, as printed for auditors."""
    _require_name(name)
    raw = _raw_public(public_key)
    return f"{name}+{key_id(name, raw).hex()}+{_b64encode(ED25519 + raw)}"


def private_key_text(name: str, private_key: Ed25519PrivateKey) -> str:
    """``PRIVATE+KEY+<name>+<key id hex>+<base64(0x01 || seed)>``, as Go's sumdb/note writes."""
    _require_name(name)
    kid = key_id(name, _raw_public(private_key.public_key()))
    return f"PRIVATE+KEY+{name}+{kid.hex()}+{_b64encode(ED25519 + private_key.private_bytes_raw())}"


def _split_key(text: str) -> tuple[str, bytes, bytes]:
    """``name+hex id+base64(0x01 || 32 bytes)`` into (name, key id, the 32 key bytes)."""
    name, _, rest = text.partition("+")
    hex_id, _, encoded = rest.partition("+")
    _require_name(name)
    raw = _b64decode(encoded)
    if not re.fullmatch(r"[0-9a-fA-F]{8}", hex_id) or raw is None:
        raise InvalidKeyError(f"key text for {name!r} is malformed")
    if len(raw) != 33 or raw[:1] != ED25519:
        raise InvalidKeyError(f"key for {name!r} is not a 32-byte Ed25519 key")
    return name, bytes.fromhex(hex_id), raw[1:]


def _require_key_id(name: str, claimed: bytes, public_key: Ed25519PublicKey) -> bytes:
    actual = key_id(name, _raw_public(public_key))
    if claimed != actual:
        raise KeyIdMismatchError(f"key {name!r} claims id {claimed.hex()}, key says {actual.hex()}")
    return actual


def parse_verifier_key(text: str) -> Verifier:
    name, claimed, raw = _split_key(text)
    public_key = Ed25519PublicKey.from_public_bytes(raw)
    return Verifier(name, _require_key_id(name, claimed, public_key), public_key)


def parse_private_key(text: str) -> Signer:
    if not text.startswith("PRIVATE+KEY+"):
        raise InvalidKeyError("private key text must start with PRIVATE+KEY+")
    name, claimed, seed = _split_key(text.removeprefix("PRIVATE+KEY+"))
    private_key = Ed25519PrivateKey.from_private_bytes(seed)
    return Signer(name, _require_key_id(name, claimed, private_key.public_key()), private_key)


# --- signed notes ----------------------------------------------------------------------------

def sign_note(text: str, name: str, private_key: Ed25519PrivateKey) -> str:
    """The signed note: ``text``, a blank line, one signature line by key ``name``."""
    _require_name(name)
    if not text.endswith("\n") or not _is_valid_text(text):
        raise MalformedNoteError("note text must be valid text ending with a newline")
    kid = key_id(name, _raw_public(private_key.public_key()))
    signature = private_key.sign(text.encode("utf-8"))
    return f"{text}\n{SIGNATURE_PREFIX}{name} {_b64encode(kid + signature)}\n"


def _split_note(signed: str) -> tuple[str, list[str]]:
    """(text, signature lines); the text ends at the note's last blank line (C2SP)."""
    if not _is_valid_text(signed):
        raise MalformedNoteError("note contains control characters or invalid UTF-8")
    split = signed.rfind("\n\n")
    signatures = signed[split + 2:] if split >= 0 else ""
    if not signatures.endswith("\n"):
        raise MalformedNoteError("note has no signature block after a blank line")
    lines = signatures[:-1].split("\n")
    if len(lines) > MAX_SIGNATURES:
        raise MalformedNoteError(f"note has more than {MAX_SIGNATURES} signatures")
    return signed[: split + 1], lines


def _parse_signature_line(line: str) -> tuple[str, bytes, bytes]:
    """A signature line into (key name, key id, signature)."""
    if not line.startswith(SIGNATURE_PREFIX):
        raise MalformedNoteError(f"line {line!r} is not a signature line")
    name, _, encoded = line.removeprefix(SIGNATURE_PREFIX).partition(" ")
    raw = _b64decode(encoded)
    if not _is_valid_name(name) or raw is None:
        raise MalformedNoteError(f"malformed signature line {line!r}")
    if len(raw) < 5:
        raise MalformedNoteError(f"signature line for {name!r} is too short")
    return name, raw[:4], raw[4:]


def open_note(signed: str, verifiers: Iterable[Verifier]) -> tuple[str, list[str]]:
    """The note text and the names of known keys whose signatures verified.

    Signatures from unknown keys (name or id not matching) are ignored; any failing signature
    from a known key rejects the note, and so does having no verified signature at all.
    """
    text, lines = _split_note(signed)
    known = {(v.name, v.key_id): v for v in verifiers}
    message = text.encode("utf-8")
    verified: list[str] = []
    unknown: list[str] = []
    for line in lines:
        name, kid, signature = _parse_signature_line(line)
        verifier = known.get((name, kid))
        if verifier is None:
            unknown.append(name)
            continue
        try:
            verifier.public_key.verify(signature, message)
        except InvalidSignature:
            raise BadSignatureError(f"signature by {name!r} does not verify", name) from None
        if name not in verified:
            verified.append(name)
    if not verified:
        raise UnknownKeyError(f"no signature from a known key (signed by {unknown})", unknown)
    return text, verified


def open_checkpoint(signed: str, origin: str, verifiers: Iterable[Verifier]) -> Checkpoint:
    """Verify a signed checkpoint and check it comes from the log we expect."""
    text, _ = open_note(signed, verifiers)
    checkpoint = Checkpoint.parse(text)
    if checkpoint.origin != origin:
        raise WrongOriginError(f"checkpoint origin {checkpoint.origin!r}, want {origin!r}")
    return checkpoint
