"""Shared fixtures: the real offer files, read once per test session; and the tier of every test.

Tiers, by folder: tests/content (the offer, rules, places, crisis words and wording: data only, seconds),
tests/unit (the Python parts in process, no model or servers), tests/system (the trained model, the real
servers, the browser, PostgreSQL and Redis). `pytest -m content` runs one tier.
"""

from __future__ import annotations

import os
import shutil
from typing import Any, Dict, Mapping

import pytest

from bot.offer.loader import Offer, load_offer
from bot.offer.places import PlaceResolver
from bot.settings import OFFER_DIR

# endpoints.yml takes these from the environment, as `make run` sets them.
os.environ.setdefault("ACTION_SERVER_URL", "http://127.0.0.1:5055")
os.environ.setdefault("ACTION_SERVER_SECRET", "")


TIERS = ("content", "unit", "system")


def pytest_collection_modifyitems(items) -> None:
    for item in items:
        for tier in TIERS:
            if f"/tests/{tier}/" in str(item.fspath):
                item.add_marker(getattr(pytest.mark, tier))


@pytest.fixture(scope="session")
def offer() -> Offer:
    return load_offer(OFFER_DIR)


@pytest.fixture(scope="session")
def resolver(offer: Offer) -> PlaceResolver:
    return PlaceResolver(offer.places)


def facts_for(offer: Offer, raw: Mapping[str, Any]) -> Dict[str, Any]:
    """Facts as a person would give them: `lives_in` goes through the place resolver."""
    facts: Dict[str, Any] = {}
    for name, value in raw.items():
        if name == "lives_in":
            facts.update(PlaceResolver(offer.places).resolve(value).facts())
        else:
            facts[name] = offer.catalogue.normalise(name, value)
    return facts


@pytest.fixture(scope="session")
def live_bot_database(tmp_path_factory) -> str:
    """The offer database of the live bot, where the chat page also keeps feedback."""
    return f"sqlite:///{tmp_path_factory.mktemp('live-bot-db') / 'offer.db'}"


@pytest.fixture(scope="session")
def live_bot(tmp_path_factory, live_bot_database):
    """The real servers, as `make run` starts them, on free ports with their own SQLite files."""
    from tests.services import running_bot

    with running_bot(tmp_path_factory.mktemp("live-bot"), DATABASE_URL=live_bot_database) as running:
        yield running


@pytest.fixture(scope="session")
def postgres_url():
    """A real PostgreSQL server (Debian's package) on a free local port, for the whole test session."""
    from tests.services import postgres_server

    with postgres_server() as url:
        yield url


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
QUIET_CHROMIUM = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium, driven by Playwright (never a downloaded browser). Module-scoped: Playwright's
    own event loop must be closed before the in-process conversation tests run theirs."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=QUIET_CHROMIUM)
        yield chromium
        chromium.close()


@pytest.fixture()
def phone(browser, live_bot):
    settings, _ = live_bot
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(f"{settings.chat_origin}/")
    page.get_by_text("What would you like to know?").wait_for()
    yield page
    context.close()
