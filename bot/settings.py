"""Settings from the environment and `.env`, with safe defaults for one machine."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Tuple

from dotenv import load_dotenv

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_ROOT / "data"
OFFER_DIR = DATA_DIR / "offer"
WORDING_DIR = DATA_DIR / "wording"
SAFETY_DIR = DATA_DIR / "safety"
MODEL_PATH = PROJECT_ROOT / "models" / "local-offer.tar.gz"
VAR_DIR = PROJECT_ROOT / "var"
LOG_DIR = VAR_DIR / "log"
FEEDBACK_DIR = VAR_DIR / "feedback"
DOCS_DIR = PROJECT_ROOT / "docs"
STATIC_DIR = Path(__file__).resolve().parent / "web" / "static"
DEFAULT_EXIT_URL = "https://www.bbc.co.uk/weather"

load_dotenv(PROJECT_ROOT / ".env")


def database_url() -> str:
    """DATABASE_URL, or an SQLite file under var/ so a fresh clone works with no set-up."""
    return os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'offer.db'}"


def offer_dir() -> Path:
    """OFFER_DIR lets tests and reviewers point at another copy of the offer files."""
    return Path(os.environ.get("OFFER_DIR") or OFFER_DIR)


def tracker_database_url() -> str:
    """Where Rasa keeps conversations: TRACKER_DATABASE_URL, else a PostgreSQL DATABASE_URL, else SQLite in var/."""
    explicit = os.environ.get("TRACKER_DATABASE_URL")
    if explicit:
        return explicit
    shared = os.environ.get("DATABASE_URL", "")
    if shared and not shared.startswith("sqlite"):
        return shared
    return f"sqlite:///{VAR_DIR / 'conversations.db'}"


def lock_store_url() -> str:
    """LOCK_STORE_URL (redis://host:port/db) lets several Rasa servers share conversation locks; empty: one server."""
    return os.environ.get("LOCK_STORE_URL", "")


def conversation_retention_days() -> int:
    """How long Rasa keeps what people typed: CONVERSATION_RETENTION_DAYS, 30 days by default."""
    return _whole_number("CONVERSATION_RETENTION_DAYS", 30, 1, 3650)


def feedback_retention_days() -> int:
    """How long feedback, unanswered questions and crisis counts are kept: FEEDBACK_RETENTION_DAYS, else as
    long as conversations."""
    return _whole_number("FEEDBACK_RETENTION_DAYS", conversation_retention_days(), 1, 3650)


def log_retention_days() -> int:
    """How long the servers' log files are kept: LOG_RETENTION_DAYS, else as long as conversations."""
    return _whole_number("LOG_RETENTION_DAYS", conversation_retention_days(), 1, 3650)


def chat_rate_limit() -> Tuple[int, int]:
    """(burst, per minute) for each address posting to the chat page: CHAT_RATE_BURST and CHAT_RATE_PER_MINUTE.

    Raise them when many people share one address (a college network, or a proxy that does not pass
    on each person's address)."""
    return (_whole_number("CHAT_RATE_BURST", 30, 1, 1_000_000),
            _whole_number("CHAT_RATE_PER_MINUTE", 60, 1, 1_000_000))


@dataclass(frozen=True)
class ServerSettings:
    """Where each server listens and the secrets between them; every value can be set in `.env`."""

    rasa_host: str
    rasa_port: int
    action_host: str
    action_port: int
    chat_host: str
    chat_port: int
    rasa_auth_token: str
    action_server_secret: str
    exit_url: str

    @property
    def rasa_url(self) -> str:
        return f"http://{self.rasa_host}:{self.rasa_port}"

    @property
    def action_url(self) -> str:
        return f"http://{self.action_host}:{self.action_port}"

    @property
    def chat_origin(self) -> str:
        return f"http://{_reachable(self.chat_host)}:{self.chat_port}"


def server_settings() -> ServerSettings:
    """Every server on 127.0.0.1 unless `.env` says otherwise; secrets stay empty until set or generated."""
    return ServerSettings(
        rasa_host=os.environ.get("RASA_HOST", "127.0.0.1"),
        rasa_port=_port("RASA_PORT", 5005),
        action_host=os.environ.get("ACTION_SERVER_HOST", "127.0.0.1"),
        action_port=_port("ACTION_SERVER_PORT", 5055),
        chat_host=os.environ.get("CHAT_HOST", "127.0.0.1"),
        chat_port=_port("CHAT_PORT", 8080),
        rasa_auth_token=os.environ.get("RASA_AUTH_TOKEN", ""),
        action_server_secret=os.environ.get("ACTION_SERVER_SECRET", ""),
        exit_url=os.environ.get("EXIT_URL") or DEFAULT_EXIT_URL,
    )


class SettingInvalid(ValueError):
    """A setting in `.env` cannot be used; the message names it."""


def _port(name: str, default: int) -> int:
    return _whole_number(name, default, 1, 65535)


def _whole_number(name: str, default: int, lowest: int, highest: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or not lowest <= int(raw) <= highest:
        raise SettingInvalid(f"{name}={raw!r} should be a whole number from {lowest} to {highest}. Fix it in .env.")
    return int(raw)


def _reachable(host: str) -> str:
    """A server listening on every address is opened through 127.0.0.1 on this machine."""
    return "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
