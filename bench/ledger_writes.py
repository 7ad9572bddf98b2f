"""Target 1: what writing the Merkle log costs a save, against the bare library.

The same trivial application (``bench.bare.BareApp``: a counter with one ``@event`` method),
the same settings, two persistence modules: the library's own recorders, or ours (the library's
recorders plus each event's leaf and new nodes in the same transaction). Each has a store of
its own. Only ``save`` is timed: loading the counters and triggering their events is done
beforehand, so the figures are the cost of appending and nothing else.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from contextlib import ExitStack
from typing import Any

from bench.bare import BareApp
from bench.common import Store, median, postgres_store, sqlite_store, timed
from service.config import Settings, store_env

WRITE_TARGET = 0.8  # ours / bare events per second, at least
PER_SAVE = (1, 20)
MODULES = {
    "sqlite": {"bare": "eventsourcing.sqlite", "ledger": "ledger.sqlite:Factory"},
    "postgresql": {"bare": "eventsourcing.postgres", "ledger": "ledger.postgres:Factory"},
}


def app_env(url: str, module: str) -> dict[str, str]:
    """Our configured store's settings, with only the persistence module chosen here."""
    return store_env(Settings(url)) | {"PERSISTENCE_MODULE": module, "CREATE_TABLE": "y"}


def scratch_stores(stack: ExitStack, backend: str, admin_url: str) -> dict[str, Store]:
    """A fresh store for each persistence module: two SQLite files, or two databases."""
    if backend == "sqlite":
        folder = stack.enter_context(sqlite_store())
        return {name: Store("sqlite", folder.url_for(name)) for name in MODULES[backend]}
    return {name: stack.enter_context(postgres_store(admin_url, f"kinerja_bench_write_{name}"))
            for name in MODULES[backend]}


def prepare_saves(app: BareApp, events: int, per_save: int) -> Callable[[], None]:
    """Untimed: counters made, loaded and incremented ``per_save`` times; timed: saving them."""
    counters = [app.repository.get(i) for i in app.counters(events // per_save)]
    for counter in counters:
        for _ in range(per_save):
            counter.increment(1)

    def save_each() -> None:
        for counter in counters:
            app.save(counter)
    return save_each


def measure_writes(backend: str, admin_url: str, events: int,
                   rounds: int) -> dict[tuple[str, int], list[float]]:
    """Events/s per (module, events per save), one sample per round, the modules taking turns
    to go first; a small first round warms both up and is not counted."""
    samples: dict[tuple[str, int], list[float]] = defaultdict(list)
    with ExitStack() as stack:
        stores = scratch_stores(stack, backend, admin_url)
        apps = {name: BareApp(app_env(store.url, MODULES[backend][name]))
                for name, store in stores.items()}
        for app in apps.values():
            stack.callback(app.close)
        for round_ in range(-1, rounds):
            size = 40 if round_ < 0 else events
            for per_save in PER_SAVE:
                runs = [(name, prepare_saves(app, size, per_save)) for name, app in apps.items()]
                for name, run in runs[::-1] if round_ % 2 else runs:
                    rate = size // per_save * per_save / timed(run)
                    if round_ >= 0:
                        samples[name, per_save].append(rate)
    return samples


def write_rows(backend: str, samples: dict[tuple[str, int], list[float]]) -> list[dict[str, Any]]:
    rows = []
    for per_save in PER_SAVE:
        bare, ours = samples["bare", per_save], samples["ledger", per_save]
        ratio = median([o / b for b, o in zip(bare, ours)])  # paired, round by round
        rows.append({
            "store": backend, "per_save": per_save, "rounds": len(bare),
            "bare_events_s": median(bare), "ours_events_s": median(ours),
            "bare_us_per_save": 1e6 * per_save / median(bare),
            "ours_us_per_save": 1e6 * per_save / median(ours),
            "ratio": ratio, "target": WRITE_TARGET, "passed": ratio >= WRITE_TARGET})
    return rows
