"""The layers as code, not as a drawing: the import graph (tests/imports.py) against the rules.

Read from the source with ``ast``, module-level and function-level imports alike, so a rule
cannot be dodged by importing inside a function. docs/ARCHITECTURE.md explains the layers.
"""

from __future__ import annotations

import pytest

from tests.imports import PACKAGES, Import, all_imports, module_graph, modules, package_of, resolve

WEB = {"fastapi", "starlette", "uvicorn"}  # HTTP belongs to api/ alone
IO = WEB | {"typer", "rich", "psycopg", "psycopg_pool", "sqlite3", "socket", "subprocess"}

# package       must not import these packages of ours                        nor these libraries
RULES = {
    "domain":      ({"ledger", "projections", "replay", "service", "demo", "api"}, IO),
    "ledger":      ({"domain", "projections", "replay", "service", "demo", "api"}, WEB),
    "projections": ({"replay", "service", "demo", "api"},                          WEB),
    "replay":      ({"service", "demo", "api"},                                    WEB),
    "service":     ({"replay", "demo", "api"},                                     WEB),
    "demo":        ({"api"},                                                       WEB),
    "api":         (set(),                                                         set()),
}


def imported_package(found: Import, known: set[str]) -> str:
    """The product package an import reaches, or the top-level library name."""
    return package_of(resolve(found.target, known) or found.target)


def breaches(package: str) -> list[str]:
    forbidden_packages, forbidden_libraries = RULES[package]
    known = set(modules())
    return [found.where for found in all_imports() if package_of(found.source) == package
            and imported_package(found, known) in forbidden_packages | forbidden_libraries]


def test_every_product_package_has_a_rule():
    assert set(RULES) == set(PACKAGES)


@pytest.mark.parametrize("package", PACKAGES)
def test_each_package_imports_only_what_its_layer_allows(package):
    found = breaches(package)
    assert not found, f"{package}/ breaks its layer rule:\n" + "\n".join(found)


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while not component or component[-1] != node:
                component.append(stack.pop())
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_module_imports_itself_back_through_others():
    graph = module_graph()
    found = cycles(graph)
    explained = [" <-> ".join(cycle) + "".join(
        f"\n  {source} -> {target}"
        for source in cycle for target in sorted(graph[source] & {*cycle})) for cycle in found]
    assert not found, "import cycles:\n" + "\n".join(explained)


def test_the_cycle_finder_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
