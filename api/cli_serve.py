"""Serving the HTTP API, and the bearer tokens it accepts."""

from __future__ import annotations

import typer
import uvicorn

from api.cli_common import fail, out, settings
from api.http import NoDelayH11Protocol
from api.policy import Role
from domain.errors import NotFoundError
from ledger.db import LedgerDB
from service.store import open_app
from service.tokens import SERVICE_ID, TokenStore, check_subject

tokens = typer.Typer(help="API bearer tokens (stored only as hashes).", no_args_is_help=True)


# Our access log (one JSON line per request) and warnings on stderr. Given to uvicorn, which
# applies it in every worker process: workers start as new processes, with no logging set up.
LOGGING = {
    "version": 1, "disable_existing_loggers": False,
    "formatters": {"line": {"format": "%(message)s"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "line",
                            "stream": "ext://sys.stderr"}},
    "root": {"handlers": ["stderr"], "level": "INFO"},
}


def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(8000, help="Port to listen on."),
    workers: int = typer.Option(1, min=1, max=64, help="Worker processes (PostgreSQL for >1)."),
) -> None:
    """Run the HTTP API with uvicorn. Interactive docs are at /docs."""
    config = settings()
    if workers > 1 and config.backend == "sqlite":
        fail("several workers need PostgreSQL (KINERJA_DATABASE_URL=postgresql://…)")
    open_app(config, sign=False).close()  # fail here, in one line, if the store is not ready
    out.print(f"kinerja-ledger on http://{host}:{port} — API docs at http://{host}:{port}/docs "
              f"({config.backend}); get a token with `kinerja tokens issue`")
    uvicorn.run("api.app:create_app", factory=True, host=host, port=port, workers=workers,
                http=NoDelayH11Protocol, log_config=LOGGING, log_level="warning",
                access_log=False)


@tokens.command("issue")
def issue(nip: str = typer.Option(..., help="The NIP (or service id) the token acts as."),
          role: Role = typer.Option(..., help="The role it acts in."),
          days: int = typer.Option(None, min=1, help="Expire after this many days.")) -> None:
    """Issue a token and print it once; only its hash is stored. A NIP must be a registered
    employee's (a token acts as a person the register knows)."""
    try:
        check_subject(nip)  # before opening the store: nothing to open for a typo
    except ValueError as e:
        fail(str(e))
    print(_store(lambda store: store.issue(nip, role.value, days=days), registered=nip))


@tokens.command("revoke")
def revoke(token: str = typer.Argument(..., help="The token, or its id (kin_<id>_…).")) -> None:
    """Revoke a token (the service stops accepting it within 30 seconds)."""
    if not _store(lambda store: store.revoke(token)):
        fail("no such active token", code=1)
    out.print("revoked")


def _store(use, registered: str | None = None):
    application = open_app(settings(), sign=False)
    try:
        if registered and not SERVICE_ID.fullmatch(registered):
            try:
                application.employee(registered)
            except NotFoundError:
                fail(f"{registered} is not a registered employee: register them first")
        return use(TokenStore(LedgerDB.of(application.recorder)))
    finally:
        application.close()
