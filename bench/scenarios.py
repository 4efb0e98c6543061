"""What people do, as the benchmark replays it: first messages, a whole conversation, long conversations,
and many people at once. Bots measured together are interleaved message by message, so the load from
anything else on the machine falls on all of them alike and their ratios stay fair."""

from __future__ import annotations

import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Dict, List, Sequence, Tuple

from bench.client import Latencies, new_sender, send

DEPTH_TURNS = (1, 20, 50)


@dataclass(frozen=True)
class Probe:
    """One message to one bot, always as the first message of a new conversation."""

    label: str
    url: str
    message: str


@dataclass(frozen=True)
class LongConversation:
    """`probe` at each measured turn and `filler` (in turn) between them, so only the depth differs."""

    label: str
    url: str
    probe: str
    filler: Sequence[str]

    def message_at(self, turn: int, measured: Sequence[int]) -> str:
        return self.probe if turn in measured else self.filler[(turn - 1) % len(self.filler)]


def first_messages(probes: Sequence[Probe], rounds: int) -> Dict[str, Latencies]:
    """Each round sends every probe once, each from a conversation never seen before."""
    timings: Dict[str, List[float]] = defaultdict(list)
    for _ in range(rounds):
        for probe in probes:
            timings[probe.label].append(send(probe.url, new_sender(), probe.message))
    return {label: Latencies(seconds) for label, seconds in timings.items()}


def whole_conversations(url: str, script: Sequence[str], repeats: int) -> Tuple[List[Latencies], Latencies]:
    """The script as one conversation, `repeats` times: each turn's latencies, and each conversation's total."""
    per_turn: List[List[float]] = [[] for _ in script]
    totals: List[float] = []
    for _ in range(repeats):
        sender = new_sender()
        taken = [send(url, sender, message) for message in script]
        for turn, seconds in enumerate(taken):
            per_turn[turn].append(seconds)
        totals.append(sum(taken))
    return [Latencies(seconds) for seconds in per_turn], Latencies(totals)


def turn_depth(conversations: Sequence[LongConversation], repeats: int,
               measured: Sequence[int] = DEPTH_TURNS) -> Dict[str, Dict[int, Latencies]]:
    """`repeats` conversations of max(measured) turns on every bot, turn by turn side by side."""
    timings: Dict[str, Dict[int, List[float]]] = {c.label: defaultdict(list) for c in conversations}
    for _ in range(repeats):
        senders = {c.label: new_sender() for c in conversations}
        for turn in range(1, max(measured) + 1):
            for c in conversations:
                seconds = send(c.url, senders[c.label], c.message_at(turn, measured))
                if turn in measured:
                    timings[c.label][turn].append(seconds)
    return {label: {turn: Latencies(seconds) for turn, seconds in by_turn.items()}
            for label, by_turn in timings.items()}


def concurrent(url: str, messages: Sequence[str], people: int) -> Tuple[Latencies, float]:
    """`people` conversations at once, each sending `messages` with no pause: latencies and messages per second."""

    def one_person(_: int) -> List[float]:
        sender = new_sender()
        return [send(url, sender, message) for message in messages]

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=people) as pool:
        results = list(pool.map(one_person, range(people)))
    wall = time.perf_counter() - started
    timings = [seconds for person in results for seconds in person]
    return Latencies(timings), len(timings) / wall
