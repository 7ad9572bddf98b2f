"""Where the time goes in bench/ledger.py's cases: one run of a case under cProfile.

    .venv/bin/python bench/ledger_profile.py verify|bundle|writes [--store postgresql]
        [--events N] [--per-save K] [--modules ledger|bare] [--top 25] [--sort tottime]

``verify`` and ``bundle`` use the large log bench/ledger.py built (built now if missing);
``writes`` saves counters through our recorders on a scratch store.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
from contextlib import ExitStack
from pathlib import Path
from tempfile import TemporaryDirectory, gettempdir

if __package__ in (None, ""):  # run as a script: import from the repo root
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.bare import BareApp  # noqa: E402
from bench.common import ADMIN_URL, console  # noqa: E402
from bench.ledger_build import BuiltLog, postgres_log, sqlite_log  # noqa: E402
from bench.ledger_reads import verified  # noqa: E402
from bench.ledger_writes import MODULES, app_env, prepare_saves, scratch_stores  # noqa: E402
from ledger.audit import export_database, verify_database  # noqa: E402
from ledger.bundle import verify_bundle  # noqa: E402
from ledger.db import LedgerDB  # noqa: E402
from service.config import DEFAULT_ORIGIN  # noqa: E402


def profiled(run, args: argparse.Namespace) -> None:
    profile = cProfile.Profile()
    profile.runcall(run)
    pstats.Stats(profile, stream=sys.stdout).sort_stats(args.sort).print_stats(args.top)


def profile_log(args: argparse.Namespace) -> None:
    log: BuiltLog = (postgres_log(ADMIN_URL, args.events) if args.store == "postgresql"
                     else sqlite_log(Path(gettempdir()) / "kinerja-bench", args.events))
    app = log.open()
    try:
        db = LedgerDB.of(app.recorder)
        if args.case == "verify":
            profiled(lambda: verified(log, verify_database(db, [log.verifier], DEFAULT_ORIGIN)),
                     args)
            return
        with TemporaryDirectory(prefix="kinerja-bench-bundle-") as folder:
            path = Path(folder) / "ledger.zip"
            export_database(db, path, DEFAULT_ORIGIN, [log.verifier_key])
            profiled(lambda: verified(log, verify_bundle(path, [log.verifier])[0]), args)
    finally:
        app.close()


def profile_writes(args: argparse.Namespace) -> None:
    with ExitStack() as stack:
        store = scratch_stores(stack, args.store, ADMIN_URL)[args.modules]
        app = BareApp(app_env(store.url, MODULES[args.store][args.modules]))
        stack.callback(app.close)
        prepare_saves(app, 200, args.per_save)()  # warm up
        profiled(prepare_saves(app, args.events, args.per_save), args)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("case", choices=("verify", "bundle", "writes"))
    parser.add_argument("--store", choices=tuple(MODULES), default="postgresql")
    parser.add_argument("--events", type=int, help="log size (1,000,000) or events saved (2,000)")
    parser.add_argument("--per-save", type=int, default=1, help="events per save (writes)")
    parser.add_argument("--modules", choices=("ledger", "bare"), default="ledger",
                        help="writes through our recorders, or the bare library's")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--sort", default="tottime")
    args = parser.parse_args(argv)
    args.events = args.events or (2_000 if args.case == "writes" else 1_000_000)
    console.print(f"profiling {args.case} on {args.store} ({args.events:,} events) …")
    (profile_writes if args.case == "writes" else profile_log)(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
