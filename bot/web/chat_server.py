"""The chat page's server: the page, /api/message (through bot/relay.py to Rasa) and /api/feedback.

The page talks only to this server (same origin), so Rasa and the action server can stay on
127.0.0.1. This is also the one place that limits request size, checks sender ids and sets the
browser's security headers.
"""

from __future__ import annotations

import html
import json
import logging
import re
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from string import Template
from typing import Any, Dict, Mapping, Optional, Sequence

from bot.data_files import read_yaml
from bot.offer.loader import Offer
from bot.settings import STATIC_DIR, WORDING_DIR, ServerSettings
from bot.storage.feedback_store import FeedbackStore
from bot.web.relay import RasaRelay
from bot.wording.catalogue import all_bot_strings
from bot.wording.reply_ids import ReplyIdentifier

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 65_536
SENDER_PATTERN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
STATIC_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
                               "img-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}


def page_wording(offer: Offer, retention_days: int) -> Dict[str, Any]:
    """The page's words with contacts from the offer filled in, so no number is written twice."""
    values = {
        "leaving_care_email": offer.contacts["leaving-care-team"].email,
        "out_of_hours_phone": offer.contacts["emergency-duty-team"].phone,
        "retention_days": retention_days,
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


def make_chat_server(settings: ServerSettings, offer: Offer, retention_days: int,
                     store: Optional[FeedbackStore] = None) -> ThreadingHTTPServer:
    """A server for the page on CHAT_HOST:CHAT_PORT; call serve_forever() on it."""
    wording = page_wording(offer, retention_days)
    phones = [re.match(r"[\d ]*\d", contact.phone).group(0) for contact in offer.contacts.values()
              if contact.phone and contact.phone[0].isdigit()]
    pages = render_pages(wording, settings.exit_url, phones)
    relay = RasaRelay(settings.rasa_url, wording, ReplyIdentifier(all_bot_strings()), store or FeedbackStore())
    handler = type("BoundChatHandler", (ChatHandler,), {"pages": pages, "static": static_files(), "relay": relay})
    server = ThreadingHTTPServer((settings.chat_host, settings.chat_port), handler)
    server.daemon_threads = True
    return server


def serve_in_background(server: ThreadingHTTPServer) -> threading.Thread:
    thread = threading.Thread(target=server.serve_forever, name="chat-page", daemon=True)
    thread.start()
    return thread


class ChatHandler(BaseHTTPRequestHandler):
    """GET the page and its files; POST /api/message to talk to the bot, /api/feedback. Nothing else."""

    pages: Dict[str, bytes] = {}
    static: Dict[str, bytes] = {}
    relay: RasaRelay
    server_version = "local-offer-chat"
    sys_version = ""

    def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
        path = self.path.split("?", 1)[0]
        if path in ("/", "/index.html"):
            self._send(HTTPStatus.OK, self.pages["index.html"], "text/html; charset=utf-8")
        elif path == "/privacy":
            self._send(HTTPStatus.OK, self.pages["privacy.html"], "text/html; charset=utf-8")
        elif path == "/health":
            self._send(HTTPStatus.OK, b'{"status": "ok"}', "application/json")
        elif path in self.static:
            self._send(HTTPStatus.OK, self.static[path], STATIC_TYPES[Path(path).suffix])
        else:
            self._send_error(HTTPStatus.NOT_FOUND)

    def do_POST(self) -> None:  # noqa: N802 - the name http.server calls
        if self.path not in ("/api/message", "/api/feedback"):
            self._send_error(HTTPStatus.NOT_FOUND)
            return
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY_BYTES:
            self._send_json(HTTPStatus.OK, self.relay.too_long())
            return
        try:
            request = json.loads(self.rfile.read(length) or b"{}")
        except ValueError:
            request = None
        if not isinstance(request, dict):
            self._send_error(HTTPStatus.BAD_REQUEST)
        elif self.path == "/api/feedback":
            if self.relay.record_feedback(request.get("ids"), request.get("rating"), request.get("suggestion", "")):
                self._send_json(HTTPStatus.OK, {"kept": True})
            else:
                self._send_error(HTTPStatus.BAD_REQUEST)
        else:
            sender, message = request.get("sender"), request.get("message")
            if not isinstance(sender, str) or not SENDER_PATTERN.match(sender) or not isinstance(message, str):
                self._send_error(HTTPStatus.BAD_REQUEST)
            else:
                self._send_json(HTTPStatus.OK, self.relay.reply(sender, message))

    def _send_json(self, status: HTTPStatus, payload: Any) -> None:
        self._send(status, json.dumps(payload).encode("utf-8"), "application/json")

    def _send_error(self, status: HTTPStatus) -> None:
        self._send_json(status, {"error": status.phrase})

    def _send(self, status: HTTPStatus, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in SECURITY_HEADERS.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the signature http.server calls
        """Request lines only at debug level: paths carry no message text, but nothing about a person is logged."""
        log.debug("%s %s", self.command, self.path.split("?", 1)[0])
