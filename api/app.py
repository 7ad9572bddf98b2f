"""The HTTP service: the composition root for uvicorn (``api.app:create_app``, a factory)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from contextlib import asynccontextmanager
from typing import Any

from eventsourcing.persistence import InterfaceError, OperationalError
from fastapi import FastAPI, Request

from api import problems
from api.auth import Authenticator
from api.deps import Services, declare_write_headers
from api.journal import JournalLooks, declare_reason_header
from api.middleware import RequestContext
from api.routes import (
    access_log,
    calendars,
    evaluations,
    inspections,
    keberatan,
    ledger,
    organisation,
    replay,
    system,
    views,
)
from api.waits import ViewWaits
from ledger.db import LedgerDB
from projections.queries import Queries
from projections.runner import Projector
from service.access_journal import AccessJournal
from service.config import PROJECTION_MODES, Settings
from service.store import open_app
from service.tokens import TokenStore

log = logging.getLogger("kinerja.api")
EMBEDDED = PROJECTION_MODES[0]  # the default (Settings.projections): views kept in this process
DESCRIPTION = """The system of record for ASN performance: plans (SKP), reports, ratings,
revisions, comments, inspections (sidak) and keberatan, each an immutable event in an
RFC 9162 Merkle log. Authenticate with `Authorization: Bearer <token>`
(`kinerja tokens issue`). POSTs accept `Idempotency-Key`; writes accept `If-Match`.
Errors are RFC 9457 problem+json with a stable `code`."""


def create_app(settings: Settings | None = None, **options: Any) -> FastAPI:
    """Build the service; ``options`` go to the Application (e.g. ``clock=`` in tests)."""
    settings = settings or Settings.from_env()
    kinerja = open_app(settings, **options)
    projector = Projector(kinerja)
    held = Services(kinerja, Authenticator(TokenStore(LedgerDB.of(kinerja.recorder)),
                                           settings.jwt), settings, projector,
                    Queries(projector.store), ViewWaits(
                        lambda: min(projector.positions().values()),
                        lambda: kinerja.recorder.max_notification_id() or 0),
                    AccessJournal(LedgerDB.of(kinerja.recorder)))
    app = FastAPI(title="kinerja-ledger", version="0.1.0", description=DESCRIPTION,
                  lifespan=_lifespan(held))
    app.state.services = held
    problems.install(app)
    _database_outages(app)
    # Routes are matched in order, router by router: the busiest (evaluation writes) first.
    for module in (evaluations, system, organisation, keberatan, inspections, ledger, views,
                   replay, calendars, access_log):
        declare_write_headers(module.router)
        declare_reason_header(module.router)
        app.include_router(module.router)
    app.add_middleware(JournalLooks)
    app.add_middleware(RequestContext, redact_nips=settings.redact_nips)
    return app


def _lifespan(held: Services) -> Callable:
    @asynccontextmanager
    async def lifespan(_: FastAPI):
        stop, threads = threading.Event(), []
        if held.app.checkpointer:
            threads.append(threading.Thread(target=_sign_periodically, args=(held, stop),
                                            daemon=True, name="checkpoints"))
        if held.settings.projections == EMBEDDED:
            threads.append(threading.Thread(target=_project, args=(held, stop), daemon=True,
                                            name="projections"))
        for thread in threads:
            thread.start()
        yield
        stop.set()
        for thread in threads:  # no statement may outlive the connections it runs on
            thread.join(timeout=30)
        held.journal.close()  # the looks still queued are written before the store closes
        held.app.close()
    return lifespan


def _sign_periodically(held: Services, stop: threading.Event) -> None:
    """Sign what is unsigned at start, then new events at least every KINERJA_CHECKPOINT_SECONDS,
    even when writes stop."""
    held.app.sign_if_due(now=True)
    while not stop.wait(held.settings.checkpoint_seconds):
        held.app.sign_if_due()


def _project(held: Services, stop: threading.Event) -> None:
    """Keep the views up to date in this process (the embedded default)."""
    held.projector.run(stop)


def _database_outages(app: FastAPI) -> None:
    @app.exception_handler(OperationalError)
    @app.exception_handler(InterfaceError)
    def unavailable(request: Request, e: Exception):
        log.warning("database unavailable: %s", type(e).__name__)
        return problems.problem(request, 503, "unavailable",
                                "the database is not reachable; try again shortly")
