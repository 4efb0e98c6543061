"""The local offer: read data/offer, check every file, and build one validated Offer.

Content mistakes are reported as ContentError (file, line, entry, field, message), all of them
at once, never as a stack trace: the people who edit these files are not developers.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Dict, Iterable, List, Literal, Mapping, Optional, Sequence, Tuple, Union

from pydantic import HttpUrl, ValidationError, constr, validator

from bot.data_files import DataFileError, read_yaml
from bot.offer.facts import FactCatalogue
from bot.offer.places import PlaceBook
from bot.offer.rules import Rule, RuleError, facts_used, parse_rule
from bot.strict_model import StrictModel

Text = constr(strip_whitespace=True, min_length=1)
EntryId = constr(regex=r"^[a-z0-9]+(-[a-z0-9]+)*$")

ENTITLEMENTS_DIR = "entitlements"
CONTACTS_FILE = "contacts.yml"
TOPICS_FILE = "topics.yml"
FACTS_FILE = "facts.yml"
PLACES_FILE = "places.yml"



class Source(StrictModel):
    """Where a fact comes from. A letter or report with no public address gives only its title and date."""

    title: Text
    url: Optional[HttpUrl] = None

    def cited(self) -> str:
        return f"{self.title}, {self.url}" if self.url else self.title


class LiveCheck(StrictModel):
    """Someone compared the entry with the live page: who, and on what day."""

    by: Text
    on: date


class Amount(StrictModel):
    """An amount the facts give. `values` are the figures in pounds; `text` says them in words."""

    values: List[float]
    text: Text
    qualifier: Literal["exactly", "up_to", "recommended_minimum"] = "exactly"

    @validator("values")
    def _positive(cls, values: List[float]) -> List[float]:
        if not values or any(value <= 0 for value in values):
            raise ValueError("give at least one amount, each above zero")
        return values

    @validator("text")
    def _text_states_each_value(cls, text: str, values: Dict[str, Any]) -> str:
        for value in values.get("values", []):
            if pounds(value) not in text:
                raise ValueError(f"the text must say {pounds(value)} (it is in 'values')")
        return text


class Entry(StrictModel):
    id: EntryId
    kind: Literal["entitlement", "information"] = "entitlement"
    title: Text
    topics: List[Text]
    summary: Text
    details: Text
    amount: Optional[Amount] = None
    who_qualifies: Any
    how_to_claim: Text
    contacts: List[Text]
    sources: List[Source]
    last_reviewed: date
    checked_by: Optional[LiveCheck] = None
    confidence: Literal["high", "medium", "low"]
    valid_from: Optional[date] = None
    valid_to: Optional[date] = None
    related: List[Text] = []
    aliases: List[Text] = []

    @validator("topics", "sources")
    def _not_empty(cls, value: list) -> list:
        if not value:
            raise ValueError("give at least one")
        return value

    @validator("valid_to")
    def _ends_after_start(cls, valid_to: Optional[date], values: Dict[str, Any]) -> Optional[date]:
        valid_from = values.get("valid_from")
        if valid_to and valid_from and valid_to < valid_from:
            raise ValueError("valid_to is before valid_from")
        return valid_to

    def in_force(self, on: date) -> bool:
        return (self.valid_from is None or self.valid_from <= on) and (self.valid_to is None or on <= self.valid_to)


class Contact(StrictModel):
    name: Text
    phone: Optional[Text] = None
    email: Optional[Text] = None
    url: Optional[HttpUrl] = None
    address: Optional[Text] = None
    hours: Optional[Text] = None
    notes: Optional[Text] = None
    sources: List[Source]
    last_reviewed: date
    confidence: Literal["high", "medium", "low"]


class Topic(StrictModel):
    title: Text
    main: Optional[EntryId] = None
    words: List[Text] = []


class ContactBook(StrictModel):
    contacts: Dict[EntryId, Contact]


class TopicList(StrictModel):
    topics: Dict[EntryId, Topic]


@dataclass(frozen=True)
class ContentError:
    """One mistake in the offer files, located for the person who will fix it."""

    file: str
    message: str
    line: Optional[int] = None
    entry: Optional[str] = None
    field: Optional[str] = None

    def __str__(self) -> str:
        where = self.file + (f":{self.line}" if self.line else "")
        parts = [f"entry '{self.entry}'" if self.entry else "", f"field '{self.field}'" if self.field else ""]
        located = ", ".join(part for part in parts if part)
        return f"{where}: {located + ': ' if located else ''}{self.message}"


class OfferInvalid(Exception):
    """The offer files have mistakes; nothing was loaded."""

    def __init__(self, errors: Sequence[ContentError]):
        self.errors = list(errors)
        super().__init__("\n".join(str(error) for error in self.errors))


@dataclass(frozen=True)
class Offer:
    """The whole validated local offer, as the bot and the PA check use it."""

    entries: Dict[str, Entry]
    rules: Dict[str, Rule]
    contacts: Dict[str, Contact]
    topics: Dict[str, Topic]
    catalogue: FactCatalogue
    places: PlaceBook
    content_hash: str

    def documents(self) -> Dict[str, Any]:
        """Everything as plain JSON-ready data, the form the database stores."""
        return {
            "entries": [json.loads(entry.json(exclude_none=True)) for entry in self.entries.values()],
            "contacts": {key: json.loads(c.json(exclude_none=True)) for key, c in self.contacts.items()},
            "topics": {key: json.loads(t.json()) for key, t in self.topics.items()},
            "facts": json.loads(self.catalogue.json()),
            "places": json.loads(self.places.json()),
        }


def pounds(value: float) -> str:
    """2000 -> '£2,000'; 1.5 -> '£1.50'."""
    return f"£{value:,.0f}" if float(value).is_integer() else f"£{value:,.2f}"


# --- reading the files ------------------------------------------------------------------

def offer_files(root: Path) -> List[Path]:
    entitlements = sorted((root / ENTITLEMENTS_DIR).glob("*.yml"))
    return [root / name for name in (FACTS_FILE, PLACES_FILE, TOPICS_FILE, CONTACTS_FILE)] + entitlements


def content_hash(root: Path) -> str:
    digest = hashlib.sha256()
    for path in offer_files(root):
        if path.exists():
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def load_offer(root: Path) -> Offer:
    """Read and check every offer file under `root`; raise OfferInvalid listing every mistake."""
    errors: List[ContentError] = []

    def read(path: Path) -> Any:
        try:
            return read_yaml(path)
        except DataFileError as unreadable:
            errors.append(ContentError(_shown_path(path, root), unreadable.message, unreadable.line))
        return None

    def model(path: Path, raw: Any, cls: type, entry: Optional[str] = None) -> Any:
        if raw is None:
            return None
        try:
            return cls.parse_obj(_plain(raw))
        except ValidationError as invalid:
            errors.extend(_explain(invalid, _shown_path(path, root), raw, entry))
            return None

    catalogue = model(root / FACTS_FILE, read(root / FACTS_FILE), FactCatalogue)
    places = model(root / PLACES_FILE, read(root / PLACES_FILE), PlaceBook)
    topics = model(root / TOPICS_FILE, read(root / TOPICS_FILE), TopicList)
    contacts = model(root / CONTACTS_FILE, read(root / CONTACTS_FILE), ContactBook)

    entries: Dict[str, Entry] = {}
    rules: Dict[str, Rule] = {}
    first_seen: Dict[str, str] = {}
    raw_entries: Dict[str, Any] = {}
    declared: set = set()
    entitlement_files = sorted((root / ENTITLEMENTS_DIR).glob("*.yml"))
    if not entitlement_files:
        errors.append(ContentError(f"{ENTITLEMENTS_DIR}/", "there are no entitlement files"))
    for path in entitlement_files:
        raw = read(path)
        shown = _shown_path(path, root)
        if raw is None and path.exists() and not any(e.file == shown for e in errors):
            errors.append(ContentError(shown, "the file is empty"))
            continue
        if raw is not None and not isinstance(raw, Mapping):
            errors.append(ContentError(shown, "an entitlement file holds one entry: a mapping of fields"))
            continue
        label = str(raw.get("id")) if raw is not None and raw.get("id") else path.stem
        declared.add(label)
        entry = model(path, raw, Entry, label)
        if entry is None:
            continue
        if entry.id in first_seen:
            errors.append(ContentError(shown, f"duplicate id: '{entry.id}' is already used in {first_seen[entry.id]}",
                                       _line_of(raw, ("id",)), entry.id, "id"))
            continue
        first_seen[entry.id] = shown
        entries[entry.id] = entry
        raw_entries[entry.id] = raw
        if catalogue is not None:
            try:
                rules[entry.id] = parse_rule(entry.who_qualifies, catalogue, ())
            except RuleError as bad_rule:
                path_in_entry = ("who_qualifies",) + bad_rule.path
                errors.append(ContentError(shown, str(bad_rule), _line_of(raw, path_in_entry), entry.id,
                                           ".".join(str(part) for part in path_in_entry)))
        errors.extend(_cross_check(entry, raw, shown, contacts, topics))

    for entry in entries.values():
        for i, related in enumerate(entry.related):
            if related not in declared:
                errors.append(ContentError(first_seen[entry.id], f"unknown related entry '{related}'",
                                           _line_of(raw_entries[entry.id], ("related", i)), entry.id, f"related.{i}"))
    for key, topic in (topics.topics if topics else {}).items():
        if topic.main and topic.main not in declared:
            errors.append(ContentError(_shown_path(root / TOPICS_FILE, root), f"unknown main entry '{topic.main}'",
                                       None, key, "main"))
    if errors:
        raise OfferInvalid(errors)
    return Offer(entries, rules, contacts.contacts, topics.topics, catalogue, places, content_hash(root))


def offer_from_documents(documents: Mapping[str, Any], digest: str) -> Offer:
    """Rebuild an Offer from what the database stored (already validated when it was loaded)."""
    catalogue = FactCatalogue.parse_obj(documents["facts"])
    entries = {raw["id"]: Entry.parse_obj(raw) for raw in documents["entries"]}
    rules = {key: parse_rule(entry.who_qualifies, catalogue) for key, entry in entries.items()}
    contacts = {key: Contact.parse_obj(raw) for key, raw in documents["contacts"].items()}
    topics = {key: Topic.parse_obj(raw) for key, raw in documents["topics"].items()}
    return Offer(entries, rules, contacts, topics, catalogue, PlaceBook.parse_obj(documents["places"]), digest)


def _cross_check(entry: Entry, raw: Any, shown: str, contacts: Optional[ContactBook],
                 topics: Optional[TopicList]) -> Iterable[ContentError]:
    if contacts is not None:
        for i, contact in enumerate(entry.contacts):
            if contact not in contacts.contacts:
                yield ContentError(shown, f"unknown contact id '{contact}'; add it to {CONTACTS_FILE} or fix the id",
                                   _line_of(raw, ("contacts", i)), entry.id, f"contacts.{i}")
    if topics is not None:
        for i, topic in enumerate(entry.topics):
            if topic not in topics.topics:
                yield ContentError(shown, f"unknown topic '{topic}'; topics are listed in {TOPICS_FILE}",
                                   _line_of(raw, ("topics", i)), entry.id, f"topics.{i}")


def _explain(invalid: ValidationError, shown: str, raw: Any, entry: Optional[str]) -> List[ContentError]:
    found = []
    for problem in invalid.errors():
        location = tuple(problem["loc"])
        if location and location[-1] == "__root__":
            location = location[:-1]
        message = {
            "extra fields not permitted": "unknown field (check the spelling, or remove it)",
            "field required": "missing required field",
        }.get(problem["msg"], problem["msg"])
        if problem["type"].startswith("value_error.date"):
            message = "not a date: write dates as YYYY-MM-DD, for example 2026-11-22"
        found.append(ContentError(shown, message, _line_of(raw, location), entry,
                                  ".".join(str(part) for part in location) or None))
    return found


def _line_of(raw: Any, location: Tuple[Union[str, int], ...]) -> Optional[int]:
    """The 1-based line of the deepest part of `location` that exists in the YAML."""
    line = None
    node = raw
    for part in location:
        lc = getattr(node, "lc", None)
        if lc is None:
            break
        try:
            if isinstance(node, Mapping) and part in node:
                line = lc.key(part)[0] + 1
                node = node[part]
            elif isinstance(node, list) and isinstance(part, int) and part < len(node):
                line = lc.item(part)[0] + 1
                node = node[part]
            else:
                break
        except (KeyError, IndexError, TypeError):
            break
    if line is None and getattr(raw, "lc", None) is not None:
        line = raw.lc.line + 1
    return line


def _plain(raw: Any) -> Any:
    """ruamel's round-trip types to plain dicts and lists."""
    if isinstance(raw, Mapping):
        return {str(key): _plain(value) for key, value in raw.items()}
    if isinstance(raw, list):
        return [_plain(value) for value in raw]
    return raw


def _shown_path(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root.parent.parent)) if root.parent.name == "data" else str(path)
    except ValueError:
        return str(path)


def entries_by_fact(offer: Offer) -> Dict[str, List[str]]:
    """Fact -> the entries whose rules use it."""
    used: Dict[str, List[str]] = {}
    for entry_id, rule in offer.rules.items():
        for name in facts_used(rule):
            used.setdefault(name, []).append(entry_id)
    return used
