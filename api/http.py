"""The HTTP protocol ``kinerja serve`` runs: uvicorn's h11, with Nagle's algorithm off on every
connection.

With ``--workers`` uvicorn binds the listening socket itself, as ``socket.socket(AF_INET,
SOCK_STREAM)`` (protocol number 0), and asyncio sets TCP_NODELAY only on accepted sockets whose
protocol is TCP: each response went out in two writes, and the second waited for the client's
delayed ACK, ~40 ms a request (one worker: ~1 ms).
"""

from __future__ import annotations

import asyncio
import socket

from uvicorn.protocols.http.h11_impl import H11Protocol


class NoDelayH11Protocol(H11Protocol):
    # As H11Protocol's own: it narrows asyncio.Protocol's BaseTransport to a Transport (and
    # ignores the override there); super() takes only a Transport.
    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        sock = transport.get_extra_info("socket")
        if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        super().connection_made(transport)
