"""Many people at once (loopback only, bounded): 50 conversations of 20 messages, all at the same time.
Every message gets a reply with no server error, and afterwards each conversation's stored history
holds exactly its own messages, in order."""

from __future__ import annotations

import json
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import List, Tuple

from bot.settings import ServerSettings
from tests.system.test_servers import call

CONVERSATIONS = 50
MESSAGES_EACH = 20
SCRIPT = ["hi", "can I get help with council tax", "19", "I live in Orton", "can I talk to a real person",
          "what about housing", "I'm not sure", "thanks"]


def messages_for(person: int) -> List[str]:
    """A realistic script, with this person's own marker in every fourth message so mix-ups would show."""
    return [f"hello, this is person {person} message {n}" if n % 4 == 0 else SCRIPT[n % len(SCRIPT)]
            for n in range(MESSAGES_EACH)]


def one_person(settings: ServerSettings, person: int) -> Tuple[str, List[str], List[int]]:
    sender, sent, failures = uuid.uuid4().hex, messages_for(person), []
    for message in sent:
        status, _, replies = call(f"{settings.rasa_url}/webhooks/rest/webhook", {"sender": sender, "message": message})
        if status != 200 or not replies:
            failures.append(status)
    return sender, sent, failures


def stored_user_messages(settings: ServerSettings, sender: str) -> List[str]:
    url = f"{settings.rasa_url}/conversations/{sender}/tracker?token={settings.rasa_auth_token}"
    with urllib.request.urlopen(url, timeout=30) as response:
        events = json.loads(response.read())["events"]
    return [event["text"] for event in events if event["event"] == "user"]


def test_fifty_conversations_at_once_lose_and_mix_nothing(live_bot):
    settings, _ = live_bot
    with ThreadPoolExecutor(max_workers=CONVERSATIONS) as pool:
        results = list(pool.map(lambda person: one_person(settings, person), range(CONVERSATIONS)))
    assert [failures for _, _, failures in results] == [[]] * CONVERSATIONS
    for sender, sent, _ in results:
        assert stored_user_messages(settings, sender) == sent
