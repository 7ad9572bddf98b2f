"""Waiting reads (``?after=<Kinerja-Position>``): wait on the event loop, never in a worker
thread, a bounded number at a time per caller, and only for a position the log has reached.

A waiting read used to sleep in a worker thread: 40 of them (the pool's size) held every
thread, and ``/health`` waited behind them. Here a waiter is a coroutine; the views' position
is read in the pool (briefly) at most once per ``POLL_SECONDS`` however many wait.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Callable

from starlette.concurrency import run_in_threadpool

from api.problems import ProblemError

POLL_SECONDS = 0.02
MAX_WAITS_PER_CALLER = 4  # a client reading its own writes needs one or two at a time


class ViewWaits:
    """Waits until the views have read up to a position of the log."""

    def __init__(self, views: Callable[[], int], head: Callable[[], int]) -> None:
        self._views, self._head = views, head  # blocking reads: called in the thread pool
        self._reached = 0  # the views' position as last read (it only grows)
        self._read: asyncio.Future[int] | None = None
        self._read_at = 0.0
        self._waiting: Counter[str] = Counter()

    async def wait(self, caller: str, position: int, timeout: float) -> bool:
        """True once the views have read ``position``, False after ``timeout`` seconds. A
        position beyond the log's head is a 400 at once; a caller already waiting
        ``MAX_WAITS_PER_CALLER`` times is a 429."""
        if position <= self._reached:
            return True
        if position > await run_in_threadpool(self._head):
            raise ProblemError(400, "position_beyond_log", f"the log has not reached position"
                               f" {position}: use the Kinerja-Position of a write")
        if self._waiting[caller] >= MAX_WAITS_PER_CALLER:
            raise ProblemError(429, "too_many_waits", f"at most {MAX_WAITS_PER_CALLER} waiting"
                               " reads at a time per token", retry_after=1)
        self._waiting[caller] += 1
        try:
            return await asyncio.wait_for(self._until(position), timeout)
        except TimeoutError:
            return False
        finally:
            self._waiting[caller] -= 1
            if not self._waiting[caller]:
                del self._waiting[caller]

    async def _until(self, position: int) -> bool:
        while await self._position() < position:
            await asyncio.sleep(POLL_SECONDS)
        return True

    async def _position(self) -> int:
        """The views' position: one read in the pool per POLL_SECONDS, shared by every
        waiter (shielded: a waiter that times out does not cancel the others' read)."""
        loop = asyncio.get_running_loop()
        stale = loop.time() - self._read_at >= POLL_SECONDS
        if self._read is None or self._read.get_loop() is not loop or (
                self._read.done() and stale):
            self._read_at = loop.time()
            self._read = asyncio.ensure_future(run_in_threadpool(self._views))
        self._reached = max(self._reached, await asyncio.shield(self._read))
        return self._reached
