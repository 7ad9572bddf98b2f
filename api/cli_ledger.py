"""Ledger subcommands: keys, checkpoint, verify, export."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import orjson
import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from api.cli_common import err, fail, out, settings
from api.cli_replay import verify_dossier_file
from ledger.audit import export_database, verify_database
from ledger.bundle import BundleError, verify_bundle
from ledger.checkpoints import CheckpointRefusedError
from ledger.db import LedgerDB
from ledger.keys import create_key, load_signer, public_verifier, rotate_key, trusted_verifiers
from ledger.note import NoteError, Verifier, parse_verifier_key
from ledger.verify import Report
from service.store import checkpointer, open_app

keys = typer.Typer(help="Checkpoint signing keys.", no_args_is_help=True)
Advance = Callable[[int], None]  # told how many leaves are verified so far


@keys.command("init")
def keys_init(if_missing: bool = typer.Option(False, help="Do nothing if a key exists.")) -> None:
    """Create the signing key (file mode 0600) and print its verifier key for auditors."""
    config = settings()
    if if_missing and config.key_file.exists():
        print(public_verifier(load_signer(config.key_file)))
        return
    print(create_key(config.key_file, config.origin, config.verifier_keys))


@keys.command("rotate")
def keys_rotate() -> None:
    """Retire the signing key and create a new one; old checkpoints stay verifiable."""
    config = settings()
    print(rotate_key(config.key_file, config.origin, config.verifier_keys))


@keys.command("show")
def keys_show() -> None:
    """Print the trusted verifier keys (the current key first if there is one)."""
    config = settings()
    for verifier in trusted_verifiers(config.verifier_keys):
        print(f"{verifier.name}+{verifier.key_id.hex()}")


def checkpoint_now() -> None:
    """Sign a checkpoint of the ledger now and print it."""
    config = settings()
    application = open_app(config, sign=False)
    try:
        signed = checkpointer(application, config).checkpoint()
    except CheckpointRefusedError as e:
        fail(str(e), code=1)
    finally:
        application.close()
    if signed is None:
        fail("the ledger is empty: nothing to sign", code=1)
    print(signed.note, end="")


def verify_command(
    bundle: Path | None = typer.Option(None, help="Verify an exported bundle, offline."),
    dossier: Path | None = typer.Option(None, help="Verify an appeal dossier (JSON), offline."),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
    key: list[str] = typer.Option([], help="A trusted verifier key (repeatable)."),
) -> None:
    """Check every event, leaf, node and signed checkpoint; exit 0 only if all hold."""
    trusted = [_verifier(k) for k in key]
    if dossier is not None:
        verify_dossier_file(dossier, trusted)
        return
    with _progress(as_json) as advance:
        if bundle is not None:
            try:
                report, _ = verify_bundle(bundle, trusted or None, progress=advance)
            except BundleError as e:
                fail(str(e))
        else:
            report = _verify_database(trusted, advance)
    _render(report, as_json)
    raise typer.Exit(0 if report.ok else 1)


def export_command(path: Path) -> None:
    """Write a bundle (events, leaves, checkpoints, verifier keys) for offline audit."""
    config = settings()
    application = open_app(config, sign=False)
    try:
        vkeys = [line for line in _lines(config.verifier_keys)]
        manifest = export_database(LedgerDB.of(application.recorder), path, config.origin, vkeys)
    finally:
        application.close()
    out.print(f"wrote {path}: {manifest['events']} events, {manifest['leaves']} leaves, "
              f"{manifest['checkpoints']} checkpoints")


def _verify_database(trusted: list[Verifier], advance: Advance | None) -> Report:
    config = settings()
    application = open_app(config, sign=False)
    try:
        verifiers = trusted or trusted_verifiers(config.verifier_keys)
        return verify_database(LedgerDB.of(application.recorder), verifiers, config.origin,
                               progress=advance)
    finally:
        application.close()


def _render(report: Report, as_json: bool) -> None:
    if as_json:
        sys.stdout.write(orjson.dumps(report.as_dict(), option=orjson.OPT_INDENT_2).decode() + "\n")
        return
    first = report.first  # None exactly when the report is ok: there are no findings
    if first is None:
        out.print(f"[green]ok[/green]: {report.leaves} leaves and {report.checkpoints} "
                  "checkpoints verify")
        return
    print(f"FAILED: {first.describe()}")
    for other in report.findings:
        if other is not first:
            print(f"also: {other.describe()}")


def _verifier(text: str) -> Verifier:
    try:
        return parse_verifier_key(text)
    except (NoteError, ValueError):
        fail(f"not a verifier key: {text!r}")


def _lines(path: Path) -> list[str]:
    if not path.exists():
        return []
    return [line.strip() for line in path.read_text().splitlines() if line.strip()]


class _progress:
    """A progress bar on stderr while verifying (none for --json or when not a terminal)."""

    def __init__(self, quiet: bool) -> None:
        self.bar = None if quiet or not err.is_terminal else Progress(
            TextColumn("verifying"), BarColumn(), TextColumn("{task.completed:,} leaves"),
            TimeElapsedColumn(), console=err, transient=True)

    def __enter__(self) -> Advance | None:
        bar = self.bar
        if bar is None:
            return None
        bar.start()
        task = bar.add_task("verify", total=None)
        return lambda n: bar.update(task, completed=n)

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()
