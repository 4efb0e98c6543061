"""The entry model with the aliases: measured on example questions it did not learn from, then how it behaves."""

from __future__ import annotations

from typing import Dict, List

import pytest
from sklearn.model_selection import KFold

from bot.conversation import engine, entry_model
from bot.conversation.engine import Conversation, State, Turn
from bot.conversation.entry_model import EntryModel, entry_label, learning_examples
from bot.data_files import read_yaml
from tests.conversation_report import answers_aspect, names_expected

FOLDS = 5
NAMED_FLOOR = 0.93
ASPECT_FLOOR = 0.89
GAIN_FLOOR = 0.03


def first_replies(conversation: Conversation, text: str) -> List[str]:
    return [reply.text for reply in conversation.respond(State(), Turn(text=text)).replies]


@pytest.fixture(scope="module")
def held_apart(offer) -> Dict[str, Dict[str, int]]:
    """Each example question answered with an entry model learnt without it (five folds), and with none."""
    questions = read_yaml(entry_model.QUESTIONS)["examples"]
    others_texts, others_labels = learning_examples(offer, (entry_model.CONVERSATIONS,))
    counts = {mode: {"named": 0, "aspect": 0, "total": 0} for mode in ("model", "aliases only")}
    patch = pytest.MonkeyPatch()
    try:
        for learn, judge in KFold(FOLDS, shuffle=True, random_state=0).split(questions):
            model = EntryModel(others_texts + [str(questions[i]["text"]) for i in learn],
                               others_labels + [entry_label(offer, questions[i]["expect"]) for i in learn])
            for mode, chances in (("model", model.chances), ("aliases only", lambda text: {})):
                patch.setattr(engine, "entry_chances_or_none", lambda offer, text, chances=chances: chances(text))
                conversation = Conversation(offer)
                for i in judge:
                    item = questions[i]
                    replies = first_replies(conversation, str(item["text"]))
                    counts[mode]["total"] += 1
                    counts[mode]["named"] += names_expected(offer, item["expect"], replies[0] if replies else "")
                    counts[mode]["aspect"] += answers_aspect(offer, item["expect"], item["aspect"], "\n".join(replies))
    finally:
        patch.undo()
    return counts


def test_questions_it_did_not_learn_from_get_the_entry_and_the_aspect_asked(held_apart):
    model = held_apart["model"]
    assert model["named"] / model["total"] >= NAMED_FLOOR, held_apart
    assert model["aspect"] / model["total"] >= ASPECT_FLOOR, held_apart


def test_the_model_names_more_entries_than_the_aliases_alone(held_apart):
    model, aliases = held_apart["model"], held_apart["aliases only"]
    assert (model["named"] - aliases["named"]) / model["total"] >= GAIN_FLOOR, held_apart


@pytest.mark.parametrize("message, entry_name", [
    ("would the council put me higher up the list for a flat because i was looked after", "Priority for housing"),
    ("a lad i work with is on remand, what does he get from us while hes inside", "custody"),
])
def test_a_message_that_describes_an_entry_without_its_name_gets_that_entry(offer, message: str, entry_name: str):
    replies = first_replies(Conversation(offer), message)
    assert entry_name.lower() in replies[0].lower(), replies


@pytest.mark.parametrize("message", ["hiya", "thanks thats great", "ok", "are you a real person"])
def test_greetings_and_thanks_are_not_taken_for_an_entry(offer, message: str):
    chances = Conversation(offer).entry_chances(message)
    assert max(chances.values()) < engine.DESCRIBED_SURE, sorted(chances.items(), key=lambda item: -item[1])[:3]


def test_the_aliases_still_answer_when_the_model_cannot_be_learnt(offer, monkeypatch):
    def broken(offer):
        raise ValueError("examples file broken")

    monkeypatch.setattr(entry_model, "entry_model", broken)
    replies = first_replies(Conversation(offer), "how much is the uni bursary")
    assert "£2,000" in replies[0]
