"""Reading ages, custody, activity and 'not sure' from what people type."""

from __future__ import annotations

import pytest

from bot.conversation.understanding import notice_facts, read_answer
from bot.offer.facts import NOT_SURE, FactValueError


@pytest.mark.parametrize(("text", "age"), [
    ("19", 19), ("I'm 19", 19), ("im nineteen", 19), ("twenty two", 22), ("twenty-two", 22),
    ("19 and a half", 19), ("  21  ", 21), ("18 years old", 18), ("sixteen", 16),
])
def test_ages_in_digits_or_words(offer, text, age):
    assert read_answer("age", text, offer.catalogue) == age


@pytest.mark.parametrize("text", ["-3", "150", "abc", "🙂", "old enough", "<b>19</b>x" * 0 + "nope"])
def test_impossible_or_missing_ages_are_refused(offer, text):
    with pytest.raises(FactValueError):
        read_answer("age", text, offer.catalogue)


@pytest.mark.parametrize("text", ["not sure", "dunno", "idk", "I don't know", "Not sure"])
def test_not_sure_is_an_answer_to_any_question(offer, text):
    for fact in ("age", "custody", "activity", "parent", "foster_home_at_18"):
        assert read_answer(fact, text, offer.catalogue) == NOT_SURE


@pytest.mark.parametrize(("fact", "text", "value"), [
    ("parent", "yes", True), ("parent", "yeah i have a son", True), ("parent", "nah", False),
    ("custody", "getting out of jail next month", "leaving"), ("custody", "in prison", "in"),
    ("custody", "none", "none"), ("activity", "im at uni", "university"), ("activity", "sixth form", "college"),
    ("activity", "doing an apprenticeship", "apprenticeship"), ("activity", "nothing rn", "none"),
])
def test_answers_to_other_questions(offer, fact, text, value):
    assert read_answer(fact, text, offer.catalogue) == value


@pytest.mark.parametrize(("text", "facts"), [
    ("22yo in custody, what's she entitled to on release", {"age": 22, "custody": "leaving"}),
    ("gettin out of jail next month wat help", {"custody": "leaving"}),
    ("I'm 19 and at college, can I get a bursary", {"age": 19, "activity": "college"}),
    ("can i get council tax exemption", {}),
    ("what happens at 21", {}),
    ("im a young mum", {"parent": True}),
    ("my lad is 20 years, can he get the gym", {"age": 20}),
    ("she has an offer for a 3 yr degree", {}),
    ("i was in care for 2 years, does that count", {}),
    ("20 years ago my mum was in care", {}),
])
def test_facts_noticed_in_passing(offer, text, facts):
    assert notice_facts(text, offer.catalogue) == facts
