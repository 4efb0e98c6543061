"""The facts form: asks only the questions that can still change an answer in the chosen topic."""

from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import ActiveLoop, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.base import facts_from_tracker, offer_or_none, place_slots
from actions.offer_access import current_offer
from bot.answers import action_failed_text, questions_to_ask
from bot.facts import NOT_SURE, FactValueError
from bot.places import NOT_SURE as PLACE_NOT_SURE
from bot.places import PlaceResolver
from bot.understanding import read_answer

PLACE_QUESTION = "where_you_live"
PLACE_FOLLOW_UP = "place_follow_up"
QUESTIONS_ASKED = "questions_asked"
NOT_SURE_BUTTON = {"title": "Not sure", "payload": "/not_sure"}
log = logging.getLogger(__name__)


class ValidateFactsForm(FormValidationAction):
    def name(self) -> str:
        return "validate_facts_form"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[Dict[str, Any]]:
        """On any error, stop the questions and say sorry with a contact, rather than going silent."""
        try:
            return await super().run(dispatcher, tracker, domain)
        except Exception:  # noqa: BLE001 - the person must always get an answer
            log.exception("Checking an answer failed")
            dispatcher.utter_message(text=action_failed_text(offer_or_none()))
            return [SlotSet("requested_slot", None), ActiveLoop(None)]

    async def required_slots(self, domain_slots: List[str], dispatcher: CollectingDispatcher,
                             tracker: Tracker, domain: DomainDict) -> List[str]:
        """The requested question (so its answer is always checked), then what still decides the topic."""
        offer = current_offer()
        topic = tracker.get_slot("topic")
        answered = tracker.get_slot(QUESTIONS_ASKED) or []
        needed = questions_to_ask(offer, topic, facts_from_tracker(tracker, offer), len(answered)) if topic else []
        requested = tracker.get_slot("requested_slot")
        if requested and requested not in needed:
            needed = [requested] + needed
        return needed

    def _read(self, question: str, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker) -> Dict[str, Any]:
        if value == NOT_SURE:
            return {question: NOT_SURE, **_answered(tracker, question)}
        try:
            value = read_answer(question, str(value), current_offer().catalogue)
            return {question: value, **_answered(tracker, question)}
        except FactValueError:
            dispatcher.utter_message(response="utter_age_not_understood" if question == "age"
                                     else "utter_answer_not_understood")
            return {question: None}

    def validate_age(self, value: Any, dispatcher, tracker, domain) -> Dict[str, Any]:
        return self._read("age", value, dispatcher, tracker)

    def validate_custody(self, value: Any, dispatcher, tracker, domain) -> Dict[str, Any]:
        return self._read("custody", value, dispatcher, tracker)

    def validate_activity(self, value: Any, dispatcher, tracker, domain) -> Dict[str, Any]:
        return self._read("activity", value, dispatcher, tracker)

    def validate_parent(self, value: Any, dispatcher, tracker, domain) -> Dict[str, Any]:
        return self._read("parent", value, dispatcher, tracker)

    def validate_foster_home_at_18(self, value: Any, dispatcher, tracker, domain) -> Dict[str, Any]:
        return self._read("foster_home_at_18", value, dispatcher, tracker)

    def validate_residential_college(self, value: Any, dispatcher, tracker, domain) -> Dict[str, Any]:
        return self._read("residential_college", value, dispatcher, tracker)

    def validate_in_a_couple(self, value: Any, dispatcher, tracker, domain) -> Dict[str, Any]:
        return self._read("in_a_couple", value, dispatcher, tracker)

    def validate_in_care_for_a_year(self, value: Any, dispatcher, tracker, domain) -> Dict[str, Any]:
        return self._read("in_care_for_a_year", value, dispatcher, tracker)

    def validate_came_to_uk_alone(self, value: Any, dispatcher, tracker, domain) -> Dict[str, Any]:
        return self._read("came_to_uk_alone", value, dispatcher, tracker)

    def validate_where_you_live(self, value: Any, dispatcher, tracker, domain) -> Dict[str, Any]:
        if value == NOT_SURE:
            return {PLACE_QUESTION: NOT_SURE, "lives_in_peterborough": NOT_SURE,
                    "lives_in_cambridgeshire_or_peterborough": NOT_SURE, PLACE_FOLLOW_UP: None,
                    **_answered(tracker, PLACE_QUESTION)}
        answer = PlaceResolver(current_offer().places).resolve(str(value))
        if answer.status == PLACE_NOT_SURE:
            return {PLACE_QUESTION: None, PLACE_FOLLOW_UP: {"text": answer.next_question,
                                                            "options": list(answer.options)}}
        return {**place_slots(answer), PLACE_FOLLOW_UP: None, **_answered(tracker, PLACE_QUESTION)}


def _answered(tracker: Tracker, question: str) -> Dict[str, List[str]]:
    """Counts the questions answered for this topic, so a broad topic asks a few, not all."""
    asked = list(tracker.get_slot(QUESTIONS_ASKED) or [])
    return {QUESTIONS_ASKED: asked if question in asked else asked + [question]}


class ActionAskWhereYouLive(Action):
    """Asks where someone lives: the usual question, or the follow-up the place check needs."""

    def name(self) -> str:
        return "action_ask_where_you_live"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[str, Any]) -> List[Dict[str, Any]]:
        follow_up: Optional[Dict[str, Any]] = tracker.get_slot(PLACE_FOLLOW_UP)
        if not follow_up:
            dispatcher.utter_message(response="utter_ask_where_you_live")
            return []
        buttons = [{"title": option, "payload": option} for option in follow_up.get("options", [])]
        dispatcher.utter_message(text=follow_up["text"], buttons=buttons + [NOT_SURE_BUTTON])
        return []
