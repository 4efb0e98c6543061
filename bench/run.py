"""`make bench`: this bot and a stock `rasa init` bot, served for real side by side, measured as people
use them, profiled, and written to docs/benchmarks.md.

Everything runs on 127.0.0.1 with bounded counts; every server started here is stopped whatever fails.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Callable, Dict, Sequence

from bench.client import new_sender, send
from bench.profile import profile_stock_bot, profile_this_bot
from bench.report import (
    LOAD_ONE_PROCESS,
    PROFILE_FIRST,
    PROFILE_LONG,
    PROFILE_STOCK,
    STOCK,
    STOCK_HELLO,
    THIS,
    THIS_HELLO,
    THIS_QUESTION,
    Results,
    render,
)
from bench.scenarios import LongConversation, Probe, concurrent, first_messages, turn_depth, whole_conversations
from bench.stock import NAME as STOCK_SERVER
from bench.stock import stock_bot
from bot.launcher import BIN
from bot.offer.loader import load_offer
from bot.settings import DOCS_DIR, OFFER_DIR, PROJECT_ROOT
from tests.services import redis_server, running_bot

QUESTION = "do care leavers get council tax discount"
HELLO = "hello"
STOCK_GREETING = "hello there"
CONVERSATION = ("can i get council tax discount", "19", "Orton", "how do i claim it", "what about the gym", "thanks")
STOCK_FILLER = ("i am feeling sad", "yes", "are you a bot?", "great", "hello there", "bye")
LOAD_MESSAGES = ("hello", "can I talk to a real person")
STOCK_LOAD_MESSAGES = ("hello there", "are you a bot?")
LOAD_MESSAGES_EACH = 20


def resident_memory_mb(pid: int) -> float:
    """Resident memory of a process and all its children (Sanic workers), in MB, from the kernel's accounting."""
    status = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines())
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return int(status["VmRSS"].split()[0]) / 1024 + sum(resident_memory_mb(int(child)) for child in children)


def training_seconds() -> float:
    """This bot trained from scratch: an empty cache, and a model written to a scratch folder."""
    with tempfile.TemporaryDirectory() as scratch:
        env = {**os.environ, "RASA_CACHE_DIRECTORY": str(Path(scratch) / "cache"), "RASA_TELEMETRY_ENABLED": "false"}
        started = time.perf_counter()
        subprocess.run([str(BIN / "rasa"), "train", "--data", "data/nlu", "data/rules", "--out", scratch,
                        "--fixed-model-name", "bench", "--quiet"], cwd=PROJECT_ROOT, env=env, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return time.perf_counter() - started


def talk(url: str, messages: Sequence[str]) -> None:
    sender = new_sender()
    for message in messages:
        send(url, sender, message)


def measure(scratch: Path, args: argparse.Namespace) -> Results:
    facts: Dict[str, str] = {}
    if args.training:
        facts["this bot: training from scratch"] = f"{training_seconds():.0f} s"
    with ExitStack() as stack:
        started = time.perf_counter()
        settings, servers = stack.enter_context(running_bot(scratch / "bot"))
        send(settings.rasa_url, new_sender(), HELLO)
        facts["this bot: start to first answer"] = f"{time.perf_counter() - started:.1f} s"
        stock = stack.enter_context(stock_bot(scratch / "stock"))
        facts["stock bot: `rasa init` with its training"] = f"{stock.training_seconds:.0f} s"
        this_url = settings.rasa_url
        talk(this_url, CONVERSATION)
        talk(stock.url, STOCK_FILLER)
        first = first_messages([Probe(THIS_QUESTION, this_url, QUESTION), Probe(THIS_HELLO, this_url, HELLO),
                                Probe(STOCK_HELLO, stock.url, STOCK_GREETING)], args.rounds)
        turns, total = whole_conversations(this_url, CONVERSATION, args.repeats)
        depth = turn_depth([LongConversation(THIS, this_url, QUESTION, CONVERSATION),
                            LongConversation(STOCK, stock.url, STOCK_GREETING, STOCK_FILLER)], args.long)
        load = {LOAD_ONE_PROCESS: concurrent(this_url, LOAD_MESSAGES * (LOAD_MESSAGES_EACH // 2),
                                                         args.conversations),
                STOCK: concurrent(stock.url, STOCK_LOAD_MESSAGES * (LOAD_MESSAGES_EACH // 2), args.conversations)}
        for name in ("rasa-server", "action-server"):
            facts[f"this bot: {name} resident memory"] = f"{resident_memory_mb(servers.processes[name].pid):.0f} MB"
        stock_memory = resident_memory_mb(stock.servers.processes[STOCK_SERVER].pid)
        facts["stock bot: Rasa server resident memory"] = f"{stock_memory:.0f} MB"
    if shutil.which("redis-server"):
        with redis_server() as lock_url, running_bot(scratch / "workers", LOCK_STORE_URL=lock_url,
                                                     SANIC_WORKERS="2") as (settings, servers):
            talk(settings.rasa_url, CONVERSATION)
            load[f"{THIS}, 2 Rasa workers + Redis lock"] = concurrent(
                settings.rasa_url, LOAD_MESSAGES * (LOAD_MESSAGES_EACH // 2), args.conversations)
            memory = resident_memory_mb(servers.processes["rasa-server"].pid)
            facts["this bot: Rasa server resident memory (2 workers, all processes)"] = f"{memory:.0f} MB"
    results = Results(messages={"question": QUESTION, "greeting": HELLO, "stock greeting": STOCK_GREETING},
                      first=first, conversation_script=CONVERSATION, conversation_turns=turns,
                      conversation_total=total, depth=depth, load=load, facts=facts)
    profile_all(scratch, args, results)
    return results


def profile_all(scratch: Path, args: argparse.Namespace, results: Results) -> None:
    """Three profiled runs: this bot's first messages, this bot's long conversations, stock first messages."""
    def first(message: str) -> Callable[[str], int]:
        def workload(url: str) -> int:
            for _ in range(args.profile_messages):
                send(url, new_sender(), message)
            return args.profile_messages
        return workload

    def long_conversations(url: str) -> int:
        conversations = max(1, args.profile_messages // 50)
        for _ in range(conversations):
            talk(url, [CONVERSATION[turn % len(CONVERSATION)] for turn in range(50)])
        return conversations * 50

    def warm(url: str) -> None:
        talk(url, CONVERSATION)

    results.profiles[PROFILE_FIRST] = profile_this_bot(scratch / "profile-first", warm, first(QUESTION))
    results.profiles[PROFILE_LONG] = profile_this_bot(scratch / "profile-long", warm, long_conversations)
    results.profiles[PROFILE_STOCK] = profile_stock_bot(scratch / "stock", lambda url: talk(url, STOCK_FILLER),
                                                        first(STOCK_GREETING))
    results.profile_messages.update({
        PROFILE_FIRST: f"{args.profile_messages} × \"{QUESTION}\", each in a new conversation",
        PROFILE_LONG: f"{max(1, args.profile_messages // 50)} conversations of 50 turns",
        PROFILE_STOCK: f"{args.profile_messages} × \"{STOCK_GREETING}\", each in a new conversation"})


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=60, help="first messages of each kind")
    parser.add_argument("--repeats", type=int, default=20, help="whole six-turn conversations")
    parser.add_argument("--long", type=int, default=10, help="conversations of 50 turns on each bot")
    parser.add_argument("--conversations", type=int, default=20, help="conversations at once")
    parser.add_argument("--profile-messages", type=int, default=100, help="messages in each profiled run")
    parser.add_argument("--training", action="store_true",
                        help="also time this bot's training from scratch (minutes on 2 cores)")
    parser.add_argument("--out", type=Path, default=DOCS_DIR / "benchmarks.md")
    args = parser.parse_args(argv)
    load_offer(OFFER_DIR)  # a broken offer would be measured as "sorry" replies: stop here instead
    with tempfile.TemporaryDirectory(prefix="bench-") as scratch:
        results = measure(Path(scratch), args)
    rasa_version = subprocess.run([str(BIN / "python"), "-c", "import rasa; print(rasa.__version__)"],
                                  capture_output=True, text=True).stdout.strip()
    text = render(results, rasa_version, shared_machine=os.cpu_count() == 2)
    print(text)
    args.out.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
