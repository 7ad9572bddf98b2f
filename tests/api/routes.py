"""The service's routes as the authorisation matrix sees them: read from ``app.routes`` (their
``x-permission``; FastAPI keeps included routers there, flattened as its OpenAPI generator does)
and from the app's own OpenAPI document (parameters, body examples)."""

from __future__ import annotations

import functools
import tempfile
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts

from api.app import create_app
from service.config import Settings
from service.store import init_db

QUERY = {"start": 0, "end": 1, "index": 0, "tree_size": 1, "first": 1, "second": 1, "year": 2024,
         "a": "1", "b": "2"}  # a value for every required query parameter the routes take
OPEN = ("public", "authenticated")  # permissions outside the table: no token, or any token


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    permission: str | None
    path_params: tuple[str, ...]
    query: tuple[str, ...]  # the required query parameters
    body: Any  # the request body's example from the OpenAPI document (None: no body)

    def __str__(self) -> str:
        return f"{self.method} {self.path}"

    def url(self, values: dict[str, str]) -> str:
        return self.path.format(**{name: values[name] for name in self.path_params})

    def send(self, caller, values: dict[str, str], **options: Any):
        if self.method == "GET":
            return caller.get(self.url(values), headers=caller.headers(options.get("if_match")),
                              **{name: QUERY[name] for name in self.query})
        return caller.post(self.url(values), self.body, **options)


def routes() -> tuple[Route, ...]:
    """Every API route of a real app."""
    return _built()[0]


def document() -> dict:
    """The app's OpenAPI document."""
    return _built()[1]


@functools.cache
def _built() -> tuple[tuple[Route, ...], dict]:
    with tempfile.TemporaryDirectory() as folder:  # a throwaway store: nothing is written
        settings = Settings(f"sqlite:///{folder}/routes.db")
        init_db(settings)
        app = create_app(settings)
        try:
            return tuple(of(app)), app.openapi()
        finally:
            app.state.services.app.close()


def of(app: FastAPI) -> list[Route]:
    document = app.openapi()
    found = []
    for route in iter_route_contexts(app.routes):  # included routers, flattened
        if not isinstance(route.original_route, APIRoute):
            continue  # the OpenAPI document and its viewers
        for method in sorted(route.methods):
            operation = document["paths"][route.path][method.lower()]
            params = operation.get("parameters", [])
            found.append(Route(
                method, route.path, (route.openapi_extra or {}).get("x-permission"),
                tuple(p["name"] for p in params if p["in"] == "path"),
                tuple(p["name"] for p in params if p["in"] == "query" and p.get("required")),
                body_example(document, operation)))
    return found


def body_example(document: dict, operation: dict) -> Any:
    content = operation.get("requestBody", {}).get("content", {}).get("application/json")
    if content is None:
        return None
    if "example" in content:
        return content["example"]
    if named := content.get("examples"):
        return next(iter(named.values()))["value"]
    return (resolve(document, content["schema"]).get("examples") or [None])[0]


def resolve(document: dict, schema: dict) -> dict:
    ref = schema.get("$ref")
    if ref is None:
        return schema
    found: Any = document
    for part in ref.removeprefix("#/").split("/"):
        found = found[part]
    return found


def operations(document: dict):
    """(``METHOD /path``, method, operation) for every operation of the document."""
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            yield f"{method.upper()} {path}", method, operation


def success(operation: dict) -> dict:
    return next(r for status, r in operation["responses"].items() if status.startswith("2"))
