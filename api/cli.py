"""The ``kinerja`` command line: thin, like the HTTP API (parse, call, render).

The composition root of the commands: each ``api/cli_*`` module defines its commands or its
sub-app and this one registers them, explicitly and in the order ``kinerja --help`` lists them.
"""

from __future__ import annotations

import sys
from importlib.metadata import PackageNotFoundError, version

import typer
from eventsourcing.persistence import PersistenceError

from api import cli_db, cli_demo, cli_history, cli_ledger, cli_project, cli_replay, cli_serve
from api.cli_common import out
from ledger.keys import KeyFileError
from service.config import ConfigError
from service.store import StoreError

app = typer.Typer(help="kinerja-ledger: the audit-grade record of ASN performance.",
                  no_args_is_help=True, pretty_exceptions_enable=False)
app.command("demo")(cli_demo.demo)
app.command("checkpoint")(cli_ledger.checkpoint_now)
app.command("verify")(cli_ledger.verify_command)
app.command("export")(cli_ledger.export_command)
app.command("serve")(cli_serve.serve)
app.command("import-history")(cli_history.import_history)
app.add_typer(cli_db.db, name="db")
app.add_typer(cli_ledger.keys, name="keys")
app.add_typer(cli_project.project, name="project")
app.add_typer(cli_replay.replay, name="replay")
app.add_typer(cli_serve.tokens, name="tokens")


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


def main() -> None:
    """Entry point: operator errors are one clear line on stderr, never a traceback."""
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
