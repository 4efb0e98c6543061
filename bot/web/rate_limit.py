"""A token bucket per client address, so one client cannot flood the bot while everyone else still gets answers.

Sized for people, not scripts: a full bucket lets someone tap a burst of buttons at once, and it refills
faster than anyone reads and types. The table of addresses is bounded (the one seen longest ago is
forgotten first), so the limiter's memory stays small whatever arrives.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Callable, Tuple

MAX_CLIENTS_REMEMBERED = 10_000


@dataclass(frozen=True)
class RateLimit:
    """`burst` requests at once, then `per_minute` more each minute."""

    burst: int
    per_minute: int


class RateLimiter:
    def __init__(self, limit: RateLimit, clock: Callable[[], float] = time.monotonic):
        self.limit = limit
        self.clock = clock
        self.buckets: OrderedDict[str, Tuple[float, float]] = OrderedDict()
        self.lock = threading.Lock()

    def allow(self, client: str) -> bool:
        """Take one token from this client's bucket; False when it is empty."""
        now = self.clock()
        refill_per_second = self.limit.per_minute / 60
        with self.lock:
            tokens, then = self.buckets.pop(client, (float(self.limit.burst), now))
            tokens = min(float(self.limit.burst), tokens + (now - then) * refill_per_second)
            allowed = tokens >= 1
            if allowed:
                tokens -= 1
            self.buckets[client] = (tokens, now)
            if len(self.buckets) > MAX_CLIENTS_REMEMBERED:
                self.buckets.popitem(last=False)
            return allowed
