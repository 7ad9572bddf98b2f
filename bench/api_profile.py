"""Where a service's time goes under the API load: py-spy samples it while the clients drive it.

Arranges and starts the services as ``bench/api_load.py`` does, drives one of them, records
py-spy's collapsed stacks from its process and prints the functions holding the most samples
(inclusive: the function or anything it calls; self: the function itself). py-spy is not a
dependency of the project: install it anywhere (``pip install --target /tmp/pyspy py-spy``) and
name it with --py-spy.

    .venv/bin/python bench/api_profile.py [--service ours|bare] [--seconds S] [--py-spy PATH]
        [--clients N] [--evaluations M] [--top K] [--keep FILE] [--projections embedded|external]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from collections import Counter
from pathlib import Path
from tempfile import TemporaryDirectory

if __package__ in (None, ""):  # run as a script, bench/api_profile.py: import from the repo root
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.api_client import Client, drive  # noqa: E402
from bench.api_load import PORTS, SCRATCH_DB, arrange, bare_env, ours_env  # noqa: E402
from bench.api_servers import bare_command, ours_command, served  # noqa: E402
from bench.common import ADMIN_URL, console, postgres_store, print_table  # noqa: E402

RATE = 100  # samples per second


def sample(pid: int, seconds: float, py_spy: str, output: Path) -> subprocess.Popen:
    return subprocess.Popen([py_spy, "record", "--pid", str(pid), "--duration", str(int(seconds)),
                             "--rate", str(RATE), "--format", "raw", "--output", str(output),
                             "--gil"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)


def summarise(collapsed: Path,
              top: int) -> tuple[int, list[tuple[str, int]], list[tuple[str, int]]]:
    """Samples in all, and the ``top`` frames by inclusive and by self samples."""
    inclusive, own, total = Counter(), Counter(), 0
    for line in collapsed.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        frames, n = stack.split(";"), int(count)
        total += n
        own[_short(frames[-1])] += n
        for frame in {_short(f) for f in frames}:
            inclusive[frame] += n
    return total, inclusive.most_common(top), own.most_common(top)


# Where a sample's time goes: the first part whose frame is on its stack (most specific first).
PARTS = (
    ("views: the embedded projection runner", "Projector.follow ("),
    ("save: events, ledger leaf and nodes, receipt", "Application.save ("),
    ("idempotency: receipt lookup", "find_receipt ("),
    ("authorise: load record and employee, subject", "_authorised ("),
    ("command: load record and employee", "Repository.get ("),
    ("command: domain rules, metadata", "Core.change ("),
    ("command: domain rules, metadata", "EvaluationUseCases._rate ("),  # ratings, revisions
    ("render the response body", "model_dump_json ("),
    ("endpoint thread, other", "WorkerThread.run ("),
    ("FastAPI dependencies and body validation", "solve_dependencies ("),
    ("event loop: HTTP, ASGI middleware, thread hand-offs", "BaseEventLoop._run_once ("),
)


def breakdown(collapsed: Path) -> Counter:
    """Samples per part of PARTS (and "other")."""
    parts: Counter = Counter()
    for line in collapsed.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        part = next((label for label, frame in PARTS if frame in stack), "other")
        parts[part] += int(count)
    return parts


def _short(frame: str) -> str:
    """``function (path/to/module.py:line)`` to ``function (module.py)``: lines merged."""
    name, _, where = frame.partition(" (")
    path = where.rstrip(")").rsplit(":", 1)[0]
    parts = Path(path).parts
    for anchor in ("site-packages", "main"):
        if anchor in parts:
            parts = parts[parts.index(anchor) + 1:]
            break
    return f"{name} ({'/'.join(parts[-3:])})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--service", choices=("ours", "bare"), default="ours")
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--py-spy", default="py-spy", help="the py-spy executable")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--evaluations", type=int, default=50)
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--keep", metavar="FILE", help="keep the collapsed stacks here")
    parser.add_argument("--projections", choices=("embedded", "external"), default="embedded")
    parser.add_argument("--postgres-url", default=ADMIN_URL,
                        help=f"a server to make the scratch database {SCRATCH_DB} on")
    args = parser.parse_args(argv)
    with postgres_store(args.postgres_url, SCRATCH_DB) as store, \
            TemporaryDirectory(prefix="kinerja-api-profile-") as folder:
        keys = Path(folder)
        ours = ours_env(store, keys, args.projections)
        env = ours if args.service == "ours" else bare_env(store)
        command = ours_command if args.service == "ours" else bare_command
        plans = arrange(store, ours, args)[args.service]
        port = PORTS[args.service]
        with served(args.service, command(port, 1), env, port, keys / "server.log") as server:
            clients = [Client(server.url, f"profile-{n}", token, ids)
                       for n, (token, ids) in enumerate(plans)]
            drive(clients, 2)  # warm up
            output = Path(args.keep or keys / "stacks.txt")
            spy = sample(server.pid, args.seconds, args.py_spy, output)
            tally = drive(clients, args.seconds)
            _, errors = spy.communicate(timeout=60)
            for client in clients:
                client.close()
        if spy.returncode != 0:
            console.print(f"py-spy failed: {errors.strip()}")
            return 1
        total, inclusive, own = summarise(output, args.top)
        parts = breakdown(output)  # before the folder holding the stacks goes
    console.print(f"{args.service}: {tally.ok / tally.seconds:,.0f} commands/s while sampled; "
                  f"{total:,} samples (only the thread holding the GIL: Python CPU time)")
    per_command = 1000 / RATE / tally.ok
    print_table("Where the time goes (GIL-holding samples)", ["Part", "Share", "ms/command"],
                [[label, f"{parts[label] / total:.0%}", f"{parts[label] * per_command:.2f}"]
                 for label in [*(label for label, _ in PARTS), "other"] if parts[label]])
    for title, rows in (("inclusive", inclusive), ("self", own)):
        print_table(f"Top frames, {title}", ["Frame", "Samples", "Share"],
                    [[frame, f"{n:,}", f"{n / total:.0%}"] for frame, n in rows])
    return 0


if __name__ == "__main__":
    sys.exit(main())
