"""Real servers for the tests: PostgreSQL and Redis from Debian's packages, and the bot's own servers,
each on a free port on 127.0.0.1 and stopped afterwards. `make system-packages` installs the Debian ones."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Iterator, List, Tuple
from unittest.mock import patch

from sqlalchemy import create_engine, text

from bot.launcher import Servers, start_bot, with_secrets
from bot.offer.loader import load_offer
from bot.settings import OFFER_DIR, ServerSettings, server_settings
from bot.web.chat_server import make_chat_server, serve_in_background

POSTGRES_BIN_DIRS = sorted(Path("/usr/lib/postgresql").glob("*/bin"))


class ServiceMissing(RuntimeError):
    """A Debian package the tests need is not installed."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise TimeoutError(f"nothing listens on port {port} after {timeout} s")


def _as_postgres_user(command: List[str]) -> List[str]:
    """PostgreSQL refuses to run as root; as root, run its tools as the `postgres` user."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@contextmanager
def postgres_server() -> Iterator[str]:
    """A throwaway PostgreSQL cluster; yields the URL of its `postgres` database for user `bot`."""
    if not POSTGRES_BIN_DIRS:
        raise ServiceMissing("PostgreSQL is not installed: run `make system-packages`.")
    bin_dir = POSTGRES_BIN_DIRS[-1]
    base = Path(tempfile.mkdtemp(prefix="offer-pg-"))
    if os.geteuid() == 0:
        shutil.chown(base, "postgres")
    data, port = base / "data", free_port()
    subprocess.run(_as_postgres_user([str(bin_dir / "initdb"), "-D", str(data), "-U", "bot", "--auth=trust",
                                      "-E", "UTF8", "--no-sync"]), check=True, capture_output=True)
    options = f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off"
    subprocess.run(_as_postgres_user([str(bin_dir / "pg_ctl"), "-D", str(data), "-o", options,
                                      "-l", str(base / "server.log"), "-w", "start"]), check=True, capture_output=True)
    try:
        yield f"postgresql://bot@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(_as_postgres_user([str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
                       capture_output=True)
        shutil.rmtree(base, ignore_errors=True)


def new_postgres_database(server_url: str) -> str:
    """A fresh, empty database on the server, so tests never see each other's rows."""
    name = f"t_{uuid.uuid4().hex[:12]}"
    engine = create_engine(server_url, future=True, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return server_url.rsplit("/", 1)[0] + f"/{name}"


@contextmanager
def redis_server() -> Iterator[str]:
    """A throwaway Redis with no persistence; yields its URL."""
    binary = shutil.which("redis-server")
    if binary is None:
        raise ServiceMissing("Redis is not installed: run `make system-packages`.")
    port = free_port()
    process = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                "--appendonly", "no"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_port(port)
        yield f"redis://127.0.0.1:{port}/1"
    finally:
        process.terminate()
        process.wait(timeout=10)


@contextmanager
def running_bot(folder: Path, **env: str) -> Iterator[Tuple[ServerSettings, Servers]]:
    """The real action server, Rasa server and chat page on free ports, with `env` added to their settings.

    Logs and, unless `env` names others, both SQLite databases go in `folder`.
    """
    settings = with_secrets(replace(server_settings(), rasa_port=free_port(), action_port=free_port(),
                                    chat_port=free_port()))
    servers = Servers(folder / "log")
    # Every test talks to the page from 127.0.0.1, like many people behind one proxy: the rate limit is raised
    # as .env.example says to for that case (tests/system/test_web_edge.py checks the limit on its own page).
    env = {"DATABASE_URL": f"sqlite:///{folder / 'offer.db'}",
           "TRACKER_DATABASE_URL": f"sqlite:///{folder / 'conversations.db'}",
           "CHAT_RATE_BURST": "100000", "CHAT_RATE_PER_MINUTE": "100000", **env}
    with patch.dict(os.environ, env):
        try:
            start_bot(settings, servers)
            chat = make_chat_server(settings, load_offer(OFFER_DIR), retention_days=30)
            serve_in_background(chat)
            try:
                yield settings, servers
            finally:
                chat.shutdown()
                chat.server_close()
        finally:
            servers.stop()
