"""The web check's query: only the answers (facts), read once and checked, with a plain-word error per field.

The query is all the web check knows about a person: nothing is stored, so the same address always
gives the same list, and a link back to the form carries the answers with it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple
from urllib.parse import urlencode

from bot.fact_input import LIVES_IN, NOT_SURE_KEY, ON_KEY, FactInput, answer_names, read_facts
from bot.offer.facts import FactCatalogue
from bot.offer.loader import Offer

MAX_VALUE_CHARS = 200


@dataclass(frozen=True)
class CheckQuery:
    """The answers as given: (name, value) pairs in a fixed order, with nothing else kept."""

    pairs: Tuple[Tuple[str, str], ...]

    @classmethod
    def from_pairs(cls, catalogue: FactCatalogue, given: Sequence[Tuple[str, str]]) -> CheckQuery:
        known = answer_names(catalogue) + [NOT_SURE_KEY, ON_KEY]
        kept = [(name, value.strip()[:MAX_VALUE_CHARS]) for name in known for key, value in given
                if key == name and value.strip()]
        return cls(tuple(kept))

    def value(self, name: str) -> str:
        return next((value for key, value in self.pairs if key == name), "")

    @property
    def not_sure(self) -> List[str]:
        return [value for key, value in self.pairs if key == NOT_SURE_KEY]

    def encoded(self, leave_out: Sequence[str] = ()) -> str:
        return urlencode([(key, value) for key, value in self.pairs if key not in leave_out])

    def __bool__(self) -> bool:
        return bool(self.pairs)


@dataclass(frozen=True)
class ReadQuery:
    answers: FactInput
    on: date
    errors: Dict[str, str]


def read_query(offer: Offer, query: CheckQuery, words: Mapping[str, Any], today: Optional[date] = None) -> ReadQuery:
    """The facts, the date to check on, and an error for each answer that cannot be read (field -> words)."""
    catalogue = offer.catalogue
    values = {name: query.value(name) for name in answer_names(catalogue) if name != LIVES_IN}
    answers = read_facts(offer, values, query.not_sure, query.value(LIVES_IN))
    errors = {name: field_error(catalogue, name, words) for name in answers.problems}
    on = today or date.today()
    if query.value(ON_KEY):
        try:
            on = date.fromisoformat(query.value(ON_KEY))
        except ValueError:
            errors[ON_KEY] = words["errors"][ON_KEY]
    return ReadQuery(answers, on, errors)


def field_error(catalogue: FactCatalogue, name: str, words: Mapping[str, Any]) -> str:
    """The error for one answer, in the words of data/wording/check.yml, by the kind of answer."""
    templates = words["errors"]
    if name not in catalogue.facts:
        return templates[NOT_SURE_KEY]
    fact = catalogue.facts[name]
    low, high = fact.valid_range or (None, None)
    return templates[fact.type].format(label=fact.label, low=low, high=high)
