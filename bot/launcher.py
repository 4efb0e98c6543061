"""`python -m bot serve`: start the action server, the Rasa server and the chat page, and stop them together.

Everything listens on 127.0.0.1 unless `.env` says otherwise. Secrets that `.env` does not set are
made fresh for this run, so the Rasa HTTP API and the action server are never open without one.
"""

from __future__ import annotations

import ctypes
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import replace
from pathlib import Path
from typing import Dict, List, Optional

from bot.log_files import DailyLog, delete_old_logs, pump_output
from bot.offer.loader import Offer
from bot.settings import (
    LOG_DIR,
    MODEL_PATH,
    PROJECT_ROOT,
    ServerSettings,
    conversation_retention_days,
    feedback_retention_days,
    log_retention_days,
    server_settings,
    tracker_database_url,
)
from bot.storage.feedback_store import FeedbackStore
from bot.storage.retention import delete_old_conversations
from bot.web.chat_server import make_chat_server, serve_in_background

BIN = Path(sys.executable).parent
START_TIMEOUT_SECONDS = 180
STOP_DEADLINE_SECONDS = 5
PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
FORGET_EVERY_SECONDS = 86_400
TOKEN_VARIABLE = "RASA_AUTH_TOKEN"  # read by components/rasa_server.py


class StartFailed(RuntimeError):
    """A server could not start; the message says which and what to look at."""


class Servers:
    """The child processes of one run, stopped together whatever happens."""

    def __init__(self, log_dir: Path = LOG_DIR) -> None:
        self.processes: Dict[str, subprocess.Popen] = {}
        self.log_dir = log_dir

    def log_of(self, name: str) -> Path:
        return self.log_dir / f"{name}.log"

    def start(self, name: str, command: List[str], env: Dict[str, str]) -> subprocess.Popen:
        """Start one server; its output goes to its daily log (bot/log_files.py)."""
        process = subprocess.Popen(command, cwd=PROJECT_ROOT, env=env, stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, start_new_session=True, preexec_fn=_die_with_parent)
        pump_output(process.stdout, DailyLog(self.log_dir, name, log_retention_days()))
        self.processes[name] = process
        return process

    def wait_until_up(self, name: str, url: str, timeout: float = START_TIMEOUT_SECONDS) -> None:
        process = self.processes[name]
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise StartFailed(f"The {name} stopped while starting. See {self.log_of(name)}.")
            if answers(url):
                return
            time.sleep(0.5)
        raise StartFailed(f"The {name} did not start within {timeout:.0f} s. See {self.log_of(name)}.")

    def stop(self) -> None:
        """SIGTERM to every server's process group at once, then SIGKILL to any still there after one deadline."""
        for process in self.processes.values():
            _signal_group(process, signal.SIGTERM)
        deadline = time.monotonic() + STOP_DEADLINE_SECONDS
        for process in self.processes.values():
            try:
                process.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                _signal_group(process, signal.SIGKILL)
                process.wait()


def _signal_group(process: subprocess.Popen, sent: signal.Signals) -> None:
    try:
        os.killpg(process.pid, sent)
    except ProcessLookupError:
        pass


def _die_with_parent() -> None:
    """Runs in each child before it starts: the kernel stops it if the launcher dies, even by SIGKILL."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def with_secrets(settings: ServerSettings) -> ServerSettings:
    """Fill any secret `.env` leaves empty with a fresh random one for this run."""
    return replace(settings, rasa_auth_token=settings.rasa_auth_token or secrets.token_urlsafe(32),
                   action_server_secret=settings.action_server_secret or secrets.token_urlsafe(32))


def check_port_free(host: str, port: int, setting: str) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            raise StartFailed(f"Port {port} on {host} is already in use. Stop what uses it, or set {setting} "
                              "in .env.") from None


# Measured on 2 cores (docs/performance.md): one TensorFlow thread answers faster under load than a pool
# fighting for the cores; without oneDNN and with fewer malloc arenas the Rasa server stays under 0.8 GB.
# Sanic (under Rasa and the action server) waits 2 s, not 15, for open requests when asked to stop, so a
# stop finishes well inside the launcher's 5 s deadline. `.env` can override each.
SERVER_PROCESS_DEFAULTS = {"TF_NUM_INTEROP_THREADS": "1", "TF_NUM_INTRAOP_THREADS": "1", "OMP_NUM_THREADS": "1",
                       "TF_ENABLE_ONEDNN_OPTS": "0", "TF_CPP_MIN_LOG_LEVEL": "2", "MALLOC_ARENA_MAX": "2",
                       "MALLOC_TRIM_THRESHOLD_": "131072", "SANIC_GRACEFUL_SHUTDOWN_TIMEOUT": "2"}


def child_environment(settings: ServerSettings) -> Dict[str, str]:
    return {**SERVER_PROCESS_DEFAULTS, **os.environ, "ACTION_SERVER_URL": settings.action_url,
            "ACTION_SERVER_SECRET": settings.action_server_secret, "ACTION_SERVER_HOST": settings.action_host,
            "ACTION_SERVER_PORT": str(settings.action_port), "RASA_TELEMETRY_ENABLED": "false",
            "SQLALCHEMY_SILENCE_UBER_WARNING": "1", "PYTHONWARNINGS": "ignore"}


def rasa_command(settings: ServerSettings, model: Path = MODEL_PATH) -> List[str]:
    """`rasa run` through components/rasa_server.py, which takes the token from the environment, not from here."""
    return [str(BIN / "python"), "-m", "components.rasa_server", "--model", str(model), "--endpoints",
            "endpoints.yml", "--credentials", "credentials.yml", "--interface", settings.rasa_host, "--port",
            str(settings.rasa_port), "--enable-api", f"--cors={settings.chat_origin}"]


def rasa_environment(settings: ServerSettings) -> Dict[str, str]:
    return {**child_environment(settings), TOKEN_VARIABLE: settings.rasa_auth_token}


def start_action_server(settings: ServerSettings, servers: Servers) -> None:
    servers.start("action-server", [str(BIN / "python"), "-m", "actions.server"], child_environment(settings))
    servers.wait_until_up("action-server", f"{settings.action_url}/health")


def start_bot(settings: ServerSettings, servers: Servers, model: Path = MODEL_PATH) -> None:
    """The action server, then the Rasa server, each waited for; then one warm-up parse."""
    if not model.exists():
        raise StartFailed(f"There is no trained model at {model}. Run `make train` (or `make run`).")
    check_port_free(settings.action_host, settings.action_port, "ACTION_SERVER_PORT")
    check_port_free(settings.rasa_host, settings.rasa_port, "RASA_PORT")
    start_action_server(settings, servers)
    servers.start("rasa-server", rasa_command(settings, model), rasa_environment(settings))
    servers.wait_until_up("rasa-server", f"{settings.rasa_url}/")
    warm_up = urllib.request.Request(f"{settings.rasa_url}/model/parse?token={settings.rasa_auth_token}",
                                     data=json.dumps({"text": "hello"}).encode(),
                                     headers={"Content-Type": "application/json"})
    urllib.request.urlopen(warm_up, timeout=30).close()


def serve(offer: Offer, settings: Optional[ServerSettings] = None) -> int:
    """Start everything for this offer, print where to open the chat, and wait for Ctrl-C."""
    settings = with_secrets(settings or server_settings())
    signal.signal(signal.SIGTERM, _stop_on_terminate)
    signal.signal(signal.SIGINT, signal.default_int_handler)  # even if started with Ctrl-C ignored (a background job)
    started = time.monotonic()
    print(f"The local offer is loaded ({len(offer.entries)} entries). {forget_old_records()}")
    check_port_free(settings.chat_host, settings.chat_port, "CHAT_PORT")
    servers = Servers()
    try:
        print("Starting the action server and the Rasa server (about 15 seconds)...", flush=True)
        start_bot(settings, servers)
        chat = make_chat_server(settings, offer, conversation_retention_days())
        serve_in_background(chat)
        print(f"Ready in {time.monotonic() - started:.0f} s.\n")
        print(f"Open the chat: {settings.chat_origin}/")
        for address in local_network_addresses(settings.chat_host):
            print(f"On a phone on the same network: http://{address}:{settings.chat_port}/")
        print(f"Rasa server {settings.rasa_url} (HTTP API needs the token), action server {settings.action_url}.")
        print(f"Logs are in {LOG_DIR}. Press Ctrl-C to stop.", flush=True)
        last_forgotten = time.monotonic()
        while all(process.poll() is None for process in servers.processes.values()):
            time.sleep(1)
            if time.monotonic() - last_forgotten > FORGET_EVERY_SECONDS:
                forget_old_records()
                last_forgotten = time.monotonic()
        print("A server stopped unexpectedly; stopping the others. See the logs above.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nStopping...")
        return 0
    finally:
        servers.stop()


def forget_old_records() -> str:
    """Delete what is past its retention period: conversations, feedback and unanswered questions, and logs.

    Runs at start and once a day while serving; `python -m bot forget` runs it for a nightly job. Says
    how much went."""
    days = conversation_retention_days()
    events = delete_old_conversations(tracker_database_url(), days)
    feedback = FeedbackStore().delete_older_than(feedback_retention_days())
    logs = delete_old_logs(LOG_DIR, log_retention_days()) if LOG_DIR.exists() else 0
    return (f"Deleted {events} conversation event(s) older than {days} days, {feedback} feedback row(s) older "
            f"than {feedback_retention_days()} days and {logs} log file(s) older than {log_retention_days()} days.")


def _stop_on_terminate(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def local_network_addresses(host: str) -> List[str]:
    """The machine's own addresses, when the page listens on all of them (CHAT_HOST=0.0.0.0)."""
    if host not in ("0.0.0.0", "::"):
        return []
    try:
        infos = socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)
    except OSError:
        return []
    return sorted({info[4][0] for info in infos if not info[4][0].startswith("127.")})
