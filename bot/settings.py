"""Settings from the environment and `.env`, with safe defaults for one machine."""

from __future__ import annotations

import os
from pathlib import Path

from dotenv import load_dotenv

PROJECT_ROOT = Path(__file__).resolve().parent.parent
OFFER_DIR = PROJECT_ROOT / "data" / "offer"

load_dotenv(PROJECT_ROOT / ".env")


def database_url() -> str:
    """DATABASE_URL, or an SQLite file under var/ so a fresh clone works with no set-up."""
    return os.environ.get("DATABASE_URL") or f"sqlite:///{PROJECT_ROOT / 'var' / 'offer.db'}"


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
    return f"sqlite:///{PROJECT_ROOT / 'var' / 'conversations.db'}"
