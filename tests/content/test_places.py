"""Where someone lives: inside, outside, or ask again - never a guess."""

from __future__ import annotations

import pytest

from bot.offer.places import INSIDE, NOT_SURE, OUTSIDE


@pytest.mark.parametrize("text", [
    "Orton", "i live in orton goldhay", "ORTON   WATERVILLE", "Werrington", "bretton", "Hampton Vale",
    "Stanground", "Thorney", "Eye", "Glinton", "im in woodston innit",
    "PE1 1AA", "pe2 6xx", "PE26XX", "pe3", "Deeping Gate",
])
def test_places_inside_peterborough(resolver, text):
    answer = resolver.resolve(text)
    assert answer.status == INSIDE, answer
    assert answer.facts()["lives_in_peterborough"] is True


@pytest.mark.parametrize("text", [
    "Huntingdon", "Whittlesey", "Yaxley", "Stamford", "Market Deeping", "Wisbech", "March", "Spalding",
    "Oundle", "Cambridge", "Farcet", "Yaxley, Peterborough", "i live in london", "CB1 2AB", "PE29 3TN",
    "PE11 1AA", "NN1 1AA", "SW1A 1AA",
])
def test_places_outside_peterborough(resolver, text):
    answer = resolver.resolve(text)
    assert answer.status == OUTSIDE, answer
    assert answer.facts()["lives_in_peterborough"] is False


@pytest.mark.parametrize(("text", "in_area"), [
    ("Huntingdon", True), ("Wisbech", True), ("Orton", True), ("PE29 1AA", True),
    ("Stamford", False), ("Spalding", False), ("NN1 1AA", False),
])
def test_cambridgeshire_or_peterborough(resolver, text, in_area):
    assert resolver.resolve(text).facts()["lives_in_cambridgeshire_or_peterborough"] is in_area


def test_split_postcode_district_names_the_district_and_offers_places(resolver):
    answer = resolver.resolve("PE7 8AB")
    assert answer.status == NOT_SURE
    assert "PE7" in answer.next_question
    assert "Hampton" in answer.options and "Yaxley" in answer.options
    assert answer.facts() == {}


def test_split_district_outside_cambridgeshire_border_is_unknown_not_false(resolver):
    answer = resolver.resolve("PE13 1AA")
    assert answer.status == OUTSIDE
    assert "lives_in_cambridgeshire_or_peterborough" not in answer.facts()


@pytest.mark.parametrize("text", ["near Stamford", "nr orton", "close to Huntingdon", "just outside peterborough"])
def test_near_somewhere_asks_where_exactly(resolver, text):
    answer = resolver.resolve(text)
    assert answer.status == NOT_SURE
    assert answer.next_question


@pytest.mark.parametrize("text", ["Narnia", "asdfgh", "🙂🙂", "<script>alert(1)</script>", "", "   ", "x" * 10_000])
def test_unknown_or_junk_places_ask_again_kindly(resolver, text):
    answer = resolver.resolve(text)
    assert answer.status == NOT_SURE
    assert answer.next_question and "?" in answer.next_question


@pytest.mark.parametrize("text", ["Peterborough", "i live in peterborough", "Sutton", "Newark"])
def test_names_that_do_not_decide_ask_a_follow_up(resolver, text):
    answer = resolver.resolve(text)
    assert answer.status == NOT_SURE
    assert answer.place


@pytest.mark.parametrize(("typo", "place"), [
    ("wereington", "Werrington"), ("orten goldhay", "Orton Goldhay"), ("huntingdun", "Huntingdon"),
    ("stamferd", "Stamford"), ("Brettton", "Bretton"),
])
def test_small_typos_are_tolerated(resolver, typo, place):
    assert resolver.resolve(typo).place == place


def test_two_places_in_different_areas_are_not_guessed(resolver):
    answer = resolver.resolve("between Yaxley and Hampton")
    assert answer.status == NOT_SURE
    assert set(answer.options) == {"Yaxley", "Hampton"}


# Names of places in Peterborough that places elsewhere share: inside only when nothing points elsewhere.
@pytest.mark.parametrize(("text", "status", "place"), [
    ("Eye", INSIDE, "Eye (PE6)"),
    ("i live in eye", INSIDE, "Eye (PE6)"),
    ("Eye PE6 7AB", INSIDE, "Eye (PE6)"),
    ("Eye, Suffolk", OUTSIDE, "Eye, Suffolk"),
    ("Eye IP23 7AB", OUTSIDE, "IP23"),
    ("Hampton", INSIDE, "Hampton (PE7)"),
    ("Hampton, Middlesex", OUTSIDE, "Hampton, Middlesex"),
    ("hampton vale", INSIDE, "Hampton Vale"),
    ("Norwood", INSIDE, "Norwood (PE4)"),
    ("Norwood, London", NOT_SURE, None),
    ("Westwood", INSIDE, "Westwood (PE3)"),
    ("westwood kent", OUTSIDE, "Westwood, Kent"),
    ("Walton", INSIDE, "Walton (PE4)"),
    ("Walton on Thames", OUTSIDE, "Walton, Thames"),
    ("Walton, Peterborough", INSIDE, "Walton (PE4)"),
    ("Upton", INSIDE, "Upton (PE5)"),
    ("Upton, Northampton", NOT_SURE, None),
    ("Netherton", INSIDE, "Netherton (PE3)"),
    ("Netherton, Dudley", NOT_SURE, "Netherton"),
    ("netherton dudley", NOT_SURE, "Netherton"),
    ("Netherton (PE3)", INSIDE, "Netherton (PE3)"),
    ("Eastfield", INSIDE, "Eastfield (PE1)"),
    ("Eastfield, Yorkshire", OUTSIDE, "Eastfield, Yorkshire"),
    ("Millfield", INSIDE, "Millfield (PE1)"),
    ("Millfield, Peterborough", INSIDE, "Millfield (PE1)"),
    ("Thorney", INSIDE, "Thorney (PE6)"),
    ("Thorney, Nottinghamshire", OUTSIDE, "Thorney, Nottinghamshire"),
    ("Newborough", INSIDE, "Newborough (PE6)"),
    ("Newborough, Staffordshire", OUTSIDE, "Newborough, Staffordshire"),
    ("I'm 20 and live in Eye, do I pay council tax?", INSIDE, "Eye (PE6)"),
])
def test_shared_place_names(resolver, text, status, place):
    answer = resolver.resolve(text)
    assert (answer.status, answer.place) == (status, place), answer


@pytest.mark.parametrize(("text", "in_area"), [
    ("Melbourn", True), ("Gamlingay", True), ("Melbourn SG8 6AB", True), ("Gamlingay SG19 3AB", True),
    ("SG8 6AB", None), ("Eye, Suffolk", False),
])
def test_cambridgeshire_villages_count_for_the_combined_authority(resolver, text, in_area):
    answer = resolver.resolve(text)
    assert answer.status == OUTSIDE
    assert answer.in_cambridgeshire_or_peterborough is in_area
