"""The chat page's HTTP connection handling: Uvicorn's h11 protocol with a read deadline and headers on every refusal.

Uvicorn bounds header size and idle keep-alive time, but not how long a client may take to send one
request, so a client that promises 100 bytes and sends 10 would hold its connection forever. Here
each request must arrive whole (headers and body) within READ_TIMEOUT_SECONDS of its first byte, or
of the connection opening; otherwise the client gets 408 and the connection is closed. Requests that
h11 cannot parse (a Content-Length of -1 or "abc") are refused by Uvicorn before the app sees them;
this class makes those answers carry the same security headers as every other response.
"""

from __future__ import annotations

import asyncio
from typing import Dict, Optional

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

READ_TIMEOUT_SECONDS = 10.0
SECURITY_HEADERS: Dict[str, str] = {
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
                               "img-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
                          "microphone=(), payment=(), usb=(), interest-cohort=()",
}
WAITING_FOR_REQUEST = (h11.IDLE, h11.SEND_BODY)


class BoundedH11Protocol(H11Protocol):
    """One connection: a deadline for each request to arrive, and security headers on Uvicorn's own refusals."""

    read_timeout: float = READ_TIMEOUT_SECONDS

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        self.read_deadline: Optional[asyncio.TimerHandle] = None
        super().connection_made(transport)
        self._start_read_deadline()

    def data_received(self, data: bytes) -> None:
        if self.read_deadline is None:
            self._start_read_deadline()
        super().data_received(data)
        if self.conn.their_state not in WAITING_FOR_REQUEST:
            self._stop_read_deadline()

    def connection_lost(self, exc: Optional[Exception]) -> None:
        self._stop_read_deadline()
        super().connection_lost(exc)

    def send_400_response(self, msg: str) -> None:
        self._refuse(400, "Bad Request")

    def _start_read_deadline(self) -> None:
        self.read_deadline = self.loop.call_later(self.read_timeout, self._read_timed_out)

    def _stop_read_deadline(self) -> None:
        if self.read_deadline is not None:
            self.read_deadline.cancel()
            self.read_deadline = None

    def _read_timed_out(self) -> None:
        """The request did not arrive in time: say so if nothing was answered yet, then close."""
        self.read_deadline = None
        if self.transport.is_closing():
            return
        if self.cycle is None or not self.cycle.response_started:
            self._refuse(408, "Request Timeout")
        else:
            self.transport.close()

    def _refuse(self, status: int, reason: str) -> None:
        """A short JSON error written straight to the socket (h11 may be in any state here), then close."""
        body = b'{"error": "%s"}' % reason.encode("ascii")
        headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode("ascii")),
                   (b"connection", b"close"), *self.server_state.default_headers]
        head = b"HTTP/1.1 %d %s\r\n" % (status, reason.encode("ascii"))
        head += b"".join(name + b": " + value + b"\r\n" for name, value in headers)
        self.transport.write(head + b"\r\n" + body)
        self.transport.close()
