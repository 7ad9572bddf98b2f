"""Checkpoint signing keys on disk: the private key readable by its owner only, never logged.

The private key file holds Go sumdb/note text (``PRIVATE+KEY+name+id+base64``); the trusted
verifier keys file lists one verifier key per line. Rotating a key retires the old private key
and keeps its verifier key trusted, so every old checkpoint still verifies.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from ledger.note import (
    NoteError,
    Signer,
    Verifier,
    parse_private_key,
    parse_verifier_key,
    private_key_text,
    verifier_key,
)


class KeyFileError(Exception):
    """A key file is missing, unreadable, too open or malformed; one line for an operator."""


def create_key(path: Path, name: str, verifiers: Path) -> str:
    """Write a new private key (mode 0600, never overwriting) and trust its verifier key."""
    private = Ed25519PrivateKey.generate()
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise KeyFileError(
            f"{path} exists already; use `kinerja keys rotate` to replace it") from None
    with os.fdopen(fd, "w") as f:
        f.write(private_key_text(name, private) + "\n")
    vkey = verifier_key(name, private.public_key())
    trust(verifiers, vkey)
    return vkey


def rotate_key(path: Path, name: str, verifiers: Path) -> str:
    """Retire the current key (kept, still 0600) and create a new one; both stay trusted."""
    old = load_signer(path)
    path.rename(path.with_name(f"{path.name}.{old.key_id.hex()}.retired"))
    return create_key(path, name, verifiers)


def load_signer(path: Path) -> Signer:
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise KeyFileError(f"no signing key at {path}; run `kinerja keys init`") from None
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise KeyFileError(f"{path} is readable by others; run `chmod 600 {path}`")
    try:
        return parse_private_key(path.read_text().strip())
    except (NoteError, ValueError):
        raise KeyFileError(f"{path} does not hold a signing key") from None


def trusted_verifiers(path: Path) -> list[Verifier]:
    if not path.exists():
        return []
    keys = []
    for number, line in enumerate(path.read_text().splitlines(), 1):
        line = line.strip()
        if line and not line.startswith("#"):
            try:
                keys.append(parse_verifier_key(line))
            except (NoteError, ValueError):
                raise KeyFileError(f"{path}:{number} is not a verifier key") from None
    return keys


def trust(path: Path, vkey: str) -> None:
    existing = path.read_text().split() if path.exists() else []
    if vkey not in existing:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        with path.open("a") as f:
            f.write(vkey + "\n")


def public_verifier(signer: Signer) -> str:
    return verifier_key(signer.name, signer.private_key.public_key())
