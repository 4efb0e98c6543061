"""The crisis model with the patterns: measured on examples it did not learn from, then how it behaves."""

from __future__ import annotations

from collections import Counter
from typing import Dict, List, Optional

import pytest
from sklearn.model_selection import StratifiedKFold

from bot.conversation import crisis_model
from bot.conversation.crisis_model import (
    CrisisGuess,
    CrisisModel,
    decide,
    examples,
    find_crisis,
    judge,
    worth_a_check_in,
)
from bot.conversation.safety import CrisisMatch, crisis_detector
from bot.data_files import read_yaml

FOLDS = 5
RECALL_FLOOR = 0.96
RIGHT_KIND_FLOOR = 0.93
LOOK_ALIKE_ALARMS_CEILING = 0.08
EVERYDAY_ALARMS_CEILING = 0.025


@pytest.fixture(scope="module")
def held_apart() -> Dict[str, Counter]:
    """Each development example judged by a model learnt without it (five folds), with the patterns."""
    texts, labels = examples()
    look_alikes = {str(item) for item in read_yaml(crisis_model.EXAMPLES_FILE)["not_crisis"]}
    groups = ["crisis" if label != crisis_model.NOT_A_CRISIS else "look-alike" if text in look_alikes
              else "everyday" for text, label in zip(texts, labels, strict=True)]
    counts: Dict[str, Counter] = {group: Counter() for group in set(groups)}
    folds = StratifiedKFold(FOLDS, shuffle=True, random_state=0)
    for learn, held in folds.split(texts, [f"{group}:{label}" for group, label in zip(groups, labels, strict=True)]):
        model = CrisisModel([texts[i] for i in learn], [labels[i] for i in learn])
        for i in held:
            found = judge(texts[i], model.guess(texts[i]))
            counts[groups[i]].update(total=1, found=bool(found), right=bool(found) and found.kind == labels[i])
    return counts


def test_crises_it_did_not_learn_from_are_caught_with_their_kind(held_apart):
    crisis = held_apart["crisis"]
    assert crisis["found"] / crisis["total"] >= RECALL_FLOOR, crisis
    assert crisis["right"] / crisis["total"] >= RIGHT_KIND_FLOOR, crisis


def test_look_alikes_and_everyday_questions_it_did_not_learn_from_rarely_raise_an_alarm(held_apart):
    look_alikes, everyday = held_apart["look-alike"], held_apart["everyday"]
    assert look_alikes["found"] / look_alikes["total"] <= LOOK_ALIKE_ALARMS_CEILING, look_alikes
    assert everyday["found"] / everyday["total"] <= EVERYDAY_ALARMS_CEILING, everyday


@pytest.mark.parametrize("message, kind", [
    ("honestly i just want to disappear and never wake up", "suicide"),
    ("he took my keys and says i cant go out without him", "harm"),
    ("landlord changed the locks, all my stuff is inside and its getting dark", "homeless"),
    ("gas ran out yesterday and theres nothing in the cupboards for my little one", "money"),
])
def test_a_crisis_in_words_no_pattern_lists_is_caught(message: str, kind: str):
    assert find_crisis(message) is not None


@pytest.mark.parametrize("message", [
    "i'm not suicidal just asking about council tax", "no, i went home to my mum", "how much is the uni bursary",
    "what's the out of hours number for when i need it", "the gym is killing me", "19", "not sure",
    "not suicidal, only asking how the leisure pass works", "what would the bot do if someone said they were in danger",
    "who do i ring out of hours if it isnt an emergency",
    "what happens if someone types about self harm on here",
])
def test_ordinary_messages_and_answers_are_not_a_crisis(message: str):
    assert find_crisis(message) is None


@pytest.mark.parametrize("message", ["help now", "HELP NOW!!", "sleeping rough", "kms"])
def test_a_pattern_in_a_short_message_is_never_set_aside(message: str):
    assert find_crisis(message) is not None


def test_a_crisis_in_a_long_message_is_never_set_aside():
    assert find_crisis("blah " * 400 + "i want to kill myself" + " blah" * 400).kind == "suicide"
    assert find_crisis("my day was long and boring and " * 10 + "honestly i want to kill myself").kind == "suicide"


def test_low_mood_alone_gets_no_crisis_reply():
    assert find_crisis("feeling a bit down today") is None


def test_the_patterns_still_answer_when_the_model_cannot_be_learnt(monkeypatch, tmp_path):
    broken = tmp_path / "examples.yml"
    broken.write_text("crisis: [\n", encoding="utf-8")
    monkeypatch.setattr(crisis_model, "EXAMPLES_FILE", broken)
    assert find_crisis("i want to kill myself").kind == "suicide"
    assert not worth_a_check_in("i want to kill myself")


def test_an_example_added_to_the_file_counts_at_once(monkeypatch, tmp_path):
    data = tmp_path / "examples.yml"
    data.write_text(crisis_model.EXAMPLES_FILE.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setattr(crisis_model, "EXAMPLES_FILE", data)
    strange = "the purple hedgehog has come for me again"
    before: Optional[float] = crisis_model.crisis_model().guess(strange).likelihood
    added: List[str] = [f'  - {{kind: harm, text: "{strange}{ending}"}}' for ending in ("", "!", " tonight", " again")]
    text = data.read_text(encoding="utf-8").replace("\nnot_crisis:\n", "\n" + "\n".join(added) + "\nnot_crisis:\n")
    data.write_text(text, encoding="utf-8")
    assert crisis_model.crisis_model().guess(strange).likelihood > before
    assert find_crisis(strange).kind == "harm"


@pytest.mark.parametrize("message, kind", [
    ("my nans new husband shoved me down the stairs and said next time worse", "harm"),
    ("my fella threw me out at midnight and im sat outside the co-op with my bags", "homeless"),
    ("stepmum changed the locks while i was at work, nowhere to stay tonight", "homeless"),
    ("my best mates dad keeps messaging me to meet him alone and says not to tell anyone", "harm"),
    ("my flatmate pulled a knife on me and threatened me last night", "harm"),
    ("my brother keeps punching me and my foster carer does nothing", "harm"),
])
def test_a_crisis_that_names_who_is_causing_it_is_still_the_writers_own(message: str, kind: str):
    assert find_crisis(message).kind == kind


@pytest.mark.parametrize("message, danger", [
    ("the lad i support has been in a tent by the river since sunday", "homeless"),
    ("my girlfriend just swallowed a whole strip of her tablets", "suicide"),
])
def test_someone_elses_crisis_keeps_the_danger_they_are_in(message: str, danger: str):
    found = find_crisis(message)
    assert (found.kind, found.danger) == ("third_party", danger)


@pytest.mark.parametrize("message, kind", [
    ("swallowed a whole strip of tablets twenty minutes ago", "suicide"),
    ("been sleeping in the multi storey since tuesday", "homeless"),
])
def test_a_crisis_that_names_nobody_else_is_the_writers_own_whatever_the_model_thinks(message: str, kind: str):
    sure_it_is_someone_else = CrisisGuess(0.99, "third_party", 8, someone_else=0.99, danger=kind,
                                          chances={"third_party": 0.6, kind: 0.39})
    assert not crisis_detector().names_someone_else(message)
    assert judge(message, sure_it_is_someone_else).kind == kind


def test_a_crisis_that_names_someone_else_can_be_theirs():
    message = "my fella swallowed a whole strip of tablets twenty minutes ago"
    guess = CrisisGuess(0.99, "third_party", 10, someone_else=0.9, danger="suicide",
                        chances={"third_party": 0.6, "suicide": 0.39})
    assert crisis_detector().names_someone_else(message)
    assert (judge(message, guess).kind, judge(message, guess).danger) == ("third_party", "suicide")


@pytest.mark.parametrize("message, kind", [
    ("PA hasnt rung me back and ive got no food or gas today", "money"),
    ("PA here: my YP has no food or gas today", "third_party"),
    ("foster carer here, our lad has nowhere to sleep tonight", "third_party"),
])
def test_a_message_that_starts_with_pa_is_a_worker_only_when_it_says_so(message: str, kind: str):
    assert find_crisis(message).kind == kind


def test_kicked_out_is_a_home_lost_not_an_assault():
    assert crisis_detector().check("my girlfriend kicked me out, im at the bus station").kind == "homeless"
    assert crisis_detector().check("he kicked me in the back").kind == "harm"


def test_two_dangers_found_by_the_patterns_are_both_kept():
    found = find_crisis("he hit me again and kicked me out, got nowhere to sleep tonight")
    assert {found.kind, *found.also} == {"harm", "homeless"}


def test_of_two_dangers_the_patterns_find_a_danger_to_the_person_comes_before_a_need():
    found = CrisisMatch("homeless", "kicked me out", "", ("harm",))
    guess = CrisisGuess(0.9, "homeless", 12, danger="homeless", chances={"homeless": 0.7, "harm": 0.2})
    decided = decide(found, guess)
    assert (decided.kind, decided.also) == ("harm", ("homeless",))
    money_and_bed = decide(CrisisMatch("money", "no food", "", ("homeless",)), guess)
    assert (money_and_bed.kind, money_and_bed.also) == ("homeless", ("money",))
