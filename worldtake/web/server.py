"""Serve the web app on a socket bound before start, so port 0 gets a free port we can print."""

from __future__ import annotations

import socket
from collections.abc import Callable

import uvicorn

from worldtake.settings import Settings
from worldtake.web import create_app


def bind_socket(host: str, port: int) -> socket.socket:
    """Bind a listening TCP socket on host:port (port 0 picks a free one)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def serve(settings: Settings, on_ready: Callable[[str], None] | None = None) -> None:
    """Serve the app until interrupted; call `on_ready` with the URL once listening."""
    sock = bind_socket(settings.host, settings.port)
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    app = create_app(settings)
    config = uvicorn.Config(app, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    if on_ready is not None:
        on_ready(f"http://{shown}:{port}/")
    server.run(sockets=[sock])
