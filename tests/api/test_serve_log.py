"""``kinerja serve --workers 2``: a real two-worker service on PostgreSQL."""

from __future__ import annotations

import statistics
import time

import httpx
import orjson
import pytest

from bench.api_servers import ours_command, served
from tests.reliability.support import free_port


@pytest.fixture(scope="module")
def two_workers(postgres_database, tmp_path_factory):
    port, log = free_port(), tmp_path_factory.mktemp("serve") / "serve.log"
    with served("ours", ours_command(port, 2), {"KINERJA_DATABASE_URL": postgres_database},
                port, log) as server:
        yield server, log


def test_every_worker_writes_the_access_log(two_workers):
    """Bug: the log was set up in the process that starts uvicorn; with --workers 2 uvicorn
    starts each worker as a new process, with no handler for INFO lines, and every access
    line was lost. Fix: uvicorn is handed the logging setup (``cli_serve.LOGGING``) and
    applies it in each worker."""
    server, log = two_workers
    for n in range(8):
        httpx.get(f"{server.url}/health", headers={"X-Request-Id": f"probe-{n}"})
    time.sleep(0.2)
    lines = [orjson.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
    probes = {line["request_id"] for line in lines if line["path"] == "/health"}
    assert {f"probe-{n}" for n in range(8)} <= probes


def test_a_kept_alive_connection_does_not_wait_out_delayed_acks(two_workers):
    """Bug: with --workers uvicorn binds the socket itself and asyncio left Nagle's algorithm
    on for its connections: every request on a kept-alive connection took ~44 ms (one worker:
    ~1 ms). Fix: ``api.http.NoDelayH11Protocol`` sets TCP_NODELAY on each connection. (The
    bound is 20 ms: a stall is 40 ms or more; a request here takes about 1 ms.)"""
    server, _ = two_workers
    with httpx.Client() as client:
        client.get(f"{server.url}/health")
        took = []
        for _ in range(15):
            started = time.perf_counter()
            client.get(f"{server.url}/health")
            took.append(time.perf_counter() - started)
    assert statistics.median(took) < 0.020, f"median {statistics.median(took) * 1000:.1f} ms"
