"""The facts a rule may ask about, read from data/offer/facts.yml.

A fact's value is one of: not given (absent), NOT_SURE (the person said they don't know),
or a real value. Both of the first two leave a rule undecided; neither ever means "no".
"""

from __future__ import annotations

from typing import Any, Dict, List, Literal, Optional, Tuple

from pydantic import root_validator

from bot.strict_model import StrictModel

NOT_SURE = "not_sure"
PLACE_QUESTION = "where_you_live"
YES_NO_WORDS = {
    True: True, False: False,
    "yes": True, "no": False, "true": True, "false": False, "y": True, "n": False,
}


class FactValueError(ValueError):
    """A value that cannot stand for a fact: the message is fit to show a person."""



class ChoiceOption(StrictModel):
    says: str
    needs: str
    button: Optional[str] = None
    if_you: Optional[str] = None
    answered_by: List[str] = []
    noticed_by: List[str] = []


class FactDefinition(StrictModel):
    type: Literal["age", "yes_no", "choice"]
    label: str
    question: str
    cli_flag: str
    says: Any
    says_with_place: Optional[Dict[str, str]] = None
    needs: Optional[Dict[str, str]] = None
    options: Optional[Dict[str, ChoiceOption]] = None
    valid_range: Optional[Tuple[int, int]] = None
    ask: Optional[str] = None
    leading_number_range: Optional[Tuple[int, int]] = None
    from_age: Optional[Tuple[int, int]] = None
    says_from_age: Optional[str] = None
    needs_suffix: Optional[str] = None
    noticed_by: Dict[str, List[str]] = {}

    @root_validator(skip_on_failure=True)
    def _fits_its_type(cls, values: Dict[str, Any]) -> Dict[str, Any]:
        kind = values["type"]
        if kind == "age":
            if not isinstance(values["says"], str) or values["valid_range"] is None:
                raise ValueError("an age fact needs 'says' as one sentence and 'valid_range'")
            if values["from_age"] is not None and not values["says_from_age"]:
                raise ValueError("an age worked out 'from_age' needs 'says_from_age'")
        elif kind == "yes_no":
            for field in ("says", "needs"):
                if not isinstance(values[field], dict) or set(values[field]) != {"yes", "no"}:
                    raise ValueError(f"a yes/no fact needs '{field}' with 'yes' and 'no'")
        elif not values["options"]:
            raise ValueError("a choice fact needs 'options'")
        return values


class ReasonTemplates(StrictModel):
    met: str
    met_with_needs: str
    not_met: str
    not_met_negated: str
    unknown: str
    unknown_negated: str
    not_sure: str
    not_sure_negated: str
    everyone: str
    unpublished: str
    age_range: str
    age_at_least: str
    age_under: str
    choice_needs: str
    choice_joiner: str


class FactCatalogue(StrictModel):
    facts: Dict[str, FactDefinition]
    reasons: ReasonTemplates

    @root_validator(skip_on_failure=True)
    def _one_question_text_each(cls, values: Dict[str, Any]) -> Dict[str, Any]:
        asked: Dict[str, int] = {}
        for fact in values["facts"].values():
            asked[fact.question] = asked.get(fact.question, 0) + (fact.ask is not None)
        wrong = [question for question, count in asked.items() if count != 1]
        if wrong:
            raise ValueError(f"each question needs 'ask' on exactly one of its facts: {', '.join(wrong)}")
        return values

    def question_text(self, question: str) -> str:
        """What the chatbot asks for a question id."""
        return next(fact.ask for fact in self.facts.values() if fact.question == question and fact.ask)

    def definition(self, name: str) -> FactDefinition:
        return self.facts[name]

    def questions(self) -> Dict[str, List[str]]:
        """Question id -> the facts that answering it sets."""
        asked: Dict[str, List[str]] = {}
        for name, fact in self.facts.items():
            asked.setdefault(fact.question, []).append(name)
        return asked

    def normalise(self, name: str, raw: Any) -> Any:
        """Turn a raw answer into the fact's value, or raise FactValueError with a kind message."""
        fact = self.facts[name]
        if isinstance(raw, str) and raw.strip().lower().replace(" ", "_") in {NOT_SURE, "dont_know", "unsure"}:
            return NOT_SURE
        if fact.type == "age":
            return parse_age(raw, fact.valid_range or (0, 120))
        if fact.type == "yes_no":
            key = raw.strip().lower() if isinstance(raw, str) else raw
            if key in YES_NO_WORDS:
                return YES_NO_WORDS[key]
            raise FactValueError(f"{fact.label} takes yes, no or not sure, not {raw!r}")
        options = fact.options or {}
        key = raw.strip().lower().replace("-", "_") if isinstance(raw, str) else raw
        if key in options:
            return key
        raise FactValueError(f"{fact.label} takes one of: {', '.join(options)} (or not sure), not {raw!r}")


def parse_age(raw: Any, valid_range: Tuple[int, int]) -> int:
    """An age in whole years, within the range a person could really be."""
    low, high = valid_range
    if isinstance(raw, bool):
        raise FactValueError("an age is a whole number of years, like 19")
    if isinstance(raw, int):
        age = raw
    else:
        text = str(raw).strip()
        if not text.lstrip("-").isdigit():
            raise FactValueError(f"an age is a whole number of years, like 19, not {text!r}")
        age = int(text)
    if not low <= age <= high:
        raise FactValueError(f"an age must be between {low} and {high}, not {age}")
    return age
