"""What the chatbot says about the offer: which questions to ask, and the answer messages.

Pure Python over the offer and data/wording/answers.yml, so the actions stay thin and every
sentence stays reviewable data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional

import yaml

from bot.eligibility import ELIGIBLE, NEED_MORE_INFO, NOT_ELIGIBLE, EntitlementResult, check_entry, deciding_facts
from bot.facts import NOT_SURE
from bot.offer import Offer
from bot.settings import PROJECT_ROOT

WORDING_FILE = PROJECT_ROOT / "data" / "wording" / "answers.yml"
EVERYTHING = "everything"
MAX_QUESTIONS = 3
MAX_DETAILED = 2
MAX_BUTTONS = 8


@dataclass(frozen=True)
class Reply:
    text: str
    buttons: tuple = ()


@lru_cache(maxsize=4)
def load_wording(path: Path = WORDING_FILE) -> Dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def topic_entry_ids(offer: Offer, topic: str, on: Optional[date] = None) -> List[str]:
    """Entries for a topic ('everything' means every entitlement), in offer order, in force today."""
    on = on or date.today()
    if topic == EVERYTHING:
        chosen = [key for key, entry in offer.entries.items() if entry.kind == "entitlement"]
    else:
        chosen = [key for key, entry in offer.entries.items() if topic in entry.topics]
    return [key for key in chosen if offer.entries[key].in_force(on)]


def questions_to_ask(offer: Offer, topic: str, facts: Mapping[str, Any], already_asked: int = 0) -> List[str]:
    """The questions that could still change an answer in this topic, most useful first.

    A topic gets at most MAX_QUESTIONS in all, counting those `already_asked`. Facts the person
    said they are not sure about are not asked again.
    """
    results = [check_entry(offer, key, facts) for key in topic_entry_ids(offer, topic)
               if offer.entries[key].kind == "entitlement"]
    questions: List[str] = []
    for name in deciding_facts(results):
        if facts.get(name) == NOT_SURE:
            continue
        question = offer.catalogue.facts[name].question
        if question not in questions:
            questions.append(question)
    return questions[:max(MAX_QUESTIONS - already_asked, 0)]


def topic_replies(offer: Offer, topic: str, facts: Mapping[str, Any]) -> List[Reply]:
    """The answer for a topic: full detail for one or two entries, a short grouped list for more."""
    wording = load_wording()
    keys = topic_entry_ids(offer, topic)
    if not keys:
        return [Reply(wording["nothing_in_topic"])]
    results = sorted((check_entry(offer, key, facts) for key in keys),
                     key=lambda r: (offer.entries[r.entry.id].kind != "entitlement",
                                    [ELIGIBLE, NEED_MORE_INFO, NOT_ELIGIBLE].index(r.status)))
    if len(results) <= MAX_DETAILED:
        return [entitlement_reply(offer, result) for result in results]
    return [summary_reply(offer, results)]


def entitlement_reply(offer: Offer, result: EntitlementResult) -> Reply:
    """One entry in full: the answer, why, how to claim, who to contact, the source and its date."""
    wording = load_wording()
    entry = result.entry
    lines = [f"{entry.title}", entry.summary]
    if entry.kind == "entitlement":
        lines.append(wording["status"][result.status])
        lines.append(wording["why"].format(reasons=" ".join(result.reasons)))
        if result.status == NEED_MORE_INFO:
            lines.append(wording["ask_adviser"].format(title=entry.title.lower()))
    else:
        lines.append(entry.details)
    if entry.amount and result.status != NOT_ELIGIBLE:
        lines.append(wording["amount"].format(amount=entry.amount.text))
    if result.status != NOT_ELIGIBLE or entry.kind != "entitlement":
        lines.append(wording["how_to_claim"].format(how_to_claim=entry.how_to_claim))
        lines.append(wording["contacts"].format(contacts="; ".join(contact_text(offer, key) for key in entry.contacts)))
    if entry.confidence == "low":
        lines.append(wording["low_confidence"])
    lines.append(wording["source"].format(url=entry.sources[0].url, last_reviewed=_long_date(entry.last_reviewed)))
    buttons = tuple(more_button(offer, key) for key in entry.related[:3] if key in offer.entries)
    return Reply("\n".join(lines), buttons)


def summary_reply(offer: Offer, results: List[EntitlementResult]) -> Reply:
    wording = load_wording()
    lines = [wording["summary_intro"]]
    buttons = []
    for status in (ELIGIBLE, NEED_MORE_INFO, NOT_ELIGIBLE):
        group = [r for r in results if r.status == status and r.entry.kind == "entitlement"]
        if not group:
            continue
        lines.append(wording["summary_groups"][status])
        lines += [f"- {r.entry.title}" for r in group]
        if status != NOT_ELIGIBLE:
            buttons += [more_button(offer, r.entry.id) for r in group]
    information = [r for r in results if r.entry.kind != "entitlement"]
    buttons = [more_button(offer, r.entry.id) for r in information] + buttons
    lines.append(wording["summary_more"])
    return Reply("\n".join(lines), tuple(buttons[:MAX_BUTTONS]))


def more_button(offer: Offer, entry_id: str) -> Dict[str, str]:
    title = offer.entries[entry_id].title
    return {"title": load_wording()["more_button"].format(title=title),
            "payload": f'/entitlement_details{{"entitlement": "{entry_id}"}}'}


def contact_text(offer: Offer, contact_id: str) -> str:
    contact = offer.contacts[contact_id]
    ways = [value for value in (contact.phone, contact.email, contact.url and str(contact.url)) if value]
    return contact.name + (f": {', '.join(ways)}" if ways else "")


def action_failed_text(offer: Optional[Offer]) -> str:
    """The sorry message, with the leaving care team's email when the offer can still be read."""
    wording = load_wording()
    if offer is None:
        return wording["action_failed_no_contact"]
    return wording["action_failed"].format(email=offer.contacts["leaving-care-team"].email)


def _long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"
