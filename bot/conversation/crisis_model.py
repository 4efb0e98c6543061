"""A small classifier for crisis kinds, learnt from the examples in data/safety/examples.yml.

Patterns catch the words they list and little else; a classifier over words and letter groups also
catches a crisis put in words nobody listed, and learns from the look-alikes what is not a crisis.
It is learnt as the action server starts (a few seconds) and again whenever an example file changes,
so an example the council adds counts at once, with no retraining of the chat model.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import List, Optional, Tuple

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline, make_union

from bot.conversation.safety import CrisisMatch, crisis_detector
from bot.data_files import read_yaml
from bot.settings import DATA_DIR, SAFETY_DIR

EXAMPLES_FILE = SAFETY_DIR / "examples.yml"
ORDINARY_QUESTIONS = (DATA_DIR / "conversation" / "examples.yml", DATA_DIR / "conversation" / "conversations.yml",
                      DATA_DIR / "nlu" / "topics.yml", DATA_DIR / "nlu" / "conversation.yml")
NOT_A_CRISIS = "none"
LONGEST_TEXT = 4000
STRENGTH = 10.0
MODEL_SURE = 0.5
SHORT_MESSAGE_SURE = 0.75
PATTERN_KEPT_ABOVE = 0.15
CHECK_IN_ABOVE = 0.4
FEWEST_WORDS = 5
MOST_WORDS_TO_SET_A_PATTERN_ASIDE = 60
THIRD_PARTY = "third_party"
FOUND_BY_MODEL = "(the crisis model)"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CrisisGuess:
    """How likely the message shows a crisis (0 to 1), the likeliest kind if it does, and the message's length."""

    likelihood: float
    kind: str
    words: int


class CrisisModel:
    """Word and letter-group features with logistic regression: small, quick and the same on every run."""

    def __init__(self, texts: List[str], labels: List[str]):
        words = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)
        letters = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2)
        self.pipeline: Pipeline = make_pipeline(
            make_union(words, letters),
            LogisticRegression(C=STRENGTH, max_iter=3000, class_weight="balanced"))
        self.pipeline.fit([_clean(text) for text in texts], labels)
        self.classes = list(self.pipeline.classes_)

    @classmethod
    def from_file(cls, path: Path = EXAMPLES_FILE) -> CrisisModel:
        texts, labels = examples(path)
        return cls(texts, labels)

    def guess(self, text: str) -> CrisisGuess:
        clean = _clean(text)
        chances = self.pipeline.predict_proba([clean])[0]
        ranked = sorted(zip(chances, self.classes, strict=True), reverse=True)
        crisis = [(chance, kind) for chance, kind in ranked if kind != NOT_A_CRISIS]
        return CrisisGuess(float(sum(chance for chance, _ in crisis)), crisis[0][1], len(clean.split()))


def examples(path: Path = EXAMPLES_FILE) -> Tuple[List[str], List[str]]:
    """The crisis examples with their kinds; the look-alikes and everyday questions as not a crisis."""
    data = read_yaml(path)
    texts = [str(item["text"]) for item in data["crisis"]]
    labels = [str(item["kind"]) for item in data["crisis"]]
    ordinary = [str(item) for item in data["not_crisis"]]
    ordinary += [text for source in ORDINARY_QUESTIONS for text in ordinary_questions(source)]
    return texts + ordinary, labels + [NOT_A_CRISIS] * len(ordinary)


def ordinary_questions(path: Path) -> List[str]:
    """Everyday questions from a conversation examples file, its conversations with follow-ups, or a chat-model
    training file (not its crisis part)."""
    data = read_yaml(path)
    if "examples" in data:
        return [str(item["text"]) for item in data["examples"]]
    if "cases" in data:
        return [str(turn["text"]) for case in data["cases"] for turn in case["turns"]]
    return [line.strip()[2:] for block in data["nlu"] if block.get("intent") not in (None, "crisis")
            for line in str(block["examples"]).splitlines() if line.strip().startswith("- ")]


def crisis_model() -> CrisisModel:
    """The model for the example files as they are now: learnt again only when one changes."""
    return _model_for(tuple(path.stat().st_mtime_ns for path in (EXAMPLES_FILE, *ORDINARY_QUESTIONS)))


@lru_cache(maxsize=1)
def _model_for(modified_ns: Tuple[int, ...]) -> CrisisModel:
    return CrisisModel.from_file(EXAMPLES_FILE)


@lru_cache(maxsize=32)
def _remembered_guess(model: CrisisModel, text: str) -> CrisisGuess:
    """A turn asks about the same message twice (a crisis? a check-in?): the second answer is remembered."""
    return model.guess(text)


def _clean(text: str) -> str:
    return " ".join((text or "").lower().replace("’", "'").split())[:LONGEST_TEXT]


def find_crisis(text: str) -> Optional[CrisisMatch]:
    """The crisis a message shows, by the patterns and the model together."""
    return decide(crisis_detector().check(text), guess_or_none(text))


def decide(match: Optional[CrisisMatch], guess: Optional[CrisisGuess]) -> Optional[CrisisMatch]:
    """The model alone is enough when it is sure, and surer for a message of a few words ("goodbye" and
    "im done" are both short). A pattern is enough unless the model is sure the message is a look-alike.
    The model judges too little in a short message, and in a long one the crisis may be a small part of
    it, so a pattern there always counts.
    Where both find one, the pattern's kind wins (patterns tell apart the kinds of danger more reliably),
    unless the model is sure the message is about someone else ("YP kicked out tonight").
    """
    if guess is None:
        return match
    can_set_aside = FEWEST_WORDS <= guess.words <= MOST_WORDS_TO_SET_A_PATTERN_ASIDE
    if match and (guess.likelihood >= PATTERN_KEPT_ABOVE or not can_set_aside):
        if guess.kind == THIRD_PARTY and guess.likelihood >= MODEL_SURE:
            return CrisisMatch(THIRD_PARTY, match.pattern)
        return match
    sure = MODEL_SURE if guess.words >= FEWEST_WORDS else SHORT_MESSAGE_SURE
    if guess.likelihood >= sure:
        return CrisisMatch(guess.kind, FOUND_BY_MODEL)
    return None


def worth_a_check_in(text: str) -> bool:
    """Not sure enough for a crisis reply, but enough to ask "Are you safe right now?"."""
    guess = guess_or_none(text)
    return guess is not None and guess.words >= FEWEST_WORDS and guess.likelihood >= CHECK_IN_ABOVE


def guess_or_none(text: str) -> Optional[CrisisGuess]:
    """The model's guess; None if it cannot be learnt (a broken examples file), so the patterns still work."""
    try:
        return _remembered_guess(crisis_model(), text)
    except Exception:  # noqa: BLE001 - the patterns must answer whatever happens to the model
        log.warning("The crisis model could not be used; patterns only")
        return None
