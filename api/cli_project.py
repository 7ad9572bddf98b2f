"""Projection commands: follow the log, rebuild views, show positions and lag."""

from __future__ import annotations

import signal
import threading

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from api.cli_common import fail, out, settings
from projections.runner import Projector
from projections.views import BY_NAME
from service.store import open_app

project = typer.Typer(help="Views (projections) kept from the event log.", no_args_is_help=True)


@project.command("run")
def run() -> None:
    """Follow the log and keep every view up to date until interrupted (SIGINT/SIGTERM)."""
    application = open_app(settings(), sign=False)
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    out.print("following the log; Ctrl-C to stop")
    try:
        Projector(application).run(stop)  # a failure is logged, then it resumes
    finally:
        application.close()


@project.command("rebuild")
def rebuild(
    views: list[str] | None = typer.Argument(None, help="Views to rebuild (default: all)."),
) -> None:
    """Empty the views and rebuild them from the whole log, with a progress bar."""
    unknown = set(views or ()) - set(BY_NAME)
    if unknown:
        fail(f"no such view: {', '.join(sorted(unknown))} (views: {', '.join(BY_NAME)})")
    application = open_app(settings(), sign=False)
    try:
        head = application.recorder.max_notification_id() or 0
        with Progress(TextColumn("rebuilding"), BarColumn(), MofNCompleteColumn(),
                      TimeElapsedColumn(), console=out, transient=True) as bar:
            task = bar.add_task("rebuild", total=head)
            count = Projector(application).rebuild(
                views or None, progress=lambda at: bar.update(task, completed=at))
    finally:
        application.close()
    out.print(f"rebuilt {', '.join(views or BY_NAME)} from {count} events")


@project.command("status")
def status() -> None:
    """Each view's position in the log and how far behind it is."""
    application = open_app(settings(), sign=False)
    try:
        head = application.recorder.max_notification_id() or 0
        table = Table("view", "position", "lag (events)")
        for name, position in Projector(application).positions().items():
            table.add_row(name, str(position), str(head - position))
    finally:
        application.close()
    out.print(table)
