"""The Rasa action is a thin adapter: it never goes silent, and a crisis reply needs no database."""

from __future__ import annotations

import asyncio

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

import actions.respond
from actions.respond import STATE_SLOT, ActionRespond, turn_from


def tracker(text: str, intent: str = "nlu_fallback", entities=None, slots=None) -> Tracker:
    message = {"intent": {"name": intent, "confidence": 0.9}, "text": text, "entities": entities or [],
               "intent_ranking": [{"name": intent, "confidence": 0.9}, {"name": "topic_housing", "confidence": 0.1}]}
    return Tracker("someone", slots or {}, message, [], False, None, {}, "action_listen")


def run(tracker_: Tracker):
    dispatcher = CollectingDispatcher()
    events = asyncio.new_event_loop().run_until_complete(ActionRespond().run(dispatcher, tracker_, {}))
    return dispatcher.messages, events


def broken():
    raise RuntimeError("database gone")


def test_an_answer_keeps_the_conversation_in_one_slot(offer):
    messages, events = run(tracker("how much is the uni bursary", "topic_university"))
    assert "£2,000" in messages[0]["text"]
    assert events[0]["event"] == "slot" and events[0]["name"] == STATE_SLOT
    assert events[0]["value"]["entitlement"] == "higher-education-bursary"


def test_the_next_turn_starts_from_the_slot(offer):
    _, events = run(tracker("i'm 20 and live in werrington, do i pay council tax?", "topic_council_tax"))
    messages, _ = run(tracker("how do i claim it?", "entitlement_details", slots={STATE_SLOT: events[0]["value"]}))
    assert offer.entries["council-tax-discount"].how_to_claim in messages[0]["text"]


def test_a_failure_says_sorry_with_a_contact_never_silence(monkeypatch):
    monkeypatch.setattr(actions.respond, "current_offer", broken)
    messages, events = run(tracker("how much is the uni bursary"))
    assert events == []
    assert "Sorry, something went wrong" in messages[0]["text"]


def test_a_crisis_reply_needs_no_database(monkeypatch):
    monkeypatch.setattr(actions.respond, "current_offer", broken)
    messages, events = run(tracker("i want to kill myself", "crisis"))
    assert "116 123" in messages[0]["text"]
    assert events == [SlotSet(STATE_SLOT, events[0]["value"])]


def test_a_question_beside_a_need_is_answered_after_the_crisis_reply(offer):
    messages, events = run(tracker("no food in and no money till monday, also how do i get the tiger pass"))
    assert offer.contacts["emergency-duty-team"].phone in messages[0]["text"]
    assert events[0]["value"]["entitlement"] == "tiger-pass" and "Tiger" in messages[1]["text"]


def test_a_question_beside_a_need_still_gets_the_crisis_reply_when_the_database_is_gone(monkeypatch, offer):
    monkeypatch.setattr(actions.respond, "current_offer", broken)
    messages, _ = run(tracker("no food in and no money till monday, also how do i get the tiger pass"))
    assert [offer.contacts["emergency-duty-team"].phone in message["text"] for message in messages] == [True]


@pytest.mark.parametrize("entities, expected", [
    ([{"entity": "do", "value": "show"}, {"entity": "entitlement", "value": "staying-put"}],
     {"do": "show", "entitlement": "staying-put"}),
    ([], {}),
])
def test_a_tapped_button_arrives_as_its_payload(entities, expected):
    message = {"intent": {"name": "button", "confidence": 1.0}, "text": "/button{...}", "entities": entities}
    assert turn_from(message).button == expected


def test_the_model_s_best_guess_is_kept_when_it_is_unsure():
    turn = turn_from(tracker("uni money?").latest_message)
    assert turn.intent == "nlu_fallback" and turn.runner_up == "topic_housing"


def test_a_crisis_reply_is_counted_by_kind_and_day_only(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'offer.db'}")
    run(tracker("i want to kill myself", "crisis"))
    from bot.storage.feedback_store import FeedbackStore

    rows = FeedbackStore().crisis_rows()
    assert [(set(row), row["kind"]) for row in rows] == [({"id", "day", "kind"}, "suicide")]
