"""One person's message over the REST channel, timed as they wait for it, and the percentiles of many."""

from __future__ import annotations

import json
import time
import urllib.request
import uuid
from dataclasses import dataclass
from typing import Sequence


def new_sender() -> str:
    """A conversation id never seen before, as the chat page makes for each person who opens it."""
    return uuid.uuid4().hex


def send(rasa_url: str, sender: str, message: str) -> float:
    """Seconds for one message; fails loudly on anything but a non-empty reply, so no figure hides an error."""
    request = urllib.request.Request(f"{rasa_url}/webhooks/rest/webhook",
                                     data=json.dumps({"sender": sender, "message": message}).encode(),
                                     headers={"Content-Type": "application/json"})
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=60) as response:
        replies = json.loads(response.read())
    elapsed = time.perf_counter() - started
    if not replies:
        raise RuntimeError(f"no reply to {message!r} from {rasa_url}")
    return elapsed


@dataclass(frozen=True)
class Latencies:
    """Seconds measured for one figure; percentiles in milliseconds, by nearest rank."""

    seconds: Sequence[float]

    def percentile(self, p: float) -> float:
        ordered = sorted(self.seconds)
        return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] * 1000

    @property
    def p50(self) -> float:
        return self.percentile(50)

    @property
    def p95(self) -> float:
        return self.percentile(95)
