"""Configuration from the environment: one URL chooses the store.

``KINERJA_DATABASE_URL`` is ``sqlite:///kinerja.db`` by default (a file in the working folder),
or ``postgresql://user:pass@host:port/db`` in production. Nothing is read at import time.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

DEFAULT_DATABASE_URL = "sqlite:///kinerja.db"


class ConfigError(Exception):
    """A setting is missing or malformed; the message is one line for an operator."""


DEFAULT_ORIGIN = "kinerja.semarangkota.go.id/ledger"
PROJECTION_MODES = ("embedded", "external")  # external: run `kinerja project run` beside it


@dataclass(frozen=True)
class JwtSettings:
    """Accept JWTs from the government's identity provider (signature, issuer, audience, exp)."""

    issuer: str
    audience: str
    key_file: Path  # the identity provider's public key, PEM
    algorithms: tuple[str, ...] = ("RS256", "ES256", "EdDSA")


@dataclass(frozen=True)
class Settings:
    database_url: str = DEFAULT_DATABASE_URL
    pool_size: int = 5
    origin: str = DEFAULT_ORIGIN  # the log's name in checkpoints, and the signing key's name
    key_file: Path = Path("keys/ledger.key")
    verifier_keys: Path = Path("keys/verifiers.txt")
    checkpoint_every: int = 1000  # events
    checkpoint_seconds: int = 60
    jwt: JwtSettings | None = None
    projections: str = PROJECTION_MODES[0]
    redact_nips: bool = False  # the access log writes <nip> for every NIP in a path

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        environ = os.environ if environ is None else environ
        default = cls()  # an unset variable takes the field's default, declared once above
        settings = cls(
            database_url=environ.get("KINERJA_DATABASE_URL", "").strip() or default.database_url,
            pool_size=_int(environ, "KINERJA_POOL_SIZE", default.pool_size),
            origin=environ.get("KINERJA_LEDGER_ORIGIN", "").strip() or default.origin,
            key_file=Path(environ.get("KINERJA_KEY_FILE", "") or default.key_file),
            verifier_keys=Path(environ.get("KINERJA_VERIFIER_KEYS", "") or default.verifier_keys),
            checkpoint_every=_int(environ, "KINERJA_CHECKPOINT_EVERY", default.checkpoint_every),
            checkpoint_seconds=_int(environ, "KINERJA_CHECKPOINT_SECONDS",
                                    default.checkpoint_seconds),
            jwt=_jwt(environ),
            projections=environ.get("KINERJA_PROJECTIONS", "").strip() or default.projections,
            redact_nips=_flag(environ, "KINERJA_LOG_REDACT_NIPS", default.redact_nips),
        )
        if settings.projections not in PROJECTION_MODES:
            raise ConfigError(f"KINERJA_PROJECTIONS is {' or '.join(PROJECTION_MODES)}")
        if " " in settings.origin or "+" in settings.origin:
            raise ConfigError("KINERJA_LEDGER_ORIGIN may not contain spaces or '+'")
        store_env(settings)  # fail early, with the reason
        return settings

    @property
    def backend(self) -> str:
        """``sqlite`` or ``postgresql``."""
        scheme = urlsplit(self.database_url).scheme.split("+")[0]
        return "postgresql" if scheme == "postgres" else scheme


def store_env(settings: Settings) -> dict[str, str]:
    """The eventsourcing environment for the configured store (tables are never auto-created)."""
    url = urlsplit(settings.database_url)
    scheme = url.scheme.split("+")[0]
    if scheme == "sqlite":
        return {"PERSISTENCE_MODULE": "ledger.sqlite:Factory", "CREATE_TABLE": "n",
                "SQLITE_DBNAME": _sqlite_path(settings.database_url), "SQLITE_LOCK_TIMEOUT": "10"}
    if scheme in ("postgresql", "postgres"):
        return _postgres_env(url, settings.pool_size)
    raise ConfigError("KINERJA_DATABASE_URL must start with sqlite:/// or postgresql://"
                      f" (got {scheme or 'nothing'!r})")


def _sqlite_path(url: str) -> str:
    path = url.split(":///", 1)[1] if ":///" in url else ""
    if not path:
        raise ConfigError("a SQLite URL names a file: sqlite:///kinerja.db or sqlite:////abs/path.db")
    if path == ":memory:":
        return "file:kinerja?mode=memory&cache=shared"
    parent = Path(path).expanduser().resolve().parent
    if not parent.is_dir():
        raise ConfigError(f"the folder for the SQLite file does not exist: {parent}")
    return str(Path(path).expanduser())


def _postgres_env(url, pool_size: int) -> dict[str, str]:
    dbname = url.path.lstrip("/")
    if not url.hostname or not dbname:
        raise ConfigError("a PostgreSQL URL names a host and a database: postgresql://user@host/db")
    try:
        port = url.port or 5432
    except ValueError:
        raise ConfigError("the PostgreSQL port in KINERJA_DATABASE_URL is not a number") from None
    return {
        "PERSISTENCE_MODULE": "ledger.postgres:Factory", "CREATE_TABLE": "n",
        "POSTGRES_DBNAME": unquote(dbname), "POSTGRES_HOST": url.hostname,
        "POSTGRES_PORT": str(port), "POSTGRES_USER": unquote(url.username or "postgres"),
        "POSTGRES_PASSWORD": unquote(url.password or ""), "POSTGRES_POOL_SIZE": str(pool_size),
        "POSTGRES_MAX_OVERFLOW": "10", "POSTGRES_CONNECT_TIMEOUT": "5",
        "POSTGRES_LOCK_TIMEOUT": "10",
    }


def _flag(environ: Mapping[str, str], key: str, default: bool) -> bool:
    raw = environ.get(key, "").strip().lower()
    if not raw:
        return default
    if raw not in ("0", "1", "true", "false"):
        raise ConfigError(f"{key} is 1 or 0 (got {raw!r})")
    return raw in ("1", "true")


def _int(environ: Mapping[str, str], key: str, default: int) -> int:
    raw = environ.get(key, "").strip()
    if not raw:
        return default
    if not raw.isdigit():
        raise ConfigError(f"{key} must be a whole number (got {raw!r})")
    return int(raw)


def _jwt(environ: Mapping[str, str]) -> JwtSettings | None:
    issuer = environ.get("KINERJA_JWT_ISSUER", "").strip()
    if not issuer:
        return None
    audience = environ.get("KINERJA_JWT_AUDIENCE", "").strip()
    key_file = Path(environ.get("KINERJA_JWT_KEY_FILE", "").strip() or "missing")
    if not audience or not key_file.is_file():
        raise ConfigError("with KINERJA_JWT_ISSUER set, KINERJA_JWT_AUDIENCE and a readable "
                          "KINERJA_JWT_KEY_FILE (the provider's PEM public key) are required")
    return JwtSettings(issuer, audience, key_file)
