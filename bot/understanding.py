"""Facts from what people type: ages in digits or words, custody, what they do, being a parent.

Two uses: reading the answer to a question we asked (`read_answer`), and noticing facts someone
mentions on the way ("22yo in custody, what's she entitled to on release") so we don't ask again
(`notice_facts`). Noticing is cautious: a bare number is only an age when we asked for one.
"""

from __future__ import annotations

import re
from typing import Any, Dict, Optional

from bot.facts import NOT_SURE, FactCatalogue, FactValueError

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
    r"(?:\b(?:i'?m|i am|im|aged?|turned|turning|she'?s|he'?s|they'?re|is)\s+(?P<a>\d{1,3})\b)"
    r"|(?:\b(?P<b>\d{1,3})\s*(?:yo|y/o|yrs?|years?(?: old)?)\b)")
CUSTODY_WORDS = re.compile(r"\b(prison|jail|custody|yoi|locked up|inside|sentence|remand|probation|"
                           r"released|release)\b")
LEAVING_WORDS = re.compile(r"\b(gett?in'?g? out|get out|coming out|come out|released|release|leaving|"
                           r"out next|out soon|discharge)\b")
ACTIVITY_WORDS = [
    ("apprenticeship", re.compile(r"\b(apprentice(ship)?s?)\b")),
    ("university", re.compile(r"\b(uni|university|degree|undergrad)\b")),
    ("college", re.compile(r"\b(college|sixth form|6th form|a levels?|btec|school)\b")),
    ("none", re.compile(r"\b(not working|no job|unemployed|neet|nothing|not studying|jobless)\b")),
    ("work", re.compile(r"\b(work|working|job|employed)\b")),
]
PARENT_WORDS = re.compile(r"\b(my (baby|son|daughter|kids?|child|children|little one)|i'?m a (mum|mom|dad|parent)|"
                          r"young (mum|dad|parent)|pregnant)\b")


def tidy(text: Optional[str]) -> str:
    return re.sub(r"\s+", " ", (text or "").lower().replace("’", "'")).strip()


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
    for size in (2, 1):
        tokens = re.findall(r"[a-z]+", words)
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
        return catalogue.normalise(fact, clean)
    if fact == "custody":
        return _custody(clean) or catalogue.normalise(fact, clean)
    if fact == "activity":
        return _activity(clean) or catalogue.normalise(fact, clean)
    return catalogue.normalise(fact, clean)


def notice_facts(text: str, catalogue: FactCatalogue) -> Dict[str, Any]:
    """Facts mentioned in passing. Only what is clearly said; nothing is guessed."""
    clean = tidy(text)
    found: Dict[str, Any] = {}
    age = AGE_IN_CONTEXT.search(clean)
    if age:
        try:
            found["age"] = catalogue.normalise("age", age.group("a") or age.group("b"))
        except FactValueError:
            pass
    custody = _custody(clean)
    if custody:
        found["custody"] = custody
    activity = _activity(clean)
    if activity:
        found["activity"] = activity
    if PARENT_WORDS.search(clean):
        found["parent"] = True
    return found


def _custody(clean: str) -> Optional[str]:
    if re.search(r"\b(not in (prison|jail|custody)|never been (in|to) (prison|jail))\b", clean):
        return "none"
    if not CUSTODY_WORDS.search(clean):
        return None
    return "leaving" if LEAVING_WORDS.search(clean) else "in"


def _activity(clean: str) -> Optional[str]:
    for value, pattern in ACTIVITY_WORDS:
        if pattern.search(clean):
            return value
    return None
