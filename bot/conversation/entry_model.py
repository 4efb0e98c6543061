"""A small classifier for which entitlement a message is about, learnt from data/conversation/.

The aliases name an entitlement when its words are said; people often say none of them ("will housing put
me higher on the list because i was in care"), or say words that two neighbours share. A classifier over words and
letter groups, learnt from the questions in the conversation examples, chooses between neighbours and
names the entitlement a message describes. It is a second opinion: the engine still follows the aliases,
so an alias the council adds works at once. It is learnt in a few seconds as the action server starts, and
again whenever an examples file or the offer changes.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import SGDClassifier
from sklearn.pipeline import Pipeline, make_pipeline, make_union

from bot.conversation.understanding import TOPIC_INTENT, tidy
from bot.data_files import read_yaml, training_examples
from bot.offer.loader import Offer
from bot.settings import DATA_DIR

QUESTIONS = DATA_DIR / "conversation" / "examples.yml"
CONVERSATIONS = DATA_DIR / "conversation" / "conversations.yml"
CHAT_MODEL_EXAMPLES = (DATA_DIR / "nlu" / "conversation.yml", DATA_DIR / "nlu" / "topics.yml")
ABOUT_ONE_ENTRY = ("entitlement_details",)
NOT_ONE_ENTRY = "none"
LONGEST_TEXT = 2000
SMOOTHING = 1e-5
ROUNDS = 50
log = logging.getLogger(__name__)
_learnt: Dict[Tuple[str, Tuple[int, ...]], EntryModel] = {}


class EntryModel:
    """Word and letter-group features with a linear classifier: quick to learn and the same on every run."""

    def __init__(self, texts: Sequence[str], labels: Sequence[str]):
        self.pipeline: Pipeline = make_pipeline(
            make_union(TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True),
                       TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2)),
            SGDClassifier(loss="log_loss", alpha=SMOOTHING, max_iter=ROUNDS, tol=None, random_state=0))
        self.pipeline.fit([tidy(text)[:LONGEST_TEXT] for text in texts], list(labels))
        self.classes: List[str] = list(self.pipeline.classes_)

    def chances(self, text: str) -> Dict[str, float]:
        """How likely the message is about each entry, 0 to 1."""
        row = self.pipeline.predict_proba([tidy(text)[:LONGEST_TEXT]])[0]
        return {entry_id: float(chance) for entry_id, chance in zip(self.classes, row, strict=True)
                if entry_id != NOT_ONE_ENTRY}


def learning_examples(offer: Offer, paths: Optional[Sequence[Path]] = None) -> Tuple[List[str], List[str]]:
    """Each entry's title and aliases, the example questions about one entry, and the first message of each
    example conversation (a follow-up like "how much is it" names nothing by itself). Questions about a whole
    topic, greetings, thanks and answers like "yes" or "im 19" are about no one entry."""
    pairs = [(text, key) for key, entry in offer.entries.items() for text in (entry.title, *entry.aliases)]
    for path in (QUESTIONS, CONVERSATIONS) if paths is None else paths:
        data = read_yaml(path)
        pairs += [(str(item["text"]), str(item["expect"])) for item in data.get("examples", [])]
        pairs += [(str(case["turns"][0]["text"]), str(case["turns"][0]["expect"])) for case in data.get("cases", [])]
    pairs += [(text, intent) for path in CHAT_MODEL_EXAMPLES for intent, text in training_examples(path)
              if not intent.startswith(TOPIC_INTENT) and intent not in ABOUT_ONE_ENTRY]
    return [text for text, _ in pairs], [entry_label(offer, label) for _, label in pairs]


def entry_label(offer: Offer, expect: str) -> str:
    """What the model learns for an example: its entry, or "no one entry" for a topic, greeting or answer."""
    return expect if expect in offer.entries else NOT_ONE_ENTRY


def entry_model(offer: Offer) -> EntryModel:
    """The model for this offer and the example files as they are now: learnt again only when one changes."""
    key = (offer.content_hash, tuple(path.stat().st_mtime_ns for path in (QUESTIONS, CONVERSATIONS)))
    if key not in _learnt:
        _learnt.clear()
        _learnt[key] = EntryModel(*learning_examples(offer))
    return _learnt[key]


def entry_chances_or_none(offer: Offer, text: str) -> Dict[str, float]:
    """The model's chances; none if it cannot be learnt (a broken examples file), so the aliases still work."""
    try:
        return entry_model(offer).chances(text)
    except Exception:  # noqa: BLE001 - the aliases must answer whatever happens to the model
        log.warning("The entry model could not be used; aliases only")
        return {}
