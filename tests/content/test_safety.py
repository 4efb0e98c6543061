"""The keyword safety net: crisis words are caught, ordinary questions are not (the model: test_crisis_model.py)."""

from __future__ import annotations

import pytest

from bot.conversation.safety import CrisisDetector

DETECTOR = CrisisDetector.from_file()

CRISIS_MESSAGES = [
    "I want to kill myself", "i wanna die", "thinking about suicide", "feeling suicidal", "sucide",
    "I've been self harming again", "i keep cutting myself", "selfharm", "kms", "i want to end it all",
    "I don't want to be alive anymore", "better off dead tbh", "took an overdose",
    "I'm not safe at home", "he keeps hitting me", "im being abused", "someone is hurting me",
    "I have nowhere to sleep tonight", "got kicked out tonight and have nowhere to go",
    "sleeping rough", "I'M IN DANGER", "help now", "HELP NOW!!", "i dont want to live", "I want to unalive myself",
    "they're forcing me to marry him", "electric's run out", "just tired of living", "nobody will miss me",
    "he's got a knife", "homeless", "sleeping in my car tonight", "cant even afford bread",
    "the landlord said i could pay the rent with sex", "goodbye everyone, love you all", "someone is in my flat",
    "i have to get away from him tonight", "how many paracetamol does it take", "the hostel chucked me tonight",
]
ORDINARY_MESSAGES = [
    "can i get council tax exemption", "what happens at 21", "gettin out of jail next month wat help",
    "I live in Orton", "how much is the bursary", "my flat is cold", "what about housing", "hi",
    "kill time at the gym?", "is the gym free", "I'm 19",
    "I got a place at university, can I get the 2000 pounds too?",
    "yp on my caseload starts college in september, what can she get?",
    "I want to die my hair, is there money for that",
]


@pytest.mark.parametrize("message", CRISIS_MESSAGES)
def test_crisis_messages_are_caught(message):
    assert DETECTOR.check(message) is not None


@pytest.mark.parametrize("message", ORDINARY_MESSAGES[:-1])
def test_ordinary_questions_are_not_crisis(message):
    assert DETECTOR.check(message) is None


def test_a_false_alarm_is_accepted_over_a_miss():
    """'want to die my hair' trips the net: the crisis reply is kind and costs little when unneeded."""
    assert DETECTOR.check(ORDINARY_MESSAGES[-1]) is not None


@pytest.mark.parametrize("message", ["", None, "   ", "🙂" * 100, "x" * 20000])
def test_odd_input_is_safe(message):
    assert DETECTOR.check(message) is None


def test_crisis_words_are_found_however_far_into_a_long_message():
    for padding in (10, 3990, 4100, 9000):
        assert DETECTOR.check("blah " * padding + "i want to kill myself" + " blah" * 50) is not None
    assert DETECTOR.check("blah " * 9000) is None


@pytest.mark.parametrize("message, kind", [
    ("my young person says she is going to overdose tonight", "third_party"),
    ("i'm a foster carer and my lad hasn't come home, he's with older men", "third_party"),
    ("my mates mum said i cant stay anymore and ive got nowhere to go tonight", "homeless"),
    ("my boyfriend checks my phone and wont let me see my mates", "harm"),
    ("no food in the flat and my electric ran out", "money"),
    ("i dont want to be here anymore", "suicide"),
])
def test_a_crisis_gets_the_kind_that_fits_who_is_at_risk(message, kind):
    assert DETECTOR.check(message).kind == kind
