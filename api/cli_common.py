"""What every command module shares: the consoles, the settings and the one-line failure.

A module of its own so that the command modules need not import ``api.cli``, which imports
them all to register their commands: the imports stay one-way.
"""

from __future__ import annotations

import sys
from typing import NoReturn

import typer
from rich.console import Console

from service.config import Settings

err = Console(stderr=True)
out = Console()


def settings() -> Settings:
    return Settings.from_env()


def fail(message: str, code: int = 2) -> NoReturn:
    """One line on stderr and a non-zero exit: what an operator needs, never a traceback."""
    print(f"error: {message}", file=sys.stderr)
    raise typer.Exit(code)
