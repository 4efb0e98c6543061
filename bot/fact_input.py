"""Raw answers (command-line flags, a web form's query, the chat's facts) to checked facts, and back.

One reader for the PA quick check and the web check, so the same answers always give the same
facts. A problem is kept per answer, not raised at the first one, so a form can show every mistake.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, Iterable, List, Mapping, Optional, Tuple
from urllib.parse import urlencode

from bot.offer.facts import NOT_SURE, PLACE_QUESTION, FactCatalogue, FactValueError
from bot.offer.loader import Offer
from bot.offer.places import PlaceAnswer, PlaceResolver

CHECK_PATH = "/check"
LIVES_IN = "lives_in"
NOT_SURE_KEY = "not_sure"
ON_KEY = "on"


@dataclass(frozen=True)
class FactInput:
    """The facts read, the place as resolved, and a problem for each answer that could not be read."""

    facts: Dict[str, Any]
    place: Optional[PlaceAnswer]
    problems: Dict[str, FactValueError]


def answer_names(catalogue: FactCatalogue) -> List[str]:
    """The answers a person gives: each fact, except that where they live is one free-text answer."""
    names = [name for name, fact in catalogue.facts.items() if fact.question != PLACE_QUESTION]
    return names + [LIVES_IN]


def read_facts(offer: Offer, values: Mapping[str, Any], not_sure: Iterable[str] = (),
               lives_in: Optional[str] = None) -> FactInput:
    """`values`: fact name -> raw answer (None or "" is not given); `not_sure`: fact names, or `lives_in`."""
    catalogue = offer.catalogue
    facts: Dict[str, Any] = {}
    problems: Dict[str, FactValueError] = {}
    for name, raw in values.items():
        if raw is None or raw == "" or name not in catalogue.facts:
            continue
        try:
            facts[name] = catalogue.normalise(name, raw)
        except FactValueError as error:
            problems[name] = error
    place: Optional[PlaceAnswer] = None
    if lives_in and lives_in.strip():
        place = PlaceResolver(offer.places).resolve(lives_in)
        facts.update(place.facts())
    for name in not_sure:
        key = name.replace("-", "_")
        if key == LIVES_IN:
            facts.update({fact: NOT_SURE for fact in catalogue.questions()[PLACE_QUESTION]})
            place = None
        elif key in catalogue.facts:
            facts[key] = NOT_SURE
        else:
            problems[NOT_SURE_KEY] = FactValueError(
                f"takes a fact name ({', '.join(answer_names(catalogue))}), not {name!r}")
    return FactInput(facts, place, problems)


def answers_from_facts(catalogue: FactCatalogue, facts: Mapping[str, Any]) -> List[Tuple[str, str]]:
    """The (name, value) pairs that give these facts again: the chat's facts as a web check's query."""
    pairs: List[Tuple[str, str]] = []
    for name, value in facts.items():
        fact = catalogue.facts.get(name)
        if fact is None or fact.question == PLACE_QUESTION:
            continue
        if value == NOT_SURE:
            pairs.append((NOT_SURE_KEY, name))
        else:
            pairs.append((name, "yes" if value is True else "no" if value is False else str(value)))
    place_facts = catalogue.questions()[PLACE_QUESTION]
    if facts.get("place"):
        pairs.append((LIVES_IN, str(facts["place"])))
    elif any(facts.get(name) == NOT_SURE for name in place_facts):
        pairs.append((NOT_SURE_KEY, LIVES_IN))
    return pairs


def query_from_facts(catalogue: FactCatalogue, facts: Mapping[str, Any]) -> str:
    return urlencode(answers_from_facts(catalogue, facts))
