"""`kinerja demo`: fill an empty store with the demo city's cycle up to today (the `demo`
package)."""

from __future__ import annotations

from datetime import datetime

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from api.cli_common import fail, out, settings
from demo.catalog import CATALOGUE
from demo.org import MIN_EMPLOYEES
from demo.year import DemoClock, DemoSummary, generate
from service.store import init_db, open_app


def demo(
    employees: int = typer.Option(2000, "--employees", min=MIN_EMPLOYEES,
                                  help="How many ASN the city employs."),
    seed: int = typer.Option(1, "--seed", help="The same seed and options give the same events."),
    today: datetime | None = typer.Option(
        None, "--today", formats=["%Y-%m-%d"],
        help="The demo's day (default: today in Asia/Jakarta): the cycle is played up to it, "
             "leaving work waiting for every role."),
    units: int = typer.Option(12, "--units", min=3, max=len(CATALOGUE),
                              help="How many OPDs (a small city keeps fewer)."),
    if_empty: bool = typer.Option(False, "--if-empty",
                                  help="Do nothing (and succeed) when the store holds events."),
) -> None:
    """Fill an empty store with a city government's appraisal cycle as it stands today."""
    config = settings()
    init_db(config)
    clock = DemoClock()
    application = open_app(config, clock=clock)
    try:
        if application.recorder.max_notification_id():
            if if_empty:
                out.print("the store already holds events: demo data not added")
                return
            fail("the store already holds events: run the demo against an empty database")
        with _progress() as bar:
            task = bar.add_task("demo", total=None)
            summary = generate(application, clock, employees=employees, seed=seed,
                               today=today.date() if today else None,
                               units=units, progress=lambda phase, done, total: bar.update(
                                   task, description=phase, completed=done, total=total))
    except ValueError as e:
        fail(str(e))
    finally:
        application.close()
    out.print(_table(summary))


def _progress() -> Progress:
    return Progress(TextColumn("{task.description:<20}"), BarColumn(), MofNCompleteColumn(),
                    TimeElapsedColumn(), console=out, transient=True)


def _table(summary: DemoSummary) -> Table:
    table = Table(title="Demo cycle recorded", show_header=False)
    for label, value in summary.rows():
        table.add_row(label, value)
    return table
