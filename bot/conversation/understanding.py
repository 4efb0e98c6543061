"""Facts from what people type: ages in digits or words, and the facts facts.yml says how to notice.

Two uses: reading the answer to a question we asked (`read_answer`), and noticing facts someone
mentions on the way ("22yo in custody, what's she entitled to on release") so we don't ask again
(`notice_facts`). Noticing is cautious: a bare number is only an age when we asked for one.
Every word pattern for a fact lives in data/offer/facts.yml (`noticed_by`), so a new fact needs no code.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Dict, Iterable, List, Optional, Tuple

from bot.offer.facts import NOT_SURE, FactCatalogue, FactDefinition, FactValueError

UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
        "ninety": 90}
NOT_SURE_WORDS = re.compile(r"\b(not sure|dunno|don'?t know|do not know|idk|no idea|unsure|not certain|"
                            r"maybe|can'?t remember)\b")
YES_WORDS = re.compile(r"^(yes|yeah|yep|yh|ya|y|yup|sure|i am|i do|i did|correct|right|ok|okay)\b")
NO_WORDS = re.compile(r"^(no|nope|nah|n|not really|i'?m not|i am not|i don'?t|i didn'?t|never)\b")
AGE_IN_CONTEXT = re.compile(
    r"(?:\b(?:i'?m|i am|im|aged?|turned|she'?s|he'?s|they'?re|is|am|now|age|leaver|yp|person|client|lad|girl|boy|"
    r"son|daughter|m|f|male|female)\s+(?P<a>\d{1,3})\b"
    r"(?!\s*(?:%|pounds|quid|weeks?|days?|months?|hours?|am|pm|k\b)))"
    r"|(?:\b(?P<b>\d{1,3})\s*(?:yo|y/o|yrs? old|years? old)\b)"
    r"|(?:\b(?P<d>\d{1,2})\s*(?:yrs?|years?)\b(?!\s*(?:ago|old)))"
    r"|(?:^(?P<c>\d{1,2})\b(?!\s*(?:%|pounds|quid|weeks?|days?|months?|years?|yrs?|hours?|am|pm|k\b|£|(?:-|to|–)\s*\d)))"
    r"|(?:\b(?:i'?m|im|i am|she'?s|he'?s|age|aged)\s+(?P<w>(?:twenty|thirty)?[ -]?(?:one|two|three|four|five|"
    r"sixteen|seventeen|eighteen|nineteen|twenty))\b)")
MOST_WORDS_AROUND_AN_AGE = 3
TOPIC_INTENT = "topic_"  # the chat model's intents for a whole topic: topic_money, topic_housing, ...
CORRECTION_WORDS = re.compile(r"\b(actually|sorry|i meant|correction|wait|no i'?m|not \d+)\b")


def tidy(text: Optional[str]) -> str:
    """Lower case, straight apostrophes, single spaces: the form every reader of a message starts from."""
    return re.sub(r"\s+", " ", (text or "").lower().replace("’", "'").replace("‘", "'")).strip()


def words_to_number(text: str) -> Optional[int]:
    """'nineteen' -> 19, 'twenty two' / 'twenty-two' -> 22; anything else -> None."""
    parts = [part for part in re.split(r"[\s-]+", text.strip()) if part and part != "and"]
    if len(parts) == 1 and parts[0] in UNITS:
        return UNITS[parts[0]]
    if len(parts) == 1 and parts[0] in TENS:
        return TENS[parts[0]]
    if len(parts) == 2 and parts[0] in TENS and parts[1] in UNITS and UNITS[parts[1]] < 10:
        return TENS[parts[0]] + UNITS[parts[1]]
    return None


def find_age_number(text: str) -> Optional[str]:
    """The age someone gave when we asked: '19', 'I'm 19', '19 and a half', 'twenty two'."""
    clean = tidy(text)
    match = re.search(r"-?\d+(?:\.\d+)?", clean)
    if match:
        return match.group(0).split(".")[0]
    words = re.sub(r"\b(i'?m|im|i am|years?|old|yrs|and a half|aged?)\b", " ", clean)
    tokens = re.findall(r"[a-z]+", words)
    if len(tokens) > MOST_WORDS_AROUND_AN_AGE:
        return None  # "whats the combined authority one then" is not an age of one
    for size in (2, 1):
        for start in range(len(tokens) - size + 1):
            number = words_to_number(" ".join(tokens[start:start + size]))
            if number is not None:
                return str(number)
    return None


def read_answer(fact: str, text: str, catalogue: FactCatalogue) -> Any:
    """The value of `fact` in an answer to our question about it; FactValueError if it isn't one."""
    clean = tidy(text)
    if not clean:
        raise FactValueError("the answer was empty")
    if NOT_SURE_WORDS.search(clean):
        return NOT_SURE
    definition = catalogue.definition(fact)
    if definition.type == "age":
        number = find_age_number(clean)
        if number is None:
            raise FactValueError("that doesn't look like an age")
        return catalogue.normalise(fact, number)
    if definition.type == "yes_no":
        if YES_WORDS.search(clean):
            return True
        if NO_WORDS.search(clean):
            return False
        noticed = _noticed_value(definition, clean)
        return noticed if noticed is not None else catalogue.normalise(fact, clean)
    for value, option in (definition.options or {}).items():
        if clean == value or (option.button and clean == tidy(option.button)):
            return value
    noticed = _noticed_value(definition, clean)
    if noticed is not None:
        return noticed
    for value, option in (definition.options or {}).items():
        if any(pattern.search(clean) for pattern in _compiled(tuple(option.answered_by))):
            return value
    return noticed if noticed is not None else catalogue.normalise(fact, clean)


def notice_facts(text: str, catalogue: FactCatalogue) -> Dict[str, Any]:
    """Facts mentioned in passing. Only what is clearly said; nothing is guessed."""
    clean = tidy(text)
    found: Dict[str, Any] = {}
    age = notice_age(clean, catalogue.definition("age").leading_number_range)
    if age is not None:
        try:
            found["age"] = catalogue.normalise("age", age)
        except FactValueError:
            pass
    for name, definition in catalogue.facts.items():
        value = _noticed_value(definition, clean)
        if value is not None:
            found[name] = value
    return found


def notice_age(clean: str, leading_number_range: Optional[Tuple[int, int]] = None) -> Optional[int]:
    """An age said in so many words: "i'm 19", "19yo", "aged 20"; or a message that starts "19, ..." or says
    "20 years" when that number is in the range facts.yml gives for a bare number ("a 3 yr degree" and "in care
    for 2 years" give no age)."""
    low, high = leading_number_range or (1, 0)
    for match in AGE_IN_CONTEXT.finditer(clean):
        bare = match.group("c") or match.group("d")
        if bare is not None and not low <= int(bare) <= high:
            continue
        if match.group("w"):
            return words_to_number(match.group("w"))
        return int(next(group for group in match.group("a", "b", "c", "d") if group))
    return None


def is_correction(text: str) -> bool:
    """'actually I'm 25', 'sorry I meant Bretton': a fact given again replaces the one before."""
    return bool(CORRECTION_WORDS.search(tidy(text)))


def _noticed_value(definition: FactDefinition, clean: str) -> Any:
    for value, patterns in _patterns(definition):
        if any(pattern.search(clean) for pattern in patterns):
            return value
    return None


def _patterns(definition: FactDefinition) -> Iterable[Tuple[Any, List[re.Pattern]]]:
    if definition.type == "choice":
        pairs = [(value, tuple(option.noticed_by)) for value, option in (definition.options or {}).items()]
    else:
        pairs = [(value == "yes", tuple(patterns)) for value, patterns in definition.noticed_by.items()]
    return [(value, _compiled(patterns)) for value, patterns in pairs if patterns]


def whole_words(pattern: str) -> re.Pattern:
    """A pattern from a data file, matched only as whole words (the text is lower-cased first)."""
    return re.compile(rf"(?<![a-z0-9]){pattern}(?![a-z0-9])")


@lru_cache(maxsize=512)
def _compiled(patterns: Tuple[str, ...]) -> List[re.Pattern]:
    return [whole_words(pattern) for pattern in patterns]
