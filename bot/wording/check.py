"""The wording check: every string the bot can say against the group's glossary and plain-English rules.

Only `error` findings not covered by a reviewed exception in allow.yml fail the check; warnings and
suggestions are for the participation group to decide on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Sequence, Set, Tuple

import textstat

from bot.data_files import read_yaml
from bot.offer.loader import Offer
from bot.settings import WORDING_DIR
from bot.wording.catalogue import BotString

LEVELS = ("error", "warning", "suggestion")
POUNDS = re.compile(r"£\s?(\d[\d,]*(?:\.\d{1,2})?)")
ACRONYM = re.compile(r"\b[A-Z]{2,6}s?\b")
SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
WORD = re.compile(r"[A-Za-z0-9£'’-]+")
PASSIVE = re.compile(
    r"\b(?:am|is|are|was|were|be|been|being)\s+(?:\w+ly\s+)?"
    r"(?!used to\b)(\w+ed|\w+en|made|paid|given|kept|sent|told|done|known|shown|seen|found|held|built|"
    r"taken|sold|bought|brought|left|lost|met|put|read|set|spent|won)\b", re.IGNORECASE)
NOT_PASSIVE = {"interested", "based", "worried", "tired", "scared", "married", "involved", "allowed", "supposed",
               "open", "often", "even", "seven", "eleven", "ten", "kitchen", "children", "women", "men"}


@dataclass(frozen=True)
class Finding:
    string_id: str
    level: str
    check: str
    term: str
    message: str
    suggestion: str = ""
    why: str = ""


@dataclass(frozen=True)
class GlossaryTerm:
    avoid: Tuple[str, ...]
    prefer: str
    level: str
    why: str
    source: str

    @cached_property
    def pattern(self) -> re.Pattern:
        """Whole words, any case, with plural and -s forms; an all-capitals short form matches only in capitals."""
        alternatives = []
        for word in self.avoid:
            body = r"[\s-]+".join(re.escape(part) for part in word.split()) + "(?:s|es)?"
            alternatives.append(f"(?:{body})" if word.isupper() else f"(?i:{body})")
        return re.compile(r"(?<![\w-])(?:" + "|".join(alternatives) + r")(?![\w-])")


@dataclass(frozen=True)
class Rules:
    terms: Tuple[GlossaryTerm, ...]
    known_acronyms: Set[str]
    acronym_level: str
    checks: Dict[str, Dict]
    allowed: Set[Tuple[str, str]]
    amounts: Set[float]


def load_rules(offer: Offer, folder: Path = WORDING_DIR) -> Rules:
    glossary = read_yaml(folder / "glossary.yml")
    allow = read_yaml(folder / "allow.yml") or {}
    terms = tuple(GlossaryTerm(tuple(t["avoid"]), t["prefer"], t["level"], t["why"], t["source"])
                  for t in glossary["terms"])
    for term in terms:
        if term.level not in LEVELS:
            raise ValueError(f"glossary.yml: level {term.level!r} for {term.avoid[0]!r} is not one of {LEVELS}")
    amounts = {float(value) for entry in offer.entries.values() if entry.amount for value in entry.amount.values}
    return Rules(terms=terms, known_acronyms=set(glossary["acronyms"]["known"]),
                 acronym_level=glossary["acronyms"]["level"], checks=glossary["checks"],
                 allowed={(a["id"], a["term"].lower()) for a in allow.get("allow") or []}, amounts=amounts)


def check_strings(strings: Iterable[BotString], rules: Rules) -> List[Finding]:
    findings: List[Finding] = []
    for string in strings:
        for finding in check_string(string, rules):
            if (finding.string_id, finding.term.lower()) not in rules.allowed:
                findings.append(finding)
    return findings


def check_string(string: BotString, rules: Rules) -> List[Finding]:
    text = string.plain
    found = [*_glossary(string.id, text, rules), *_acronyms(string.id, text, rules),
             *_long_sentences(string.id, text, rules), *_passive(string.id, text, rules),
             *_amounts(string.id, text, rules)]
    grade = reading_grade(text, rules)
    limit = rules.checks["reading_grade"]
    if grade is not None and grade > limit["limit"]:
        found.append(Finding(string.id, limit["level"], "reading grade", f"grade {grade:.0f}",
                             f"reading grade {grade:.1f}, above {limit['limit']}",
                             "shorter sentences and shorter words"))
    return found


def reading_grade(text: str, rules: Rules) -> Optional[float]:
    """Flesch-Kincaid grade of a longer reply; None for short ones, where the formula means little."""
    if len(WORD.findall(text)) < rules.checks["reading_grade"]["min_words"]:
        return None
    return float(textstat.flesch_kincaid_grade(text))


def _glossary(string_id: str, text: str, rules: Rules) -> Iterable[Finding]:
    for term in rules.terms:
        for match in term.pattern.finditer(text):
            yield Finding(string_id, term.level, "glossary", match.group(0),
                          f'"{match.group(0)}": the group prefers other words', term.prefer, term.why)


def _acronyms(string_id: str, text: str, rules: Rules) -> Iterable[Finding]:
    seen: Set[str] = set()
    for match in ACRONYM.finditer(text):
        short = match.group(0).removesuffix("s") if match.group(0)[-1] == "s" else match.group(0)
        if short in seen or short in rules.known_acronyms:
            continue
        seen.add(short)
        spelled_out = text[max(0, match.start() - 1):match.start()] == "(" and text[match.end():match.end() + 1] == ")"
        if not spelled_out:
            yield Finding(string_id, rules.acronym_level, "short form", short,
                          f'"{short}" is not spelled out the first time it is used',
                          f"write it in full first, then ({short}), or leave the short form out")


def _long_sentences(string_id: str, text: str, rules: Rules) -> Iterable[Finding]:
    limit = rules.checks["longest_sentence_words"]
    for sentence in SENTENCE_END.split(text):
        words = len(WORD.findall(sentence))
        if words > limit["limit"]:
            yield Finding(string_id, limit["level"], "long sentence", f"{words} words",
                          f"a sentence of {words} words (over {limit['limit']}): " + sentence[:60] + "…",
                          "split it into two sentences")


def _passive(string_id: str, text: str, rules: Rules) -> Iterable[Finding]:
    for match in PASSIVE.finditer(text):
        if match.group(1).lower() in NOT_PASSIVE:
            continue
        yield Finding(string_id, rules.checks["passive_voice"]["level"], "passive voice", match.group(0),
                      f'"{match.group(0)}" may be passive', "say who does it: \"the council pays\"")


def _amounts(string_id: str, text: str, rules: Rules) -> Iterable[Finding]:
    for match in POUNDS.finditer(text):
        value = float(match.group(1).replace(",", ""))
        if value not in rules.amounts:
            yield Finding(string_id, rules.checks["unknown_amount"]["level"], "amount", match.group(0),
                          f"{match.group(0)} is not an amount in data/offer/",
                          "take amounts from the offer data, or add this one there with its source")


def count_by_level(findings: Sequence[Finding]) -> Dict[str, int]:
    return {level: sum(1 for f in findings if f.level == level) for level in LEVELS}
