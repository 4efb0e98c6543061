"""Which `/...` messages may reach Rasa as an intent: only the payloads of buttons the bot offered.

Rasa reads any message starting with "/" as an intent with arguments, skipping its language model,
and its warning about arguments it cannot read repeats the whole message into the log. So typed text
that starts with "/" is sent on as plain words, with the slashes taken off; the bot then answers it
like any other message. The payloads offered are remembered per conversation, bounded in number of
conversations and payloads each.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from typing import Iterable, List, Set

INTENT_PREFIX = "/"
MAX_CONVERSATIONS = 10_000
MAX_PAYLOADS_EACH = 60
LEADING_SLASHES = re.compile(r"^[\s/]+")


class OfferedPayloads:
    def __init__(self, always_allowed: Iterable[str] = ()):
        self.always_allowed = frozenset(always_allowed)
        self.offered: OrderedDict[str, List[str]] = OrderedDict()
        self.lock = threading.Lock()

    def remember(self, sender: str, payloads: Iterable[str]) -> None:
        new = [payload for payload in payloads if payload.startswith(INTENT_PREFIX)]
        if not new:
            return
        with self.lock:
            kept = self.offered.pop(sender, [])
            kept = [payload for payload in kept if payload not in new] + new
            self.offered[sender] = kept[-MAX_PAYLOADS_EACH:]
            if len(self.offered) > MAX_CONVERSATIONS:
                self.offered.popitem(last=False)

    def as_sent(self, sender: str, message: str) -> str:
        """The message as Rasa should get it: an offered payload as it is, anything else never as an intent."""
        if not message.lstrip().startswith(INTENT_PREFIX):
            return message
        if message in self.always_allowed or message in self._offered_to(sender):
            return message
        return LEADING_SLASHES.sub("", message)

    def _offered_to(self, sender: str) -> Set[str]:
        with self.lock:
            return set(self.offered.get(sender, ()))
