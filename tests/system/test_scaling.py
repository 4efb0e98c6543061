"""Two Rasa servers behind one address share conversations: PostgreSQL keeps them, Redis locks them.

One person's messages go alternately to each server, some at the same moment; afterwards the
conversation store holds every message exactly once and the answers are the ones one server gives.
"""

from __future__ import annotations

import json
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from typing import Any, Dict, List

import pytest
from sqlalchemy import create_engine, text

from bot.launcher import Servers, child_environment, rasa_command, start_bot, with_secrets
from bot.settings import ServerSettings, server_settings
from tests.services import free_port, new_postgres_database, redis_server
from tests.system.test_servers import call


def say(settings: ServerSettings, sender: str, message: str) -> List[Dict[str, Any]]:
    status, _, replies = call(f"{settings.rasa_url}/webhooks/rest/webhook", {"sender": sender, "message": message})
    assert status == 200
    return replies


@pytest.fixture(scope="module")
def two_instances(postgres_url, tmp_path_factory):
    database = new_postgres_database(postgres_url)
    log_dir = tmp_path_factory.mktemp("two-instances")
    with redis_server() as redis_url:
        first = with_secrets(replace(server_settings(), rasa_port=free_port(), action_port=free_port(),
                                     chat_port=free_port()))
        second = replace(first, rasa_port=free_port())
        servers = Servers(log_dir)
        env = {"DATABASE_URL": database, "TRACKER_DATABASE_URL": database, "LOCK_STORE_URL": redis_url}
        with pytest.MonkeyPatch.context() as patch:
            for name, value in env.items():
                patch.setenv(name, value)
            try:
                start_bot(first, servers)
                servers.start("rasa-server-2", rasa_command(second), child_environment(second))
                servers.wait_until_up("rasa-server-2", f"{second.rasa_url}/")
                yield first, second, database
            finally:
                servers.stop()


def stored_user_texts(database: str, sender: str) -> List[str]:
    engine = create_engine(database, future=True)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT data FROM events WHERE sender_id = :sender AND type_name = 'user' "
                                 "ORDER BY id"), {"sender": sender}).scalars().all()
    engine.dispose()
    return [json.loads(row)["text"] for row in rows]


def test_alternating_servers_carry_one_conversation(two_instances):
    first, second, database = two_instances
    sender = uuid.uuid4().hex
    messages = ["hi", "can I get help with council tax", "19", "I live in Orton"]
    replies = [say((first, second)[i % 2], sender, message) for i, message in enumerate(messages)]
    assert "how old are you?" in replies[1][-1]["text"]
    assert "where do you live?" in replies[2][-1]["text"]
    answer = replies[3][0]["text"]
    assert "you can get Council tax discount" in answer
    assert stored_user_texts(database, sender) == messages


def test_messages_at_the_same_moment_are_neither_lost_nor_doubled(two_instances):
    first, second, database = two_instances
    sender = uuid.uuid4().hex
    messages = [f"hello {n}" for n in range(40)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        replies = list(pool.map(lambda pair: say((first, second)[pair[0] % 2], sender, pair[1]),
                                enumerate(messages)))
    assert all(reply for reply in replies)
    stored = stored_user_texts(database, sender)
    assert sorted(stored) == sorted(messages)
