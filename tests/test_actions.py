"""Actions never go silent: a failure gets a kind reply with a contact."""

from __future__ import annotations

import asyncio

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

import actions.base
import actions.forms
import actions.safety
from actions.conversation import ActionAnswerTopic, topic_for_intent
from actions.forms import ValidateFactsForm
from actions.safety import ActionCrisis


def tracker(slots=None, text="council tax", intent="topic_council_tax") -> Tracker:
    return Tracker("someone", slots or {}, {"intent": {"name": intent}, "text": text, "entities": []},
                   [], False, None, {}, "action_listen")


def run(action, tracker_: Tracker, domain=None):
    dispatcher = CollectingDispatcher()
    events = asyncio.new_event_loop().run_until_complete(action.run(dispatcher, tracker_, domain or {}))
    return dispatcher.messages, events


def broken():
    raise RuntimeError("database gone")


def test_an_action_that_fails_says_sorry_with_no_silence(monkeypatch):
    monkeypatch.setattr(actions.base, "current_offer", broken)
    messages, events = run(ActionAnswerTopic(), tracker({"topic": "council-tax"}))
    assert events == []
    assert "Sorry, something went wrong" in messages[0]["text"]


def test_a_failing_form_check_stops_the_questions_kindly(monkeypatch):
    monkeypatch.setattr(actions.forms, "current_offer", broken)
    monkeypatch.setattr(actions.base, "current_offer", broken)
    messages, events = run(ValidateFactsForm(), tracker({"topic": "council-tax", "requested_slot": "age"}, "19"),
                           {"forms": {"facts_form": {"required_slots": []}}, "slots": {}})
    assert "Sorry, something went wrong" in messages[0]["text"]
    assert {"event": "active_loop", "name": None} in [{k: e.get(k) for k in ("event", "name")} for e in events]


def test_the_crisis_reply_survives_a_broken_contacts_file(monkeypatch):
    monkeypatch.setattr(actions.safety, "contact_reply", lambda section: broken())
    messages, _ = run(ActionCrisis(), tracker(text="help"))
    assert "emergency services" in messages[0]["text"]


@pytest.mark.parametrize(("intent", "topic"), [("topic_council_tax", "council-tax"),
                                               ("topic_after_21", "after-21"), ("ask_entitlements", "everything")])
def test_intents_name_their_topics(intent, topic):
    assert topic_for_intent(intent) == topic


def test_every_topic_intent_has_a_topic_and_every_topic_an_intent(offer):
    import yaml

    from bot.settings import PROJECT_ROOT

    intents = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text())["intents"]
    topic_intents = {topic_for_intent(name) for name in intents if name.startswith("topic_")}
    assert topic_intents == set(offer.topics)
