"""Real conversations through the trained model and the real actions: a message in, the answer out."""

from __future__ import annotations

import os

import pytest

from bot.conversation.answers import name_of
from tests.conversation import MODEL, Chat


@pytest.fixture(scope="session")
def chat(tmp_path_factory) -> Chat:
    assert MODEL.exists(), f"No trained model at {MODEL}: run `make train` (make test does it for you)."
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp_path_factory.mktemp('chat') / 'offer.db'}"
    return Chat()


def text_of(messages) -> str:
    return "\n".join(message.get("text", "") for message in messages)


def test_greeting_is_honest_about_being_automated(chat):
    reply = chat.new().say("/greet")
    assert "chatbot, not a person" in reply[0]["text"] and "name" in reply[0]["text"]
    assert any(button["title"] == "Talk to a person" for button in reply[0]["buttons"])


def test_what_is_staying_put_says_what_it_is_first(chat):
    first = chat.new().say("what is staying put")[0]["text"]
    assert first.startswith("Staying Put:") and "until you are 21" in first


def test_how_much_is_the_uni_bursary_gets_the_amount_first(chat):
    assert "£2,000" in chat.new().say("how much is the uni bursary")[0]["text"]


def test_facts_in_the_first_message_give_a_personal_answer_with_no_question(chat):
    reply = text_of(chat.new().say("i'm 20 and live in werrington, do i pay council tax?"))
    assert "you can get Council tax discount" in reply and "To check" not in reply


def test_how_do_i_claim_it_after_an_answer_is_about_that_entitlement(chat, offer):
    talk = chat.new()
    talk.say("i'm 20 and live in werrington, do i pay council tax?")
    assert offer.entries["council-tax-discount"].how_to_claim in text_of(talk.say("how do i claim it?"))


def test_a_crisis_inside_a_question_stops_it_and_the_person_can_carry_on(chat):
    talk = chat.new()
    assert "how old are you?" in text_of(talk.say("can i get council tax discount"))
    crisis = talk.say("i feel like giving up on everything")
    assert "116 123" in crisis[0]["text"]
    carry_on = next(b["payload"] for b in crisis[0]["buttons"] if b["title"] == "Carry on")
    assert "how old are you?" in text_of(talk.say(carry_on))


def test_a_question_beside_no_money_today_is_answered_after_the_crisis_reply(chat, offer):
    messages = chat.new().say("no food in and no money till monday, also how do i get the tiger pass")
    assert offer.contacts["emergency-duty-team"].phone in messages[0]["text"]
    assert messages[1]["text"].startswith(name_of(offer.entries["tiger-pass"]))


def test_talk_to_a_person_gives_real_contacts(chat, offer):
    reply = text_of(chat.new().say("can i talk to a real person"))
    assert offer.contacts["leaving-care-team"].email in reply


def test_a_topic_question_gets_a_menu(chat):
    reply = chat.new().say("what help is there with housing")
    assert "Tap one" in reply[0]["text"] and len(reply[0]["buttons"]) >= 3


def test_nonsense_gets_help_not_silence(chat):
    reply = chat.new().say("blorp zeeble wub")
    assert reply and "Sorry" in reply[0]["text"]


def test_a_typed_payload_is_read_like_any_answer(chat):
    talk = chat.new()
    talk.say("can i get council tax discount")
    reply = text_of(talk.say('/inform{"age": 150}'))
    assert reply and "Traceback" not in reply
    state = talk.slots().get("conversation") or {}
    assert (state.get("facts") or {}).get("age") != 150


MACRO_F1_FLOOR = 0.80


def test_intent_recognition_on_held_out_messages_stays_above_the_floor(chat):
    from tests.nlu_report import holdout_examples, predict, scores

    examples = holdout_examples()
    result = scores(examples, predict(chat.agent, examples, chat.loop))
    assert result["macro_f1"] >= MACRO_F1_FLOOR, result["confused"]
    assert result["per_intent"]["crisis"][1] == 1.0, "every held-out crisis message must be recognised"
