"""API bearer tokens: issued once, stored only as SHA-256 hashes, revocable.

A token reads ``kin_<id>_<secret>``: the id finds the row, the secret's hash must match it.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from domain.errors import InvalidNIPError
from domain.nip import parse_nip
from ledger.db import LedgerDB

# Who may act without a NIP: a service (``system:import``, the demo, a test harness) or an
# official outside the civil service who rates at the top of a line (``pejabat:walikota``).
SERVICE_ID = re.compile(r"(system|pejabat):[a-z][a-z0-9-]{0,39}")

SQLITE_TABLE = (
    "CREATE TABLE IF NOT EXISTS api_tokens (id TEXT PRIMARY KEY, secret_hash BLOB NOT NULL,"
    " nip TEXT NOT NULL, role TEXT NOT NULL, created_at TEXT NOT NULL, expires_at TEXT,"
    " revoked_at TEXT)")
POSTGRES_TABLE = (
    "CREATE TABLE IF NOT EXISTS api_tokens (id text PRIMARY KEY, secret_hash bytea NOT NULL,"
    " nip text NOT NULL, role text NOT NULL, created_at text NOT NULL, expires_at text,"
    " revoked_at text)")


@dataclass(frozen=True)
class TokenHolder:
    token_id: str
    nip: str
    role: str
    expires_at: str | None = None  # ISO 8601, UTC

    def seconds_left(self, now: float) -> float:
        """Seconds until the token expires, from ``now`` (a POSIX timestamp)."""
        if not self.expires_at:
            return float("inf")
        return datetime.fromisoformat(self.expires_at).timestamp() - now


def is_valid_subject(subject: object) -> bool:
    """Whether a token may act as ``subject``: a NIP or NI PPPK exactly as written (18
    digits that parse), or a ``SERVICE_ID``. Anything else (NUL, a path, 5,000 characters)
    would be recorded as the actor of immutable events."""
    if not isinstance(subject, str):
        return False
    if SERVICE_ID.fullmatch(subject):
        return True
    try:
        return parse_nip(subject).value == subject
    except InvalidNIPError:
        return False


def check_subject(subject: str) -> None:
    """Raise ValueError, saying why, unless ``is_valid_subject``."""
    if not is_valid_subject(subject):
        raise ValueError(f"{subject[:40]!r} is neither a valid NIP or NI PPPK nor a service"
                         " identity (system:name, pejabat:name)")


def _hash(secret: str) -> bytes:
    return hashlib.sha256(secret.encode()).digest()


class TokenStore:
    TABLE = "api_tokens"

    def __init__(self, db: LedgerDB) -> None:
        self.db = db

    def create_table(self) -> None:
        with self.db.writer() as w:
            w.execute(POSTGRES_TABLE if self.db.is_postgres else SQLITE_TABLE)

    def issue(self, nip: str, role: str, *, days: int | None = None) -> str:
        """Store a new token's hash and return the token (shown once, never stored); a
        ``nip`` that is neither a valid NIP / NI PPPK nor a service identity is a ValueError."""
        check_subject(nip)
        token_id, secret = secrets.token_hex(6), secrets.token_urlsafe(32)
        now = datetime.now(timezone.utc)
        expires = (now + timedelta(days=days)).isoformat() if days else None
        with self.db.writer() as w:
            w.execute("INSERT INTO api_tokens (id, secret_hash, nip, role, created_at, expires_at)"
                      " VALUES (%s, %s, %s, %s, %s, %s)",
                      (token_id, _hash(secret), nip, role, now.isoformat(), expires))
        return f"kin_{token_id}_{secret}"

    def revoke(self, token_or_id: str) -> bool:
        token_id = token_or_id.split("_")[1] if token_or_id.startswith("kin_") else token_or_id
        with self.db.writer() as w:
            found = w.rows("SELECT id FROM api_tokens WHERE id = %s AND revoked_at IS NULL",
                           (token_id,))
            w.execute("UPDATE api_tokens SET revoked_at = %s WHERE id = %s",
                      (datetime.now(timezone.utc).isoformat(), token_id))
        return bool(found)

    def holder(self, token: str) -> TokenHolder | None:
        """Who holds this token, if it is genuine, unexpired and not revoked."""
        parts = token.split("_", 2)
        if len(parts) != 3 or parts[0] != "kin":
            return None
        with self.db.snapshot() as r:
            rows = r.rows("SELECT secret_hash, nip, role, expires_at, revoked_at FROM api_tokens"
                          " WHERE id = %s", (parts[1],))
        if not rows or not hmac.compare_digest(bytes(rows[0]["secret_hash"]), _hash(parts[2])):
            return None
        row = rows[0]
        expired = row["expires_at"] and row["expires_at"] < datetime.now(timezone.utc).isoformat()
        if row["revoked_at"] or expired:
            return None
        return TokenHolder(parts[1], row["nip"], row["role"], row["expires_at"])
