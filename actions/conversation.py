"""Actions that answer about the offer: pick the topic, answer it, show one entitlement, update facts."""

from __future__ import annotations

import re
from typing import Any, Dict, List

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.base import SafeAction, facts_from_tracker, place_slots
from bot.answers import EVERYTHING, entitlement_reply, load_wording, topic_replies
from bot.eligibility import check_entry
from bot.offer import Offer
from bot.places import NOT_SURE as PLACE_NOT_SURE
from bot.places import PlaceResolver
from bot.understanding import find_age_number, notice_facts

TOPIC_PREFIX = "topic_"
LIVES_WORDS = re.compile(r"\b(live|living|lives|stay|staying|moved|from)\b", re.IGNORECASE)


def topic_for_intent(intent: str) -> str:
    """'topic_council_tax' -> 'council-tax'; 'ask_entitlements' -> everything."""
    if intent.startswith(TOPIC_PREFIX):
        return intent[len(TOPIC_PREFIX):].replace("_", "-")
    return EVERYTHING


def noticed_slot_events(text: str, offer: Offer, correcting: bool = False) -> List[Dict[str, Any]]:
    """Slots for the facts someone mentioned, so we never ask for them again.

    When someone is correcting a fact ("actually 22", "I moved to Bretton"), a bare age or place counts;
    otherwise only an age or place said in so many words ("I'm 19", "I live in Orton").
    """
    facts = notice_facts(text, offer.catalogue)
    if correcting and "age" not in facts:
        number = find_age_number(text)
        if number is not None:
            try:
                facts["age"] = offer.catalogue.normalise("age", number)
            except ValueError:
                pass
    events = [SlotSet(name, value) for name, value in facts.items()]
    if correcting or LIVES_WORDS.search(text or ""):
        answer = PlaceResolver(offer.places).resolve(text)
        if answer.status != PLACE_NOT_SURE:
            events += [SlotSet(name, value) for name, value in place_slots(answer).items()]
    return events


class ActionSetTopic(SafeAction):
    action_name = "action_set_topic"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, offer: Offer) -> List[Dict[str, Any]]:
        topic = topic_for_intent(tracker.latest_message.get("intent", {}).get("name") or "")
        if topic != EVERYTHING and topic not in offer.topics:
            topic = EVERYTHING
        noticed = noticed_slot_events(tracker.latest_message.get("text") or "", offer)
        return [SlotSet("topic", topic), SlotSet("questions_asked", [])] + noticed


class ActionAnswerTopic(SafeAction):
    action_name = "action_answer_topic"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, offer: Offer) -> List[Dict[str, Any]]:
        topic = tracker.get_slot("topic")
        wording = load_wording()
        if not topic:
            dispatcher.utter_message(text=wording["no_topic_yet"], buttons=main_topic_buttons(offer))
            return []
        facts = facts_from_tracker(tracker, offer)
        if tracker.latest_message.get("intent", {}).get("name") == "not_sure":
            dispatcher.utter_message(text=wording["not_sure_noted"])
        for reply in topic_replies(offer, topic, facts):
            dispatcher.utter_message(text=reply.text, buttons=list(reply.buttons))
        return []


class ActionShowEntitlement(SafeAction):
    action_name = "action_show_entitlement"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, offer: Offer) -> List[Dict[str, Any]]:
        wanted = next(tracker.get_latest_entity_values("entitlement"), None) or tracker.get_slot("entitlement")
        if wanted not in offer.entries:
            dispatcher.utter_message(response="utter_default")
            return []
        reply = entitlement_reply(offer, check_entry(offer, wanted, facts_from_tracker(tracker, offer)))
        dispatcher.utter_message(text=reply.text, buttons=list(reply.buttons))
        return [SlotSet("entitlement", wanted)]


class ActionUpdateFacts(SafeAction):
    """'Actually I'm 22' or 'I moved to Bretton': change the fact, then the topic is answered again."""

    action_name = "action_update_facts"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, offer: Offer) -> List[Dict[str, Any]]:
        events = noticed_slot_events(tracker.latest_message.get("text") or "", offer, correcting=True)
        if events:
            dispatcher.utter_message(text=load_wording()["fact_changed"])
        return events


def main_topic_buttons(offer: Offer) -> List[Dict[str, str]]:
    ids = load_wording()["main_topics"]
    return [{"title": offer.topics[key].title, "payload": f"/{TOPIC_PREFIX}{key.replace('-', '_')}"}
            for key in ids if key in offer.topics]
