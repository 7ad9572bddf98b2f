"""CPU seconds spent by a service's processes and by its PostgreSQL backends, from /proc (Linux).

Beside commands/s, CPU per command says whether a service is bound by its own work or waits on
the database; on a machine without /proc the figures are left out.
"""

from __future__ import annotations

import os
from pathlib import Path

PROC = Path("/proc")
TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def available() -> bool:
    return (PROC / "self" / "stat").exists()


def group_seconds(pgid: int) -> float:
    """User and system CPU seconds of every live process in the process group ``pgid``."""
    return sum(seconds for _, group, _, seconds in _stats() if group == pgid)


def postgres_seconds(dbname: str) -> float:
    """CPU seconds of the PostgreSQL backends serving ``dbname`` (by their process titles)."""
    return sum(seconds for pid, seconds in _backends() if f" {dbname} " in _title(pid))


def _backends() -> list[tuple[int, float]]:
    return [(pid, seconds) for pid, _, name, seconds in _stats() if name.startswith("postgres")]


def _stats() -> list[tuple[int, int, str, float]]:
    """(pid, process group, name, CPU seconds) of every process."""
    found = []
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:  # gone meanwhile
            continue
        name = stat[stat.index("(") + 1:stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2:].split()  # from field 3 (state) on
        found.append((int(entry.name), int(fields[2]), name,
                      (int(fields[11]) + int(fields[12])) / TICKS))
    return found


def _title(pid: int) -> str:
    try:
        return ((PROC / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ")
                .decode(errors="replace"))
    except OSError:
        return ""
