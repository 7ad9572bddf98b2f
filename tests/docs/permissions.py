"""The permission table of docs/API.md, rendered from ``api.policy.POLICY``.

``python -m tests.docs.permissions`` prints it to paste into the document after a policy change;
tests/docs/test_api_doc.py fails until the document holds exactly this table.
"""

from __future__ import annotations

from api.policy import POLICY

HEADER = "| permission | allowed roles (relationship) |"


def render() -> str:
    rows = [f"| `{permission}` | " + ", ".join(
        f"{role.value} ({'/'.join(scope.value for scope in scopes)})"
        for role, scopes in roles.items()) + " |" for permission, roles in POLICY.items()]
    return "\n".join([HEADER, "|---|---|", *rows])


if __name__ == "__main__":
    print(render())
