"""Database administration: ``kinerja db init``."""

from __future__ import annotations

import re

import typer

from api.cli_common import fail, out, settings
from service.store import init_db

db = typer.Typer(help="Database administration.", no_args_is_help=True)


@db.command("init")
def db_init(
    service_role: str | None = typer.Option(
        None, help="PostgreSQL: a role to grant read-and-append only (created if missing)."),
) -> None:
    """Create the tables once (idempotent). Run before the first start of the service."""
    config = settings()
    if service_role and config.backend != "postgresql":
        fail("--service-role needs PostgreSQL")
    if service_role and not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", service_role):
        fail("a role name is lowercase letters, digits and '_' (at most 63)")
    init_db(config, service_role=service_role)
    out.print(f"database ready ({config.backend})")
