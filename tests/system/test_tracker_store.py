"""The conversation store reads its database from one URL setting, and really stores conversations."""

from __future__ import annotations

import asyncio

import pytest
from rasa.core.tracker_store import TrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import read_endpoint_config

from bot.settings import PROJECT_ROOT, tracker_database_url
from components.tracker_store import EnvSQLTrackerStore
from tests.services import new_postgres_database


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_endpoints_file_builds_the_store_from_the_url_setting(database, tmp_path, monkeypatch, request):
    if database == "sqlite":
        url = f"sqlite:///{tmp_path / 'conversations.db'}"
    else:
        url = new_postgres_database(request.getfixturevalue("postgres_url"))
    monkeypatch.setenv("TRACKER_DATABASE_URL", url)
    domain = Domain.load(str(PROJECT_ROOT / "domain.yml"))
    config = read_endpoint_config(str(PROJECT_ROOT / "endpoints.yml"), "tracker_store")
    store = TrackerStore.create(config, domain)
    inner = getattr(store, "_tracker_store", store)
    assert isinstance(inner, EnvSQLTrackerStore)

    tracker = DialogueStateTracker.from_events(
        "someone", [UserUttered("hi"), SlotSet("conversation", {"facts": {"age": 19}})])
    loop = asyncio.new_event_loop()
    loop.run_until_complete(store.save(tracker))
    again = loop.run_until_complete(store.retrieve("someone"))
    assert again.get_slot("conversation") == {"facts": {"age": 19}}
    assert [event.text for event in again.events if isinstance(event, UserUttered)] == ["hi"]
    assert inner.engine.url.get_backend_name() == database


def test_a_postgresql_database_url_is_shared_by_the_conversation_store(monkeypatch):
    monkeypatch.delenv("TRACKER_DATABASE_URL", raising=False)
    monkeypatch.setenv("DATABASE_URL", "postgresql://bot:secret@db.local:5432/offer")
    assert tracker_database_url() == "postgresql://bot:secret@db.local:5432/offer"
    monkeypatch.setenv("DATABASE_URL", "sqlite:///somewhere/offer.db")
    assert tracker_database_url().endswith("var/conversations.db")
