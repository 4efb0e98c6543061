"""Real conversations through the trained model and the real actions: a message in, the answer out."""

from __future__ import annotations

import os

import pytest

from tests.conversation import MODEL, Chat


@pytest.fixture(scope="session")
def chat(tmp_path_factory) -> Chat:
    assert MODEL.exists(), f"No trained model at {MODEL}: run `make train` (make test does it for you)."
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp_path_factory.mktemp('chat') / 'offer.db'}"
    return Chat()


def test_greeting_is_honest_about_being_automated(chat):
    reply = chat.new().say("hi")
    assert "automated helper" in reply[0]["text"] and "name" in reply[0]["text"]
    assert any(button["title"] == "Talk to a person" for button in reply[0]["buttons"])


def test_council_tax_in_orton_is_eligible(chat):
    talk = chat.new()
    assert "How old are you?" in talk.text_of("am I exempt from council tax")
    assert "Where do you live?" in talk.text_of("19")
    answer = talk.text_of("Orton")
    assert "Council tax discount" in answer
    assert "you can get this" in answer
    assert "You live in Orton, which is in Peterborough." in answer
    assert "How to claim" in answer and "Source: https://" in answer


def test_council_tax_in_huntingdon_is_not_eligible_with_the_reason(chat):
    talk = chat.new()
    talk.say("council tax??")
    talk.say("19")
    answer = talk.text_of("Huntingdon")
    assert "not for you right now" in answer
    assert "You live in Huntingdon, which is not in Peterborough" in answer


def test_only_the_questions_that_decide_are_asked(chat):
    talk = chat.new()
    talk.say("can i get a free gym membership")
    slots_asked = talk.slots().get("requested_slot")
    assert slots_asked == "where_you_live", "the gym pass depends only on where you live"


def test_not_sure_gives_an_honest_ask_your_adviser_answer(chat):
    talk = chat.new()
    talk.say("am I exempt from council tax")
    talk.say("/not_sure")
    answer = talk.text_of("Orton")
    assert "can't tell yet" in answer and "Ask your personal adviser" in answer
    assert "not for you" not in answer


def test_a_split_postcode_gets_a_follow_up_with_buttons(chat):
    talk = chat.new()
    talk.say("council tax")
    talk.say("22")
    follow_up = talk.say("PE7 1AB")
    assert "PE7 covers places inside and outside Peterborough" in follow_up[-1]["text"]
    titles = [button["title"] for button in follow_up[-1]["buttons"]]
    assert "Hampton" in titles and "Yaxley" in titles and "Not sure" in titles
    assert "you can get this" in talk.text_of("Hampton")


def test_impossible_age_is_asked_again_kindly(chat):
    talk = chat.new()
    talk.say("council tax")
    reply = talk.text_of("150")
    assert "Please type your age in numbers" in reply
    assert talk.slots()["requested_slot"] == "age"
    assert "Where do you live?" in talk.text_of("twenty two")


def test_facts_given_in_the_question_are_not_asked_again(chat):
    talk = chat.new()
    answer = talk.text_of("22yo in custody, what's she entitled to on release")
    assert "How old are you?" not in answer
    assert "Support in custody and when you are released" in answer


def test_a_fact_can_be_corrected(chat):
    talk = chat.new()
    talk.say("council tax")
    talk.say("19")
    assert "you can get this" in talk.text_of("Orton")
    corrected = talk.text_of("actually I'm 26")
    assert "not for you right now" in corrected and "You are 26" in corrected


@pytest.mark.parametrize("message", ["I want to kill myself", "i have nowhere to sleep tonight",
                                     "tbh i wanna unalive myself", "someone is hurting me"])
def test_crisis_gets_the_crisis_reply_first(chat, message):
    reply = chat.new().text_of(message)
    for number in ("999", "116 123", "111, option 2", "01733 234724"):
        assert number in reply


def test_crisis_interrupts_the_questions(chat):
    talk = chat.new()
    talk.say("council tax")
    reply = talk.text_of("i want to end it all")
    assert "116 123" in reply
    assert talk.slots().get("requested_slot") is None


def test_talk_to_a_person_gives_real_contacts(chat):
    reply = chat.new().text_of("can i speak to a real person")
    assert "leavingcare@peterborough.gov.uk" in reply and "01733 234724" in reply


def test_nonsense_gets_help_not_silence(chat):
    reply = chat.new().say("qwpoeiru zxmcvn")
    assert reply and reply[0]["text"]
    assert any(button["payload"] == "/ask_entitlements" for button in reply[0].get("buttons", []))


def test_what_am_i_entitled_to_gives_a_short_grouped_list(chat):
    talk = chat.new()
    answers = {"age": "19", "where_you_live": "Bretton", "activity": "college"}
    answer = talk.say("what am I entitled to")
    asked = []
    while talk.slots().get("requested_slot"):
        asked.append(talk.slots()["requested_slot"])
        answer = talk.say(answers[asked[-1]])
    assert sorted(asked) == sorted(answers), "at most three questions, each asked once"
    text = answer[-1]["text"]
    assert "You can get:" in text and "Council tax discount" in text
    assert len(text) < 2500
    assert answer[-1]["buttons"]


def test_typed_payloads_are_checked_like_answers(chat):
    talk = chat.new()
    talk.say("council tax")
    talk.say('/inform{"age": 150}')
    assert talk.slots().get("age") in (None, "not_sure") or isinstance(talk.slots().get("age"), int)
    assert talk.slots().get("age") != 150


MACRO_F1_FLOOR = 0.80


def test_intent_recognition_on_held_out_messages_stays_above_the_floor(chat):
    from tests.nlu_report import holdout_examples, predict, scores

    examples = holdout_examples()
    result = scores(examples, predict(chat.agent, examples, chat.loop))
    assert result["macro_f1"] >= MACRO_F1_FLOOR, result["confused"]
    assert result["per_intent"]["crisis"][1] == 1.0, "every held-out crisis message must be recognised"
