"""A stock `rasa init` bot trained and served from a scratch folder: the yardstick for every ratio.

It runs with the same process settings as this bot's Rasa server (one TensorFlow thread and so on), so
a ratio compares the bots, not the settings. It keeps Rasa's defaults otherwise: conversations in memory,
no action server.
"""

from __future__ import annotations

import json
import os
import subprocess
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Dict, Iterator, List

from bot.launcher import BIN, SERVER_PROCESS_DEFAULTS, Servers
from tests.services import free_port

NAME = "stock-rasa-server"


@dataclass(frozen=True)
class StockBot:
    url: str
    training_seconds: float
    servers: Servers


def server_environment() -> Dict[str, str]:
    return {**SERVER_PROCESS_DEFAULTS, **os.environ, "RASA_TELEMETRY_ENABLED": "false", "PYTHONWARNINGS": "ignore",
            "SQLALCHEMY_SILENCE_UBER_WARNING": "1"}


def init_and_train(folder: Path) -> float:
    """`rasa init --no-prompt` writes the starter project and trains it; returns the seconds it took."""
    started = time.perf_counter()
    subprocess.run([str(BIN / "rasa"), "init", "--no-prompt", "--init-dir", str(folder)], cwd=folder,
                   env=server_environment(), check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if not any((folder / "models").glob("*.tar.gz")):
        subprocess.run([str(BIN / "rasa"), "train", "--quiet"], cwd=folder, env=server_environment(), check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def serve_command(folder: Path, port: int) -> List[str]:
    return [str(BIN / "rasa"), "run", "--enable-api", "--model", str(folder / "models"),
            "--endpoints", str(folder / "endpoints.yml"), "--credentials", str(folder / "credentials.yml"),
            "--interface", "127.0.0.1", "--port", str(port)]


@contextmanager
def stock_bot(folder: Path, wrap: Callable[[List[str]], List[str]] | None = None) -> Iterator[StockBot]:
    """Train in `folder` unless a model is there, serve it on a free port in its own process group, and
    stop that group (SIGTERM, then SIGKILL after 5 s) whatever fails. `wrap` may change the command (to run
    the server under a profiler)."""
    folder.mkdir(parents=True, exist_ok=True)
    seconds = 0.0 if any((folder / "models").glob("*.tar.gz")) else init_and_train(folder)
    port = free_port()
    servers = Servers(folder / "log")
    command = serve_command(folder, port)
    if wrap:
        command = wrap(command)
    try:
        servers.start(NAME, command, server_environment())
        url = f"http://127.0.0.1:{port}"
        servers.wait_until_up(NAME, f"{url}/")
        warm_up = urllib.request.Request(f"{url}/model/parse", data=json.dumps({"text": "hello"}).encode(),
                                         headers={"Content-Type": "application/json"})
        urllib.request.urlopen(warm_up, timeout=30).close()
        yield StockBot(url, seconds, servers)
    finally:
        servers.stop()
