"""When a part fails: the action server stops, a database cannot be reached, an offer file is broken.
The person always gets a kind answer with a contact, and whoever runs it is told what to fix."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid

import pytest

from bot.launcher import start_action_server
from bot.settings import OFFER_DIR, PROJECT_ROOT
from tests.services import free_port, running_bot
from tests.system.test_servers import chat


@pytest.fixture(scope="module")
def own_bot(tmp_path_factory):
    """A bot of this module's own, since these tests stop its parts."""
    with running_bot(tmp_path_factory.mktemp("faults")) as running:
        yield running


def test_action_server_down_gives_sorry_with_contacts_then_recovers(own_bot, offer):
    settings, servers = own_bot
    sender = uuid.uuid4().hex
    assert "talk to a real person" in chat(settings, sender, "can I talk to a real person")[0]["text"]

    servers.processes["action-server"].terminate()
    servers.processes["action-server"].wait(timeout=15)
    down = chat(settings, sender, "can I talk to a real person")
    assert len(down) == 1 and down[0]["text"].startswith("Sorry")
    assert offer.contacts["leaving-care-team"].email in down[0]["text"]
    assert offer.contacts["emergency-duty-team"].phone in down[0]["text"]

    start_action_server(settings, servers)
    back = chat(settings, sender, "can I talk to a real person")
    assert "talk to a real person" in back[0]["text"]


def run_bot_command(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bot", *args], cwd=PROJECT_ROOT, capture_output=True, text=True,
                          timeout=120, env={**os.environ, **env})


def test_an_unreachable_offer_database_stops_start_up_naming_the_setting():
    result = run_bot_command("serve", DATABASE_URL=f"postgresql://bot@127.0.0.1:{free_port()}/offer")
    assert result.returncode == 1
    assert "DATABASE_URL" in result.stderr and "Traceback" not in result.stderr


def test_an_unusable_conversation_database_stops_start_up_naming_the_setting(tmp_path):
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    result = run_bot_command("serve", DATABASE_URL=f"sqlite:///{tmp_path / 'offer.db'}",
                             TRACKER_DATABASE_URL=f"sqlite:///{blocked / 'conversations.db'}")
    assert result.returncode == 1
    assert "TRACKER_DATABASE_URL" in result.stderr and "Traceback" not in result.stderr


def test_a_broken_offer_file_is_named_with_its_line_and_the_old_offer_keeps_answering(tmp_path):
    offer_copy = tmp_path / "offer"
    shutil.copytree(OFFER_DIR, offer_copy)
    database = f"sqlite:///{tmp_path / 'offer.db'}"
    assert run_bot_command("load", DATABASE_URL=database, OFFER_DIR=str(offer_copy)).returncode == 0
    (offer_copy / "contacts.yml").write_text("contacts:\n  leaving-care-team: [\n", encoding="utf-8")

    result = run_bot_command("check", "--age", "19", "--lives-in", "Orton", "--only", "council-tax-discount",
                             DATABASE_URL=database, OFFER_DIR=str(offer_copy))
    assert result.returncode == 0
    assert "contacts.yml:3" in result.stderr and "offer loaded before" in result.stderr
    assert "Council tax discount" in result.stdout
