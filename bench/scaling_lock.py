"""The serial point: concurrent writers appending through the recorder, on PostgreSQL.

Every append takes the events table's lock (the library's ``LOCK TABLE … IN EXCLUSIVE MODE``,
so notification ids commit in order) and holds it to the commit; our recorder also reads the
ledger's frontier and writes the leaves (their indexes are dense: leaf ``n`` follows ``n - 1``)
and nodes under it. So however many processes write, transactions go through one at a time,
and the ceiling in transactions per second is one over the time the lock is held.

K writer processes (each its own connection pool, events prepared beforehand, one fresh record
per event) call ``insert_events`` in a loop for a fixed time, with 1 or 20 events per
transaction; ours (``ledger.postgres``) and the bare library (``eventsourcing.postgres``) in
turn, each in a scratch database of its own. Meanwhile the parent samples ``pg_stat_activity``
for backends waiting on a lock.
"""

from __future__ import annotations

import multiprocessing
import queue
import threading
import time
from contextlib import ExitStack
from typing import Any
from uuid import uuid4

import orjson
import psycopg
from eventsourcing.persistence import StoredEvent

from bench.bare import BareApp
from bench.common import console, median, percentile, postgres_store
from bench.ledger_writes import MODULES, app_env

STACKS = ("bare", "ledger")
SCRATCH = {name: f"kinerja_scale_lock_{name}" for name in STACKS}
TOPIC = "kinerja/Evaluation/CommentAdded"
READY_SECONDS = 120  # for every writer to start, connect and prepare its events
LOCK_WAITERS = ("SELECT count(*) FILTER (WHERE wait_event_type = 'Lock') AS waiting,"
                " count(*) FILTER (WHERE state = 'active') AS active"
                " FROM pg_stat_activity WHERE datname = ANY(%s) AND pid <> pg_backend_pid()")


def _state(k: int) -> bytes:
    return orjson.dumps({"meta": {"actor": f"19800101200501100{k % 9 + 1}", "role": "reviewer",
                                  "request_id": str(uuid4()), "rules": "permenpan-6-2022"},
                         "timestamp": "2025-01-06T08:00:00+00:00",
                         "text": "Mohon lampirkan bukti layanan bulan Desember. " * 4})


def _writer(env: dict[str, str], per_txn: int, seconds: float, ready: Any, out: Any) -> None:
    """One writer process: prepare, wait for the others, append until the time is up."""
    app = BareApp(env)
    try:
        batches = [[StoredEvent(uuid4(), 1, TOPIC, _state(k)) for k in range(per_txn)]
                   for _ in range(int(4_000 * seconds / per_txn) + 10)]
        app.recorder.insert_events(batches.pop())  # connect and warm up, untimed
        ready.wait()
        latencies, deadline = [], time.perf_counter() + seconds
        while time.perf_counter() < deadline and batches:
            started = time.perf_counter()
            app.recorder.insert_events(batches.pop())
            latencies.append(time.perf_counter() - started)
        out.put(latencies)
    finally:
        app.close()


def run_writers(targets: list[tuple[dict[str, str], str]], admin_url: str, writers: int,
                per_txn: int, seconds: float) -> dict[str, Any]:
    """``writers`` processes spread in turn over ``targets`` (each a store's env and database
    name), all appending for ``seconds`` from one start."""
    spawn = multiprocessing.get_context("spawn")
    ready, out = spawn.Barrier(writers + 1), spawn.Queue()
    processes = [spawn.Process(target=_writer, args=(targets[n % len(targets)][0], per_txn,
                                                     seconds, ready, out))
                 for n in range(writers)]
    for process in processes:
        process.start()
    try:
        ready.wait(timeout=READY_SECONDS)  # broken if a writer died before it was ready
        started = time.perf_counter()
        samples = _sample_locks(admin_url, [dbname for _, dbname in targets], seconds)
        latencies = [lat for _ in processes for lat in out.get(timeout=seconds + 120)]
        elapsed = time.perf_counter() - started
    except (threading.BrokenBarrierError, queue.Empty) as e:
        raise RuntimeError("a writer process failed or hung (see its traceback above)") from e
    finally:
        for process in processes:
            process.join(timeout=30)
            if process.is_alive():
                process.terminate()
    ms = [lat * 1000 for lat in latencies]
    return {"writers": writers, "ledgers": len(targets), "per_txn": per_txn,
            "transactions": len(ms), "txn_s": len(ms) / elapsed,
            "events_s": len(ms) * per_txn / elapsed,
            "p50_ms": median(ms), "p99_ms": percentile(ms, 0.99),
            "lock_waiting": sum(w for w, _ in samples) / max(1, len(samples)),
            "active": sum(a for _, a in samples) / max(1, len(samples))}


def _sample_locks(admin_url: str, dbnames: list[str], seconds: float) -> list[tuple[int, int]]:
    """(backends waiting on a lock, active backends) every 20 ms while the writers run."""
    samples: list[tuple[int, int]] = []
    deadline = time.perf_counter() + seconds
    with psycopg.connect(admin_url, autocommit=True) as conn:
        while time.perf_counter() < deadline:
            row = conn.execute(LOCK_WAITERS, (dbnames,), prepare=True).fetchone()
            samples.append((row[0], row[1]))
            time.sleep(0.02)
    return samples


def _scratch(stack: ExitStack, admin_url: str, dbname: str, stack_name: str) -> tuple[dict, str]:
    store = stack.enter_context(postgres_store(admin_url, dbname))
    env = app_env(store.url, MODULES["postgresql"][stack_name])
    BareApp(env).close()  # tables made once, here: writers would race
    return env | {"CREATE_TABLE": "n"}, dbname


def measure_serial_point(admin_url: str, writer_counts: list[int], per_txns: list[int],
                         seconds: float, ledgers: int = 2) -> dict[str, Any]:
    """Ours and bare in turn at each (events per transaction, writers), the one that goes
    first alternating; then the most writers on one of our ledgers beside the same writers
    spread over ``ledgers`` ledgers (databases) of their own, one event per transaction."""
    rows, split = [], None
    with ExitStack() as stack:
        targets = {name: _scratch(stack, admin_url, SCRATCH[name], name) for name in STACKS}
        turn = 0
        for per_txn in per_txns:
            for writers in writer_counts:
                pair = {}
                for name in STACKS[::-1] if turn % 2 else STACKS:
                    console.print(f"  {name}: {writers} writers × {per_txn} event(s) per "
                                  f"transaction, {seconds:g} s …")
                    pair[name] = run_writers([targets[name]], admin_url, writers, per_txn,
                                             seconds)
                turn += 1
                rows.append({"writers": writers, "per_txn": per_txn, "bare": pair["bare"],
                             "ours": pair["ledger"],
                             "ratio": pair["ledger"]["events_s"] / pair["bare"]["events_s"]})
        if ledgers > 1:
            spread = [targets["ledger"]] + [
                _scratch(stack, admin_url, f"{SCRATCH['ledger']}_{n}", "ledger")
                for n in range(2, ledgers + 1)]
            writers = max(writer_counts)
            console.print(f"  ledger: {writers} writers on 1 ledger, then on {ledgers} …")
            one = run_writers(spread[:1], admin_url, writers, 1, seconds)
            many = run_writers(spread, admin_url, writers, 1, seconds)
            split = {"writers": writers, "ledgers": ledgers, "one": one, "split": many,
                     "ratio": many["events_s"] / one["events_s"]}
    return {"rows": rows, "split": split}


def ceiling(rows: list[dict[str, Any]], per_txn: int) -> dict[str, Any]:
    """The best throughput any writer count reached, and the uncontended transaction time."""
    mine = [row for row in rows if row["per_txn"] == per_txn]
    single = next((row for row in mine if row["writers"] == 1), mine[0])
    return {name: {"best_events_s": max(row[name]["events_s"] for row in mine),
                   "best_txn_s": max(row[name]["txn_s"] for row in mine),
                   "at_writers": max(mine, key=lambda row: row[name]["events_s"])["writers"],
                   "single_p50_ms": single[name]["p50_ms"],
                   "serial_txn_s": 1000 / single[name]["p50_ms"]}
            for name in ("bare", "ours")} | {"per_txn": per_txn}
