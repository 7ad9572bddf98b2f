"""Issue 4: SQL statements and database round trips per rating command, ours against bare.

Both apps run in this process behind FastAPI's TestClient (the same middleware, dependencies and
endpoints as under uvicorn; no background threads) on a scratch PostgreSQL database, with the
requests ``bench/api_load.py`` sends (bearer token, Idempotency-Key). Every evaluation is rated
once first, so the counted commands find their aggregates cached, as under the load. Counted in
psycopg: each statement a cursor executes and each command it sends itself (BEGIN, COMMIT, ...);
statements sent in one pipeline (our commit's) share a round trip.

    .venv/bin/python bench/api_statements.py [--commands N] [--postgres-url URL] [--json FILE]
"""

from __future__ import annotations

import os
import re
import sys
import threading
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any
from uuid import UUID

if __package__ in (None, ""):  # run as a script: import from the repo root
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import psycopg  # noqa: E402
from fastapi.testclient import TestClient  # noqa: E402
from psycopg import _connection_base  # noqa: E402

from bench.api_arrange import arrange_ours  # noqa: E402
from bench.api_bare import BareRatings  # noqa: E402
from bench.api_client import command  # noqa: E402
from bench.api_load import bare_env, ours_env  # noqa: E402
from bench.api_servers import kinerja  # noqa: E402
from bench.common import bench_parser, postgres_store, print_table, write_json  # noqa: E402

SCRATCH_DB = "kinerja_bench_api_statements"


class Counts:
    """Statements seen while ``on``."""

    def __init__(self) -> None:
        self.on = False
        self.statements: Counter = Counter()
        self.lock = threading.Lock()

    def statement(self, query: Any) -> None:
        if self.on:
            with self.lock:
                self.statements[_kind(query)] += 1


@contextmanager
def counting(counts: Counts) -> Iterator[None]:
    """Patch psycopg's cursor and command entry points to count into ``counts``."""
    cursor, base = psycopg.Cursor, _connection_base.BaseConnection
    originals = (cursor.execute, cursor.executemany, base._exec_command)

    def execute(self, query, params=None, **kw):
        counts.statement(query)
        return originals[0](self, query, params, **kw)

    def executemany(self, query, params_seq, **kw):
        counts.statement(query)
        return originals[1](self, query, params_seq, **kw)

    def exec_command(self, command, *args, **kw):
        counts.statement(command)
        return originals[2](self, command, *args, **kw)

    cursor.execute, cursor.executemany, base._exec_command = execute, executemany, exec_command
    try:
        yield
    finally:
        cursor.execute, cursor.executemany, base._exec_command = originals


def _kind(query: Any) -> str:
    """A statement's first words (tables named, values left out), for the breakdown."""
    if isinstance(query, bytes):
        text = query.decode()
    elif isinstance(query, str):
        text = query
    else:
        try:
            text = query.as_string(None)
        except Exception:  # a Composed that needs a connection to render
            text = repr(query)
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r"\(.*", "(…", text)[:72]


def measure(client: TestClient, token: str, evaluations: Sequence[UUID], commands: int,
            counts: Counts, name: str) -> dict[str, Any]:
    """Rate every evaluation once (uncounted: caches warm), then count ``commands`` more."""
    steps = [0] * len(evaluations)
    sent = [0]

    def send(turn: int) -> None:
        path, body = command(evaluations[turn], steps[turn])
        sent[0] += 1
        response = client.post(path, json=body, headers={
            "Authorization": f"Bearer {token}", "Idempotency-Key": f"{name}-{sent[0]}"})
        assert response.is_success, response.text
        steps[turn] += 1

    for turn in range(len(evaluations)):
        send(turn)
    counts.on = True
    for n in range(commands):
        send(n % len(evaluations))
    counts.on = False
    total = sum(counts.statements.values())
    return {"service": name, "commands": commands, "statements": total / commands,
            "breakdown": {k: v / commands for k, v in counts.statements.most_common()}}


def run(store: Any, folder: Path, commands: int) -> list[dict[str, Any]]:
    env = ours_env(store, folder)
    kinerja("db", "init", env=env)
    kinerja("keys", "init", env=env)
    evaluations = max(2, min(commands, 20))
    rater = arrange_ours(store.url, 1, evaluations)[0]
    bare = BareRatings(store.library_env("bare"))
    try:
        ids = bare.arrange(evaluations)
    finally:
        bare.close()
    rows = []
    for name, environ, factory, token, targets in (
            ("ours", env, _ours, rater.token, rater.evaluations),
            ("bare", bare_env(store), _bare, "none", ids)):
        counts = Counts()
        with _environ(environ):
            app = factory()
            client = TestClient(app)  # no lifespan: no views or checkpoint threads
            try:
                with counting(counts):
                    rows.append(measure(client, token, targets, commands, counts, name))
            finally:
                client.close()
                _close(app)
    return rows


def _ours() -> Any:
    from api.app import create_app
    return create_app()


def _bare() -> Any:
    from bench.api_bare import create_app
    return create_app()


def _close(app: Any) -> None:
    services = getattr(app.state, "services", None)
    if services is not None:
        services.app.close()


@contextmanager
def _environ(values: dict[str, str]) -> Iterator[None]:
    saved = dict(os.environ)
    os.environ.update(values)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def main(argv: list[str] | None = None) -> int:
    parser = bench_parser(__doc__, SCRATCH_DB)
    parser.add_argument("--commands", type=int, default=60, help="counted rating commands")
    args = parser.parse_args(argv)
    with postgres_store(args.postgres_url, SCRATCH_DB) as store, \
            TemporaryDirectory(prefix="kinerja-api-statements-") as folder:
        rows = run(store, Path(folder), args.commands)
    print_table("SQL per rating command (cached aggregates, PostgreSQL)",
                ["Service", "Commands", "Statements"],
                [[r["service"], str(r["commands"]), f"{r['statements']:.2f}"] for r in rows])
    for row in rows:
        print_table(f"{row['service']}: statements per command", ["Statement", "Per command"],
                    [[kind, f"{n:.2f}"] for kind, n in row["breakdown"].items()])
    if args.json:
        write_json(args.json, {"command": " ".join(sys.argv), "rows": rows})
    return 0


if __name__ == "__main__":
    sys.exit(main())
