"""`kinerja import-history FILE`: PP 30/2019 records of 2019-2021, one JSON object a line.

Each line is imported or refused by itself (a refused line records nothing), and the report
says which, so an operator can fix the refused lines and run the file again: lines already
imported are then refused as existing, never recorded twice.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer

from api.cli_common import out, settings
from domain.errors import DomainError
from service.core import Actor
from service.store import init_db, open_app

IMPORTER = Actor("system:import", "admin")
FIELDS = ("nip", "year", "skp", "behaviour", "peer_input", "new_idea", "source_ref")


def import_history(file: Path = typer.Argument(..., exists=True, dir_okay=False,
                                               help="JSON lines: nip, year, skp, behaviour, "
                                                    "peer_input, new_idea, source_ref "
                                                    "(rater_nip optional).")) -> None:
    """Import evaluations of 2019-2021 scored under PP 30/2019 (0-120)."""
    config = settings()
    init_db(config)
    application = open_app(config)
    try:
        lines = file.read_text(encoding="utf-8").splitlines()
        reports = import_lines(application, lines)
    finally:
        application.close()
    for report in reports:
        out.print(report, highlight=False)
    if any(" refused: " in report for report in reports):
        raise typer.Exit(1)


def import_lines(application: Any, lines: list[str]) -> list[str]:
    """One report per non-blank line: what was imported, or why it was refused."""
    return [f"line {n}: {_import_one(application, line)}"
            for n, line in enumerate(lines, start=1) if line.strip()]


def _import_one(application: Any, line: str) -> str:
    try:
        record = json.loads(line)
        if not isinstance(record, dict) or any(f not in record for f in FIELDS):
            return f"refused: invalid_record: needs {', '.join(FIELDS)}"
        evaluation = application.import_history(
            IMPORTER, str(record["nip"]), int(record["year"]), skp=float(record["skp"]),
            behaviour=float(record["behaviour"]), peer_input=bool(record["peer_input"]),
            new_idea=bool(record["new_idea"]), source_ref=str(record["source_ref"]),
            rater_nip=record.get("rater_nip"))
    except DomainError as e:
        return f"refused: {e.code}: {e.message}"
    except (ValueError, TypeError) as e:  # not JSON, or a field of the wrong kind
        return f"refused: invalid_record: {e}"
    return (f"imported {evaluation.nip} {evaluation.period}: {evaluation.predikat} "
            f"({evaluation.outcome['numeric']['score']:g}) id {evaluation.id}")
