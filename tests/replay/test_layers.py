"""replay/ stands on the domain, the ledger and projections' queries, never on the service (it
takes the narrow read interfaces of replay.source) nor on a view's table."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

from replay.source import Dossiers, Records

REPLAY = Path(__file__).parents[2] / "replay"


def imported(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def test_replay_imports_nothing_of_the_service():
    assert {(path.name, module) for path in REPLAY.glob("*.py") for module in imported(path)
            if module.split(".")[0] in ("service", "api")} == set()


def test_replay_reads_no_view_table():
    assert [path.name for path in REPLAY.glob("*.py") if "view_" in path.read_text()] == []


def test_the_service_s_application_gives_replay_what_it_reads(app):
    wanted = {name for protocol in (Records, Dossiers) for name in vars(protocol)
              if not name.startswith("_")}
    assert {name for name in wanted if not hasattr(app, name)} == set()
    assert list(inspect.signature(app.load).parameters)[:3] == ["aggregate_id", "kind", "version"]
