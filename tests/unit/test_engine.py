"""Whole conversations through the conversation engine, in process: a message in, the answer out.

No chat model here: the engine answers from the offer's aliases and the entry model learnt from
data/conversation/ in a second, so a new alias works without retraining. The trained chat model on top is
tested in tests/system/test_conversations.py.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import List, Optional

import pytest

from bot.conversation import answers
from bot.conversation.answers import name_of
from bot.conversation.engine import Conversation, State, Turn
from bot.data_files import read_yaml
from bot.offer.loader import Offer, load_offer
from bot.settings import OFFER_DIR, SAFETY_DIR

CRISIS_KINDS = [kind for kind in read_yaml(SAFETY_DIR / "crisis.yml")["kinds"] if kind != "general"]
CRISIS_EXAMPLES = {
    "suicide": "i dont want to be here anymore",
    "harm": "my boyfriend hits me when he is drunk",
    "homeless": "i got kicked out and have nowhere to sleep tonight",
    "money": "no food in the flat and my electric ran out",
    "third_party": "my young person says she is going to overdose tonight",
}


class Chat:
    """One person's chat with the engine."""

    def __init__(self, offer: Offer, intent: str = ""):
        self.conversation = Conversation(offer)
        self.state = State()
        self.crisis_kinds: List[Optional[str]] = []

    def say(self, text: str, intent: str = "", confidence: float = 0.0) -> List[dict]:
        turn = Turn(text=text, intent=intent, confidence=confidence)
        if text.startswith("/button"):
            turn = Turn(button=json.loads(text[len("/button"):]))
        outcome = self.conversation.respond(self.state, turn)
        self.state = outcome.state
        self.crisis_kinds.append(outcome.crisis_kind)
        return [reply.as_message() for reply in outcome.replies]

    def text(self, text: str, **model) -> str:
        return "\n".join(message["text"] for message in self.say(text, **model))

    def tap(self, messages: List[dict], title: str) -> List[dict]:
        payload = next(button["payload"] for message in messages for button in message["buttons"]
                       if button["title"] == title)
        return self.say(payload)


@pytest.fixture()
def chat(offer) -> Chat:
    return Chat(offer)


def first_words(messages: List[dict]) -> int:
    return len(messages[0]["text"].split())


def test_what_is_staying_put_is_answered_first_with_an_offer_to_check(chat):
    messages = chat.say("what is staying put")
    assert messages[0]["text"].startswith("Staying Put:")
    assert "until you are 21" in messages[0]["text"]
    assert "Want me to check" in messages[0]["text"]
    assert {"Yes, check for me", "Not now"} <= {button["title"] for button in messages[0]["buttons"]}


def test_staying_put_asks_the_age_and_status_and_never_about_asylum_or_a_partner(chat, offer):
    asked = chat.text("can i stay with my foster carers after 18?")
    questions = [line for line in asked.splitlines() if line.startswith("To check")]
    assert len(questions) <= 1 and "how old are you" in questions[0]
    status = chat.text("19")
    assert status.startswith("If you were in care for 13 weeks or more from age 14"), status
    assert "you can get Staying Put" in status.splitlines()[0]
    assert "13 weeks or more in total after your 14th birthday" in status.splitlines()[1]
    reply = chat.text("yes")
    assert "asylum" not in asked + status + reply and "partner" not in asked + status + reply
    assert "Based on what you told me, you can get Staying Put" in reply


def test_a_qualifying_care_leaver_is_told_no_with_the_reason_and_pointed_to_advice(chat, offer):
    chat.text("can i have a personal adviser till 25")
    chat.text("22")
    messages = chat.say("no, i went home to my mum")
    reply = "\n".join(message["text"] for message in messages)
    assert "is not for you right now" in reply and "shorter time" in reply
    more = chat.tap(messages, "More")
    assert name_of(offer.entries["advice-and-assistance"]) in {b["title"] for m in more for b in m["buttons"]}


@pytest.mark.parametrize("place, expected", [
    ("Eye", "You live in Eye (PE6), which is in Peterborough"),
    ("Eye, Suffolk", "You live in Eye, Suffolk, which is not in Peterborough"),
])
def test_a_place_name_shared_with_elsewhere_says_which_place_was_understood(chat, place, expected):
    chat.text("i'm 19, do i get council tax discount?")
    reply = chat.text(place)
    assert expected in reply


def test_yes_to_is_yours_the_one_in_peterborough_settles_it(chat):
    asked = chat.text("i'm 20 and live in netherton, dudley. council tax?")
    assert "Is yours the one in Peterborough?" in asked
    assert "You live in Netherton (PE3), which is in Peterborough" in chat.text("yes")


def test_how_much_is_the_uni_bursary_gets_the_amount_in_the_first_reply(chat, offer):
    messages = chat.say("how much is the uni bursary")
    assert offer.entries["higher-education-bursary"].amount.text in messages[0]["text"]
    assert "£2,000" in messages[0]["text"]


@pytest.mark.parametrize("message, entry, expected", [
    ("i'm 20 and live in werrington, do i pay council tax?", "council-tax-discount", "you can get"),
    ("care leaver 24, lives in Eye, entitled to council tax discount?", "council-tax-discount", "you can get"),
    ("19, hampton, free gym?", "leisure-pass", "you can get"),
    ("im 22 and live in huntingdon, council tax?", "council-tax-discount", "is not for you right now"),
])
def test_facts_in_the_first_message_give_a_personal_answer_with_no_question(chat, offer, message, entry, expected):
    reply = chat.text(message)
    assert name_of(offer.entries[entry]) in reply
    assert expected in reply and "To check" not in reply
    assert "Why:" in reply


def test_every_question_says_why_it_is_asked_and_offers_not_sure(chat):
    messages = chat.say("can i get council tax discount")
    question = messages[-1]
    assert question["text"].startswith("To check Council tax discount for you:")
    assert "Not sure" in [button["title"] for button in question["buttons"]]


def test_not_sure_is_never_no(chat):
    question = chat.say("can i get council tax discount")
    text = "\n".join(message["text"] for message in chat.tap(question, "Not sure"))
    assert "not for you" not in text
    assert "you can get" not in text


def test_a_follow_up_is_about_the_entitlement_already_talked_about(chat, offer):
    chat.say("i'm 20 and live in werrington, do i pay council tax?")
    claim = chat.text("how do i claim it?")
    assert offer.entries["council-tax-discount"].how_to_claim in claim
    gym = chat.text("what about the gym?")
    assert name_of(offer.entries["leisure-pass"]) in gym and "you can get" in gym
    moved = chat.text("and if i move to huntingdon?")
    assert "Huntingdon" in moved and "not for you right now" in moved


def test_a_question_about_it_while_we_wait_for_an_answer_is_answered(chat, offer):
    chat.say("can i get council tax discount")
    reply = chat.text("what do i need to do to get it")
    assert offer.entries["council-tax-discount"].how_to_claim in reply and "type your age" not in reply


def test_how_to_claim_is_followed_by_who_to_contact(chat, offer):
    messages = chat.say("how do i claim the council tax discount")
    entry = offer.entries["council-tax-discount"]
    assert entry.how_to_claim in messages[0]["text"]
    assert messages[1]["text"].startswith("Who to contact:")
    assert offer.contacts[entry.contacts[0]].email in messages[1]["text"]


def test_a_word_several_entitlements_share_asks_which_and_the_tap_answers_what_was_asked(chat, offer):
    messages = chat.say("how much is the bursary")
    bursaries = ("16-19-bursary", "apprenticeship-bursary", "cpca-care-leavers-bursary", "higher-education-bursary")
    assert [button["title"] for button in messages[0]["buttons"]] == [name_of(offer.entries[key]) for key in bursaries]
    tapped = chat.tap(messages, name_of(offer.entries["higher-education-bursary"]))
    assert offer.entries["higher-education-bursary"].amount.text in tapped[0]["text"]


def test_the_other_words_choose_between_entitlements_a_shared_word_names(chat, offer):
    reply = chat.text("im at uni, when does the bursary get paid")
    assert reply.startswith(name_of(offer.entries["higher-education-bursary"]))


def test_a_topic_word_is_heard_among_words_every_topic_shares(chat, offer):
    reply = chat.text("thinking about uni what support do care leavers get")
    assert offer.topics["university"].title.lower() in reply.lower()


def test_a_sum_in_grand_points_to_the_entitlement_with_that_amount(chat, offer):
    reply = chat.text("just got an apprenticeship, heard theres 3 grand for care leavers?")
    assert name_of(offer.entries["apprenticeship-bursary"]) in reply


def test_a_fact_given_while_we_wait_for_another_answer_is_used(chat):
    chat.say("can i get staying put")
    assert chat.state.pending and chat.state.pending != "age"
    reply = chat.text("im 22 tho")
    assert chat.state.facts["age"] == 22 and "You are 22" in reply and "Please pick" not in reply


def test_a_fact_can_be_corrected(chat):
    chat.say("i'm 20 and live in werrington, do i pay council tax?")
    reply = chat.text("actually i'm 25")
    assert "not for you right now" in reply and "You are 25" in reply


def test_a_topic_question_gets_a_short_menu_not_a_questionnaire(chat):
    messages = chat.say("help with housing?")
    assert "Tap one" in messages[0]["text"] and len(messages[0]["buttons"]) >= 3
    assert "To check" not in messages[0]["text"]


def test_every_topic_menu_fits_a_phone_with_every_entry_a_button(offer):
    for topic in offer.topics:
        messages = Chat(offer).say(f'/button{{"do": "topic", "topic": "{topic}"}}')
        in_topic = [key for key, entry in offer.entries.items() if topic in entry.topics]
        assert first_words(messages) <= answers.FIRST_REPLY_MOST_WORDS, topic
        if len(in_topic) > 1:
            assert len(messages[0]["buttons"]) == min(len(in_topic), answers.MAX_MENU), topic


def test_not_understood_offers_the_closest_then_a_person(chat, offer):
    first = chat.text("blorp zeeble")
    assert "Sorry" in first
    second = chat.text("flurb wibble")
    assert offer.contacts["leaving-care-team"].email in second
    assert offer.contacts["emergency-duty-team"].phone in second


def test_an_impossible_age_is_asked_again_kindly(chat):
    chat.say("can i get council tax discount")
    reply = chat.text("150")
    assert "type your age in numbers" in reply and "how old are you" in reply


def test_a_split_postcode_gets_a_follow_up_with_buttons(chat):
    chat.say("can i get council tax discount")
    chat.say("20")
    messages = chat.say("PE6 0XX")
    assert "PE6" in messages[-1]["text"] and len(messages[-1]["buttons"]) > 2


def test_a_typed_button_for_an_unknown_entitlement_is_not_trusted(chat):
    reply = chat.text('/button{"do":"show","entitlement":"free-money-for-everyone"}')
    assert "Sorry" in reply


def test_how_to_claim_and_who_to_contact_also_say_what_it_is(chat, offer):
    drop_in = offer.entries["drop-in"]
    claim = chat.say("how do i get to the drop in")[0]["text"]
    assert " ".join(drop_in.summary.split()) in claim and drop_in.how_to_claim in claim
    contact = Chat(offer).say("who do i contact about the drop in")[0]["text"]
    assert " ".join(drop_in.summary.split()) in contact and offer.contacts[drop_in.contacts[0]].name in contact


@pytest.mark.parametrize("aspect", ["what", "amount", "claim", "contact", "duration", "changes", "eligibility"])
def test_every_answer_fits_a_phone(offer, aspect):
    """Where what it is and what was asked would be too long together, only what was asked is said."""
    for entry in offer.entries.values():
        chat = Chat(offer)
        chat.say("i'm 19")
        first = chat.say("/button" + json.dumps({"do": "aspect", "entitlement": entry.id, "aspect": aspect}))[0]
        assert name_of(entry) in first["text"], (entry.id, first["text"])
        assert len(first["text"].split()) <= answers.FIRST_REPLY_MOST_WORDS, (entry.id, first["text"])


def test_first_replies_fit_a_phone(chat):
    for message in ("what is staying put", "how much is the uni bursary", "who do i contact about my records",
                    "i'm 20 and live in werrington, do i pay council tax?", "free gym?"):
        assert first_words(Chat(chat.conversation.offer).say(message)) <= 60, message


@pytest.mark.parametrize("kind", CRISIS_KINDS)
def test_each_crisis_kind_gets_its_own_reply_first(offer, kind):
    chat = Chat(offer)
    reply = chat.text(CRISIS_EXAMPLES[kind])
    assert chat.crisis_kinds == [kind]
    assert "999" in reply and "I'm a chatbot and can't call anyone for you." in reply


@pytest.mark.parametrize("kind", CRISIS_KINDS)
@pytest.mark.parametrize("answers_before", [[], ["20"]])
def test_a_crisis_interrupts_a_question_and_the_person_can_carry_on(offer, kind, answers_before):
    chat = Chat(offer)
    chat.say("can i get council tax discount")
    for answer in answers_before:
        chat.say(answer)
    messages = chat.say(CRISIS_EXAMPLES[kind])
    assert chat.crisis_kinds[-1] == kind
    assert "Carry on" in [button["title"] for button in messages[0]["buttons"]]
    again = chat.tap(messages, "Carry on")
    assert "To check Council tax discount for you:" in again[-1]["text"]


@pytest.mark.parametrize("message, kind, entry", [
    ("no food in and no money till monday, also how do i get the tiger pass", "money", "tiger-pass"),
    ("kicked out tonight and got nowhere to sleep. do care leavers get priority need?", "homeless",
     "priority-need-housing"),
    ("PA here, my YP has nowhere to sleep tonight. who do we contact about priority need?", "third_party",
     "priority-need-housing"),
])
def test_a_need_beside_a_question_gets_the_crisis_reply_then_the_answer(offer, message, kind, entry):
    chat = Chat(offer)
    messages = chat.say(message)
    assert chat.crisis_kinds == [kind] and "999" in messages[0]["text"]
    assert messages[1]["text"].startswith(name_of(offer.entries[entry]))
    assert chat.state.entitlement == entry


@pytest.mark.parametrize("message", [
    "i want to end it all tonight. how do i get the tiger pass",
    "he hit me again last night, how do i get the tiger pass",
    "no food in and no money till monday",
    "sofa surfing ended tonight, i'm walking round town with my bag and my phone's on 5%",
    "the fridge is literally empty and i dont get paid for a week, i dont know what to do",
])
def test_a_danger_to_the_person_or_a_need_with_no_question_gets_the_crisis_reply_alone(offer, message):
    chat = Chat(offer)
    messages = chat.say(message)
    assert chat.crisis_kinds[0] and len(messages) == 1
    assert chat.state.entitlement is None


def test_homeless_tonight_names_housing_by_day_and_the_out_of_hours_team(chat, offer):
    reply = chat.text("im 19 and homeless tonight")
    assert offer.contacts["housing-needs"].phone in reply
    assert offer.contacts["emergency-duty-team"].phone in reply


@pytest.mark.parametrize("message", [
    "i'm not suicidal, just asking about council tax", "the gym is killing me", "my phone died",
    "i'm dying to know about the bursary", "kill time before college",
])
def test_look_alikes_are_not_crises(chat, message):
    chat.say(message)
    assert chat.crisis_kinds == [None]


def test_distress_the_model_is_unsure_about_gets_a_gentle_check_in(chat):
    messages = chat.say("feeling really low and lonely tbh")
    assert "Are you safe right now?" in messages[0]["text"]
    no = chat.tap(messages, "No")
    assert "999" in no[0]["text"]


def offer_copy(tmp_path: Path) -> Path:
    copy = tmp_path / "offer"
    shutil.copytree(OFFER_DIR, copy)
    return copy


def test_a_new_alias_works_without_retraining(tmp_path):
    copy = offer_copy(tmp_path)
    path = copy / "entitlements" / "staying-put.yml"
    path.write_text(path.read_text().replace("aliases:\n", "aliases:\n  - nest money\n", 1))
    reply = Chat(load_offer(copy)).text("what is nest money")
    assert reply.startswith("Staying Put:")


def test_a_new_yes_no_fact_is_asked_in_the_chat_with_nothing_else_edited(tmp_path):
    copy = offer_copy(tmp_path)
    facts = copy / "facts.yml"
    facts.write_text(facts.read_text().replace("\nreasons:\n", """
  has_a_dog:
    type: yes_no
    label: whether you have a dog
    question: has_a_dog
    cli_flag: --has-a-dog
    ask: do you have a dog?
    says:
      "yes": you have a dog
      "no": you do not have a dog
    needs:
      "yes": who have a dog
      "no": who do not have a dog

reasons:
""", 1))
    entry = copy / "entitlements" / "leisure-pass.yml"
    entry.write_text(entry.read_text().replace(
        "who_qualifies:\n  lives_in_peterborough: yes\n",
        "who_qualifies:\n  all:\n    - lives_in_peterborough: yes\n    - has_a_dog: yes\n"))
    chat = Chat(load_offer(copy))
    asked = chat.text("i live in orton, can i get a free gym pass?")
    assert "To check Free gym and leisure pass for you: do you have a dog?" in asked
    assert "you can get" in chat.text("yes")


def test_not_sure_gives_the_answer_for_the_person_at_once_and_says_what_else_it_depends_on(chat, offer):
    chat.text("can i get the council tax discount")
    replies = chat.say("not sure")
    entry = offer.entries["council-tax-discount"]
    assert replies[0]["text"] == answers.wording()["personal"]["need_more_info"].format(name=name_of(entry))
    assert "To check" not in "\n".join(message["text"] for message in replies)
    assert "live in Peterborough" in replies[1]["text"]
