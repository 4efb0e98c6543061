"""The chat page's server: the page, /api/message (through bot/web/relay.py to Rasa) and /api/feedback.

The page talks only to this server (same origin), so Rasa and the action server can stay on
127.0.0.1. This is the one place that bounds requests (size, time, rate), checks where a post comes
from and what it holds, and sets the browser's security headers. It is a Starlette app served by
Uvicorn (docs/security.md says why), in a thread of the launcher's process.
"""

from __future__ import annotations

import html
import ipaddress
import json
import logging
import re
import threading
from pathlib import Path
from string import Template
from typing import Any, Awaitable, Callable, Dict, Mapping, Optional, Sequence

import uvicorn
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.data_files import read_yaml
from bot.offer.loader import Offer
from bot.settings import (
    STATIC_DIR,
    WORDING_DIR,
    ServerSettings,
    chat_rate_limit,
    feedback_retention_days,
    log_retention_days,
)
from bot.storage.feedback_store import FeedbackStore
from bot.web.check_page import CheckPage
from bot.web.http_edge import SECURITY_HEADERS, BoundedH11Protocol
from bot.web.rate_limit import RateLimit, RateLimiter
from bot.web.relay import RasaRelay
from bot.wording.catalogue import all_bot_strings
from bot.wording.reply_ids import ReplyIdentifier

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 65_536
SENDER_PATTERN = re.compile(r"[A-Za-z0-9_-]{16,64}")
STATIC_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}
HTML = "text/html; charset=utf-8"
PHRASES = {400: "Bad Request", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed",
           411: "Length Required", 413: "Content Too Large", 415: "Unsupported Media Type",
           429: "Too Many Requests"}
STOP_SECONDS = 10


def page_wording(offer: Offer, retention_days: int) -> Dict[str, Any]:
    """The page's words with contacts and retention periods filled in, so no number is written twice."""
    values = {
        "leaving_care_email": offer.contacts["leaving-care-team"].email,
        "out_of_hours_phone": offer.contacts["emergency-duty-team"].phone,
        "retention_days": retention_days,
        "feedback_retention_days": feedback_retention_days(),
        "log_retention_days": log_retention_days(),
    }
    return _fill(read_yaml(WORDING_DIR / "page.yml"), values)


def _fill(node: Any, values: Mapping[str, Any]) -> Any:
    if isinstance(node, str):
        return node.format(**values)
    if isinstance(node, list):
        return [_fill(item, values) for item in node]
    if isinstance(node, dict):
        return {key: _fill(item, values) for key, item in node.items()}
    return node


def render_pages(wording: Mapping[str, Any], exit_url: str, phones: Sequence[str]) -> Dict[str, bytes]:
    """index.html and privacy.html with every word escaped into place; `phones` become tappable links."""
    fields = {key: html.escape(str(value)) for key, value in wording.items() if isinstance(value, str)}
    fields["exit_url"] = html.escape(exit_url)
    fields["phones"] = html.escape("|".join(sorted(set(phones), key=len, reverse=True)))
    privacy = wording["privacy"]
    fields["privacy_title"] = html.escape(privacy["title"])
    fields["privacy_back"] = html.escape(privacy["back"])
    fields["privacy_paragraphs"] = "\n      ".join(f"<p>{html.escape(p)}</p>" for p in privacy["paragraphs"])
    return {
        name: Template((STATIC_DIR / name).read_text(encoding="utf-8")).substitute(fields).encode("utf-8")
        for name in ("index.html", "privacy.html")
    }


def static_files() -> Dict[str, bytes]:
    """The script and styles, read once at start: `/static/<name>` -> bytes."""
    return {f"/static/{path.name}": path.read_bytes() for path in STATIC_DIR.iterdir() if path.suffix in STATIC_TYPES}


def offer_phone_numbers(offer: Offer) -> list:
    """The offer's own phone numbers (the digits and spaces before any note), as written in contacts.yml."""
    return [re.match(r"[\d ]*\d", contact.phone).group(0) for contact in offer.contacts.values()
            if contact.phone and contact.phone[0].isdigit()]


def error(status: int, close: bool = False) -> JSONResponse:
    """An error as the page's JSON; `close` when the body was not read, so the connection cannot be reused."""
    return JSONResponse({"error": PHRASES[status]}, status_code=status,
                        headers={"Connection": "close"} if close else None)


class ChatApp:
    """The routes, over one relay and one rate limiter."""

    def __init__(self, pages: Dict[str, bytes], static: Dict[str, bytes], relay: RasaRelay,
                 limiter: RateLimiter, own_origin: str, more_routes: Sequence[Route] = ()):
        self.pages, self.static, self.relay, self.limiter = pages, static, relay, limiter
        self.own_origin = own_origin
        self.more_routes = list(more_routes)

    def starlette(self) -> Starlette:
        async def http_error(request: Request, exc: Exception) -> Response:
            status = exc.status_code if isinstance(exc, HTTPException) and exc.status_code in PHRASES else 400
            return error(status, close=True)

        routes = [Route("/", self.index), Route("/index.html", self.index), Route("/privacy", self.privacy),
                  Route("/health", self.health), Route("/static/{name}", self.static_file),
                  Route("/api/message", self.guarded(self.message), methods=["POST"]),
                  Route("/api/feedback", self.guarded(self.feedback), methods=["POST"]), *self.more_routes]
        return Starlette(routes=routes, exception_handlers={HTTPException: http_error})

    async def index(self, request: Request) -> Response:
        return Response(self.pages["index.html"], media_type=HTML)

    async def privacy(self, request: Request) -> Response:
        return Response(self.pages["privacy.html"], media_type=HTML)

    async def health(self, request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def static_file(self, request: Request) -> Response:
        body = self.static.get(request.url.path)
        if body is None:
            return error(404)
        return Response(body, media_type=STATIC_TYPES[Path(request.url.path).suffix])

    def guarded(self, handle: Callable[[Request, Dict[str, Any]], Awaitable[Response]]):
        """A POST route that runs only for a bounded, same-origin JSON object from a client within its rate."""
        async def route(request: Request) -> Response:
            refused = self.refusal(request)
            if refused is not None:
                return refused
            try:
                body = json.loads(await request.body())
            except ClientDisconnect:
                return error(400, close=True)
            except ValueError:
                body = None
            if not isinstance(body, dict):
                return error(400)
            return await handle(request, body)
        return route

    def refusal(self, request: Request) -> Optional[Response]:
        """Why this post is refused before its body is read, or None. h11 has already refused a Content-Length
        that is not digits, and one that disagrees with the body."""
        headers = request.headers
        if "transfer-encoding" in headers or "content-length" not in headers:
            return error(411, close=True)
        if int(headers["content-length"]) > MAX_BODY_BYTES:
            return error(413, close=True)
        if headers.get("content-type", "").split(";", 1)[0].strip().lower() != "application/json":
            return error(415, close=True)
        if not self.same_origin(request):
            return error(403, close=True)
        if not self.limiter.allow(request.client.host if request.client else ""):
            if request.url.path == "/api/message":
                return JSONResponse(self.relay.too_many(), status_code=429, headers={"Connection": "close"})
            return error(429, close=True)
        return None

    def same_origin(self, request: Request) -> bool:
        """A browser's post must come from this page; a client with no Origin only from this machine."""
        origin = request.headers.get("origin")
        if origin is None:
            return _is_loopback(request.client.host if request.client else "")
        host = request.headers.get("host", "")
        return origin in (self.own_origin, f"{request.url.scheme}://{host}")

    async def message(self, request: Request, body: Dict[str, Any]) -> Response:
        sender, message = body.get("sender"), body.get("message")
        if not isinstance(sender, str) or not SENDER_PATTERN.fullmatch(sender) or not isinstance(message, str):
            return error(400)
        return JSONResponse(await run_in_threadpool(self.relay.reply, sender, message))

    async def feedback(self, request: Request, body: Dict[str, Any]) -> Response:
        kept = await run_in_threadpool(self.relay.record_feedback, body.get("ids"), body.get("rating"),
                                       body.get("suggestion", ""))
        return JSONResponse({"kept": True}) if kept else error(400)


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class ChatServer:
    """The app on Uvicorn, its socket bound at once (a port in use fails here, at start), served in a thread."""

    def __init__(self, app: Starlette, host: str, port: int):
        self.config = uvicorn.Config(
            app, host=host, port=port, http=BoundedH11Protocol, ws="none", lifespan="off", loop="asyncio",
            access_log=False, log_config=None, server_header=False, headers=list(SECURITY_HEADERS.items()),
            proxy_headers=True, forwarded_allow_ips="127.0.0.1", timeout_keep_alive=5, timeout_graceful_shutdown=2)
        self.socket = self.config.bind_socket()
        self.socket.listen(self.config.backlog)  # connections wait in the queue until the thread serves them
        self.server = uvicorn.Server(self.config)
        self.thread: Optional[threading.Thread] = None

    def serve_forever(self) -> None:
        self.server.run(sockets=[self.socket])

    def shutdown(self) -> None:
        self.server.should_exit = True
        if self.thread is not None:
            self.thread.join(timeout=STOP_SECONDS)

    def server_close(self) -> None:
        self.socket.close()


def make_chat_server(settings: ServerSettings, offer: Offer, retention_days: int,
                     store: Optional[FeedbackStore] = None, rate_limit: Optional[RateLimit] = None) -> ChatServer:
    """A server for the page on CHAT_HOST:CHAT_PORT; serve_in_background() starts it."""
    wording = page_wording(offer, retention_days)
    phones = offer_phone_numbers(offer)
    pages = render_pages(wording, settings.exit_url, phones)
    relay = RasaRelay(settings.rasa_url, wording, ReplyIdentifier(all_bot_strings()), store or FeedbackStore(),
                      public_numbers=phones)
    limiter = RateLimiter(rate_limit or RateLimit(*chat_rate_limit()))
    check = CheckPage(offer, wording, settings.exit_url)
    app = ChatApp(pages, static_files(), relay, limiter, settings.chat_origin, check.routes())
    return ChatServer(app.starlette(), settings.chat_host, settings.chat_port)


def serve_in_background(server: ChatServer) -> threading.Thread:
    server.thread = threading.Thread(target=server.serve_forever, name="chat-page", daemon=True)
    server.thread.start()
    return server.thread
