"""How the engine reads what is asked: sums of money, typos, "a care leaver" said in passing, the aspect
asked first, a crisis put in words no pattern lists, and "Did you mean" with names.

No model here, as in test_engine.py: the engine answers from the data files alone.
"""

from __future__ import annotations

import pytest

from bot.conversation.answers import name_of
from bot.conversation.engine import Conversation, State, Turn
from tests.unit.test_engine import Chat


@pytest.fixture()
def chat(offer) -> Chat:
    return Chat(offer)


def first_line(chat: Chat, text: str) -> str:
    return chat.say(text)[0]["text"]


@pytest.mark.parametrize("message, entry_id", [
    ("is the 1200 every year or just once", "16-19-bursary"),
    ("is the 2k a year or for the whole degree", "higher-education-bursary"),
    ("discharge grant still £76?", "prison-discharge-grant"),
])
def test_a_sum_of_money_names_its_entitlement(chat, offer, message, entry_id):
    assert name_of(offer.entries[entry_id]) in first_line(chat, message)


@pytest.mark.parametrize("message, entry_id, what_shows", [
    ("who's my pa now", "personal-adviser", lambda offer, entry: offer.contacts[entry.contacts[0]].email),
    ("forgot my ni number", "national-insurance-number", lambda offer, entry: entry.how_to_claim),
    ("tiger pass, is it like 50% off or free", "tiger-pass", lambda offer, entry: entry.amount.text),
    ("the council tax discount, what docs do i need", "council-tax-discount", lambda offer, entry: entry.how_to_claim),
])
def test_a_short_or_unusual_question_still_gets_the_aspect_asked(chat, offer, message, entry_id, what_shows):
    reply = " ".join(message["text"] for message in chat.say(message))
    assert " ".join(what_shows(offer, offer.entries[entry_id]).split()) in " ".join(reply.split())


def test_how_much_goes_to_the_entitlement_that_has_a_sum(chat, offer):
    reply = first_line(chat, "how much money do u get when u get out of jail")
    entry = offer.entries["prison-discharge-grant"]
    assert reply.startswith(name_of(entry)) and entry.amount.text in reply


def test_a_typo_keeps_its_first_letter(chat, offer):
    reply = first_line(chat, "how do i apply for the 16-19 bursery")
    assert name_of(offer.entries["16-19-bursary"]) in reply
    assert name_of(offer.entries["care-to-learn"]) not in reply


def test_a_possessive_still_names_the_entitlement(chat, offer):
    reply = first_line(chat, "can i still go for the council's care leaver apprenticeships")
    assert name_of(offer.entries["council-apprenticeships"]) in reply


def test_saying_you_are_a_care_leaver_is_not_asking_whether_you_are_one(chat, offer):
    covers = name_of(offer.entries["who-the-offer-covers"])
    assert covers not in first_line(chat, "I'm 19 and a care leaver, do I get the apprenticeship bursary?")
    assert covers in Chat(offer).say("am i a care leaver")[0]["text"]
    assert covers in Chat(offer).say("am i care leaver")[0]["text"]


def test_words_shared_with_one_entitlement_name_it_when_no_alias_does(chat, offer):
    reply = first_line(chat, "I just started an apprenticeship at a garage in Fengate, do I get a bursary?")
    assert name_of(offer.entries["apprenticeship-bursary"]) in reply


def test_a_pointed_question_wins_over_a_broad_one(chat, offer):
    messages = chat.say("turning 18 in 3 weeks how do i claim universal credit")
    claim = " ".join(offer.entries["universal-credit"].how_to_claim.split())
    assert claim in " ".join(" ".join(message["text"] for message in messages).split())


@pytest.mark.parametrize("message", [
    "who do i chase about my uni bursary, it hasnt come through",
    "how do i contact the homelessness prevention officer",
])
def test_ways_of_asking_who_to_contact(chat, offer, message):
    text = "\n".join(message["text"] for message in chat.say(message))
    assert offer.contacts["leaving-care-team"].email in text


def test_did_you_mean_names_the_closest_entitlements(chat, offer):
    messages = chat.say("the bursary")
    names = [button["title"] for button in messages[0]["buttons"]]
    assert names and all(name in messages[0]["text"] for name in names)


def test_a_crisis_no_pattern_lists_gets_its_kind_and_carry_on_inside_a_question(chat):
    chat.say("can i stay with my foster carers after 18")
    chat.say("yes check")
    messages = chat.say("gas ran out yesterday and theres nothing in the cupboards for my little one")
    assert chat.crisis_kinds[-1] == "money"
    assert "999" in messages[0]["text"] or "today" in messages[0]["text"]


def test_a_question_about_it_while_we_wait_for_an_answer_is_answered(chat, offer):
    chat.say("can i get the uni bursary")
    assert chat.state.pending
    text = "\n".join(message["text"] for message in chat.say("how much is it?"))
    assert offer.entries["higher-education-bursary"].amount.text in text


def test_a_number_word_inside_a_question_is_not_an_age(chat):
    chat.say("im 19 and still at city college, can i still get the college bursary")
    assert chat.state.pending
    chat.say("whats the combined authority one then")
    assert chat.state.facts.get("age_on_31_august") != 1


def test_a_topic_named_by_one_of_its_words_gets_its_menu(chat, offer):
    reply = first_line(chat, "what help is there for uni")
    assert offer.topics["university"].title.lower() in reply.lower()


def test_topic_words_are_single_words(offer):
    assert all(" " not in word for topic in offer.topics.values() for word in topic.words)


def test_a_message_not_understood_in_a_topic_without_a_main_entry_gets_the_menu(offer):
    topic = next(key for key, value in offer.topics.items() if value.main is None)
    turn = Turn(text="qwerty zxcv", intent="nlu_fallback", confidence=0.5, runner_up="topic_" + topic.replace("-", "_"))
    replies = Conversation(offer).respond(State(), turn).replies
    assert replies and replies[0].buttons
