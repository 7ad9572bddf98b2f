"""The import graph of the product, read from the source with ``ast`` (nothing is imported).

Every ``import`` counts, at module level or inside a function: a function-level import is still
a dependency, and one that hides a cycle is the kind this graph exists to find.
``python -m tests.imports`` prints the package graph as docs/ARCHITECTURE.md shows it.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("domain", "ledger", "projections", "replay", "service", "demo", "api")


@dataclass(frozen=True)
class Import:
    source: str  # the importing module, dotted
    target: str  # the imported module (or name), dotted, absolute
    line: int

    @property
    def where(self) -> str:
        return f"{self.source.replace('.', '/')}.py:{self.line} imports {self.target}"


def modules() -> dict[str, Path]:
    """Every product module by dotted name (a package by its own name, not ``.__init__``)."""
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def imports_of(module: str, path: Path) -> list[Import]:
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found += [Import(module, alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(node, package)
            found += [Import(module, f"{base}.{alias.name}" if base else alias.name, node.lineno)
                      for alias in node.names]
    return found


def _absolute(node: ast.ImportFrom, package: str) -> str:
    if not node.level:
        return node.module or ""
    parts = package.split(".")[: len(package.split(".")) - node.level + 1]
    return ".".join([*parts, *([node.module] if node.module else [])])


def all_imports() -> list[Import]:
    return [found for module, path in modules().items() for found in imports_of(module, path)]


def resolve(target: str, known: set[str]) -> str | None:
    """The product module an import names (``from a.b import c`` names ``a.b.c`` or ``a.b``)."""
    while target and target not in known:
        target = target.rpartition(".")[0]
    return target or None


def module_graph() -> dict[str, set[str]]:
    known = set(modules())
    graph: dict[str, set[str]] = {module: set() for module in known}
    for found in all_imports():
        target = resolve(found.target, known)
        if target and target != found.source:
            graph[found.source].add(target)
    return graph


def package_of(name: str) -> str:
    return name.split(".")[0]


def package_graph() -> dict[str, set[str]]:
    """Which product package imports which (itself left out), from the module graph."""
    graph: dict[str, set[str]] = {package: set() for package in PACKAGES}
    for source, targets in module_graph().items():
        graph[package_of(source)] |= {package_of(t) for t in targets} - {package_of(source)}
    return graph


def render(graph: dict[str, set[str]]) -> str:
    """One line per package: what it imports, in layer order (the text ARCHITECTURE.md holds)."""
    def targets(package: str) -> str:
        return ", ".join(sorted(graph[package], key=PACKAGES.index)) or "(nothing of ours)"
    return "\n".join(f"{package:<11} -> {targets(package)}" for package in PACKAGES)


if __name__ == "__main__":
    print(render(package_graph()))
