"""Which entitlement a message is about, from each entry's title and `aliases` in data/offer/.

Resolved at run time, so an alias the council or the participation group adds works at once,
with no retraining. Tolerant of case, plurals and small typos; the model's topic is a prior.
"""

from __future__ import annotations

import difflib
import math
import re
from collections import Counter
from dataclasses import dataclass
from typing import Dict, FrozenSet, List, Optional, Sequence, Set, Tuple

from bot.offer.loader import Offer

TYPO_CUTOFF = 0.82
MIN_SHARE = 0.6
TOPIC_PRIOR = 0.5
COMMON_WEIGHT = 0.25
SMALL_WORD_WEIGHT = 0.25
GAP_PENALTY = 0.5
INFORMATION_PENALTY = 0.25
DISTINCTIVE_WEIGHT = 0.75
MAX_REMEMBERED_SPELLINGS = 20_000
FIGURE_WEIGHT = 0.75
SMALLEST_FIGURE = 50
CLOSE_TOPIC_WEIGHT = 1.5
CLOSE_ENOUGH = 2.0
CLEAR_SCORE = 5.0
CLEAR_LEAD = 1.5
FIGURE = re.compile(r"(?<![\d,.])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s?(k|grand)?(?![a-z\d])")


@dataclass(frozen=True)
class Candidate:
    entry_id: str
    score: float
    alias: str


@dataclass(frozen=True)
class _Alias:
    entry_id: str
    text: str
    tokens: Tuple[str, ...]
    content: Tuple[str, ...]


def words(text: str) -> List[str]:
    """Lower-case words, with the £ sign kept as a word, "'s" dropped and simple plurals made singular."""
    raw = re.findall(r"£|[a-z0-9]+(?:'[a-z]+)?", (text or "").lower().replace("’", "'"))
    return [_singular(word[:-2] if word.endswith("'s") else word) for word in raw]


def _singular(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


class EntitlementFinder:
    """Ranks the offer's entries by how well their names fit a message."""

    def __init__(self, offer: Offer, ignore_words: Sequence[str], common_words: Sequence[str] = (),
                 question_words: Sequence[str] = ()):
        self.ignore: FrozenSet[str] = frozenset(_singular(word) for word in ignore_words)
        self.common: FrozenSet[str] = frozenset(_singular(word) for word in common_words)
        self.question_words: FrozenSet[str] = frozenset(_singular(word) for word in question_words)
        self.information = frozenset(key for key, entry in offer.entries.items() if entry.kind != "entitlement")
        self.aliases: List[_Alias] = []
        for entry in offer.entries.values():
            for text in dict.fromkeys([*entry.aliases, *_title_names(entry.title)]):
                tokens = tuple(words(text))
                content = tuple(token for token in tokens if token not in self.ignore)
                if content:
                    self.aliases.append(_Alias(entry.id, text, tokens, content))
        self.vocabulary = sorted({token for alias in self.aliases for token in alias.content})
        self.figures: Dict[int, Set[str]] = {}
        for entry in offer.entries.values():
            for value in (entry.amount.values if entry.amount else []):
                if value >= SMALLEST_FIGURE:
                    self.figures.setdefault(int(value), set()).add(entry.id)
        self.bags = {key: frozenset(word for text in (entry.title, entry.summary, *entry.aliases)
                                    for word in words(text) if word not in self.ignore and word not in self.common)
                     for key, entry in offer.entries.items()}
        self.rarity = _rarity(self.bags.values())
        self.mains = {key: topic.main for key, topic in offer.topics.items()}
        self.spellings: Dict[str, str] = {}
        self.distinctive = _distinctive_words(self.aliases, self.common | self.question_words)
        self.topics: Dict[str, FrozenSet[str]] = {
            key: frozenset(entry.topics) for key, entry in offer.entries.items()}
        listed = {key: frozenset(_singular(word.lower()) for word in topic.words)
                  for key, topic in offer.topics.items()}
        self.topic_words: Dict[str, FrozenSet[str]] = {
            key: listed[key] | {word for word in words(topic.title) if word not in self.ignore and len(word) > 3}
            for key, topic in offer.topics.items()}
        self.own_topic_words: Dict[str, FrozenSet[str]] = {
            key: frozenset(word for word in listed[key] if not any(
                word in alias.content and key not in self.topics[alias.entry_id] for alias in self.aliases))
            for key in offer.topics}

    def rank(self, text: str, topic: Optional[str] = None) -> List[Candidate]:
        """Entries the message names, best first; each entry once, with the alias that fitted best."""
        tokens = [self._known_spelling(token) for token in words(text)]
        best: Dict[str, Candidate] = {}
        for alias in self.aliases:
            score = _fit(alias, tokens, self.ignore, self.common)
            if score <= 0:
                continue
            if topic and topic in self.topics[alias.entry_id]:
                score += TOPIC_PRIOR
            if alias.entry_id in self.information:
                score -= INFORMATION_PENALTY
            if alias.entry_id not in best or score > best[alias.entry_id].score:
                best[alias.entry_id] = Candidate(alias.entry_id, score, alias.text)
        for entry_id, found in self._distinctive_in(tokens).items():
            score = DISTINCTIVE_WEIGHT * len(found) + (TOPIC_PRIOR if topic and topic in self.topics[entry_id] else 0)
            if entry_id not in best or score > best[entry_id].score:
                best[entry_id] = Candidate(entry_id, score, " ".join(found))
        for figure in money_figures(text):
            for entry_id in self.figures.get(figure, ()):
                known = best.get(entry_id)
                prior = TOPIC_PRIOR if topic and topic in self.topics[entry_id] else 0
                score = known.score + FIGURE_WEIGHT if known else FIGURE_WEIGHT + prior
                best[entry_id] = Candidate(entry_id, score, known.alias if known else str(figure))
        return sorted(best.values(), key=lambda candidate: -candidate.score)

    def _distinctive_in(self, tokens: Sequence[str]) -> Dict[str, List[str]]:
        """Entries named by a word only their aliases use ("phone", "van"), even outside a whole alias."""
        found: Dict[str, List[str]] = {}
        for token in dict.fromkeys(tokens):
            entry_id = self.distinctive.get(token)
            if entry_id:
                found.setdefault(entry_id, []).append(token)
        return found

    def closest(self, text: str, topic: Optional[str] = None, limit: int = 3) -> List[str]:
        """The entries a message most likely means, for "Did you mean"; may be empty."""
        scores = self._shared_words(text, topic)
        ranked = sorted(scores, key=lambda key: -scores[key])[:limit]
        if not ranked and self.mains.get(topic):
            ranked = [self.mains[topic]]
        return ranked

    def narrowed(self, text: str, tied: Sequence[Candidate], topic: Optional[str] = None) -> List[Candidate]:
        """Of entries a message names equally well by the same word ("the bursary"), those sharing most of its
        other words ("at college"). Entries named by different words ("my PA", "NI number") are all kept."""
        if len(tied) < 2:
            return list(tied)
        scores = self._shared_words(text, topic)
        ranked = sorted((scores.get(candidate.entry_id, 0.0) for candidate in tied), reverse=True)
        if len({candidate.alias for candidate in tied}) > 1 and ranked[0] < CLEAR_LEAD * ranked[1]:
            return list(tied)
        return [candidate for candidate in tied if scores.get(candidate.entry_id, 0.0) == ranked[0]]

    def says_more_than(self, text: str, aliases: Sequence[str]) -> bool:
        """Whether the message has a word of its own besides these names and question words: "how much is the
        bursary" has none, so nothing in it can choose between the bursaries."""
        plain = self.ignore | self.common | self.question_words | {word for alias in aliases for word in words(alias)}
        return any(self._known_spelling(token) not in plain for token in words(text))

    def clear_winner(self, text: str, topic: Optional[str] = None) -> Optional[str]:
        """The one entry a message means by the words it shares, when it is well ahead of the next."""
        scores = sorted(self._shared_words(text, topic).items(), key=lambda item: -item[1])
        if not scores or scores[0][1] < CLEAR_SCORE:
            return None
        if len(scores) > 1 and scores[0][1] < CLEAR_LEAD * scores[1][1]:
            return None
        return scores[0][0]

    def _shared_words(self, text: str, topic: Optional[str]) -> Dict[str, float]:
        """Each word the message shares with an entry's title, summary or aliases counts by how rare it is
        across the offer; the model's topic adds to its entries. Entries below CLOSE_ENOUGH are left out."""
        tokens = {self._known_spelling(token) for token in words(text) if len(token) > 2}
        tokens -= self.ignore | self.common
        scores: Dict[str, float] = {}
        for key, bag in self.bags.items():
            score = sum(self.rarity[token] for token in tokens & bag)
            if score and topic and topic in self.topics[key]:
                score += CLOSE_TOPIC_WEIGHT
            if score >= CLOSE_ENOUGH:
                scores[key] = score
        return scores

    def topic_named(self, text: str) -> Optional[str]:
        """The topic whose words the message uses ("help with housing?" -> housing), if exactly one. A word listed
        for one topic and no other entry's names comes first: "uni" names university though "care leavers" names
        two more topics, while "parent" is also in "act like a parent"."""
        tokens = set(words(text))
        for named_by in (self.own_topic_words, self.topic_words):
            named = [key for key, topic_words in named_by.items() if tokens & topic_words]
            if named:
                return named[0] if len(named) == 1 else None
        return None

    def _known_spelling(self, token: str) -> str:
        """The alias word a small typo stands for, starting with the same two letters ("costing" is not
        "closing"); remembered, as difflib is the slow part of a message."""
        if token in self.ignore or len(token) < 4 or token.isdigit():
            return token
        if token not in self.spellings:
            if len(self.spellings) >= MAX_REMEMBERED_SPELLINGS:
                self.spellings.clear()
            matches = difflib.get_close_matches(token, self.vocabulary, n=3, cutoff=TYPO_CUTOFF)
            same_start = [match for match in matches if match[:2] == token[:2]]
            self.spellings[token] = (same_start or [token])[0]
        return self.spellings[token]


def _fit(alias: _Alias, tokens: List[str], ignore: FrozenSet[str], common: FrozenSet[str]) -> float:
    """How well the alias appears in the message: its content words in order, close together.

    Each content word scores a point (a common word a quarter), each small word around them half a point,
    and each word in between costs half a point; an alias whose words are mostly missing does not count.
    """
    if all(token in common or token.isdigit() for token in alias.content):
        return _whole_phrase(alias, tokens)
    first = alias.content[0]
    span_limit = len(alias.tokens) + 2
    best = 0.0
    for start, token in enumerate(tokens):
        if token != first:
            continue
        position, matched = start, 1
        for wanted in alias.content[1:]:
            try:
                position = tokens.index(wanted, position + 1, start + span_limit)
            except ValueError:
                break
            matched += 1
        if matched < len(alias.content):
            continue
        window = set(tokens[max(0, start - 2):start + span_limit])
        small = sum(1 for token in alias.tokens if token in ignore and token in window)
        if (matched + small) / len(alias.tokens) < MIN_SHARE:
            continue
        weight = sum(COMMON_WEIGHT if token in common or token.isdigit() else 1.0 for token in alias.content)
        gaps = (position - start + 1) - len(alias.content)
        best = max(best, weight + SMALL_WORD_WEIGHT * small - GAP_PENALTY * gaps)
    return best


def _whole_phrase(alias: _Alias, tokens: List[str]) -> float:
    """An alias of common words only ("am i a care leaver") counts only when said much as it is written:
    its words in order, close together, with at most one small word left out ("am i care leaver")."""
    size = len(alias.tokens)
    for start, token in enumerate(tokens):
        if token not in alias.tokens[:2]:
            continue
        window = tokens[start:start + size]
        found, position = 0, 0
        for wanted in alias.tokens:
            if wanted in window[position:]:
                position = window.index(wanted, position) + 1
                found += 1
        if found >= size - 1 and all(word in window for word in alias.content):
            return COMMON_WEIGHT * len(alias.content) + SMALL_WORD_WEIGHT * (found - len(alias.content)) + 1.0
    return 0.0


def money_figures(text: str) -> Set[int]:
    """Sums of money a message mentions ("is the 1200 every year", "£2,000", "2k", "3 grand"), 50 or more."""
    found = set()
    for number, thousands in FIGURE.findall((text or "").lower()):
        value = float(number.replace(",", "")) * (1000 if thousands else 1)
        if value >= SMALLEST_FIGURE and value == int(value):
            found.add(int(value))
    return found


def _rarity(bags: Sequence[FrozenSet[str]]) -> Dict[str, float]:
    """How much a shared word says: words in few entries' names say more."""
    counts = Counter(word for bag in bags for word in bag)
    return {word: math.log(1 + len(bags) / count) for word, count in counts.items()}


def _distinctive_words(aliases: Sequence[_Alias], common: FrozenSet[str]) -> Dict[str, str]:
    """Words of four letters or more that appear in one entry's aliases only."""
    owners: Dict[str, set] = {}
    for alias in aliases:
        for token in alias.content:
            if len(token) >= 4 and token not in common and not token.isdigit():
                owners.setdefault(token, set()).add(alias.entry_id)
    return {token: next(iter(ids)) for token, ids in owners.items() if len(ids) == 1}


def _title_names(title: str) -> List[str]:
    """'Staying Put (stay with your foster carers)' -> ['Staying Put', 'stay with your foster carers']."""
    outside = re.sub(r"\([^)]*\)", " ", title).strip()
    inside = re.findall(r"\(([^)]*)\)", title)
    return [name for name in [outside, *inside] if name]
