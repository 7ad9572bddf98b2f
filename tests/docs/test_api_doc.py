"""docs/API.md against the code: the permission table and the list of public routes."""

from __future__ import annotations

import re

from tests.api.routes import routes
from tests.docs import permissions
from tests.docs.markdown import lines_from, section, text

ROUTE = re.compile(r"`((?:GET|POST|PUT|PATCH|DELETE) /[^`]*)`")


def test_the_permission_table_is_the_policy():
    documented = lines_from(text("API.md"), permissions.HEADER)
    assert documented == permissions.render(), "paste `python -m tests.docs.permissions`"


def test_the_public_routes_listed_are_exactly_the_ones_without_a_token():
    documented = set(ROUTE.findall(section(text("API.md"), "Authentication")))
    public = {str(route) for route in routes() if route.permission == "public"}
    assert documented == public, (f"public but not listed: {sorted(public - documented)}; "
                                  f"listed but not public: {sorted(documented - public)}")
