"""Shared fixtures: the real offer files, read once per test session."""

from __future__ import annotations

import os
from typing import Any, Dict, Mapping

import pytest

from bot.offer import Offer, load_offer
from bot.places import PlaceResolver
from bot.settings import OFFER_DIR

# endpoints.yml takes these from the environment, as `make run` sets them.
os.environ.setdefault("ACTION_SERVER_URL", "http://127.0.0.1:5055")
os.environ.setdefault("ACTION_SERVER_SECRET", "")


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
def live_bot(tmp_path_factory):
    """The real servers, as `make run` starts them, on free ports with their own SQLite files."""
    from tests.services import running_bot

    base = tmp_path_factory.mktemp("live-bot")
    with running_bot(base / "log", DATABASE_URL=f"sqlite:///{base / 'offer.db'}",
                     TRACKER_DATABASE_URL=f"sqlite:///{base / 'conversations.db'}") as running:
        yield running


@pytest.fixture(scope="session")
def postgres_url():
    """A real PostgreSQL server (Debian's package) on a free local port, for the whole test session."""
    from tests.services import postgres_server

    with postgres_server() as url:
        yield url
