"""Crisis and hand-off: numbers read straight from contacts.yml, so they work even if the database does not."""

from __future__ import annotations

import logging
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
    contacts = yaml.safe_load((offer_dir() / "contacts.yml").read_text(encoding="utf-8"))["contacts"]
    wording = load_wording()[section]
    lines = [wording["intro"]]
    for contact_id, template in wording["lines"].items():
        contact = contacts[contact_id]
        lines.append(template.format(phone=contact.get("phone", ""), email=contact.get("email", "")))
    return "\n".join(lines)


class ActionCrisis(Action):
    def name(self) -> str:
        return "action_crisis"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[str, Any]) -> List[Dict[str, Any]]:
        try:
            dispatcher.utter_message(text=contact_reply("crisis"), buttons=[HANDOFF_BUTTON])
        except Exception:  # noqa: BLE001 - a crisis must never get silence
            log.exception("The crisis reply could not be built")
            dispatcher.utter_message(text=load_wording()["crisis"]["fallback"], buttons=[HANDOFF_BUTTON])
        return []


class ActionHandOff(Action):
    def name(self) -> str:
        return "action_hand_off"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[str, Any]) -> List[Dict[str, Any]]:
        try:
            dispatcher.utter_message(text=contact_reply("hand_off"))
        except Exception:  # noqa: BLE001 - always answer
            log.exception("The hand-off reply could not be built")
            dispatcher.utter_message(text=load_wording()["action_failed_no_contact"])
        return []
