"""Properties that must hold for any answers at all, checked with generated inputs."""

from __future__ import annotations

from typing import Any, Dict

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.conversation.understanding import notice_facts, read_answer
from bot.offer.eligibility import NEED_MORE_INFO, check_entry
from bot.offer.facts import NOT_SURE, FactValueError
from bot.offer.loader import load_offer
from bot.offer.places import INSIDE, OUTSIDE, PlaceResolver
from bot.offer.places import NOT_SURE as PLACE_NOT_SURE
from bot.settings import OFFER_DIR

OFFER = load_offer(OFFER_DIR)
RESOLVER = PlaceResolver(OFFER.places)
PROFILE = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def value_strategy(name: str) -> st.SearchStrategy:
    fact = OFFER.catalogue.facts[name]
    if fact.type == "age":
        low, high = fact.valid_range
        return st.integers(min_value=low, max_value=high)
    if fact.type == "yes_no":
        return st.booleans()
    return st.sampled_from(sorted(fact.options))


def partial_facts() -> st.SearchStrategy:
    """Each fact absent, 'not sure', or a real value."""
    return st.fixed_dictionaries({}, optional={
        name: st.one_of(st.just(NOT_SURE), value_strategy(name)) for name in OFFER.catalogue.facts
    })


def full_facts() -> st.SearchStrategy:
    """Every fact known, with ages worked out from the age now (31 August) consistent with it."""
    return st.fixed_dictionaries({name: value_strategy(name) for name in OFFER.catalogue.facts}).map(_consistent)


def _consistent(facts: Dict[str, Any]) -> Dict[str, Any]:
    for name, fact in OFFER.catalogue.facts.items():
        if fact.from_age:
            earliest, latest = fact.from_age
            facts[name] = min(max(facts[name], facts["age"] + earliest), facts["age"] + latest)
    return facts


@PROFILE
@given(entry_id=st.sampled_from(sorted(OFFER.rules)), known=partial_facts(), filler=full_facts())
def test_a_decided_answer_never_changes_when_unknown_facts_are_filled_in(entry_id, known, filler):
    """So 'not sure' or a missing fact can never have produced a wrong yes or a wrong no."""
    first = check_entry(OFFER, entry_id, known)
    completed: Dict[str, Any] = {**filler, **{k: v for k, v in known.items() if v != NOT_SURE}}
    later = check_entry(OFFER, entry_id, completed)
    if first.status != NEED_MORE_INFO:
        assert later.status == first.status


@PROFILE
@given(entry_id=st.sampled_from(sorted(OFFER.rules)), known=partial_facts())
def test_missing_facts_are_only_facts_we_do_not_know(entry_id, known):
    result = check_entry(OFFER, entry_id, known)
    unknown = {name for name in OFFER.catalogue.facts if known.get(name, NOT_SURE) == NOT_SURE}
    assert set(result.missing_facts) <= unknown
    assert result.reasons, "every answer explains itself"
    if result.status != NEED_MORE_INFO:
        assert result.missing_facts == ()


@PROFILE
@given(entry_id=st.sampled_from(sorted(OFFER.rules)), known=full_facts())
def test_with_every_fact_known_only_unpublished_rules_stay_open(entry_id, known):
    result = check_entry(OFFER, entry_id, known)
    if result.status == NEED_MORE_INFO:
        assert result.missing_facts == ()
        assert any("has not published" in reason for reason in result.reasons)


@PROFILE
@given(text=st.text(max_size=300))
def test_the_place_resolver_answers_anything_without_crashing(text):
    answer = RESOLVER.resolve(text)
    assert answer.status in {INSIDE, OUTSIDE, PLACE_NOT_SURE}
    if answer.status == PLACE_NOT_SURE:
        assert answer.next_question
        assert "lives_in_peterborough" not in answer.facts()


@PROFILE
@given(name=st.sampled_from(OFFER.places.places.peterborough.names),
       noise=st.sampled_from(["", " ", "  ", "i live in ", "im in ", "my home is in "]),
       shout=st.booleans())
def test_every_listed_peterborough_place_is_inside_however_it_is_typed(name, noise, shout):
    text = noise + (name.upper() if shout else name.lower())
    assert RESOLVER.resolve(text).status == INSIDE


@PROFILE
@given(text=st.text(max_size=500))
def test_reading_an_age_from_anything_gives_a_sensible_age_or_a_clear_no(text):
    try:
        age = read_answer("age", text, OFFER.catalogue)
    except FactValueError:
        return
    assert age == NOT_SURE or (isinstance(age, int) and 0 <= age <= 120)


@PROFILE
@given(age=st.integers(min_value=16, max_value=25),
       before=st.sampled_from(["", "i'm ", "im ", "I am ", "age "]),
       after=st.sampled_from(["", " years old", " yrs", " and a half", "!"]))
def test_a_plainly_given_age_is_read_exactly(age, before, after):
    assert read_answer("age", f"{before}{age}{after}", OFFER.catalogue) == age


@PROFILE
@given(text=st.text(max_size=500))
def test_noticing_facts_in_passing_never_crashes_and_never_guesses_a_place(text):
    found = notice_facts(text, OFFER.catalogue)
    assert set(found) <= {"age", "custody", "activity", "parent"}
