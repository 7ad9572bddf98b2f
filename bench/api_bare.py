"""The baseline service: bare FastAPI over the bare ``eventsourcing`` library.

The same routes and request bodies as ours for ratings and revisions, each a plain ``def`` that
loads an aggregate, triggers one event and saves it; the library's own recorders, no ledger, no
authentication, no policy, no idempotency, no snapshots, no cache. Run by uvicorn as
``bench.api_bare:create_app`` (a factory) with the library's settings in the environment.
"""

from __future__ import annotations

from contextlib import asynccontextmanager
from typing import Any
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event
from fastapi import FastAPI, Response
from pydantic import BaseModel

from bench.common import chunks


class Rating(Aggregate):
    """An evaluation's ratings and nothing else."""

    def __init__(self) -> None:
        self.ratings: dict[str, str] = {}

    @event("Rated")
    def rate(self, dimension: str, rating: str, reason: str) -> None:
        self.ratings[dimension] = rating


class BareRatings(Application):
    name = "BareRatings"

    def arrange(self, count: int) -> list[UUID]:
        """``count`` new aggregates to rate, saved a hundred at a time."""
        made = []
        for chunk in chunks(range(count), 100):
            batch = [Rating() for _ in chunk]
            self.save(*batch)
            made += [rating.id for rating in batch]
        return made

    def rate(self, rating_id: UUID, dimension: str, rating: str, reason: str) -> Rating:
        """One command: load, trigger one event, save."""
        record = self.repository.get(rating_id)
        record.rate(dimension, rating, reason)
        self.save(record)
        return record


class RatingIn(BaseModel):
    dimension: str
    rating: str
    reason: str


class RevisionIn(BaseModel):
    rating: str
    reason: str


class RatingOut(BaseModel):
    id: UUID
    version: int
    ratings: dict[str, str]


def create_app() -> FastAPI:
    ratings = BareRatings()  # configured by PERSISTENCE_MODULE and POSTGRES_* / SQLITE_*

    @asynccontextmanager
    async def lifespan(_: FastAPI):
        yield
        ratings.close()

    app = FastAPI(title="bare ratings", lifespan=lifespan)

    @app.get("/health")
    def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.post("/evaluations/{rating_id}/ratings", response_model=RatingOut)
    def record_rating(rating_id: UUID, body: RatingIn, response: Response) -> Any:
        return _out(ratings.rate(rating_id, body.dimension, body.rating, body.reason), response)

    @app.post("/evaluations/{rating_id}/ratings/{dimension}/revisions", response_model=RatingOut)
    def revise_rating(rating_id: UUID, dimension: str, body: RevisionIn,
                      response: Response) -> Any:
        return _out(ratings.rate(rating_id, dimension, body.rating, body.reason), response)

    return app


def _out(record: Rating, response: Response) -> RatingOut:
    response.headers["ETag"] = f'"{record.version}"'
    return RatingOut(id=record.id, version=record.version, ratings=record.ratings)
