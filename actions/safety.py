"""Crisis and hand-off: numbers read straight from contacts.yml, so they work even if the database does not."""

from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List

import yaml
from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.answers import load_wording
from bot.settings import offer_dir

HANDOFF_BUTTON = {"title": "Talk to a person", "payload": "/human_handoff"}
log = logging.getLogger(__name__)


def contact_reply(section: str) -> str:
    """The crisis or hand-off message. Reads contacts.yml directly: no database, no validation step to fail."""
    path = offer_dir() / "contacts.yml"
    contacts = _read_contacts(path, path.stat().st_mtime_ns)
    wording = load_wording()[section]
    lines = [wording["intro"]]
    for contact_id, template in wording["lines"].items():
        contact = contacts[contact_id]
        lines.append(template.format(phone=contact.get("phone", ""), email=contact.get("email", "")))
    return "\n".join(lines)


@lru_cache(maxsize=2)
def _read_contacts(path: Path, modified_ns: int) -> Dict[str, Any]:
    """Parsed once per version of the file: an edit to contacts.yml is used at the next message."""
    return yaml.safe_load(path.read_text(encoding="utf-8"))["contacts"]


class _ContactReplyAction(Action):
    """Sends one contacts reply; if it cannot be built, a fallback line, never silence."""

    action_name = ""
    section = ""
    buttons: List[Dict[str, str]] = []

    def name(self) -> str:
        return self.action_name

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[str, Any]) -> List[Dict[str, Any]]:
        try:
            text = contact_reply(self.section)
        except Exception:  # noqa: BLE001 - always answer
            log.exception("The %s reply could not be built", self.section)
            text = self.fallback_text()
        dispatcher.utter_message(text=text, buttons=self.buttons)
        return []

    def fallback_text(self) -> str:
        raise NotImplementedError


class ActionCrisis(_ContactReplyAction):
    action_name = "action_crisis"
    section = "crisis"
    buttons = [HANDOFF_BUTTON]

    def fallback_text(self) -> str:
        return load_wording()["crisis"]["fallback"]


class ActionHandOff(_ContactReplyAction):
    action_name = "action_hand_off"
    section = "hand_off"

    def fallback_text(self) -> str:
        return load_wording()["action_failed_no_contact"]
