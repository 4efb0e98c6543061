"""Every sentence the bot can say, each with a stable id, read from the files it lives in.

Ids: `utter_greet/0` (a domain response variation), `utter_greet/0/button/1` (its second button),
`offer:council-tax-discount.summary`, `answers:personal.eligible`, `page:privacy.paragraphs.2`,
`facts:facts.age.says`, `crisis:suicide.0`, `places:questions.empty`, `topics:council-tax.title`,
`contacts:samaritans.hours`.
A response the extractor cannot read (no text, not a string) is an error, so nothing escapes review.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator, List, Tuple

from bot.data_files import read_yaml
from bot.settings import PROJECT_ROOT, offer_dir

PLACEHOLDER = re.compile(r"\{[^{}]*\}")
OFFER_FIELDS = ("title", "summary", "details", "how_to_claim")
CONTACT_FIELDS = ("name", "hours", "notes")
FACT_WORDS = ("label", "says", "says_with_place", "needs", "ask", "button")
NOT_SAID = {"answers": {"main_topics"}, "page": {"start"}}


@dataclass(frozen=True)
class BotString:
    id: str
    text: str
    where: str

    @property
    def plain(self) -> str:
        """The text with {placeholders} shown as "…", as a reader sees the shape of it."""
        return PLACEHOLDER.sub("…", self.text)


class WordingUnreadable(ValueError):
    """A reply the extractor cannot read; the message says which and where."""


def all_bot_strings(root: Path = PROJECT_ROOT) -> List[BotString]:
    """Every string, in file order; raises WordingUnreadable naming every reply it could not read."""
    strings: List[BotString] = []
    problems: List[str] = []
    for reader in (_domain, _wording_file("answers"), _wording_file("page"), _wording_file("check"), _crisis,
                   _offer_entries, _facts, _places, _topics, _contacts):
        for item in reader(root):
            if isinstance(item, str):
                problems.append(item)
            else:
                strings.append(item)
    if problems:
        raise WordingUnreadable("These replies cannot be read for review:\n  " + "\n  ".join(problems))
    return strings


def _domain(root: Path) -> Iterator[BotString | str]:
    where = "domain.yml"
    for name, variations in (read_yaml(root / where).get("responses") or {}).items():
        for i, variation in enumerate(variations or []):
            text = variation.get("text") if isinstance(variation, dict) else None
            if not isinstance(text, str) or not text.strip():
                yield f"{where}: {name}/{i} has no text the extractor can read"
                continue
            yield BotString(f"{name}/{i}", text.strip(), where)
            for j, button in enumerate(variation.get("buttons") or []):
                title = button.get("title") if isinstance(button, dict) else None
                if not isinstance(title, str) or not title.strip():
                    yield f"{where}: {name}/{i}/button/{j} has no title the extractor can read"
                    continue
                yield BotString(f"{name}/{i}/button/{j}", title, where)


def _wording_file(name: str):
    def read(root: Path) -> Iterator[BotString | str]:
        where = f"data/wording/{name}.yml"
        for path, text in _leaves(read_yaml(root / where)):
            if path.split(".")[0] not in NOT_SAID.get(name, set()):
                yield _string(f"{name}:{path}", text, where)
    return read


CRISIS_PARTS = ("reply", "also", "for_someone_else")


def _crisis(root: Path) -> Iterator[BotString | str]:
    where = "data/safety/crisis.yml"
    for kind, spec in (read_yaml(root / where).get("kinds") or {}).items():
        for part in CRISIS_PARTS:
            for i, line in enumerate(spec.get(part) or []):
                yield _string(f"crisis:{kind}.{i}" if part == "reply" else f"crisis:{kind}.{part}.{i}", line, where)


def _offer_entries(root: Path) -> Iterator[BotString | str]:
    folder = _offer_folder(root) / "entitlements"
    for path in sorted(folder.glob("*.yml")):
        entry, where = read_yaml(path), f"data/offer/entitlements/{path.name}"
        for field in OFFER_FIELDS:
            if field in entry:
                yield _string(f"offer:{entry['id']}.{field}", entry[field], where)
        if isinstance(entry.get("amount"), dict):
            yield _string(f"offer:{entry['id']}.amount", entry["amount"].get("text"), where)


def _facts(root: Path) -> Iterator[BotString | str]:
    where = "data/offer/facts.yml"
    document = read_yaml(_offer_folder(root) / "facts.yml")
    for path, text in _leaves(document.get("facts") or {}, "facts"):
        if any(word in path.split(".") for word in FACT_WORDS):
            yield _string(f"facts:{path}", text, where)
    for path, text in _leaves(document.get("reasons") or {}, "reasons"):
        yield _string(f"facts:{path}", text, where)


def _places(root: Path) -> Iterator[BotString | str]:
    where = "data/offer/places.yml"
    for path, text in _leaves(read_yaml(_offer_folder(root) / "places.yml").get("questions") or {}, "questions"):
        yield _string(f"places:{path}", text, where)


def _topics(root: Path) -> Iterator[BotString | str]:
    where = "data/offer/topics.yml"
    for topic_id, topic in (read_yaml(_offer_folder(root) / "topics.yml").get("topics") or {}).items():
        yield _string(f"topics:{topic_id}.title", topic.get("title"), where)


def _contacts(root: Path) -> Iterator[BotString | str]:
    where = "data/offer/contacts.yml"
    for contact_id, contact in (read_yaml(_offer_folder(root) / "contacts.yml").get("contacts") or {}).items():
        for field in CONTACT_FIELDS:
            if field in contact:
                yield _string(f"contacts:{contact_id}.{field}", contact[field], where)


def _offer_folder(root: Path) -> Path:
    return offer_dir() if root == PROJECT_ROOT else root / "data" / "offer"


def _string(string_id: str, text: Any, where: str) -> BotString | str:
    if not isinstance(text, str) or not text.strip():
        return f"{where}: {string_id} is not text the extractor can read"
    return BotString(string_id, " ".join(text.split()) if "\n" not in text.strip() else text.strip(), where)


def _leaves(node: Any, prefix: str = "") -> Iterator[Tuple[str, Any]]:
    """(dotted path, value) for every leaf; lists are numbered from 0."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _leaves(value, f"{prefix}.{key}" if prefix else str(key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _leaves(value, f"{prefix}.{i}")
    else:
        yield prefix, node
