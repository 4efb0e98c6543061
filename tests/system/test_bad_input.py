"""Strange input through the running bot (tests/data/bad_input.yml): a kind reply in under a second,
never an error, nothing already stored is lost, and the conversation carries on."""

from __future__ import annotations

import json
import time
import urllib.request
import uuid
from typing import Any, Dict, List, Tuple

import pytest
import yaml

from bot.settings import PROJECT_ROOT, ServerSettings
from tests.system.test_servers import call

CASES = yaml.safe_load((PROJECT_ROOT / "tests" / "data" / "bad_input.yml").read_text(encoding="utf-8"))
ERROR_WORDS = ("Traceback", "Exception", "Error", "error", "Sorry, I can't answer right now")


def timed_chat(settings: ServerSettings, sender: str, message: str) -> Tuple[List[Dict[str, Any]], float]:
    started = time.perf_counter()
    status, _, replies = call(f"{settings.chat_origin}/api/message", {"sender": sender, "message": message})
    elapsed = time.perf_counter() - started
    assert status == 200, (status, replies)
    return replies, elapsed


def text_of(replies: List[Dict[str, Any]]) -> str:
    return "\n".join(reply.get("text", "") for reply in replies)


def stored_age(settings: ServerSettings, sender: str):
    url = f"{settings.rasa_url}/conversations/{sender}/tracker?token={settings.rasa_auth_token}"
    with urllib.request.urlopen(url, timeout=30) as response:
        state = json.loads(response.read())["slots"].get("conversation") or {}
    return (state.get("facts") or {}).get("age")


def assert_kind(replies: List[Dict[str, Any]]) -> None:
    text = text_of(replies)
    assert text.strip(), replies
    assert not any(word in text for word in ERROR_WORDS), text


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_strange_input_gets_a_kind_quick_reply_and_loses_nothing(live_bot, case):
    settings, _ = live_bot
    sender = uuid.uuid4().hex
    asked = case.get("asked", "place")
    assert "how old are you?" in text_of(timed_chat(settings, sender, "can I get help with council tax")[0])
    if asked == "place":
        assert "where do you live?" in text_of(timed_chat(settings, sender, "19")[0])

    replies, elapsed = timed_chat(settings, sender, case["text"] * case.get("times", 1))

    assert_kind(replies)
    assert elapsed < 1.0, f"{elapsed:.2f} s"
    assert stored_age(settings, sender) == case.get("age_after", 19 if asked == "place" else None)
    if asked == "age" and "age_after" not in case:
        replies, _ = timed_chat(settings, sender, "19")
        assert "where do you live?" in text_of(replies)
    if case.get("answers_now"):
        assert "you can get Council tax discount" in text_of(replies)
    else:
        replies, _ = timed_chat(settings, sender, "I live in Orton")
        assert_kind(replies)
        assert "Council tax discount" in text_of(replies)


def test_the_same_message_again_and_again_is_answered_every_time(live_bot):
    settings, _ = live_bot
    sender = uuid.uuid4().hex
    for _ in range(8):
        replies, elapsed = timed_chat(settings, sender, "council tax")
        assert_kind(replies)
        assert elapsed < 1.0


def test_a_huge_message_sent_straight_to_rasa_gets_a_reply_not_an_error(live_bot):
    settings, _ = live_bot
    status, _, replies = call(f"{settings.rasa_url}/webhooks/rest/webhook",
                              {"sender": uuid.uuid4().hex, "message": "council tax " * 900})
    assert status == 200
    assert_kind(replies)
