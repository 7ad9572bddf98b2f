"""Authentication: our bearer tokens, or (configurable) JWTs from the identity provider.

The identity recorded on events comes from here, never from a request body.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass
from time import monotonic
from time import time as epoch_seconds

import jwt

from api.policy import Role
from api.problems import ProblemError
from service.config import JwtSettings
from service.tokens import TokenStore, is_valid_subject

# A validated token is remembered this long (keyed by its SHA-256, never by the token itself):
# a revoked token stops working within this bound, an expired one at its expiry.
CACHE_SECONDS = 30.0


@dataclass(frozen=True)
class User:
    nip: str
    role: Role
    token_id: str


class Authenticator:
    def __init__(self, tokens: TokenStore, jwt_settings: JwtSettings | None = None) -> None:
        self.tokens = tokens
        # The identity provider's settings and public key (read once), or None: our tokens only.
        self._jwt = (jwt_settings, jwt_settings.key_file.read_text()) if jwt_settings else None
        self._cache: dict[bytes, tuple[float, User]] = {}  # token digest: (until, user)
        self._lock = threading.Lock()

    def user(self, authorization: str | None) -> User:
        """Who sends this Authorization header; may read the database (call it off the loop)."""
        if (known := self.remembered(authorization)) is not None:
            return known
        credential = _credential(authorization)
        if credential.startswith("kin_"):
            return self._token_user(credential)
        if self._jwt is not None:
            return _jwt_user(credential, *self._jwt)
        raise ProblemError(401, "invalid_token", "the token is not valid")

    def remembered(self, authorization: str | None) -> User | None:
        """The user of one of our tokens validated less than CACHE_SECONDS ago, else None;
        never blocks, so the event loop may call it."""
        scheme, _, credential = (authorization or "").partition(" ")
        credential = credential.strip()
        if scheme.lower() != "bearer" or not credential.startswith("kin_"):
            return None
        key = _digest(credential)
        with self._lock:
            cached = self._cache.get(key)
            if cached is None:
                return None
            if monotonic() < cached[0]:
                return cached[1]
            del self._cache[key]
        return None

    def _token_user(self, token: str) -> User:
        now = monotonic()
        holder = self.tokens.holder(token)
        if holder is None:
            raise ProblemError(401, "invalid_token", "the token is unknown, expired or revoked")
        user = User(_subject(holder.nip), _role(holder.role), holder.token_id)
        until = now + min(CACHE_SECONDS, holder.seconds_left(epoch_seconds()))
        with self._lock:
            self._cache[_digest(token)] = (until, user)
        return user


def _jwt_user(token: str, settings: JwtSettings, key: str) -> User:
    try:
        claims = jwt.decode(token, key, algorithms=list(settings.algorithms),
                            audience=settings.audience, issuer=settings.issuer,
                            options={"require": ["exp", "iss", "aud"]})
    except jwt.PyJWTError as e:
        raise ProblemError(401, "invalid_token", f"the token is not valid: {e}") from None
    nip, role = claims.get("nip") or claims.get("sub"), claims.get("role")
    if not isinstance(nip, str) or not isinstance(role, str):
        raise ProblemError(401, "invalid_token", "the token names no NIP and role")
    return User(_subject(nip), _role(role), f"jwt:{claims.get('jti', '')}")


def _credential(authorization: str | None) -> str:
    scheme, _, credential = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not credential.strip():
        raise ProblemError(401, "not_authenticated", "send Authorization: Bearer <token>")
    return credential.strip()


def _digest(token: str) -> bytes:
    return hashlib.sha256(token.encode()).digest()


def _subject(nip: str) -> str:
    """The caller's NIP (or service identity), which events record as their actor."""
    if not is_valid_subject(nip):
        raise ProblemError(401, "invalid_subject",
                           "the token's subject is not a valid NIP, NI PPPK or service identity")
    return nip


def _role(value: str) -> Role:
    try:
        return Role(value)
    except ValueError:
        raise ProblemError(401, "invalid_token", f"unknown role {value!r}") from None
