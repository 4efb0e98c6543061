"""Every action answers something: a failure gets a kind message with a contact, never silence."""

from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.offer_access import current_offer
from bot.answers import action_failed_text
from bot.facts import NOT_SURE
from bot.offer import Offer
from bot.places import PlaceAnswer

log = logging.getLogger(__name__)


class SafeAction(Action):
    """Runs `act`; on any error, says sorry and gives the leaving care team's contact."""

    action_name = ""

    def name(self) -> str:
        return self.action_name

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[str, Any]) -> List[Dict[str, Any]]:
        try:
            return self.act(dispatcher, tracker, current_offer())
        except Exception:  # noqa: BLE001 - the person must always get an answer
            log.exception("Action %s failed", self.name())
            dispatcher.utter_message(text=action_failed_text(offer_or_none()))
            return []

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, offer: Offer) -> List[Dict[str, Any]]:
        raise NotImplementedError


def offer_or_none() -> Optional[Offer]:
    try:
        return current_offer()
    except Exception:  # noqa: BLE001 - already failing; fall back to wording without contacts
        return None


def facts_from_tracker(tracker: Tracker, offer: Offer) -> Dict[str, Any]:
    """The eligibility facts held in slots; a value that does not make sense counts as unknown."""
    facts: Dict[str, Any] = {}
    for name in offer.catalogue.facts:
        value = tracker.get_slot(name)
        if value is None:
            continue
        if value == NOT_SURE:
            facts[name] = NOT_SURE
            continue
        try:
            facts[name] = offer.catalogue.normalise(name, value)
        except ValueError:
            continue
    place = tracker.get_slot("place")
    if place and facts.get("lives_in_peterborough") not in (None, NOT_SURE):
        facts["place"] = place
    return facts


def place_slots(answer: PlaceAnswer) -> Dict[str, Any]:
    """The slots a settled place answer fills, clearing any left from an earlier place."""
    facts = answer.facts()
    return {"where_you_live": answer.place, "place": facts.get("place"),
            "lives_in_peterborough": facts["lives_in_peterborough"],
            "lives_in_cambridgeshire_or_peterborough": facts.get("lives_in_cambridgeshire_or_peterborough")}
