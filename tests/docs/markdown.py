"""Reading the parts of our Markdown documents that tests hold against the code."""

from __future__ import annotations

from pathlib import Path

DOCS = Path(__file__).resolve().parents[2] / "docs"


def text(name: str) -> str:
    return (DOCS / name).read_text()


def block_after(document: str, marker: str) -> str:
    """The fenced block that follows the line holding ``marker``, without its fences."""
    lines = document.splitlines()
    start = next(i for i, line in enumerate(lines) if marker in line)
    opening = next(i for i in range(start + 1, len(lines)) if lines[i].startswith("```"))
    closing = next(i for i in range(opening + 1, len(lines)) if lines[i].startswith("```"))
    return "\n".join(lines[opening + 1:closing])


def lines_from(document: str, first: str) -> str:
    """The paragraph (or table) that starts with the line ``first``, up to the next blank line."""
    lines = document.splitlines()
    start = lines.index(first)
    end = next((i for i in range(start, len(lines)) if not lines[i].strip()), len(lines))
    return "\n".join(lines[start:end])


def section(document: str, heading: str) -> str:
    """A ``## heading`` section up to the next heading of the same level."""
    after = document.split(f"\n## {heading}\n", 1)[1]
    return after.split("\n## ", 1)[0]
