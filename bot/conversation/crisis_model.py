"""A small classifier for crisis kinds, learnt from the examples in data/safety/examples.yml.

Patterns catch the words they list and little else; a classifier over words and letter groups also
catches a crisis put in words nobody listed, and learns from the look-alikes what is not a crisis.
It is learnt as the action server starts (a few seconds) and again whenever an example file changes,
so an example the council adds counts at once, with no retraining of the chat model.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import List, Mapping, Optional, Tuple

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline, make_union

from bot.conversation.safety import CrisisMatch, crisis_detector
from bot.conversation.understanding import tidy
from bot.data_files import read_yaml, training_examples
from bot.settings import DATA_DIR, SAFETY_DIR

EXAMPLES_FILE = SAFETY_DIR / "examples.yml"
ORDINARY_QUESTIONS = (DATA_DIR / "conversation" / "examples.yml", DATA_DIR / "conversation" / "conversations.yml",
                      DATA_DIR / "nlu" / "topics.yml", DATA_DIR / "nlu" / "conversation.yml")
NOT_A_CRISIS = "none"
LONGEST_TEXT = 4000
STRENGTH = 10.0
MODEL_SURE = 0.55
SHORT_MESSAGE_SURE = 0.8
PATTERN_KEPT_ABOVE = 0.15
CHECK_IN_ABOVE = 0.4
SOMEONE_ELSE_AT = 0.5
THE_WRITER_AT = 0.3
FEWEST_WORDS = 5
MOST_WORDS_TO_SET_A_PATTERN_ASIDE = 60
THIRD_PARTY = "third_party"
FOUND_BY_MODEL = "(the crisis model)"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CrisisGuess:
    """How likely the message shows a crisis (0 to 1), the likeliest kind if it does, the message's length,
    how likely the person at risk is someone other than the writer, and the likeliest danger to them."""

    likelihood: float
    kind: str
    words: int
    someone_else: float = 0.0
    danger: str = ""
    chances: Mapping[str, float] = field(default_factory=dict)


class CrisisModel:
    """Word and letter-group features with logistic regression: small, quick and the same on every run.

    One classifier tells a crisis from a look-alike and its kind; a second, learnt from the crises only,
    tells who is at risk: "my mum's fella beat me up" is the writer's crisis although it names someone.
    """

    def __init__(self, texts: List[str], labels: List[str]):
        clean = [tidy(text)[:LONGEST_TEXT] for text in texts]
        self.pipeline = _classifier()
        self.pipeline.fit(clean, labels)
        self.classes = list(self.pipeline.classes_)
        crises = [(text, label) for text, label in zip(clean, labels, strict=True) if label != NOT_A_CRISIS]
        self.who = _classifier()
        self.who.fit([text for text, _ in crises], [label == THIRD_PARTY for _, label in crises])

    @classmethod
    def from_file(cls, path: Path = EXAMPLES_FILE) -> CrisisModel:
        texts, labels = examples(path)
        return cls(texts, labels)

    def guess(self, text: str) -> CrisisGuess:
        clean = tidy(text)[:LONGEST_TEXT]
        chances = self.pipeline.predict_proba([clean])[0]
        ranked = sorted(zip(chances, self.classes, strict=True), reverse=True)
        crisis = [(chance, kind) for chance, kind in ranked if kind != NOT_A_CRISIS]
        danger = next(kind for _, kind in crisis if kind != THIRD_PARTY)
        someone_else = float(self.who.predict_proba([clean])[0][list(self.who.classes_).index(True)])
        return CrisisGuess(float(sum(chance for chance, _ in crisis)), crisis[0][1], len(clean.split()),
                           someone_else, danger, {kind: float(chance) for chance, kind in crisis})


def _classifier() -> Pipeline:
    words = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, token_pattern=r"(?u)\b\w+\b")
    letters = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2)
    return make_pipeline(make_union(words, letters),
                         LogisticRegression(C=STRENGTH, max_iter=3000, class_weight="balanced"))


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
    return [text for intent, text in training_examples(path) if intent != "crisis"]


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


def find_crisis(text: str) -> Optional[CrisisMatch]:
    """The crisis a message shows, by the patterns and the model together."""
    return judge(text, guess_or_none(text))


def judge(text: str, guess: Optional[CrisisGuess]) -> Optional[CrisisMatch]:
    """The crisis in a message given the model's guess. A message that names nobody else ("took a load of
    pills about an hour ago") is the writer's own, whatever the model thinks of who is at risk: told "thank you
    for looking out for them", someone in danger would think the bot had not heard them."""
    detector = crisis_detector()
    if guess is not None and not detector.names_someone_else(text):
        guess = replace(guess, someone_else=0.0, kind=guess.danger if guess.kind == THIRD_PARTY else guess.kind)
    return decide(detector.check(text), guess)


def decide(match: Optional[CrisisMatch], guess: Optional[CrisisGuess]) -> Optional[CrisisMatch]:
    """The model alone is enough when it is sure, and surer for a message of a few words ("goodbye" and
    "im done" are both short). A pattern is enough unless the model is sure the message is a look-alike.
    The model judges too little in a short message, and in a long one the crisis may be a small part of
    it, so a pattern there always counts.
    """
    if guess is None:
        return match
    can_set_aside = FEWEST_WORDS <= guess.words <= MOST_WORDS_TO_SET_A_PATTERN_ASIDE
    if match and (guess.likelihood >= PATTERN_KEPT_ABOVE or not can_set_aside):
        return _whose(match, guess)
    sure = MODEL_SURE if guess.words >= FEWEST_WORDS else SHORT_MESSAGE_SURE
    if guess.likelihood >= sure:
        return _whose(CrisisMatch(guess.kind, FOUND_BY_MODEL), guess)
    return None


def _whose(found: CrisisMatch, guess: CrisisGuess) -> CrisisMatch:
    """Who is at risk, and from what. A pattern tells the kinds of danger apart more reliably, and the
    second classifier tells who is at risk more reliably than the words "my mate" or "my ex" can; unsure,
    the pattern or the first classifier decides, and a worker telling us ("the lad I support") always
    means someone else. Someone else's crisis keeps its danger, for the line of help that fits it
    ("YP sleeping rough tonight" needs Housing Needs, not only Samaritans). Words of danger that name the
    writer ("he keeps beating me up") make it the writer's own, whoever else the message names."""
    if found.kind != THIRD_PARTY:
        danger = found.kind
    else:
        danger = found.danger or _likeliest(found.also, guess) or guess.danger
    if found.told_by_a_worker or (guess.someone_else >= SOMEONE_ELSE_AT and not found.the_writer_named):
        return CrisisMatch(THIRD_PARTY, found.pattern, danger)
    if found.pattern != FOUND_BY_MODEL and found.kind != THIRD_PARTY:
        return _likeliest_of(found, guess)
    if found.kind == THIRD_PARTY and guess.someone_else <= THE_WRITER_AT:
        return CrisisMatch(danger, found.pattern)
    return CrisisMatch(found.kind, found.pattern, danger if found.kind == THIRD_PARTY else "")


def _likeliest(kinds: Tuple[str, ...], guess: CrisisGuess) -> str:
    return max(kinds, key=lambda kind: guess.chances.get(kind, 0.0), default="")


def _likeliest_of(found: CrisisMatch, guess: CrisisGuess) -> CrisisMatch:
    """Where the patterns find two dangers, the more urgent one's reply comes first (crisis.yml `urgency`: a
    danger to the person before a need), then the model's likelier; the other adds its line."""
    urgency = crisis_detector().urgency
    dangers = sorted((found.kind, *found.also),
                     key=lambda kind: (urgency.get(kind, len(urgency) + 1), -guess.chances.get(kind, 0.0)))
    return CrisisMatch(dangers[0], found.pattern, "", tuple(dangers[1:]))


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
