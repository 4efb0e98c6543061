"""The running servers are locked down: token on the HTTP API, CORS for the chat page only,
localhost only, a secret between Rasa and the action server, and nothing personal in the logs."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
import uuid
from dataclasses import replace
from typing import Any, Dict, List, Optional

import pytest

from bot.settings import ServerSettings, server_settings
from bot.web.chat_server import make_chat_server, serve_in_background
from bot.web.relay import MAX_MESSAGE_CHARS
from tests.services import free_port


def call(url: str, body: Optional[Dict[str, Any]] = None, headers: Optional[Dict[str, str]] = None,
         method: Optional[str] = None):
    """(status, headers, parsed body) for one real HTTP request."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method,
                                     headers={"Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            raw = response.read()
            return response.status, response.headers, json.loads(raw) if raw.startswith((b"{", b"[")) else raw
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def chat(settings: ServerSettings, sender: str, message: str) -> List[Dict[str, Any]]:
    status, _, replies = call(f"{settings.chat_origin}/api/message", {"sender": sender, "message": message})
    assert status == 200
    return replies


def listening_addresses(port: int) -> List[str]:
    """Local addresses with a listening socket on this port, read from the kernel's table."""
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = open(table).read().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.rsplit(":", 1)
            if state == "0A" and int(hex_port, 16) == port:
                found.append(address)
    return found


def test_http_api_needs_the_token(live_bot):
    settings, _ = live_bot
    assert call(f"{settings.rasa_url}/status")[0] == 401
    assert call(f"{settings.rasa_url}/status?token=wrong")[0] == 401
    status, _, body = call(f"{settings.rasa_url}/status?token={settings.rasa_auth_token}")
    assert status == 200 and body["model_file"].endswith("local-offer.tar.gz")


def test_cors_allows_only_the_chat_page(live_bot):
    settings, _ = live_bot
    webhook = f"{settings.rasa_url}/webhooks/rest/webhook"
    _, allowed, _ = call(webhook, headers={"Origin": settings.chat_origin,
                                           "Access-Control-Request-Method": "POST"}, method="OPTIONS")
    assert allowed.get("Access-Control-Allow-Origin") == settings.chat_origin
    _, refused, _ = call(webhook, headers={"Origin": "http://elsewhere.example",
                                           "Access-Control-Request-Method": "POST"}, method="OPTIONS")
    assert refused.get("Access-Control-Allow-Origin") is None


def test_every_server_listens_on_localhost_only(live_bot):
    settings, _ = live_bot
    for port in (settings.rasa_port, settings.action_port, settings.chat_port):
        addresses = listening_addresses(port)
        assert addresses and set(addresses) == {"0100007F"}, (port, addresses)


def test_action_server_refuses_calls_without_the_shared_secret(live_bot):
    settings, _ = live_bot
    webhook = f"{settings.action_url}/webhook"
    assert call(webhook, {"next_action": "action_respond"})[0] == 403
    assert call(webhook, {"next_action": "action_respond"}, {"X-Action-Secret": "guess"})[0] == 403
    assert call(webhook, {"next_action": "action_respond"},
                {"X-Action-Secret": settings.action_server_secret})[0] != 403
    assert call(f"{settings.action_url}/health")[0] == 200


def test_logs_hold_no_message_text_age_or_place(live_bot):
    settings, servers = live_bot
    sender = uuid.uuid4().hex
    marker = f"zebra{uuid.uuid4().hex[:8]}"
    chat(settings, sender, f"can I get help with council tax {marker}")
    chat(settings, sender, "I am 23")
    replies = chat(settings, sender, "I live in Werrington")
    assert "Council tax discount" in replies[0]["text"]
    logs = {name: servers.log_of(name).read_text(errors="replace") for name in servers.processes}
    assert "INFO" in logs["rasa-server"], "the Rasa server should log at INFO level for this check to mean anything"
    for name, text in logs.items():
        assert marker not in text and "Werrington" not in text and "I am 23" not in text, name


def test_chat_page_sends_security_headers(live_bot):
    settings, _ = live_bot
    status, headers, page = call(f"{settings.chat_origin}/")
    assert status == 200 and b"Exit this page" in page
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert headers["Cache-Control"] == "no-store" and headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("body", [
    {"sender": "short", "message": "hi"},
    {"sender": "<script>alert(1)</script>xxxxxxxxxx", "message": "hi"},
    {"message": "hi"},
    {"sender": uuid.uuid4().hex, "message": 42},
])
def test_chat_relay_refuses_a_bad_request_clearly(live_bot, body):
    settings, _ = live_bot
    status, _, answer = call(f"{settings.chat_origin}/api/message", body)
    assert status == 400 and b"Bad Request" in answer


def test_an_over_long_message_gets_a_kind_reply(live_bot):
    settings, _ = live_bot
    replies = chat(settings, uuid.uuid4().hex, "council tax " * MAX_MESSAGE_CHARS)
    assert replies == [{"text": "That message is too long for me. Could you say it in fewer words?",
                        "ids": ["page:too_long"]}]


@pytest.fixture()
def page_without_bot(offer):
    """The chat page pointed at a port where no Rasa server listens."""
    settings = replace(server_settings(), rasa_port=free_port(), chat_port=free_port())
    server = make_chat_server(settings, offer, retention_days=30)
    serve_in_background(server)
    yield settings
    server.shutdown()
    server.server_close()


def test_when_the_bot_is_down_the_page_gives_contacts_not_silence(page_without_bot, offer):
    replies = chat(page_without_bot, uuid.uuid4().hex, "council tax")
    assert len(replies) == 1
    text = replies[0]["text"]
    assert offer.contacts["leaving-care-team"].email in text
    assert offer.contacts["emergency-duty-team"].phone in text


def test_privacy_notice_gives_the_retention_period(page_without_bot):
    status, _, page = call(f"{page_without_bot.chat_origin}/privacy")
    assert status == 200 and b"kept for 30 days" in page


def test_an_over_long_message_with_crisis_words_still_gets_the_crisis_reply(live_bot, offer):
    settings, _ = live_bot
    message = "blah " * 400 + "i want to kill myself" + " blah" * 400
    replies = chat(settings, uuid.uuid4().hex, message)
    assert offer.contacts["samaritans"].phone in replies[0]["text"]
