"""The crisis safety net's patterns: every message is checked for each kind of crisis before anything else.

Patterns catch the words they list, however the model was trained; the classifier in crisis_model.py
catches wordings no pattern lists. Kinds, patterns, look-alikes and replies live in
data/safety/crisis.yml, so they change without code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import SimpleNamespace
from typing import Dict, List, Mapping, Optional, Sequence, Tuple

from bot.conversation.understanding import tidy, whole_words
from bot.data_files import read_yaml
from bot.settings import SAFETY_DIR

CRISIS_FILE = SAFETY_DIR / "crisis.yml"
GENERAL = "general"
WINDOW = 4000
WINDOW_OVERLAP = 200


@dataclass(frozen=True)
class CrisisMatch:
    """The kind of reply, the pattern that found it, for someone else's crisis the danger they are in, and
    other kinds of danger the message shows too ("he's kicking off and I've got nowhere to go")."""

    kind: str
    pattern: str
    danger: str = ""
    also: Tuple[str, ...] = ()
    told_by_a_worker: bool = False
    the_writer_named: bool = False


class CrisisDetector:
    """Finds the kind of crisis a message shows, after setting aside phrases that only look like one."""

    def __init__(self, kinds: Mapping[str, Sequence[str]], not_crisis: Sequence[str] = (),
                 distress: Sequence[str] = (), someone_else: Mapping[str, Sequence[str]] = None,
                 about_me: Sequence[str] = (), told_by: Mapping[str, Sequence[str]] = None,
                 urgency: Mapping[str, int] = None, someone_named: Sequence[str] = (),
                 answer_the_question_too: Sequence[str] = ()):
        self.patterns: List[Tuple[str, str, re.Pattern]] = [
            (kind, pattern, whole_words(pattern)) for kind, listed in kinds.items() for pattern in listed]
        self.not_crisis = [whole_words(pattern) for pattern in not_crisis]
        self.distress = [whole_words(pattern) for pattern in distress]
        self.someone_else = [(kind, whole_words(pattern)) for kind, listed in (someone_else or {}).items()
                             for pattern in listed]
        self.about_others = frozenset(kind for kind, _ in self.someone_else)
        self.about_me = [whole_words(pattern) for pattern in about_me]
        self.told_by = [(kind, whole_words(pattern)) for kind, listed in (told_by or {}).items() for pattern in listed]
        self.urgency: Dict[str, int] = dict(urgency or {})
        self.names_someone = [*(whole_words(pattern) for pattern in someone_named),
                              *(pattern for _, pattern in self.someone_else), *(pattern for _, pattern in self.told_by)]
        self.answer_the_question_too = frozenset(answer_the_question_too)

    @classmethod
    def from_file(cls, path: Path = CRISIS_FILE) -> CrisisDetector:
        data = read_yaml(path)
        kinds = {kind: list(spec["patterns"]) for kind, spec in data["kinds"].items()}
        someone_else = {kind: list(spec["about_someone_else"]) for kind, spec in data["kinds"].items()
                        if spec.get("about_someone_else")}
        about_me = [pattern for spec in data["kinds"].values() for pattern in spec.get("about_me") or []]
        told_by = {kind: list(spec["told_by"]) for kind, spec in data["kinds"].items() if spec.get("told_by")}
        someone_named = [pattern for spec in data["kinds"].values() for pattern in spec.get("someone_named") or []]
        return cls(kinds, list(data.get("not_crisis") or []), list(data.get("distress") or []), someone_else,
                   about_me, told_by, dict(data.get("urgency") or {}), someone_named,
                   list(data.get("answer_the_question_too") or []))

    def check(self, text: Optional[str]) -> Optional[CrisisMatch]:
        """The first crisis kind found anywhere in the text, or None.

        Long text is searched in overlapping windows, so a crisis phrase is found however far in it is.
        """
        clean = tidy(text)
        step = WINDOW - WINDOW_OVERLAP
        for start in range(0, max(1, len(clean) - WINDOW_OVERLAP), step):
            window = self._without_look_alikes(clean[start:start + WINDOW])
            found = self._find(window)
            if found:
                kind, pattern, words = found
                whose = self._about_whom(kind, window)
                return CrisisMatch(whose, pattern, kind if whose != kind else "", self._other_dangers(kind, window),
                                   any(told.search(window) for _, told in self.told_by), self._names_the_writer(words))
        return None

    def _find(self, window: str) -> Optional[Tuple[str, str, str]]:
        """The kind, pattern and words of the first danger whose own words name the writer ("my housemate
        threatened me" is the writer's, though the message names someone else first), else of the first found."""
        first = None
        for kind, pattern, compiled in self.patterns:
            found = compiled.search(window)
            if not found:
                continue
            if kind not in self.about_others and self._names_the_writer(found.group(0)):
                return kind, pattern, found.group(0)
            first = first or (kind, pattern, found.group(0))
        return first

    def _names_the_writer(self, words: str) -> bool:
        return any(pattern.search(words) for pattern in self.about_me)

    def _other_dangers(self, kind: str, window: str) -> Tuple[str, ...]:
        dangers = {other for other, _, _ in self.patterns} - {kind} - self.about_others
        found = {other for other, _, compiled in self.patterns if other in dangers and compiled.search(window)}
        return tuple(sorted(found))

    def _about_whom(self, kind: str, window: str) -> str:
        """A crisis told about someone else gets the reply for the person telling us, unless they are at risk too."""
        if kind in self.about_others:
            return kind
        for other_kind, pattern in self.told_by:
            if pattern.search(window):
                return other_kind
        if any(pattern.search(window) for pattern in self.about_me):
            return kind
        for other_kind, pattern in self.someone_else:
            if pattern.search(window):
                return other_kind
        return kind

    def names_someone_else(self, text: Optional[str]) -> bool:
        """Whether the message names anyone but the writer: a person, a pronoun, or a worker telling us."""
        clean = tidy(text)
        return any(pattern.search(clean) for pattern in self.names_someone)

    def shows_distress(self, text: Optional[str]) -> bool:
        clean = tidy(text)[:WINDOW]
        return any(pattern.search(clean) for pattern in self.distress)

    def _without_look_alikes(self, text: str) -> str:
        for pattern in self.not_crisis:
            text = pattern.sub(" ", text)
        return text


def crisis_detector() -> CrisisDetector:
    """The detector for the crisis file as it is now: built again only when the file changes."""
    return _detector_for(CRISIS_FILE.stat().st_mtime_ns)


@lru_cache(maxsize=1)
def _detector_for(modified_ns: int) -> CrisisDetector:
    return CrisisDetector.from_file(CRISIS_FILE)


def crisis_reply_lines(kind: str, contacts: Mapping[str, Mapping[str, str]], danger: str = "",
                       also: Sequence[str] = (), path: Path = CRISIS_FILE) -> List[str]:
    """The first reply for a crisis kind, with each {contact-id.phone} filled from contacts.yml.

    After its first line come the lines for the danger someone else is in, or for another danger the
    person is in too, so the help that fits is never a tap away."""
    kinds = read_yaml(path)["kinds"]
    spec = kinds.get(kind) or kinds[GENERAL]
    extra = list((kinds.get(danger) or {}).get("for_someone_else") or [])
    for other in also[:1]:
        extra += (kinds.get(other) or {}).get("also") or []
    lookup: Dict[str, SimpleNamespace] = {
        key: SimpleNamespace(**{field: str(value) for field, value in contact.items() if isinstance(value, str)})
        for key, contact in contacts.items()}
    lines = spec["reply"][:1] + extra + spec["reply"][1:]
    return [line.format_map(lookup) for line in lines]
