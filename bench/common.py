"""What every benchmark shares: scratch stores, a fixed clock, timing, and the printed table.

A benchmark measures our code and its baseline side by side in one run, on a fresh SQLite file
and on a scratch PostgreSQL database, and prints both; nothing here is a test.
"""

from __future__ import annotations

import argparse
import gc
import math
import os
import platform
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any
from urllib.parse import urlsplit

import orjson
import psycopg
from rich.console import Console
from rich.table import Table

from service.config import Settings, store_env

ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
LIBRARY_MODULES = {"sqlite": "eventsourcing.sqlite", "postgresql": "eventsourcing.postgres"}

console = Console(width=None if sys.stdout.isatty() else 150)  # a log file keeps whole rows


class Clock:
    """A clock that stands still, so every run decides the same things."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@dataclass(frozen=True)
class Store:
    """One backend: the URL our application opens, and scratch places for the comparisons."""

    backend: str  # "sqlite" or "postgresql"
    url: str

    def url_for(self, name: str) -> str:
        """A store of its own for ``name``: a sibling SQLite file, or the same PostgreSQL
        database (where table names carry the application's name)."""
        if self.backend == "sqlite":
            return f"sqlite:///{Path(self.url.split(':///', 1)[1]).with_name(f'{name}.db')}"
        return self.url

    def library_env(self, name: str) -> dict[str, str]:
        """The library's own persistence module with our connection settings, tables made."""
        return store_env(Settings(self.url_for(name))) | {
            "PERSISTENCE_MODULE": LIBRARY_MODULES[self.backend], "CREATE_TABLE": "y"}


@contextmanager
def sqlite_store() -> Iterator[Store]:
    """A fresh SQLite file (and room for siblings) in a temporary folder, removed afterwards."""
    with TemporaryDirectory(prefix="kinerja-bench-") as folder:
        yield Store("sqlite", f"sqlite:///{folder}/kinerja.db")


@contextmanager
def postgres_store(admin_url: str, dbname: str) -> Iterator[Store]:
    """A scratch database on the server ``admin_url`` reaches, recreated now, dropped after."""
    url = urlsplit(admin_url)._replace(path=f"/{dbname}").geturl()
    _admin(admin_url, f"DROP DATABASE IF EXISTS {dbname} WITH (FORCE)", f"CREATE DATABASE {dbname}")
    try:
        yield Store("postgresql", url)
    finally:
        _admin(admin_url, f"DROP DATABASE IF EXISTS {dbname} WITH (FORCE)")


def _admin(admin_url: str, *statements: str) -> None:
    with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as conn:
        for statement in statements:
            conn.execute(statement)


def bench_parser(doc: str | None, scratch_db: str) -> argparse.ArgumentParser:
    """The options every benchmark takes; each adds its own sizes."""
    parser = argparse.ArgumentParser(description=(doc or "").split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes: a smoke run")
    parser.add_argument("--postgres-url", default=ADMIN_URL,
                        help=f"a server to make the scratch database {scratch_db} on")
    parser.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    return parser


def timed(run: Callable[[], Any], *, collect: bool = True) -> float:
    """Seconds one call of ``run`` takes, starting from a collected heap unless told not to."""
    if collect:
        gc.collect()
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def median(values: Sequence[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def percentile(values: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile: the smallest sample at or above ``fraction`` of them."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def verdict(passed: bool | None) -> str:
    return "—" if passed is None else "[green]PASS[/]" if passed else "[red]MISS[/]"


def print_table(title: str, columns: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    table = Table(title=title, title_justify="left")
    for index, column in enumerate(columns):
        table.add_column(column, justify="left" if index < 3 else "right")
    for row in rows:
        table.add_row(*row)
    console.print(table)


def machine(postgres_url: str | None) -> dict[str, Any]:
    """What the figures were measured on, for the record."""
    info = {"cores": os.cpu_count(), "cpu": _cpu_model(), "python": platform.python_version(),
            "system": platform.platform(terse=True), "optimize": sys.flags.optimize,
            "load_average": [round(n, 2) for n in os.getloadavg()]}  # others busy meanwhile?
    if postgres_url:
        with psycopg.connect(postgres_url, connect_timeout=5) as conn:
            info["postgresql"] = conn.execute("SHOW server_version").fetchone()[0]
    return info


def _cpu_model() -> str:
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def write_json(path: str, payload: dict[str, Any]) -> None:
    Path(path).write_bytes(orjson.dumps(payload, option=orjson.OPT_INDENT_2))
