"""What the chatbot says about the offer: the one place an answer message is put together.

Answer first: what the entitlement is and the aspect asked (amount, how to claim, who to contact,
how long), then what it means for this person. Every sentence comes from data/wording/answers.yml
or data/offer/, so the participation group and the council change words without code.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

from bot.data_files import read_yaml
from bot.fact_input import CHECK_PATH, query_from_facts
from bot.offer.eligibility import ELIGIBLE, STATUS_ORDER, EntitlementResult, check_entry
from bot.offer.facts import PLACE_QUESTION
from bot.offer.loader import Entry, Offer
from bot.offer.rules import AgeBetween, AllOf, Everyone, Unpublished, needs_text
from bot.settings import WORDING_DIR

WORDING_FILE = WORDING_DIR / "answers.yml"
BUTTON_INTENT = "button"
MAX_REASONS = 3
MAX_MENU = 6
FIRST_REPLY_MOST_WORDS = 60  # the top of a phone screen


@dataclass(frozen=True)
class Reply:
    text: str
    buttons: Tuple[Dict[str, str], ...] = field(default_factory=tuple)

    def as_message(self) -> Dict[str, Any]:
        return {"text": self.text, "buttons": [dict(button) for button in self.buttons]}


def wording() -> Dict[str, Any]:
    return read_yaml(WORDING_FILE)


def button(title_key: str, **payload: str) -> Dict[str, str]:
    """A button whose title is a wording key and whose payload the conversation understands."""
    return labelled_button(wording()["buttons"][title_key], **payload)


def labelled_button(title: str, **payload: str) -> Dict[str, str]:
    return {"title": title, "payload": f"/{BUTTON_INTENT}{json.dumps(payload, separators=(',', ':'))}"}


def name_of(entry: Entry) -> str:
    """The title without the part in brackets: 'Staying Put (stay with ...)' -> 'Staying Put'."""
    return re.sub(r"\s*\([^)]*\)", "", entry.title).strip() or entry.title


def names_or(offer: Offer, entry_ids: Sequence[str]) -> str:
    """'Staying Put, Setting up home allowance or Help moving into your first home'."""
    names = [name_of(offer.entries[key]) for key in entry_ids]
    return wording()["or"].join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names)


def contact_text(offer: Offer, contact_id: str) -> str:
    contact = offer.contacts[contact_id]
    ways = [value for value in (contact.phone, contact.email, contact.url and str(contact.url)) if value]
    return contact.name + (f" ({', '.join(ways)})" if ways else "")


def contacts_text(offer: Offer, entry: Entry) -> str:
    return "; ".join(contact_text(offer, key) for key in entry.contacts)


def who_for(offer: Offer, entry: Entry) -> str:
    """Who the entitlement is for, in one sentence, from its rule."""
    words = wording()["who_for"]
    rule = offer.rules[entry.id]
    if isinstance(rule, Everyone):
        return words["everyone"]
    if isinstance(rule, Unpublished):
        return words["unpublished"]
    parts = rule.parts if isinstance(rule, AllOf) else (rule,)
    ages = [part for part in parts if isinstance(part, AgeBetween)]
    if not ages:
        return ""
    return words["rule"].format(needs=needs_text(ages[0], offer.catalogue.definition(ages[0].fact), offer.catalogue))


def aspect_line(offer: Offer, entry: Entry, aspect: str, in_full: bool = True) -> str:
    """What the entitlement is and what was asked about it, in a few sentences; with in_full False, only
    what was asked (for when both would not fit the top of a phone screen)."""
    values = {"name": name_of(entry), "summary": " ".join(entry.summary.split()), "how_to_claim": entry.how_to_claim,
              "contacts": contacts_text(offer, entry), "who_for": who_for(offer, entry),
              "amount": entry.amount.text if entry.amount else ""}
    key = aspect
    if aspect == "amount" and not entry.amount:
        key = "amount_unpublished"
    elif aspect == "amount" and entry.amount.text in values["summary"]:
        key = "amount_said_in_summary"
    full_template = wording()["answer_in_full"].get(key)
    if in_full and full_template:
        return " ".join(full_template.format(**values).split())
    templates = wording()["answer"]
    return " ".join(templates.get(key, templates["what"]).format(**values).split())


def said_next(offer: Offer, entry: Entry, aspect: str) -> Optional[Reply]:
    """After how to claim, who to contact; after who to contact, how to claim: people asking one need both."""
    template = wording()["said_next"].get(aspect)
    if not template or (aspect == "claim" and not entry.contacts):
        return None
    return Reply(template.format(contacts=contacts_text(offer, entry), how_to_claim=entry.how_to_claim))


def personal_lines(result: EntitlementResult) -> Tuple[str, str]:
    """The answer for this person and why, as two lines."""
    words = wording()
    headline = words["personal"][result.status].format(name=name_of(result.entry))
    why = words["why"].format(reasons=" ".join(result.reasons[:MAX_REASONS]))
    confidence = result.entry.confidence
    if result.status == ELIGIBLE and confidence in ("low", "medium"):
        why += "\n" + words["more"][f"{confidence}_confidence"]
    return headline, why


def follow_up_buttons(entry: Entry, asked: str) -> List[Dict[str, str]]:
    """What people usually ask next about an entitlement, leaving out what was just answered."""
    options = [("amount", "how_much"), ("claim", "how_to_claim"), ("contact", "who_to_contact")]
    answered = {asked} | (set(wording()["said_next"]) if asked in wording()["said_next"] else set())
    found = [button(title, do="aspect", entitlement=entry.id, aspect=aspect)
             for aspect, title in options if aspect not in answered and (aspect != "amount" or entry.amount)]
    return found + [button("more", do="more", entitlement=entry.id)]


def see_everything_button(offer: Offer, facts: Mapping[str, Any]) -> List[Dict[str, str]]:
    """Once the chat knows something, a button that opens the web check filled in with it (the page shows it
    as a link, and the privacy notice says the link holds these answers)."""
    query = query_from_facts(offer.catalogue, facts)
    return [{"title": wording()["buttons"]["see_everything"], "payload": f"{CHECK_PATH}?{query}"}] if query else []


def more_reply(offer: Offer, entry: Entry) -> Reply:
    """The longer answer: details, amount, how to claim, contacts, what it is based on."""
    words = wording()["more"]
    lines = [entry.details]
    if entry.amount:
        lines.append(words["amount"].format(amount=entry.amount.text))
    lines.append(words["how_to_claim"].format(how_to_claim=entry.how_to_claim))
    lines.append(words["contacts"].format(contacts=contacts_text(offer, entry)))
    if entry.confidence in ("low", "medium"):
        lines.append(words[f"{entry.confidence}_confidence"])
    lines.append(words["source"].format(source=entry.sources[0].cited(),
                                        last_reviewed=f"{entry.last_reviewed:%B %Y}"))
    if entry.checked_by:
        lines.append(words["checked"].format(on=f"{entry.checked_by.on:%-d %B %Y}"))
    buttons = tuple(entry_button(offer, key) for key in entry.related[:3] if key in offer.entries)
    return Reply("\n".join(lines), buttons)


def entry_button(offer: Offer, entry_id: str, aspect: Optional[str] = None) -> Dict[str, str]:
    """A button naming an entry; tapped, it answers what was asked of it ("how much is the bursary?")."""
    if aspect and aspect != "what":
        return labelled_button(name_of(offer.entries[entry_id]), do="aspect", entitlement=entry_id, aspect=aspect)
    return labelled_button(name_of(offer.entries[entry_id]), do="show", entitlement=entry_id)


def question_reply(offer: Offer, entry: Entry, question: str, place_question: Optional[str] = None,
                   place_options: Sequence[str] = (), facts: Optional[Mapping[str, Any]] = None) -> Reply:
    """A question that says why it is asked, with answer buttons and always "Not sure".

    When one answer would make it a yes, that answer's condition comes first ("If you were in care for
    13 weeks or more ..., you can get it"), so the person learns the answer for most people straight away.
    """
    catalogue = offer.catalogue
    asked = place_question or catalogue.question_text(question)
    text = wording()["ask"].format(name=name_of(entry), question=_lower_first(asked))
    condition = conditional_line(offer, entry, question, facts or {})
    return Reply(f"{condition}\n{text}" if condition else text, tuple(answer_buttons(offer, question, place_options)))


def conditional_line(offer: Offer, entry: Entry, question: str, facts: Mapping[str, Any]) -> Optional[str]:
    """ "If you <condition>, you can get <name>." for the first answer with a condition that makes it a yes."""
    for name in offer.catalogue.questions()[question]:
        for value, option in (offer.catalogue.definition(name).options or {}).items():
            if option.if_you and check_entry(offer, entry.id, {**facts, name: value}).status == ELIGIBLE:
                return wording()["if_you"].format(condition=option.if_you, name=name_of(entry))
    return None


def answer_buttons(offer: Offer, question: str, place_options: Sequence[str] = ()) -> List[Dict[str, str]]:
    facts = offer.catalogue.questions()[question]
    definition = offer.catalogue.definition(facts[0])
    if place_options:
        found = [labelled_button(option, do="answer", value=option) for option in place_options]
    elif definition.type == "yes_no" and question != PLACE_QUESTION:
        found = [button("yes", do="answer", value="yes"), button("no", do="answer", value="no")]
    elif definition.type == "choice":
        found = [labelled_button(option.button, do="answer", value=value)
                 for value, option in (definition.options or {}).items() if option.button]
    else:
        found = []
    return found + [button("not_sure", do="answer", value="not_sure")]


def topic_reply(offer: Offer, topic: str, results: Sequence[EntitlementResult]) -> Reply:
    """A short menu of a topic's entitlements as buttons, likeliest first; the text lists as many as fit the top
    of a phone screen, and every one is a button."""
    words = wording()
    if not results:
        return Reply(words["nothing_in_topic"])
    ranked = sorted(results, key=lambda result: STATUS_ORDER.index(result.status))
    shown = ranked[:MAX_MENU]
    lines = [words["topic_menu"].format(topic=offer.topics[topic].title.lower())]
    for result in shown:
        line = f"- {name_of(result.entry)}"
        if len(" ".join([*lines, line]).split()) > FIRST_REPLY_MOST_WORDS:
            break
        lines.append(line)
    return Reply("\n".join(lines), tuple(entry_button(offer, result.entry.id) for result in shown))


def main_menu(offer: Offer, text_key: str = "everything_menu", **values: str) -> Reply:
    words = wording()
    buttons = [labelled_button(offer.topics[key].title, do="topic", topic=key)
               for key in words["main_topics"] if key in offer.topics]
    buttons.append(button("talk_to_a_person", do="person"))
    return Reply(words[text_key].format(**values), tuple(buttons))


def hand_off_reply(offer: Offer) -> Reply:
    words = wording()["hand_off"]
    lines = [words["intro"]]
    for contact_id, template in words["lines"].items():
        contact = offer.contacts[contact_id]
        lines.append(template.format(phone=contact.phone or "", email=contact.email or ""))
    return Reply("\n".join(lines))


def action_failed_text(offer: Optional[Offer]) -> str:
    """The sorry message, with the leaving care team's email when the offer can still be read."""
    words = wording()
    if offer is None:
        return words["action_failed_no_contact"]
    return words["action_failed"].format(email=offer.contacts["leaving-care-team"].email)


def _lower_first(text: str) -> str:
    """'Where do you live?' -> 'where do you live?', but 'I don't…' and 'PE5 covers…' stay as they are."""
    return text[:1].lower() + text[1:] if text[1:2].islower() else text
