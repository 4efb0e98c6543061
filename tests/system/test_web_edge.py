"""The chat page's web edge over real sockets: bounded requests, same-origin JSON only, whole sender ids,
a rate limit with a kind reply, typed text never an intent, security headers on every answer, and no
personal text in any log or table."""

from __future__ import annotations

import csv
import json
import os
import random
import socket
import subprocess
import time
import uuid
from dataclasses import replace
from pathlib import Path
from typing import Dict, List, Tuple

import pytest
from sqlalchemy import MetaData, select

from bot.settings import ServerSettings, server_settings
from bot.storage.database import make_engine
from bot.storage.feedback_export import export_feedback_csv
from bot.storage.feedback_store import FeedbackStore
from bot.web.chat_server import MAX_BODY_BYTES, make_chat_server, serve_in_background
from bot.web.http_edge import READ_TIMEOUT_SECONDS, SECURITY_HEADERS
from bot.web.rate_limit import RateLimit
from bot.wording.catalogue import all_bot_strings
from tests.services import free_port
from tests.system.test_servers import call, chat

FAILURE_START = "Sorry, I can't answer right now"


def raw_request(port: int, data: bytes, read_timeout: float = 5.0) -> Tuple[int, Dict[str, str], bytes, float]:
    """Send raw bytes to the chat page; (status, headers, body, seconds to the first byte of the answer)."""
    with socket.create_connection(("127.0.0.1", port), timeout=read_timeout) as connection:
        started = time.monotonic()
        connection.sendall(data)
        answer = read_until_closed(connection)
    return (*parse_response(answer), time.monotonic() - started)


def read_until_closed(connection: socket.socket) -> bytes:
    chunks = []
    while True:
        try:
            chunk = connection.recv(65_536)
        except ConnectionResetError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    return b"".join(chunks)


def parse_response(answer: bytes) -> Tuple[int, Dict[str, str], bytes]:
    head, _, body = answer.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return int(lines[0].split()[1]), headers, body


def post_head(settings: ServerSettings, path: str, extra: str) -> bytes:
    return (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{settings.chat_port}\r\n"
            f"Content-Type: application/json\r\n{extra}\r\n").encode()


def assert_security_headers(headers: Dict[str, str]) -> None:
    for name, value in SECURITY_HEADERS.items():
        assert headers.get(name.lower()) == value, name


def message_body(text: str = "council tax") -> bytes:
    return json.dumps({"sender": uuid.uuid4().hex, "message": text}).encode()


@pytest.mark.parametrize("length, status", [("-1", 400), ("abc", 400), ("1e3", 400), (" 12 34", 400),
                                            (str(MAX_BODY_BYTES + 1), 413), ("99999999999999999999", 413)])
def test_a_bad_or_oversize_content_length_is_refused_at_once(live_bot, length, status):
    settings, _ = live_bot
    body = message_body() + b" " * 2_000
    data = post_head(settings, "/api/message", f"Content-Length: {length}\r\n") + body
    got, headers, _, seconds = raw_request(settings.chat_port, data)
    assert got == status and seconds < 1.0
    assert_security_headers(headers)


def test_a_chunked_body_or_none_at_all_needs_a_length(live_bot):
    settings, _ = live_bot
    chunked = post_head(settings, "/api/message", "Transfer-Encoding: chunked\r\n") + b"5\r\nhello\r\n0\r\n\r\n"
    assert raw_request(settings.chat_port, chunked)[0] == 411
    assert raw_request(settings.chat_port, post_head(settings, "/api/message", ""))[0] == 411


def test_a_body_within_the_limit_is_answered(live_bot):
    settings, _ = live_bot
    body = message_body("council tax")
    data = post_head(settings, "/api/message", f"Content-Length: {len(body)}\r\nConnection: close\r\n") + body
    status, headers, answer, _ = raw_request(settings.chat_port, data, read_timeout=30)
    assert status == 200 and "Council tax" in json.loads(answer)[0]["text"]
    assert_security_headers(headers)


def test_a_slow_request_is_cut_off_and_other_chats_still_answer(live_bot):
    settings, _ = live_bot
    slow_body = socket.create_connection(("127.0.0.1", settings.chat_port), timeout=READ_TIMEOUT_SECONDS + 10)
    slow_head = socket.create_connection(("127.0.0.1", settings.chat_port), timeout=READ_TIMEOUT_SECONDS + 10)
    try:
        started = time.monotonic()
        slow_body.sendall(post_head(settings, "/api/message", "Content-Length: 100\r\n") + b'{"sender": ')
        slow_head.sendall(b"POST /api/message HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Le")
        sender = uuid.uuid4().hex
        for message in ("can I get help with council tax", "19", "I live in Orton"):
            replies = chat(settings, sender, message)
        assert "you can get Council tax discount" in replies[0]["text"]
        assert time.monotonic() - started < READ_TIMEOUT_SECONDS, "the other chat waited for the slow request"
        for connection in (slow_body, slow_head):
            status, headers, _ = parse_response(read_until_closed(connection))
            assert status == 408
            assert_security_headers(headers)
        elapsed = time.monotonic() - started
        assert READ_TIMEOUT_SECONDS - 1 <= elapsed < READ_TIMEOUT_SECONDS + 5, elapsed
    finally:
        slow_body.close()
        slow_head.close()


@pytest.mark.parametrize("path", ["/api/message", "/api/feedback"])
@pytest.mark.parametrize("headers, status", [
    ({"Content-Type": "text/plain"}, 415),
    ({"Content-Type": "application/x-www-form-urlencoded"}, 415),
    ({"Content-Type": "multipart/form-data; boundary=x"}, 415),
    ({"Origin": "http://elsewhere.example"}, 403),
    ({"Origin": "null"}, 403),
    ({"Origin": "http://127.0.0.1.elsewhere.example"}, 403),
])
def test_a_post_from_another_site_or_not_json_is_refused(live_bot, path, headers, status):
    settings, _ = live_bot
    body = {"sender": uuid.uuid4().hex, "message": "council tax", "ids": ["answers:greet"], "rating": "up"}
    got, answer_headers, _ = call(f"{settings.chat_origin}{path}", body, headers)
    assert got == status
    assert answer_headers["Permissions-Policy"] == SECURITY_HEADERS["Permissions-Policy"]


def test_a_post_from_the_page_itself_or_from_this_machine_without_origin_is_answered(live_bot):
    settings, _ = live_bot
    body = {"sender": uuid.uuid4().hex, "message": "council tax"}
    assert call(f"{settings.chat_origin}/api/message", body, {"Origin": settings.chat_origin})[0] == 200
    assert call(f"{settings.chat_origin}/api/message", body,
                {"Content-Type": "application/json; charset=utf-8"})[0] == 200


def test_a_sender_id_must_match_whole(live_bot):
    settings, _ = live_bot
    for sender in (uuid.uuid4().hex + "\n", uuid.uuid4().hex + " ", "\n" + uuid.uuid4().hex):
        assert call(f"{settings.chat_origin}/api/message", {"sender": sender, "message": "hi"})[0] == 400


@pytest.mark.parametrize("method, path, status", [
    ("GET", "/nowhere", 404), ("GET", "/api/message", 405), ("DELETE", "/", 405), ("POST", "/", 405),
    ("GET", "/static/../settings.py", 404), ("GET", "/", 200), ("GET", "/privacy", 200),
    ("GET", "/static/chat.js", 200), ("GET", "/health", 200)])
def test_every_answer_carries_the_security_headers(live_bot, method, path, status):
    settings, _ = live_bot
    data = f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode()
    got, headers, _, _ = raw_request(settings.chat_port, data)
    assert got == status
    assert_security_headers(headers)
    assert "server" not in headers


def test_a_malformed_request_line_gets_400_with_the_security_headers(live_bot):
    settings, _ = live_bot
    got, headers, _, _ = raw_request(settings.chat_port, b"BLAH\x00 / HTTP/9\r\n\r\n")
    assert got == 400
    assert_security_headers(headers)


@pytest.mark.parametrize("typed", ["/restart", "/session_start", "/greet{\"x\": 1}", "/button{\"bad json",
                                   "//inform", " /restart", "/"])
def test_typed_slash_commands_get_a_kind_answer_not_the_failure(live_bot, typed):
    settings, _ = live_bot
    sender = uuid.uuid4().hex
    chat(settings, sender, "/greet")
    replies = chat(settings, sender, typed)
    assert replies and replies[0].get("text")
    assert not replies[0]["text"].startswith(FAILURE_START), replies


def test_the_buttons_the_bot_offered_still_work(live_bot):
    settings, _ = live_bot
    sender = uuid.uuid4().hex
    replies = chat(settings, sender, "council tax")
    yes = [button["payload"] for reply in replies for button in reply.get("buttons", [])
           if button["title"] == "Yes, check for me"]
    assert yes and yes[0].startswith("/"), replies
    answer = chat(settings, sender, yes[0])
    assert "how old are you?" in " ".join(reply.get("text", "") for reply in answer)


@pytest.fixture()
def limited_page(offer, tmp_path):
    """A chat page with a small rate limit (no bot behind it: the limit is checked first)."""
    settings = replace(server_settings(), rasa_port=free_port(), chat_port=free_port())
    store = FeedbackStore(make_engine(f"sqlite:///{tmp_path / 'feedback.db'}"))
    server = make_chat_server(settings, offer, retention_days=30, store=store,
                              rate_limit=RateLimit(burst=3, per_minute=1))
    serve_in_background(server)
    yield settings
    server.shutdown()
    server.server_close()


def test_a_flood_from_one_address_gets_a_kind_reply_and_others_are_still_answered(limited_page, offer):
    body = {"sender": uuid.uuid4().hex, "message": "council tax"}
    url = f"{limited_page.chat_origin}/api/message"
    assert [call(url, body)[0] for _ in range(3)] == [200, 200, 200]
    status, headers, replies = call(url, body)
    assert status == 429 and headers["Permissions-Policy"]
    text = json.loads(replies)[0]["text"]
    assert offer.contacts["leaving-care-team"].email in text and "try again" in text
    feedback = {"ids": ["answers:greet"], "rating": "up"}
    assert call(f"{limited_page.chat_origin}/api/feedback", feedback)[0] == 429
    someone_else = {"X-Forwarded-For": "203.0.113.9", "Origin": limited_page.chat_origin}
    assert call(url, body, someone_else)[0] == 200


def test_feedback_ids_are_deduplicated_known_and_at_most_twenty(live_bot, live_bot_database):
    settings, _ = live_bot
    store = FeedbackStore(make_engine(live_bot_database))
    marker = uuid.uuid4().hex[:10]
    known = sorted(string_id for string_id in _known_ids() if string_id.startswith("offer:"))[:30]
    ids = ["offer:council-tax-discount.summary"] * 1_500 + known + ["made-up"]
    status, _, _ = call(f"{settings.chat_origin}/api/feedback", {"ids": ids, "rating": "down", "suggestion": marker})
    assert status == 200
    row = [r for r in store.feedback_rows() if r["suggestion"] == marker][0]
    kept = row["string_ids"].split()
    assert len(kept) == 20 == len(set(kept)) and "made-up" not in kept


def _known_ids() -> List[str]:
    return [string.id for string in all_bot_strings()]


def marker_details() -> Tuple[str, str, str]:
    """A phone number and an email no test uses elsewhere: (phone, its digits, email)."""
    digits = "077009" + "".join(random.choice("0123456789") for _ in range(5))
    return f"{digits[:5]} {digits[5:]}", digits, f"zebra{uuid.uuid4().hex[:10]}@example.com"


def test_personal_text_sent_every_way_reaches_no_log_and_no_table(live_bot, live_bot_database, caplog):
    settings, servers = live_bot
    caplog.set_level("DEBUG")
    phone, digits, email = marker_details()
    details = f"I am 17, live PE1 1AB, phone {phone}, email {email}"
    sender = uuid.uuid4().hex
    page = f"{settings.chat_origin}/api/message"
    for typed in (f'/inform{{"place": "{details}"}}', f'/button{{"fact": "{details}"', f"/{details}",
                  f"/restart {details}", details, f"flibber wobble {details}"):
        assert not chat(settings, sender, typed)[0]["text"].startswith(FAILURE_START)
    call(f"{settings.chat_origin}/api/feedback", {"ids": ["offer:council-tax-discount.summary"], "rating": "down",
                                                   "suggestion": f"=HYPERLINK(\"http://x\", \"{details}\")"})
    body = json.dumps({"sender": sender, "message": details}).encode()
    for extra in ("Content-Length: -1\r\n", "Content-Length: abc\r\n", "Transfer-Encoding: chunked\r\n",
                  f"Content-Length: {MAX_BODY_BYTES + 10}\r\n"):
        raw_request(settings.chat_port, post_head(settings, "/api/message", extra) + body)
    for headers in ({"Content-Type": "text/plain"}, {"Origin": "http://elsewhere.example"}):
        call(page, {"sender": sender, "message": details}, headers)
    call(page, {"sender": f"{email}-{digits}", "message": details})
    call(f"{settings.rasa_url}/webhooks/rest/webhook", {"sender": sender, "message": f'/inform{{"place": "{details}"'})
    call(f"{settings.rasa_url}/webhooks/rest/webhook",
         {"sender": sender, "message": f'/inform{{"place": "{details}"}} and more {details}'})
    call(f"{settings.action_url}/webhook", {"next_action": details}, {"X-Action-Secret": f"{details}é"})
    _send_with_latin1_secret(settings, details)

    for text in [*_log_texts(servers.log_dir), caplog.text, *_table_texts(live_bot_database)]:
        assert digits not in text.replace(" ", "") and email not in text and phone not in text


def _send_with_latin1_secret(settings: ServerSettings, details: str) -> None:
    body = json.dumps({"next_action": details}).encode()
    head = (f"POST /webhook HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n").encode() + b"X-Action-Secret: \xff\xfe\r\n\r\n"
    status, _, answer, _ = raw_request(settings.action_port, head + body)
    assert status == 403 and details.encode() not in answer


def _log_texts(folder: Path) -> List[str]:
    return [path.read_text(errors="replace") for path in folder.glob("*.log*")]


def _table_texts(database_url: str) -> List[str]:
    """Every row of every table in the offer database, where feedback and unanswered questions are kept."""
    engine = make_engine(database_url)
    tables = MetaData()
    tables.reflect(engine)
    with engine.connect() as conn:
        texts = [str(row) for table in tables.sorted_tables for row in conn.execute(select(table))]
    engine.dispose()
    return texts


def test_action_server_answers_a_secret_that_is_not_utf8_with_403(live_bot):
    settings, _ = live_bot
    _send_with_latin1_secret(settings, "hello")


def test_no_token_or_secret_in_any_running_servers_arguments(live_bot):
    settings, servers = live_bot
    pids = [str(process.pid) for process in servers.processes.values()]
    pids += [child for pid in pids for child in _children(pid)]
    pids.append(str(os.getpid()))
    listing = subprocess.run(["ps", "-ww", "-o", "args=", "-p", ",".join(pids)], capture_output=True,
                             text=True).stdout
    assert "components.rasa_server" in listing and "actions.server" in listing
    for pid in pids:
        arguments = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        for secret in (settings.rasa_auth_token, settings.action_server_secret):
            assert secret not in arguments and secret not in listing


def _children(pid: str) -> List[str]:
    found = subprocess.run(["pgrep", "-P", pid], capture_output=True, text=True).stdout.split()
    return found + [grandchild for child in found for grandchild in _children(child)]


def test_feedback_formula_is_neutralised_in_the_exported_csv(live_bot, live_bot_database, tmp_path):
    settings, _ = live_bot
    marker = uuid.uuid4().hex[:8]
    formula = f'=HYPERLINK("http://evil.example/{marker}", "click")'
    assert call(f"{settings.chat_origin}/api/feedback", {"ids": ["offer:council-tax-discount.summary"],
                                                        "rating": "down", "suggestion": formula})[0] == 200
    store = FeedbackStore(make_engine(live_bot_database))
    feedback_csv = export_feedback_csv(store, tmp_path)[0]
    with feedback_csv.open(encoding="utf-8", newline="") as opened:
        rows = [row for row in csv.DictReader(opened) if marker in row["suggestion"]]
    assert rows and rows[0]["suggestion"] == "'" + formula
