"""Issue 4: our HTTP API under load beside a bare FastAPI + eventsourcing service, in one run.

N concurrent keep-alive clients on loopback submit ratings and revisions for evaluations each
owns, against (a) ``kinerja serve`` (bearer tokens, the policy table, validation, idempotency
keys, the Merkle ledger inline, signed checkpoints) and (b) ``bench/api_bare.py`` doing the
same load-record-save on the bare library; both real uvicorn processes, the same client, timed
rounds alternating between them. Prints commands/s, p50, p99 and the ratio; target: ours >= 0.8x
bare. Afterwards every acknowledged (2xx) write of ours must be in the store and in the ledger,
and ``kinerja verify`` must pass.

    .venv/bin/python bench/api_load.py [--quick] [--clients N] [--evaluations M] [--seconds S]
        [--rounds R] [--warmup S] [--workers W] [--store postgresql|sqlite]
        [--postgres-url URL] [--json FILE]
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

if __package__ in (None, ""):  # run as a script, bench/api_load.py: import from the repo root
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import api_cpu  # noqa: E402
from bench.api_arrange import arrange_ours  # noqa: E402
from bench.api_bare import BareRatings  # noqa: E402
from bench.api_client import Client, Tally, drive  # noqa: E402
from bench.api_counts import count_bare, count_ours, verify_ledger  # noqa: E402
from bench.api_servers import Server, bare_command, kinerja, ours_command, served  # noqa: E402
from bench.common import (  # noqa: E402
    Store,
    bench_parser,
    console,
    machine,
    median,
    percentile,
    postgres_store,
    print_table,
    sqlite_store,
    verdict,
    write_json,
)

TARGET = 0.8  # ours / bare commands per second
SCRATCH_DB = "kinerja_bench_api"
PORTS = {"ours": 8741, "bare": 8742}
SERVICES = ("bare", "ours")


def ours_env(store: Store, keys: Path, projections: str = "embedded") -> dict[str, str]:
    """How ours runs: configured by URL, a signing key of its own, checkpoints as deployed;
    the views kept in the service's process (embedded, the default) or elsewhere (external:
    not during the load)."""
    return {"KINERJA_DATABASE_URL": store.url, "KINERJA_KEY_FILE": str(keys / "ledger.key"),
            "KINERJA_VERIFIER_KEYS": str(keys / "verifiers.txt"),
            "KINERJA_PROJECTIONS": projections}


def bare_env(store: Store) -> dict[str, str]:
    """The library's settings; tables made beforehand, as several workers would race."""
    return store.library_env("bare") | {"CREATE_TABLE": "n"}


def arrange(store: Store, env: dict[str, str], args: argparse.Namespace) -> dict[str, list]:
    """Per service, per client: (token, the evaluations it alone rates)."""
    kinerja("db", "init", env=env)
    kinerja("keys", "init", env=env)
    raters = arrange_ours(store.url, args.clients, args.evaluations)
    bare = BareRatings(store.library_env("bare"))
    try:
        ids = bare.arrange(args.clients * args.evaluations)
    finally:
        bare.close()
    per = args.evaluations
    return {"ours": [(r.token, r.evaluations) for r in raters],
            "bare": [(r.token, ids[n * per:(n + 1) * per]) for n, r in enumerate(raters)]}


@dataclass
class Timed:
    """One service's timed rounds: what the clients saw, and the CPU spent meanwhile."""

    tally: Tally = field(default_factory=Tally)
    rates: list[float] = field(default_factory=list)  # commands/s per round
    server_cpu: float = 0.0  # seconds, the service's processes
    database_cpu: float = 0.0  # seconds, the scratch database's backends

    def add(self, tally: Tally, server_cpu: float, database_cpu: float) -> None:
        self.tally.add(tally)
        self.tally.seconds += tally.seconds
        self.rates.append(tally.ok / tally.seconds)
        self.server_cpu += server_cpu
        self.database_cpu += database_cpu


def measure(servers: dict[str, Server], plans: dict[str, list], dbname: str | None,
            args: argparse.Namespace) -> tuple[dict[str, Timed], dict[str, Tally]]:
    """Warm each service up, then timed rounds alternating which goes first. Returns the timed
    rounds and everything sent (warm-up included: its writes count too). ``dbname``: the
    PostgreSQL database whose backends' CPU to count."""
    run = secrets.token_hex(4)
    clients = {name: [Client(servers[name].url, f"{run}-{name}-{n}", token, ids)
                      for n, (token, ids) in enumerate(plans[name])] for name in SERVICES}
    timed = {name: Timed() for name in SERVICES}
    everything = {name: Tally() for name in SERVICES}
    try:
        for name in SERVICES:
            everything[name].add(drive(clients[name], args.warmup))
        for round_ in range(args.rounds):
            for name in SERVICES[::-1] if round_ % 2 else SERVICES:
                before = _cpu(servers[name], dbname)
                tally = drive(clients[name], args.seconds / args.rounds)
                after = _cpu(servers[name], dbname)
                timed[name].add(tally, after[0] - before[0], after[1] - before[1])
                everything[name].add(tally)
                console.print(f"  round {round_ + 1} {name}: {timed[name].rates[-1]:,.0f} "
                              "commands/s")
    finally:
        for client in (c for group in clients.values() for c in group):
            client.close()
    return timed, everything


def _cpu(server: Server, dbname: str | None) -> tuple[float, float]:
    if not api_cpu.available():
        return 0.0, 0.0
    return (api_cpu.group_seconds(server.pid),
            api_cpu.postgres_seconds(dbname) if dbname else 0.0)


def figures(name: str, timed: Timed, store: Store, workers: int) -> dict[str, Any]:
    tally, ms = timed.tally, [s * 1000 for s in timed.tally.latencies]
    per_command = 1000 / tally.ok if tally.ok else 0.0
    cpu, database = api_cpu.available(), api_cpu.available() and store.backend == "postgresql"
    return {"service": name, "workers": workers, "requests": len(ms), "ok": tally.ok,
            "seconds": tally.seconds, "commands_s": tally.ok / tally.seconds,
            "rounds_commands_s": timed.rates, "p50_ms": median(ms),
            "p99_ms": percentile(ms, 0.99),
            "server_cpu_ms": timed.server_cpu * per_command if cpu else None,
            "database_cpu_ms": timed.database_cpu * per_command if database else None,
            "not_2xx": {str(s): n for s, n in sorted(tally.statuses.items())
                        if not 200 <= s < 300}}


def run(store: Store, args: argparse.Namespace, *, scratch_db: str = SCRATCH_DB,
        ports: dict[str, int] = PORTS) -> dict[str, Any]:
    """Arrange, serve both, measure, then count. ``scratch_db``: the PostgreSQL database
    ``store`` is (its backends' CPU is counted); ``ports``: where each service listens."""
    with TemporaryDirectory(prefix="kinerja-api-load-") as folder:
        keys, env = Path(folder), ours_env(store, Path(folder), args.projections)
        console.print(f"[bold]{store.backend}[/]: arranging {args.clients} raters × "
                      f"{args.evaluations} reported evaluations …")
        plans = arrange(store, env, args)
        with ExitStack() as servers:
            running = {name: servers.enter_context(served(
                name, command(ports[name], args.workers), environ, ports[name],
                keys / f"{name}.log"))
                for name, command, environ in (("ours", ours_command, env),
                                               ("bare", bare_command, bare_env(store)))}
            console.print(f"measuring: {args.clients} clients, {args.seconds:g} s per service "
                          f"in {args.rounds} rounds, after {args.warmup:g} s of warm-up each …")
            dbname = scratch_db if store.backend == "postgresql" else None
            timed, everything = measure(running, plans, dbname, args)
        # both services stopped: count what they acknowledged against what is stored
        bare = BareRatings(bare_env(store))
        try:
            bare_counts = count_bare(bare, everything["bare"].acknowledged,
                                     [i for _, ids in plans["bare"] for i in ids])
        finally:
            bare.close()
        counts = count_ours(store.url, everything["ours"].acknowledged)
        counts["verify"] = verify_ledger(env)
    rows = [figures(name, timed[name], store, args.workers) for name in SERVICES]
    ratio = rows[1]["commands_s"] / rows[0]["commands_s"]
    return {"store": store.backend, "projections": args.projections, "rows": rows,
            "ratio": ratio, "target": TARGET, "passed": ratio >= TARGET, "counts": counts,
            "bare_counts": bare_counts}


def print_report(result: dict[str, Any], args: argparse.Namespace) -> None:
    print_table(
        f"API load, {result['store']}: {args.clients} keep-alive clients, {args.seconds:g} s per "
        f"service in {args.rounds} alternating rounds, our views {args.projections} "
        f"(target ours ÷ bare ≥ {TARGET})",
        ["Service", "Workers", "Store", "Commands", "Commands/s", "p50 ms", "p99 ms", "Not 2xx",
         "Service CPU ms/cmd", "PostgreSQL CPU ms/cmd"],
        [[r["service"], str(r["workers"]), result["store"], f"{r['ok']:,}",
          f"{r['commands_s']:,.0f}", f"{r['p50_ms']:.1f}", f"{r['p99_ms']:.1f}",
          ", ".join(f"{s}: {n}" for s, n in r["not_2xx"].items()) or "0",
          _ms(r["server_cpu_ms"]), _ms(r["database_cpu_ms"])] for r in result["rows"]])
    console.print(f"ours ÷ bare: [bold]{result['ratio']:.2f}×[/] {verdict(result['passed'])}")
    counts, bare, checked = result["counts"], result["bare_counts"], result["counts"]["verify"]
    print_table(
        "Acknowledged writes (warm-up included) against what is stored",
        ["Check", "Ours", "Bare"],
        [["2xx answers", f"{counts['acknowledged']:,}", f"{bare['acknowledged']:,}"],
         ["rating events stored", f"{counts['rating_events']:,}", f"{bare['events']:,}"],
         ["acknowledged and stored", f"{counts['acked_stored']:,}", f"{bare['acked_stored']:,}"],
         ["acknowledged and in the ledger", f"{counts['acked_in_ledger']:,}", "—"],
         ["acknowledged but missing", f"{counts['missing']:,}", f"{bare['missing']:,}"],
         ["all events / ledger size", f"{counts['events']:,} / {counts['ledger_size']:,}", "—"],
         ["kinerja verify", f"{'ok' if checked['ok'] else 'FAILED'}: {checked['leaves']:,} "
                            f"leaves, {checked['checkpoints']} checkpoints", "—"]])


def _ms(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = bench_parser(__doc__, SCRATCH_DB)  # --quick (< 30 s), --postgres-url, --json
    parser.add_argument("--clients", type=int, help="concurrent clients (default 8)")
    parser.add_argument("--evaluations", type=int, help="evaluations per client (default 50)")
    parser.add_argument("--seconds", type=float, help="timed seconds per service (default 15)")
    parser.add_argument("--rounds", type=int, help="alternating rounds (default 3)")
    parser.add_argument("--warmup", type=float, help="untimed seconds per service (default 2)")
    parser.add_argument("--workers", type=int, default=1, help="uvicorn workers per service")
    parser.add_argument("--store", choices=("postgresql", "sqlite"), default="postgresql")
    parser.add_argument("--projections", choices=("embedded", "external"), default="embedded",
                        help="views kept inside our service (its default), or not during the load")
    args = parser.parse_args(argv)
    quick = args.quick
    args.clients = args.clients or (4 if quick else 8)
    args.evaluations = args.evaluations or (10 if quick else 50)
    args.seconds = args.seconds or (4 if quick else 15)
    args.rounds = args.rounds or (2 if quick else 3)
    args.warmup = args.warmup if args.warmup is not None else (1 if quick else 2)
    if args.workers > 1 and args.store == "sqlite":
        parser.error("several workers need PostgreSQL")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started, load_before = datetime.now(timezone.utc), [round(n, 2) for n in os.getloadavg()]
    with ExitStack() as stack:
        store = stack.enter_context(postgres_store(args.postgres_url, SCRATCH_DB)
                                    if args.store == "postgresql" else sqlite_store())
        result = run(store, args)
        info = machine(store.url if store.backend == "postgresql" else None)
    print_report(result, args)
    console.print(f"machine: {info['cores']} cores, {info['cpu']}, Python {info['python']}"
                  + (f", PostgreSQL {info['postgresql']}" if "postgresql" in info else "")
                  + "; client, both services and the database share it; load average before: "
                  + " ".join(map(str, load_before)) + ", after: "
                  + " ".join(map(str, info["load_average"])))
    if args.json:
        write_json(args.json, {"command": " ".join(sys.argv), "date": started.isoformat(),
                               "machine": info, "load_average_before": load_before, **result})
    counts = result["counts"]
    return 0 if counts["missing"] == 0 and counts["verify"]["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
