"""The one conversation action: a thin adapter from Rasa's tracker to `bot.conversation.engine`."""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import Any, Dict, List, Optional

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.offer_access import current_offer
from bot.conversation.answers import BUTTON_INTENT, action_failed_text
from bot.conversation.crisis_model import guess_or_none
from bot.conversation.engine import Conversation, Outcome, State, Turn, crisis_outcome
from bot.offer.loader import Offer
from bot.settings import database_url
from bot.storage.database import make_engine
from bot.storage.feedback_store import FeedbackStore

STATE_SLOT = "conversation"
log = logging.getLogger(__name__)
crisis_log = logging.getLogger("bot.crisis_shown")


def turn_from(message: Dict[str, Any]) -> Turn:
    """The message as the engine reads it; a tapped button's payload arrives as entities."""
    intent = message.get("intent") or {}
    name = intent.get("name") or ""
    pressed = None
    if name == BUTTON_INTENT:
        pressed = {entity["entity"]: str(entity["value"]) for entity in message.get("entities") or []}
    ranking = [entry.get("name") for entry in message.get("intent_ranking") or [] if entry.get("name") != name]
    return Turn(text=message.get("text") or "", intent=name, confidence=float(intent.get("confidence") or 0.0),
                button=pressed, runner_up=ranking[0] if ranking else "")


_conversations: Dict[str, Conversation] = {}


def conversation_for(offer: Offer) -> Conversation:
    """One Conversation per version of the offer: building its alias index takes a few milliseconds."""
    if offer.content_hash not in _conversations:
        _conversations.clear()
        _conversations[offer.content_hash] = Conversation(offer)
    return _conversations[offer.content_hash]


def _learn_the_models() -> None:
    """Learn the crisis and entry models as the server starts (a few seconds), not on someone's first message."""
    guess_or_none("learn the crisis model")
    try:
        conversation_for(current_offer()).entry_chances("learn the entry model")
    except Exception:  # noqa: BLE001 - the first message reads the offer again and says if it cannot
        log.warning("The offer could not be read as the server started")


_learn_the_models()


class ActionRespond(Action):
    """Answers every message; a crisis reply needs only the data files, and any failure says sorry with a contact."""

    def name(self) -> str:
        return "action_respond"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[str, Any]) -> List[Dict[str, Any]]:
        turn = turn_from(tracker.latest_message)
        state = State.from_slot(tracker.get_slot(STATE_SLOT))
        try:
            crisis = crisis_outcome(turn, state)
            outcome = self._after_a_crisis(crisis, state, turn) if crisis else self._respond(state, turn)
        except Exception:  # noqa: BLE001 - the person must always get an answer
            log.exception("Answering a message failed")
            dispatcher.utter_message(text=action_failed_text(_offer_or_none()))
            return []
        for reply in outcome.replies:
            dispatcher.utter_message(text=reply.text, buttons=list(reply.buttons))
        if outcome.crisis_kind:
            _count_crisis(outcome.crisis_kind)
        return [SlotSet(STATE_SLOT, outcome.state.to_slot())]

    @staticmethod
    def _after_a_crisis(crisis: Outcome, state: State, turn: Turn) -> Outcome:
        """The crisis reply, with the answer to a question asked beside a need; the crisis reply alone if the
        offer cannot be read."""
        try:
            return conversation_for(current_offer()).after_a_crisis(crisis, state, turn)
        except Exception:  # noqa: BLE001 - the crisis reply must go out whatever happens to the answer
            log.exception("Answering the question beside a crisis failed")
            return crisis

    @staticmethod
    def _respond(state: State, turn: Turn) -> Outcome:
        offer = current_offer()
        return conversation_for(offer).answer(state, turn)


def _count_crisis(kind: str) -> None:
    """Keep the kind and the day for the council's counts; the reply has already been given whatever happens."""
    crisis_log.info("crisis reply shown: %s", kind)
    try:
        _feedback_store(database_url()).add_crisis_shown(kind)
    except Exception:  # noqa: BLE001 - counting must never stop the crisis reply
        log.warning("A crisis reply could not be counted")


@lru_cache(maxsize=2)
def _feedback_store(url: str) -> FeedbackStore:
    """One store (and one connection pool) per database, not one per crisis reply."""
    return FeedbackStore(make_engine(url))


def _offer_or_none() -> Optional[Offer]:
    try:
        return current_offer()
    except Exception:  # noqa: BLE001 - already failing; fall back to wording without contacts
        return None
