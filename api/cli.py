"""The ``kinerja`` command line: thin, like the HTTP API (parse, call, render)."""

from __future__ import annotations

import re
import sys
from importlib.metadata import PackageNotFoundError, version

import typer
from rich.console import Console

from eventsourcing.persistence import PersistenceError

from ledger.keys import KeyFileError
from service.config import ConfigError, Settings
from service.store import StoreError, init_db

app = typer.Typer(help="kinerja-ledger: the audit-grade record of ASN performance.",
                  no_args_is_help=True, pretty_exceptions_enable=False)
db = typer.Typer(help="Database administration.", no_args_is_help=True)
app.add_typer(db, name="db")
err = Console(stderr=True)
out = Console()


def package_version() -> str:
    try:
        return version("kinerja-ledger")
    except PackageNotFoundError:
        return "0+unknown"


def _version(value: bool) -> None:
    if value:
        out.print(f"kinerja-ledger {package_version()}")
        raise typer.Exit()


@app.callback()
def main_options(
    show_version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                      help="Print the version and exit."),
) -> None:
    """kinerja-ledger command line."""


def settings() -> Settings:
    return Settings.from_env()


def fail(message: str, code: int = 2) -> None:
    """One line on stderr and a non-zero exit: what an operator needs, never a traceback."""
    print(f"error: {message}", file=sys.stderr)
    raise typer.Exit(code)


@db.command("init")
def db_init(service_role: str = typer.Option(
        None, help="PostgreSQL: a role to grant read-and-append only (created if missing).")) -> None:
    """Create the tables once (idempotent). Run before the first start of the service."""
    config = settings()
    if service_role and config.backend != "postgresql":
        fail("--service-role needs PostgreSQL")
    if service_role and not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", service_role):
        fail("a role name is lowercase letters, digits and '_' (at most 63)")
    init_db(config, service_role=service_role)
    out.print(f"database ready ({config.backend})")


def main() -> None:
    """Entry point: operator errors are one clear line on stderr, never a traceback."""
    from api import (  # noqa: F401  (they register their subcommands)
        cli_commands, cli_ledger, cli_project, cli_replay, cli_serve,
    )
    try:
        app()
    except (ConfigError, StoreError, KeyFileError) as e:
        print(f"error: {e}", file=sys.stderr)
        sys.exit(2)
    except PersistenceError as e:  # e.g. a table added by an upgrade: db init creates it
        first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        print(f"error: database: {first} (after an upgrade, run `kinerja db init`)",
              file=sys.stderr)
        sys.exit(2)
