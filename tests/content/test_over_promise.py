"""No answer says "you can get it" while a fact it depends on is unknown and could make it a no.

Every entry is run against every combination of its facts (ages at the boundaries, every yes/no and
choice), then with one fact at a time left unknown or "not sure". Wherever that still says eligible,
every value the fact could really take must also say eligible or need more information.
"""

from __future__ import annotations

from itertools import product
from typing import Any, Dict, List

import pytest

from bot.offer.eligibility import ELIGIBLE, NOT_ELIGIBLE, check_entry
from bot.offer.facts import NOT_SURE
from bot.offer.loader import Offer, load_offer
from bot.offer.rules import facts_used
from bot.settings import OFFER_DIR

AGES = (15, 16, 17, 18, 19, 20, 21, 22, 24, 25, 26)
ENTRY_IDS = sorted(load_offer(OFFER_DIR).rules)


def entry_facts(offer: Offer, entry_id: str) -> List[str]:
    """The facts an entry's answer can depend on, with the age now for ages worked out from it."""
    names = facts_used(offer.rules[entry_id])
    if any(offer.catalogue.definition(name).from_age for name in names) and "age" not in names:
        names = ["age", *names]
    return names


def possible_values(offer: Offer, name: str, facts: Dict[str, Any]) -> List[Any]:
    """What a fact could really be, given the rest: an age on 31 August is the age now or one less."""
    fact = offer.catalogue.definition(name)
    if fact.type == "yes_no":
        return [True, False]
    if fact.type == "choice":
        return list(fact.options or {})
    if fact.from_age and isinstance(facts.get("age"), int):
        earliest, latest = fact.from_age
        return list(range(facts["age"] + earliest, facts["age"] + latest + 1))
    return list(AGES)


def combinations(offer: Offer, names: List[str]) -> List[Dict[str, Any]]:
    found = []
    for values in product(*(possible_values(offer, name, {}) for name in names)):
        facts = dict(zip(names, values, strict=True))
        consistent = all(facts[name] in possible_values(offer, name, facts) for name in names)
        if consistent:
            found.append(facts)
    return found


def test_every_fact_a_rule_uses_is_exercised(offer):
    assert {name for entry_id in offer.rules for name in entry_facts(offer, entry_id)} >= {
        "care_status", "child_trust_fund", "sentenced", "age_on_31_august", "course_start_age",
        "apprenticeship_start_age", "lives_in_peterborough", "custody", "activity"}


@pytest.mark.parametrize("entry_id", ENTRY_IDS)
def test_no_eligible_answer_that_an_unknown_fact_could_turn_into_a_no(offer, entry_id):
    names = entry_facts(offer, entry_id)
    over_promises = []
    for facts in combinations(offer, names):
        for name in names:
            for unknown in (None, NOT_SURE):
                partial = {key: value for key, value in facts.items() if key != name}
                if unknown is not None:
                    partial[name] = unknown
                if check_entry(offer, entry_id, partial).status != ELIGIBLE:
                    continue
                for value in possible_values(offer, name, partial):
                    if check_entry(offer, entry_id, {**partial, name: value}).status == NOT_ELIGIBLE:
                        over_promises.append((partial, name, value))
    assert not over_promises, over_promises[:5]
