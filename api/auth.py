"""Authentication: our bearer tokens, or (configurable) JWTs from the identity provider.

The identity recorded on events comes from here, never from a request body.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

import jwt

from api.policy import Role
from api.problems import ProblemError
from service.config import JwtSettings
from service.tokens import TokenStore

CACHE_SECONDS = 30.0  # a revoked token stops working within this long


@dataclass(frozen=True)
class User:
    nip: str
    role: Role
    token_id: str


class Authenticator:
    def __init__(self, tokens: TokenStore, jwt_settings: JwtSettings | None = None) -> None:
        self.tokens, self.jwt = tokens, jwt_settings
        self._jwt_key = jwt_settings.key_file.read_text() if jwt_settings else None
        self._cache: dict[str, tuple[float, User]] = {}
        self._lock = threading.Lock()

    def user(self, authorization: str | None) -> User:
        scheme, _, credential = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not credential.strip():
            raise ProblemError(401, "not_authenticated", "send Authorization: Bearer <token>")
        credential = credential.strip()
        if credential.startswith("kin_"):
            return self._token_user(credential)
        if self.jwt is not None:
            return self._jwt_user(credential)
        raise ProblemError(401, "invalid_token", "the token is not valid")

    def _token_user(self, token: str) -> User:
        now = time.monotonic()
        with self._lock:
            cached = self._cache.get(token)
        if cached and now - cached[0] < CACHE_SECONDS:
            return cached[1]
        holder = self.tokens.holder(token)
        if holder is None:
            raise ProblemError(401, "invalid_token", "the token is unknown, expired or revoked")
        user = User(holder.nip, _role(holder.role), holder.token_id)
        with self._lock:
            self._cache[token] = (now, user)
        return user

    def _jwt_user(self, token: str) -> User:
        try:
            claims = jwt.decode(token, self._jwt_key, algorithms=list(self.jwt.algorithms),
                                audience=self.jwt.audience, issuer=self.jwt.issuer,
                                options={"require": ["exp", "iss", "aud"]})
        except jwt.PyJWTError as e:
            raise ProblemError(401, "invalid_token", f"the token is not valid: {e}") from None
        nip, role = claims.get("nip") or claims.get("sub"), claims.get("role")
        if not isinstance(nip, str) or not isinstance(role, str):
            raise ProblemError(401, "invalid_token", "the token names no NIP and role")
        return User(nip, _role(role), f"jwt:{claims.get('jti', '')}")


def _role(value: str) -> Role:
    try:
        return Role(value)
    except ValueError:
        raise ProblemError(401, "invalid_token", f"unknown role {value!r}") from None
