"""The offer database, on a real SQLite file and a real PostgreSQL server: loaded, read back, reloaded
and protected from bad files, by the same code."""

from __future__ import annotations

import shutil
from datetime import datetime, timezone
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from bot.offer.eligibility import check_offer
from bot.offer.loader import OfferInvalid
from bot.settings import OFFER_DIR
from bot.storage.database import DatabaseUnavailable, make_engine
from bot.storage.offer_store import OfferStore, entries, offer_loads
from bot.storage.retention import delete_old_conversations
from tests.services import new_postgres_database


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request, tmp_path: Path) -> OfferStore:
    if request.param == "sqlite":
        return OfferStore(make_engine(f"sqlite:///{tmp_path / 'offer.db'}"))
    return OfferStore(make_engine(new_postgres_database(request.getfixturevalue("postgres_url"))))


@pytest.fixture()
def offer_copy(tmp_path: Path) -> Path:
    root = tmp_path / "offer"
    shutil.copytree(OFFER_DIR, root)
    return root


def count(store: OfferStore, table) -> int:
    with store.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


def test_round_trip_gives_the_same_answers(store, offer):
    assert store.save(offer) is True
    stored = store.read()
    assert list(stored.entries) == list(offer.entries)
    assert stored.contacts == offer.contacts and stored.catalogue == offer.catalogue
    facts = {"age": 19, "lives_in_peterborough": True, "place": "Orton"}
    before = [(r.entry.id, r.status, r.reasons) for r in check_offer(offer, facts)]
    after = [(r.entry.id, r.status, r.reasons) for r in check_offer(stored, facts)]
    assert after == before


def test_loading_twice_changes_nothing(store, offer):
    store.save(offer)
    assert store.save(offer) is False
    assert count(store, offer_loads) == 1
    assert count(store, entries) == len(offer.entries)


def test_refresh_loads_changed_files(store, offer_copy):
    first = store.refresh(offer_copy)
    assert first.loaded
    path = offer_copy / "entitlements/leisure-pass.yml"
    path.write_text(path.read_text().replace("title: Free gym and leisure pass (Vivacity)",
                                             "title: Free gym pass (Vivacity)"))
    second = store.refresh(offer_copy)
    assert second.loaded and second.offer.entries["leisure-pass"].title == "Free gym pass (Vivacity)"
    assert store.read().entries["leisure-pass"].title == "Free gym pass (Vivacity)"


def test_a_bad_file_changes_nothing_stored(store, offer_copy):
    store.refresh(offer_copy)
    stored_before = store.stored_hash()
    path = offer_copy / "entitlements/council-tax-discount.yml"
    path.write_text(path.read_text().replace("age: {at_least: 18, under: 25}", "age: {at_least: eighteen}"))
    result = store.refresh(offer_copy)
    assert not result.loaded and result.errors
    assert result.offer.entries["council-tax-discount"].title == "Council tax discount"
    assert store.stored_hash() == stored_before
    assert count(store, entries) == len(result.offer.entries)


def test_bad_files_and_an_empty_database_raise_the_content_errors(store, offer_copy):
    (offer_copy / "contacts.yml").write_text("contacts: [")
    with pytest.raises(OfferInvalid) as raised:
        store.refresh(offer_copy)
    assert raised.value.errors[0].file.endswith("contacts.yml")


def test_an_unreadable_database_names_the_setting_to_fix(tmp_path):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where a folder should be")
    with pytest.raises(DatabaseUnavailable) as raised:
        OfferStore(make_engine(f"sqlite:///{blocked / 'offer.db'}"))
    assert "DATABASE_URL" in str(raised.value)


def test_an_unreachable_postgresql_server_names_the_setting_to_fix():
    from tests.services import free_port

    with pytest.raises(DatabaseUnavailable) as raised:
        OfferStore(make_engine(f"postgresql://bot@127.0.0.1:{free_port()}/offer"))
    assert "DATABASE_URL" in str(raised.value) and "127.0.0.1" in str(raised.value)


def test_old_conversations_are_deleted_and_recent_ones_kept(store):
    url = store.engine.url.render_as_string(hide_password=False)
    assert delete_old_conversations(url, 30) == 0
    now = datetime.now(timezone.utc).timestamp()
    with store.engine.begin() as conn:
        conn.execute(text("CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id VARCHAR(255), timestamp FLOAT)"))
        conn.execute(text("INSERT INTO events VALUES (1, 'old', :old), (2, 'recent', :recent)"),
                     {"old": now - 31 * 86_400, "recent": now - 29 * 86_400})
    assert delete_old_conversations(url, 30) == 1
    with store.engine.connect() as conn:
        assert conn.execute(text("SELECT sender_id FROM events")).scalars().all() == ["recent"]
