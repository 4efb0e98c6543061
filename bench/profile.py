"""Where a message's time goes: the Rasa server and the action server run under cProfile while a workload
is sent, and the profile is summed into a few stages, in milliseconds per message.

cProfile counts a coroutine only while it runs, so a stage's figure is the time its code held the event loop
(blocking database calls included), not time spent waiting for the other server or the network.
"""

from __future__ import annotations

import os
import pstats
import signal
import time
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Callable, Dict, Iterator, List, Tuple

from bench.stock import stock_bot
from bot.launcher import BIN, Servers, child_environment, rasa_command, with_secrets
from bot.settings import ServerSettings, server_settings
from tests.services import free_port

# (file ending, function name, first line or 0 for any): Rasa 3.6.21 and rasa-sdk 3.6.2 as pinned.
RASA_STAGES: Dict[str, Tuple[str, str, int]] = {
    "whole message in the Rasa server": ("rasa/core/processor.py", "handle_message", 0),
    "reading the conversation, session start": ("rasa/core/processor.py", "fetch_tracker_and_update_session", 0),
    "understanding the text (NLU pipeline)": ("rasa/core/processor.py", "parse_message", 0),
    "choosing the next action (policies)": ("rasa/core/processor.py", "_predict_next_with_tracker", 0),
    "calling the action: conversation to JSON, answer checked": ("rasa/core/actions/action.py", "run", 748),
    "saving the conversation": ("rasa/core/processor.py", "save_tracker", 0),
}
ACTION_STAGES: Dict[str, Tuple[str, str, int]] = {
    "whole call in the action server (rasa-sdk)": ("rasa_sdk/endpoint.py", "webhook", 0),
    "the answer itself (action_respond)": ("actions/respond.py", "run", 0),
    "reading the offer's version from its database": ("actions/offer_access.py", "current_offer", 0),
}


def profiled(command: List[str], out: Path) -> List[str]:
    """The same server run by `bench.profiled_server`: `rasa ...` or `python -m module ...`."""
    module, rest = ("rasa", command[1:]) if Path(command[0]).name == "rasa" else (command[2], command[3:])
    return [str(BIN / "python"), "-m", "bench.profiled_server", str(out), module, *rest]


def start_counting(servers: Servers) -> None:
    """SIGUSR1 switches each server's profiler on, once the warm-up messages are answered."""
    for process in servers.processes.values():
        os.kill(process.pid, signal.SIGUSR1)


def stage_milliseconds(profile: Path, stages: Dict[str, Tuple[str, str, int]], messages: int) -> Dict[str, float]:
    """Each stage's cumulative time, divided by the messages sent."""
    stats = pstats.Stats(str(profile)).stats  # type: ignore[attr-defined]
    found: Dict[str, float] = {}
    for stage, (ending, function, line) in stages.items():
        total = sum(cumulative for (file, first, name), (_, _, _, cumulative, _) in stats.items()
                    if file.endswith(ending) and name == function and (not line or first == line))
        found[stage] = total * 1000 / messages
    return found


def wait_for_file(path: Path, timeout: float = 20) -> None:
    """cProfile writes its file as the server exits; stopping returns before that may be on disk."""
    deadline = time.monotonic() + timeout
    while not (path.exists() and path.stat().st_size) and time.monotonic() < deadline:
        time.sleep(0.2)


@contextmanager
def profiled_bot(folder: Path) -> Iterator[Tuple[ServerSettings, Servers]]:
    """This bot's action server and Rasa server under the profiler, on free ports, with scratch SQLite files."""
    settings = with_secrets(replace(server_settings(), rasa_port=free_port(), action_port=free_port(),
                                    chat_port=free_port()))
    env = {**child_environment(settings), "DATABASE_URL": f"sqlite:///{folder / 'offer.db'}",
           "TRACKER_DATABASE_URL": f"sqlite:///{folder / 'conversations.db'}"}
    servers = Servers(folder / "log")
    try:
        servers.start("action-server", profiled([str(BIN / "python"), "-m", "actions.server"],
                                                folder / "action-server.prof"), env)
        servers.wait_until_up("action-server", f"{settings.action_url}/health")
        servers.start("rasa-server", profiled(rasa_command(settings), folder / "rasa-server.prof"), env)
        servers.wait_until_up("rasa-server", f"{settings.rasa_url}/")
        yield settings, servers
    finally:
        servers.stop()


def profile_this_bot(folder: Path, warm_up: Callable[[str], object], workload: Callable[[str], int]
                     ) -> Dict[str, float]:
    """Every stage per message of `workload` (given the Rasa URL, it returns how many messages it sent),
    counted only after `warm_up` has loaded the offer and filled the caches."""
    folder.mkdir(parents=True, exist_ok=True)
    with profiled_bot(folder) as (settings, servers):
        warm_up(settings.rasa_url)
        start_counting(servers)
        messages = workload(settings.rasa_url)
    for name in ("rasa-server", "action-server"):
        wait_for_file(folder / f"{name}.prof")
    return {**stage_milliseconds(folder / "rasa-server.prof", RASA_STAGES, messages),
            **stage_milliseconds(folder / "action-server.prof", ACTION_STAGES, messages)}


def profile_stock_bot(folder: Path, warm_up: Callable[[str], object], workload: Callable[[str], int]
                      ) -> Dict[str, float]:
    """The same stages for the stock bot (it has no action server), trained in `folder` if not already."""
    out = folder / "stock-rasa-server.prof"
    with stock_bot(folder, lambda command: profiled(command, out)) as stock:
        warm_up(stock.url)
        start_counting(stock.servers)
        messages = workload(stock.url)
    wait_for_file(out)
    return stage_milliseconds(out, RASA_STAGES, messages)
