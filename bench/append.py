"""Issue 2: what our domain and metadata cost per event, against the bare library, side by side.

Appends: events/s of our commands (load, decide, save) against a trivial library aggregate, one
event per save and twenty per save, on SQLite and PostgreSQL; target: ours costs at most 1.3x
the bare library per event. Ours runs twice: as deployed (the ledger's recorders, a Merkle leaf
inline) and on the library's recorders (domain and metadata alone), so each layer shows.
Loads: an evaluation with 1,000 events, read through the Application (snapshots); target: p99
under 2 ms on PostgreSQL.

    .venv/bin/python bench/append.py [--quick] [--events N] [--rounds R] [--loads L]
                                     [--postgres-url URL] [--sqlite-only] [--json FILE]
"""

from __future__ import annotations

import argparse
import gc
import sys
from collections import defaultdict
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script, bench/append.py: import from the repo root
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from eventsourcing.application import Repository  # noqa: E402

from bench.bare import BareApp  # noqa: E402
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
    timed,
    verdict,
    write_json,
)
from bench.ours import COMMENT, RATER, Org, open_ours, open_without_ledger  # noqa: E402
from service.core import EVALUATION_SNAPSHOT_EVERY  # noqa: E402

APPEND_TARGET = 1.3  # ours / bare cost per event
LOAD_TARGET_MS = 2.0  # p99, PostgreSQL, evaluation of 1,000 events
LOAD_EVENTS = 1_000
LOAD_BLOCK = 10  # loads of one case in a row
WORST_EXTRA = EVALUATION_SNAPSHOT_EVERY - 1  # the most events a load decodes after a snapshot
SCRATCH_DB = "kinerja_bench_append"


STACKS = {  # what each measured application runs on
    "bare": "bare library",
    "ledger": "ledger recorders",  # as deployed: service.store.open_app, Merkle leaf inline
    "library": "library recorders",  # the same domain and metadata, the ledger left out
}


@dataclass(frozen=True)
class Case:
    stack: str  # a key of STACKS
    command: str
    per_save: int
    prepare: Callable[[Any, int], Callable[[], None]]  # (subject, events): untimed setup -> run

    @property
    def key(self) -> str:
        return f"{self.stack}|{self.command}"


def bare_case(per_save: int) -> Callable[[BareApp, int], Callable[[], None]]:
    def prepare(bare: BareApp, events: int) -> Callable[[], None]:
        ids = bare.counters(events // per_save)
        return lambda: _each(ids, lambda i: bare.increment(i, per_save))
    return prepare


def comment_each(org: Org, events: int) -> Callable[[], None]:
    app, ids = org.app, org.evaluations(events)
    return lambda: _each(ids, lambda i: app.comment(RATER, i, COMMENT))


def rate_each(org: Org, events: int) -> Callable[[], None]:
    app, ids = org.app, org.evaluations(events, reported=True)
    return lambda: _each(ids, lambda i: app.record_rating(RATER, i, "results", "above",
                                                          reason="melebihi target"))


def comment_twenty(org: Org, events: int) -> Callable[[], None]:
    app, ids = org.app, org.evaluations(events // 20)

    def twenty_comments(evaluation_id: Any) -> None:
        evaluation = app.evaluation(evaluation_id)
        for _ in range(20):
            evaluation.comment(app.meta(RATER), COMMENT)
        app.commit(evaluation)
    return lambda: _each(ids, twenty_comments)


def _each(ids: list[Any], command: Callable[[Any], None]) -> None:
    for item in ids:
        command(item)


def group(per_save: int, bare: str, *commands: tuple[str, Callable]) -> tuple[Case, ...]:
    """The baseline first, then each command on both of our stacks."""
    return (Case("bare", bare, per_save, bare_case(per_save)),
            *(Case(stack, command, per_save, prepare) for command, prepare in commands
              for stack in ("ledger", "library")))


# Each group runs together in a round, in alternating order, beside its baseline.
GROUPS = (
    group(1, "get, increment, save",
          ("comment (1 load)", comment_each), ("record_rating (2 loads)", rate_each)),
    group(20, "get, 20 increments, save", ("20 comments, one commit", comment_twenty)),
)


def measure_appends(subjects: dict[str, Any], events: int,
                    rounds: int) -> dict[str, list[float]]:
    """Events/s per case, one sample per round; a small first round warms every path up."""
    samples: dict[str, list[float]] = defaultdict(list)
    for round_ in range(-1, rounds):
        for cases in GROUPS:
            size = 20 if round_ < 0 else events
            runs = [(case, case.prepare(subjects[case.stack], size)) for case in cases]
            for case, run in runs[::-1] if round_ % 2 else runs:
                rate = size / timed(run)
                if round_ >= 0:
                    samples[case.key].append(rate)
    return samples


def append_rows(backend: str, samples: dict[str, list[float]]) -> list[dict[str, Any]]:
    rows = []
    for baseline, *cases in GROUPS:
        bare = samples[baseline.key]
        for case in cases:
            ours = samples[case.key]
            ratio = median(bare) / median(ours)  # ours ÷ bare cost per event
            ratios = [b / o for b, o in zip(bare, ours)]  # round by round: the spread
            rows.append({"store": backend, "per_save": case.per_save, "command": case.command,
                         "stack": STACKS[case.stack], "bare_events_s": median(bare),
                         "ours_events_s": median(ours), "bare_us": 1e6 / median(bare),
                         "ours_us": 1e6 / median(ours), "ratio": ratio,
                         "ratios": ratios, "target": APPEND_TARGET,
                         "passed": ratio <= APPEND_TARGET})
    return rows


LOAD_CASES = (  # key, what is loaded, events, how; the judged ones (PostgreSQL) are marked
    ("bare", "bare library: counter", LOAD_EVENTS, "all events, no snapshot"),
    ("events", "evaluation", LOAD_EVENTS, "all events, no snapshot"),
    ("cold", "evaluation", LOAD_EVENTS, "snapshot v1000, no cache"),
    ("app", "evaluation: app.evaluation", LOAD_EVENTS, "as deployed: cache, fast-forward, copy"),
    ("shared", "evaluation: cached, not copied", LOAD_EVENTS, "fast-forward only (read-only)"),
    ("worst", "evaluation", LOAD_EVENTS + WORST_EXTRA,
     f"snapshot v1000 + {WORST_EXTRA} events, no cache"),
)
JUDGED = ("cold", "app")


def measure_loads(bare: BareApp, org: Org, loads: int) -> dict[str, list[float]]:
    """Milliseconds per load, the cases taken in turns of ``LOAD_BLOCK`` so drift touches each
    alike; the first turn warms up (and fills the application's cache) and is not counted."""
    app = org.app
    bare_id = bare.counters(1, events=LOAD_EVENTS)[0]
    full, worst = org.evaluations(2)
    org.grow(full, LOAD_EVENTS - 1)
    org.grow(worst, LOAD_EVENTS + WORST_EXTRA - 1)
    _check_snapshot(app, full, LOAD_EVENTS)
    _check_snapshot(app, worst, LOAD_EVENTS)
    events_only = Repository(app.events)  # the same store: no snapshots, no cache
    uncached = Repository(app.events, snapshot_store=app.snapshots)
    loaders = {
        "bare": lambda: bare.counter(bare_id),
        "events": lambda: events_only.get(full),
        "cold": lambda: uncached.get(full),
        "app": lambda: app.evaluation(full),
        "shared": lambda: app.repository.get(full, deepcopy_from_cache=False),
        "worst": lambda: uncached.get(worst),
    }
    samples: dict[str, list[float]] = defaultdict(list)
    for block in range(-1, loads // LOAD_BLOCK):
        for name, load in loaders.items():
            gc.collect()  # each case pays for its own garbage, not for the case before it
            times = [timed(load, collect=False) * 1000 for _ in range(LOAD_BLOCK)]
            if block >= 0:
                samples[name] += times
    assert app.evaluation(full).version == uncached.get(full).version == LOAD_EVENTS
    assert uncached.get(worst).version == LOAD_EVENTS + WORST_EXTRA
    return samples


def _check_snapshot(app: Any, evaluation_id: Any, version: int) -> None:
    latest = list(app.snapshots.get(evaluation_id, desc=True, limit=1))
    assert latest and latest[0].originator_version == version, "no snapshot where expected"


def load_rows(backend: str, samples: dict[str, list[float]]) -> list[dict[str, Any]]:
    rows, bare = [], median(samples["bare"])
    for key, label, events, how in LOAD_CASES:
        p99 = percentile(samples[key], 0.99)
        judged = backend == "postgresql" and key in JUDGED
        rows.append({"store": backend, "load": label, "events": events, "how": how,
                     "p50_ms": median(samples[key]), "p99_ms": p99,
                     "vs_bare_p50": median(samples[key]) / bare,
                     "target_ms": LOAD_TARGET_MS if judged else None,
                     "passed": p99 < LOAD_TARGET_MS if judged else None})
    return rows


def run_store(store: Store, args: argparse.Namespace) -> tuple[list[dict], list[dict]]:
    console.print(f"[bold]{store.backend}[/]: setting up and measuring …")
    bare = BareApp(store.library_env("bare"))
    ours, without_ledger = open_ours(store), open_without_ledger(store)
    try:
        subjects = {"bare": bare, "ledger": Org(ours), "library": Org(without_ledger)}
        appends = measure_appends(subjects, args.events, args.rounds)
        loads = measure_loads(bare, subjects["ledger"], args.loads)
        return append_rows(store.backend, appends), load_rows(store.backend, loads)
    finally:
        for app in (bare, ours, without_ledger):
            app.close()


def print_report(appends: list[dict], loads: list[dict], args: argparse.Namespace) -> None:
    print_table(
        f"Appends: {args.events} events per run, median of {args.rounds} alternating rounds "
        f"(target: ours ÷ bare cost per event ≤ {APPEND_TARGET})",
        ["Store", "Events/save", "Command", "Ours on", "Bare ev/s", "Ours ev/s", "Bare µs/ev",
         "Ours µs/ev", "Ours ÷ bare", "Result"],
        [[r["store"], str(r["per_save"]), r["command"], r["stack"], f"{r['bare_events_s']:,.0f}",
          f"{r['ours_events_s']:,.0f}", f"{r['bare_us']:,.0f}", f"{r['ours_us']:,.0f}",
          f"{r['ratio']:.2f}×", verdict(r["passed"])] for r in appends])
    print_table(
        f"Loads: {args.loads} loads each, in turns of {LOAD_BLOCK} "
        f"(target p99 < {LOAD_TARGET_MS} ms on PostgreSQL, judged cold and as deployed)",
        ["Store", "Load", "How", "Events", "p50 ms", "p99 ms", "p50 ÷ bare", "Result"],
        [[r["store"], r["load"], r["how"], f"{r['events']:,}", f"{r['p50_ms']:.2f}",
          f"{r['p99_ms']:.2f}", f"{r['vs_bare_p50']:.2f}×", verdict(r["passed"])]
         for r in loads])


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = bench_parser(__doc__, SCRATCH_DB)
    parser.add_argument("--events", type=int, help="events per timed run (default 500)")
    parser.add_argument("--rounds", type=int, help="rounds per case (default 9)")
    parser.add_argument("--loads", type=int, help="loads per load case (default 200)")
    parser.add_argument("--sqlite-only", action="store_true", help="skip PostgreSQL")
    args = parser.parse_args(argv)
    quick = args.quick
    args.events = -(-(args.events or (60 if quick else 500)) // 20) * 20  # whole saves of 20
    args.rounds = args.rounds or (2 if quick else 9)
    args.loads = -(-(args.loads or (20 if quick else 200)) // LOAD_BLOCK) * LOAD_BLOCK
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = datetime.now(timezone.utc)
    appends, loads = [], []
    with ExitStack() as stack:
        stores = [stack.enter_context(sqlite_store())]
        if not args.sqlite_only:
            stores.append(stack.enter_context(postgres_store(args.postgres_url, SCRATCH_DB)))
        for store in stores:
            store_appends, store_loads = run_store(store, args)
            appends += store_appends
            loads += store_loads
        info = machine(None if args.sqlite_only else stores[-1].url)
    print_report(appends, loads, args)
    console.print(f"machine: {info['cores']} cores, {info['cpu']}, Python {info['python']}"
                  + (f", PostgreSQL {info['postgresql']}" if "postgresql" in info else "")
                  + f"; load average after: {' '.join(map(str, info['load_average']))}")
    if args.json:
        write_json(args.json, {"command": " ".join(sys.argv), "date": started.isoformat(),
                               "machine": info, "append": appends, "load": loads})
    return 0


if __name__ == "__main__":
    sys.exit(main())
