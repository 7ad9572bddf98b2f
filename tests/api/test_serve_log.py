"""``kinerja serve`` writes one JSON line per request to stderr, from every worker process."""

from __future__ import annotations

import httpx
import orjson

from bench.api_servers import ours_command, served
from tests.reliability.support import free_port


def test_every_worker_writes_the_access_log(postgres_database, tmp_path):
    """Bug: the log was set up in the process that starts uvicorn; with --workers 2 uvicorn
    starts each worker as a new process, with no handler for INFO lines, and every access
    line was lost. Fix: uvicorn is handed the logging setup (``cli_serve.LOGGING``) and
    applies it in each worker."""
    port, log = free_port(), tmp_path / "serve.log"
    with served("ours", ours_command(port, 2), {"KINERJA_DATABASE_URL": postgres_database},
                port, log) as server:
        for n in range(8):
            httpx.get(f"{server.url}/health", headers={"X-Request-Id": f"probe-{n}"})
    lines = [orjson.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
    probes = {line["request_id"] for line in lines if line["path"] == "/health"}
    assert {f"probe-{n}" for n in range(8)} <= probes
