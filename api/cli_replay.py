"""Replay commands for appeal boards and auditors: show, timeline, diff, dossier."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from uuid import UUID

import orjson
import typer
from rich.table import Table

from api.cli_common import fail, out, settings
from api.history import between
from domain.errors import NotFoundError
from ledger.dossier import DossierInvalid, verify_dossier
from ledger.keys import trusted_verifiers
from ledger.note import Verifier
from projections.queries import Queries
from projections.runner import Projector
from replay.asof import AsOf
from replay.diff import diff, state
from replay.dossier import DossierError, build
from replay.drift import check
from replay.points import parse_point
from replay.report import html
from replay.source import FindingsAbout
from replay.timeline import Timelines
from service.application import KinerjaApplication
from service.config import Settings
from service.store import checkpointer, open_app

replay = typer.Typer(help="Rebuild any past evaluation and explain it.", no_args_is_help=True)


def _point(text: str | None) -> dict[str, Any]:
    try:
        return parse_point(text) if text else {}
    except ValueError as e:
        fail(str(e))


@contextmanager
def _replaying() -> Iterator[KinerjaApplication]:
    """The application for one command; a record that is not there is one line, exit 1."""
    application = open_app(settings(), sign=False)
    try:
        yield application
    except (NotFoundError, DossierError) as e:
        fail(getattr(e, "message", str(e)), code=1)
    finally:
        application.close()


def _findings(application: KinerjaApplication) -> FindingsAbout:
    """The findings naming an employee, from the findings view (as the service reads it)."""
    return Queries(Projector(application).store).findings_naming


@replay.command("show")
def show(record: UUID, at: str | None = typer.Option(
        None, help="7, leaf:1234, 2025-01-20 or 2025-01-20T03:00:00Z")) -> None:
    """A record as it stood at a point (now by default), as JSON."""
    with _replaying() as application:
        found = AsOf(application).record(record, **_point(at))
    body = {"id": str(found.id), "version": found.version, **state(found)}
    sys.stdout.write(orjson.dumps(body, option=orjson.OPT_INDENT_2).decode() + "\n")


@replay.command("timeline")
def timeline(evaluation: UUID, as_json: bool = typer.Option(False, "--json")) -> None:
    """Every event of an evaluation, with what changed, who, when, why and where in the ledger."""
    with _replaying() as application:
        entries = Timelines(application, _findings(application)).evaluation(evaluation)
    if as_json:
        sys.stdout.write(orjson.dumps([e.as_dict() for e in entries]).decode() + "\n")
        return
    table = Table("leaf", "when", "event", "by", "changes", "why")
    for e in entries:
        aggregate, event = e.topic.rsplit("/", 2)[-2:]  # kinerja/Evaluation/Finalised
        table.add_row(str(e.leaf_index), e.at[:19], f"{aggregate}.{event} v{e.version}",
                      f"{e.actor_name or ''} {e.actor} ({e.role})"
                      + (f" as {e.acting_as}" if e.acting_as else ""),
                      "; ".join(f"{c['field']}: {c['old']} → {c['new']}" for c in e.changes),
                      e.reason)
    out.print(table)


@replay.command("diff")
def diff_command(record: UUID, a: str, b: str) -> None:
    """What differs between two points of a record, and the events responsible."""
    with _replaying() as application:
        as_of = AsOf(application)
        first, second = as_of.record(record, **_point(a)), as_of.record(record, **_point(b))
        low, high = sorted((first.version, second.version))
        events = between(application, record, low, high)
    body = {"from_version": first.version, "to_version": second.version,
            "changes": diff(first, second), "events": events}
    sys.stdout.write(orjson.dumps(body, option=orjson.OPT_INDENT_2).decode() + "\n")


@replay.command("dossier")
def dossier(evaluation: UUID,
            at: str | None = typer.Option(None, help="The disputed point (default: now)."),
            fmt: str = typer.Option("json", "--format", help="json or html"),
            lang: str = typer.Option("id", help="id (Bahasa Indonesia) or en"),
            output: Path | None = typer.Option(None, "--out", help="File to write.")) -> None:
    """The self-verifying dossier for an appeal board (JSON, or printable HTML)."""
    if fmt not in ("json", "html") or lang not in ("id", "en"):
        fail("--format is json or html; --lang is id or en")
    config = settings()
    with _replaying() as application:
        document = build(application, evaluation, findings=_findings(application),
                         checkpoint_note=_covering_checkpoint(application, config),
                         origin=config.origin, verifier_keys=_vkeys(config.verifier_keys),
                         **_point(at))
    text = html(document, lang) if fmt == "html" else orjson.dumps(
        document, option=orjson.OPT_INDENT_2).decode()
    if output:
        output.write_text(text)
        out.print(f"wrote {output}")
    else:
        sys.stdout.write(text + "\n")


@replay.command("check")
def check_drift() -> None:
    """Rebuild everything from the log and report any view that disagrees with its events."""
    with _replaying() as application:
        drifts = check(application)
    table = Table("view", "missing", "extra", "different")
    for d in drifts:
        table.add_row(d.view, str(len(d.missing)), str(len(d.extra)), str(len(d.different)))
    out.print(table)
    bad = [d for d in drifts if not d.clean]
    for d in bad:
        print(f"drift in {d.view}: first {(d.missing + d.extra + d.different)[0]}")
    raise typer.Exit(1 if bad else 0)


def _covering_checkpoint(application: KinerjaApplication, config: Settings) -> str:
    """The latest signed checkpoint, signing one first when a key is at hand."""
    if config.key_file.exists():
        checkpointer(application, config).checkpoint()
    latest = application.ledger.latest_checkpoint()
    if latest is None:
        raise DossierError("no checkpoint is signed yet: run `kinerja keys init`, then retry")
    return latest.note


def _vkeys(path: Path) -> list[str]:
    return [line.strip() for line in path.read_text().splitlines() if line.strip()] \
        if path.exists() else []


def verify_dossier_file(path: Path, keys: list[Verifier]) -> None:
    """Used by `kinerja verify --dossier FILE`."""
    try:
        document = json.loads(path.read_text())
    except (OSError, ValueError) as e:
        fail(f"{path} is not a dossier: {e}")
    try:
        count = verify_dossier(document, keys or trusted_verifiers(settings().verifier_keys))
    except (DossierInvalid, KeyError, TypeError) as e:
        print(f"FAILED: {e}")
        raise typer.Exit(1) from None  # the failure is the line above; its traceback is noise
    out.print(f"[green]ok[/green]: {count} events of the dossier are in the signed ledger, "
              "as cited")
