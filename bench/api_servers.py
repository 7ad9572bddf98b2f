"""The two services as real uvicorn processes on loopback, always stopped afterwards.

Each runs in a process group of its own, so stopping it stops its workers too.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
HOST = "127.0.0.1"


@dataclass(frozen=True)
class Server:
    name: str
    url: str
    pid: int


def ours_command(port: int, workers: int) -> list[str]:
    return [str(BIN / "kinerja"), "serve", "--host", HOST, "--port", str(port),
            "--workers", str(workers)]


def bare_command(port: int, workers: int) -> list[str]:
    """uvicorn's defaults, but for its HTTP protocol with several workers: as ours, Nagle's
    algorithm off (``api.http``), or every request on a kept-alive connection waits out a
    delayed ACK (~40 ms) and the comparison would measure that."""
    if workers == 1:
        return [sys.executable, "-m", "uvicorn", "bench.api_bare:create_app", "--factory",
                "--host", HOST, "--port", str(port), "--log-level", "warning",
                "--no-access-log"]
    return [sys.executable, "-c",
            "import uvicorn\nfrom api.http import NoDelayH11Protocol\n"
            f"uvicorn.run('bench.api_bare:create_app', factory=True, host={HOST!r}, port={port},"
            f" workers={workers}, http=NoDelayH11Protocol, log_level='warning',"
            " access_log=False)"]


def kinerja(*args: str, env: Mapping[str, str], ok_codes: Sequence[int] = (0,)) -> str:
    """Run one ``kinerja`` command to completion and return what it printed."""
    done = subprocess.run([str(BIN / "kinerja"), *args], cwd=ROOT, env=os.environ | dict(env),
                          capture_output=True, text=True, timeout=600)
    if done.returncode not in ok_codes:
        raise RuntimeError(f"kinerja {' '.join(args)} failed: {done.stderr.strip()}")
    return done.stdout


@contextmanager
def served(name: str, command: Sequence[str], env: Mapping[str, str], port: int,
           log: Path) -> Iterator[Server]:
    """Start the service, wait until /health answers, and stop it (and its workers) at the end."""
    with log.open("wb") as output:
        process = subprocess.Popen(command, cwd=ROOT, env=os.environ | dict(env), stdout=output,
                                   stderr=subprocess.STDOUT, start_new_session=True)
        try:
            url = f"http://{HOST}:{port}"
            _wait_healthy(url, process, log)
            yield Server(name, url, process.pid)
        finally:
            _stop(process)


def _wait_healthy(url: str, process: subprocess.Popen, log: Path, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url} exited with {process.returncode}:\n{log.read_text()}")
        try:
            if httpx.get(f"{url}/health", timeout=1.0).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer /health within {seconds:.0f} s")


def _stop(process: subprocess.Popen) -> None:
    """SIGTERM to the process group (uvicorn shuts down gracefully), SIGKILL if it lingers."""
    for sig, wait in ((signal.SIGTERM, 20.0), (signal.SIGKILL, 5.0)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        if _gone(process, wait):
            return


def _gone(process: subprocess.Popen, seconds: float) -> bool:
    """Whether the whole group has exited (the supervisor and its workers) within ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        process.poll()  # reap the supervisor
        try:
            os.killpg(process.pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.1)
    return False
