"""docs/benchmarks.md from one run's figures: side-by-side tables, ratios to the stock bot, the issue's
targets marked reached or not, and, for each one not reached, what the profile measured."""

from __future__ import annotations

import os
import platform
from dataclasses import dataclass, field
from datetime import date
from typing import Dict, List, Optional, Sequence, Tuple

from bench.client import Latencies
from bench.profile import ACTION_STAGES, RASA_STAGES

THIS_QUESTION = "this bot, a question it answers with a question"
THIS_HELLO = "this bot, a greeting"
STOCK_HELLO = "stock bot, a greeting"
THIS = "this bot"
STOCK = "stock bot"
LOAD_ONE_PROCESS = f"{THIS}, one Rasa process"
PROFILE_FIRST = "this bot, first message"
PROFILE_LONG = "this bot, turns 1 to 50"
PROFILE_STOCK = "stock bot, first message"
FIRST_MESSAGE_RATIO = 0.8
DEPTH_RATIO = 1.5
CONCURRENT_P95_MS = 300.0


@dataclass
class Results:
    """Everything one `make bench` run measured."""

    messages: Dict[str, str]
    first: Dict[str, Latencies]
    conversation_script: Sequence[str]
    conversation_turns: List[Latencies]
    conversation_total: Latencies
    depth: Dict[str, Dict[int, Latencies]]
    load: Dict[str, Tuple[Latencies, float]]
    facts: Dict[str, str]
    profiles: Dict[str, Dict[str, float]] = field(default_factory=dict)
    profile_messages: Dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Target:
    name: str
    measured: str
    reached: bool
    cause: str = ""


def row(name: str, latencies: Latencies, stock: Optional[Latencies] = None) -> str:
    ratio = f" {latencies.p50 / stock.p50:.2f} / {latencies.p95 / stock.p95:.2f} |" if stock else ""
    return f"| {name} | {len(latencies.seconds)} | {latencies.p50:.0f} | {latencies.p95:.0f} |{ratio}"


def latency_table(rows: List[str], with_stock: bool) -> List[str]:
    if with_stock:
        return ["| what | messages | p50 ms | p95 ms | × stock (p50 / p95) |", "| --- | --- | --- | --- | --- |",
                *rows, ""]
    return ["| what | messages | p50 ms | p95 ms |", "| --- | --- | --- | --- |", *rows, ""]


def profile_table(profiles: Dict[str, Dict[str, float]]) -> List[str]:
    """Stages as rows, profiled runs as columns; a stage a bot does not have is left empty."""
    columns = list(profiles)
    lines = ["| stage (ms per message) | " + " | ".join(columns) + " |", "| --- |" + " --- |" * len(columns)]
    for stage in [*RASA_STAGES, *ACTION_STAGES]:
        cells = [f"{profiles[c][stage]:.1f}" if stage in profiles[c] else "" for c in columns]
        lines.append(f"| {stage} | " + " | ".join(cells) + " |")
    return [*lines, ""]


def differences(ours: Dict[str, float], other: Dict[str, float], label: str) -> str:
    """The stages that differ by more than 1 ms, largest first, as "stage +x ms"."""
    changed = sorted(((ours.get(stage, 0.0) - other.get(stage, 0.0), stage) for stage in [*RASA_STAGES, *ACTION_STAGES]
                      if stage != next(iter(RASA_STAGES)) and abs(ours.get(stage, 0.0) - other.get(stage, 0.0)) > 1),
                     reverse=True)
    return ", ".join(f"{stage} {delta:+.0f} ms" for delta, stage in changed) + f" (against {label})"


def targets(results: Results) -> List[Target]:
    first, stock_first = results.first[THIS_QUESTION], results.first[STOCK_HELLO]
    depth = results.depth[THIS]
    load, rate = results.load[LOAD_ONE_PROCESS]
    profiles = results.profiles
    whole = next(iter(RASA_STAGES))
    return [
        Target(f"first-message p95 of the question ≤ {FIRST_MESSAGE_RATIO}× stock p95 for the greeting",
               f"{first.p95:.0f} ms vs {stock_first.p95:.0f} ms: {first.p95 / stock_first.p95:.2f}×",
               first.p95 <= FIRST_MESSAGE_RATIO * stock_first.p95,
               f"in the profile a first message takes {profiles[PROFILE_FIRST][whole]:.0f} ms in this bot's Rasa "
               f"server against {profiles[PROFILE_STOCK][whole]:.0f} ms in the stock one, then the action server's "
               f"call; by stage: {differences(profiles[PROFILE_FIRST], profiles[PROFILE_STOCK], 'the stock bot')}. "
               "The stock bot keeps conversations in memory, where reading and saving them cost little, and "
               "makes no action call. Saving is Rasa's SQL store writing the new events through SQLAlchemy, twice "
               "for a new conversation (the session start, then the turn); SQLite write-ahead logging with "
               "synchronous=NORMAL does not change it measurably (docs/performance.md)."),
        Target(f"turn-50 p95 ≤ {DEPTH_RATIO}× turn-1 p95 of the same conversation",
               f"{depth[50].p95:.0f} ms vs {depth[1].p95:.0f} ms: {depth[50].p95 / depth[1].p95:.2f}×",
               depth[50].p95 <= DEPTH_RATIO * depth[1].p95,
               "a message averaged over turns 1 to 50, by stage: "
               f"{differences(profiles[PROFILE_LONG], profiles[PROFILE_FIRST], 'a first message')}. Rasa works out "
               "the dialogue state of every earlier turn before cutting it to a policy's `max_history` "
               "(`prediction_states` in rasa/core/featurizers/tracker_featurizers.py), and reads and rebuilds "
               "every event of the session from the store, so both grow with the conversation whatever "
               "`max_history` says; the stock bot grows the same way "
               f"({results.depth[STOCK][50].p95 / results.depth[STOCK][1].p95:.2f}× at turn 50)."),
        Target(f"20 concurrent conversations p95 ≤ {CONCURRENT_P95_MS:.0f} ms on one Rasa process",
               f"{load.p95:.0f} ms", load.p95 <= CONCURRENT_P95_MS,
               "with no pause between messages the figure is set by throughput: one Rasa process answers "
               f"{rate:.0f} messages a second (the stock bot {results.load[STOCK][1]:.0f}), and every stage in the "
               "profile runs on its one event loop, reading and saving conversations in SQLite included. More "
               "processes need more cores (the two-worker row above, on these 2 cores) or more machines "
               "(docs/scaling.md)."),
    ]


def render(results: Results, rasa_version: str, shared_machine: bool) -> str:
    stock_first = results.first[STOCK_HELLO]
    messages = "; ".join(f"{name}: \"{text}\"" for name, text in results.messages.items())
    lines = [
        "# Benchmarks",
        "",
        f"Measured {date.today():%d %B %Y} by `make bench` on {os.cpu_count()} cores"
        + (" (a machine shared with other work, so figures move between runs; the ratios, measured side by "
           "side in one run with the bots' messages interleaved, move less)" if shared_machine else "")
        + f", Python {platform.python_version()}, Rasa {rasa_version}, over the REST channel on 127.0.0.1. "
        "The stock bot is `rasa init --no-prompt`, trained and served in a temporary folder with "
        "`rasa run --enable-api` and the same process settings as this bot's Rasa server. Messages: "
        f"{messages}.",
        "",
        "## First message of a new conversation",
        "",
        "A new conversation for every message, as a care leaver opening the chat sees it.",
        "",
        *latency_table([row(label, latencies, stock_first) for label, latencies in results.first.items()], True),
        "## A whole conversation (this bot)",
        "",
        *latency_table([row(f"turn {n}: \"{message}\"", latencies) for n, (message, latencies)
                        in enumerate(zip(results.conversation_script, results.conversation_turns, strict=True), 1)]
                       + [row("the whole conversation", results.conversation_total)], False),
        "## Later in a long conversation",
        "",
        "Each bot's first message at turns 1, 20 and 50 of one conversation; other messages in between.",
        "",
        "| bot | turn | conversations | p50 ms | p95 ms | × turn 1 (p95) |",
        "| --- | --- | --- | --- | --- | --- |",
        *[f"| {bot} | {turn} | {len(lat.seconds)} | {lat.p50:.0f} | {lat.p95:.0f} | {lat.p95 / by_turn[1].p95:.2f} |"
          for bot, by_turn in results.depth.items() for turn, lat in sorted(by_turn.items())],
        "",
        "## Many conversations at once",
        "",
        "| what | messages | p50 ms | p95 ms | messages per second | × stock (p95) |",
        "| --- | --- | --- | --- | --- | --- |",
        *[f"| {label} | {len(lat.seconds)} | {lat.p50:.0f} | {lat.p95:.0f} | {rate:.0f} | "
          f"{lat.p95 / results.load[STOCK][0].p95:.2f} |" for label, (lat, rate) in results.load.items()],
        "",
        "## Other figures",
        "",
        "| what | figure |",
        "| --- | --- |",
        *[f"| {name} | {value} |" for name, value in results.facts.items()],
        "",
        "## Where the time goes",
        "",
        *profile_table(results.profiles),
        profile_note(results),
        "",
        "## Targets (issue 15)",
        "",
        "| target | measured | reached |",
        "| --- | --- | --- |",
        *[f"| {t.name} | {t.measured} | {'yes' if t.reached else 'no'} |" for t in targets(results)],
        "",
    ]
    missed = [t for t in targets(results) if not t.reached]
    if missed:
        lines += ["### What holds back the targets not reached", ""]
        lines += [f"- **{t.name}**: {t.cause}" for t in missed]
        lines += [""]
    return "\n".join(lines)


def profile_note(results: Results) -> str:
    workloads = "; ".join(f"{name}: {what}" for name, what in results.profile_messages.items())
    return ("Each column is a separate run of the servers under cProfile (`bench/profile.py`), switched on after "
            f"warm-up messages ({workloads}). A stage's figure is the time its code ran, not time spent waiting for "
            "the other server; stages overlap (the whole message holds the others), and cProfile slows Python "
            "code, so compare stages with each other and with the stock bot, not with the latencies above.")
