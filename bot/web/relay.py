"""Passes one person's message to Rasa's REST channel and makes sure something kind comes back.

Each reply carries the ids of the strings it is made of (shown in review mode, and what feedback
points at). A message too long for the bot still gets the crisis reply if it has crisis words; a
message the bot could not answer is kept, masked, for the participation group. Typed text never
reaches Rasa as an intent (bot/web/offered_payloads.py).
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from typing import Any, Collection, Dict, List, Mapping

from bot.conversation.safety import CrisisDetector
from bot.storage.feedback_store import FeedbackStore
from bot.web.masking import mask_personal_details
from bot.web.offered_payloads import OfferedPayloads
from bot.wording.reply_ids import ReplyIdentifier

log = logging.getLogger(__name__)

MAX_MESSAGE_CHARS = 1000
CRISIS_PAYLOAD = "/crisis"
RASA_TIMEOUT_SECONDS = 30
UNANSWERED_IDS = ("answers:not_understood", "answers:did_you_mean", "answers:second_miss")
MAX_FEEDBACK_IDS = 20


class RasaRelay:
    """Sends one message to Rasa's REST channel; any failure becomes the page's kind failure reply."""

    def __init__(self, rasa_url: str, wording: Mapping[str, Any], identifier: ReplyIdentifier,
                 store: FeedbackStore, public_numbers: Collection[str] = ()):
        self.webhook = f"{rasa_url}/webhooks/rest/webhook"
        self.wording = wording
        self.identifier = identifier
        self.store = store
        self.public_numbers = public_numbers
        self.crisis = CrisisDetector.from_file()
        self.payloads = OfferedPayloads(always_allowed=[wording["start"], CRISIS_PAYLOAD])

    def too_long(self) -> List[Dict[str, Any]]:
        return [{"text": self.wording["too_long"], "ids": ["page:too_long"]}]

    def too_many(self) -> List[Dict[str, Any]]:
        return [{"text": self.wording["too_many"], "ids": ["page:too_many"]}]

    def reply(self, sender: str, message: str) -> List[Dict[str, Any]]:
        if len(message) > MAX_MESSAGE_CHARS:
            if not self.crisis.check(message):
                return self.too_long()
            message = CRISIS_PAYLOAD
        message = self.payloads.as_sent(sender, message)
        replies = self._ask_rasa(sender, message)
        for reply in replies:
            reply["ids"] = self.identifier.identify(reply.get("text", ""))
            self.payloads.remember(sender, [button["payload"] for button in reply.get("buttons", [])])
        missed = [string_id for reply in replies for string_id in reply["ids"] if string_id in UNANSWERED_IDS]
        if missed:
            self.store.add_unanswered(missed[0], self.mask(message))
        return replies

    def mask(self, text: str) -> str:
        return mask_personal_details(text, self.public_numbers)

    def record_feedback(self, string_ids: Any, rating: Any, suggestion: Any) -> bool:
        """Keep one piece of feedback; False (nothing kept) when it is not what the page sends."""
        if not isinstance(string_ids, list) or rating not in ("up", "down") or not isinstance(suggestion, str):
            return False
        unique = dict.fromkeys(string_id for string_id in string_ids if isinstance(string_id, str))
        known = [string_id for string_id in unique if string_id in self.identifier.known]
        if not known:
            return False
        self.store.add_feedback(known[:MAX_FEEDBACK_IDS], rating, self.mask(suggestion[:MAX_MESSAGE_CHARS]))
        return True

    def _ask_rasa(self, sender: str, message: str) -> List[Dict[str, Any]]:
        body = json.dumps({"sender": sender, "message": message}).encode("utf-8")
        request = urllib.request.Request(self.webhook, data=body, headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=RASA_TIMEOUT_SECONDS) as response:
                replies = json.loads(response.read())
        except (urllib.error.URLError, TimeoutError, ValueError, OSError) as error:
            log.warning("The Rasa server did not answer: %s", type(error).__name__)
            replies = []
        replies = [_keep_known_fields(reply) for reply in replies if isinstance(reply, dict)]
        return replies or [{"text": self.wording["failure"]}]


def _keep_known_fields(reply: Mapping[str, Any]) -> Dict[str, Any]:
    """Only text and buttons reach the page: a custom payload can never inject markup."""
    kept: Dict[str, Any] = {}
    if isinstance(reply.get("text"), str):
        kept["text"] = reply["text"]
    buttons = [
        {"title": str(button.get("title", "")), "payload": str(button.get("payload", ""))}
        for button in reply.get("buttons") or [] if isinstance(button, dict)
    ]
    if buttons:
        kept["buttons"] = buttons
    return kept
