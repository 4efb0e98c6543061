"""The web check's results: every entitlement grouped can get / need more information / cannot get, each
with its reasons, and the same list as plain text for case notes.

Built from the same engine as `python -m bot check` (check_offer), so the statuses always agree.
Contacts are tappable (tel:, mailto:); for "need more information" the question that decides it links
back to that field of the form, with the answers so far.
"""

from __future__ import annotations

import re
from datetime import date
from html import escape
from typing import Any, Dict, List, Mapping, Optional

from bot.fact_input import CHECK_PATH, LIVES_IN
from bot.offer.eligibility import (
    ELIGIBLE,
    NEED_MORE_INFO,
    NOT_ELIGIBLE,
    STATUS_ORDER,
    EntitlementResult,
    deciding_fact,
)
from bot.offer.facts import NOT_SURE, PLACE_QUESTION
from bot.offer.loader import Offer
from bot.offer.places import NOT_SURE as PLACE_UNSETTLED
from bot.offer.places import PlaceAnswer
from bot.offer.rules import says_text
from bot.web.check_form import RESULTS_PATH, field_id, question_label
from bot.web.check_query import CheckQuery
from bot.what_changes import next_change

PHONE_DIGITS = re.compile(r"[\d ]*\d")


def long_date(day: date) -> str:
    return f"{day:%-d %B %Y}"


def deciding_answer(offer: Offer, result: EntitlementResult, facts: Mapping[str, Any]) -> Optional[str]:
    """The form field whose answer would decide this result: the fact the chat would ask next."""
    name = deciding_fact(result, facts)
    if name is None:
        return None
    return LIVES_IN if offer.catalogue.facts[name].question == PLACE_QUESTION else name


def facts_text(offer: Offer, facts: Mapping[str, Any], words: Mapping[str, Any]) -> str:
    """The answers used, in the offer's own words ('you are 19; you live in Orton, which is in Peterborough')."""
    catalogue = offer.catalogue
    shown: List[str] = []
    place_said = False
    for name, value in facts.items():
        fact = catalogue.facts.get(name)
        if fact is None:
            continue
        if fact.question == PLACE_QUESTION:
            if place_said:
                continue
            place_said = True
        if value == NOT_SURE:
            shown.append(words["fact_not_sure"].format(label=fact.label))
        else:
            shown.append(says_text(name, value, fact, facts))
    return "; ".join(shown)


class ResultsPage:
    """One list of results, as HTML and as text for case notes."""

    def __init__(self, offer: Offer, words: Mapping[str, Any], query: CheckQuery, facts: Mapping[str, Any],
                 place: Optional[PlaceAnswer], results: List[EntitlementResult], on: date, share_url: str):
        self.offer, self.words, self.query, self.facts, self.place = offer, words, query, facts, place
        self.results, self.on, self.share_url = results, on, share_url
        self.groups: Dict[str, List[EntitlementResult]] = {status: [] for status in STATUS_ORDER}
        for result in results:
            self.groups[result.status].append(result)

    def answers_line(self) -> str:
        used = facts_text(self.offer, self.facts, self.words)
        return self.words["facts_used"].format(facts=used) if used else self.words["no_facts"]

    def html(self) -> str:
        words = self.words
        change = f"{CHECK_PATH}?{self.query.encoded()}"
        parts = [f'<h1>{escape(words["results_title"])}</h1>',
                 f'<p class="meta" id="checked-on">{escape(words["checked_on"].format(date=long_date(self.on)))}</p>',
                 f'<p class="meta" id="answers-used">{escape(self.answers_line())}</p>',
                 self._place_question(),
                 f'<p class="actions"><a href="{escape(change)}" class="button-link">{escape(words["change_answers"])}'
                 f'</a> <button type="button" id="print" hidden>{escape(words["print"])}</button> '
                 f'<button type="button" id="copy" hidden data-copied="{escape(words["copied"])}" '
                 f'data-failed="{escape(words["copy_failed"])}">{escape(words["copy"])}</button></p>'
                 f'<p id="copy-status" class="status" role="status"></p>',
                 f'<p class="share"><a id="share" href="{escape(self.share_url)}">{escape(words["share"])}</a>'
                 f' <span id="share-note">{escape(words["share_note"])}</span></p>',
                 f'<details class="case-notes"><summary>{escape(words["case_notes_label"])}</summary>'
                 f'<textarea id="case-notes" rows="20" readonly aria-label="{escape(words["case_notes_label"])}">'
                 f'{escape(self.case_notes())}</textarea></details>']
        for status in STATUS_ORDER:
            group = self.groups[status]
            if group:
                heading = f'{words["groups"][status]} {words["group_count"].format(count=len(group))}'
                parts.append(f'<section class="group {status}" aria-labelledby="group-{status}">'
                             f'<h2 id="group-{status}">{escape(heading)}</h2>'
                             + "".join(self._result(result) for result in group) + "</section>")
        return "".join(parts)

    def case_notes(self) -> str:
        """About 20 lines of plain text that paste into a case recording system: one line for each entitlement
        they can get, one line each for the rest, and what would decide the open ones."""
        notes = self.words["case_notes"]
        lines = [notes["heading"].format(date=long_date(self.on)),
                 notes["answers"].format(facts=facts_text(self.offer, self.facts, self.words) or "-")]
        for status in STATUS_ORDER:
            group = self.groups[status]
            if not group:
                continue
            lines += ["", notes["group"].format(heading=self.words["groups"][status], count=len(group))]
            if status == ELIGIBLE:
                lines += [notes["item"].format(title=result.entry.title) for result in group]
                continue
            lines.append(notes["others"].format(titles="; ".join(result.entry.title for result in group)))
            deciding = [deciding_answer(self.offer, result, self.facts) for result in group]
            labels = dict.fromkeys(self._label(name) for name in deciding if name)
            if status == NEED_MORE_INFO and labels:
                lines.append(notes["to_decide"].format(labels="; ".join(labels)))
        lines += ["", notes["link"].format(url=self.share_url)]
        return "\n".join(lines)

    def _label(self, answer: str) -> str:
        """What an answer is about, in a few words ('your age'); where they live is asked as one question."""
        catalogue = self.offer.catalogue
        name = catalogue.questions()[PLACE_QUESTION][0] if answer == LIVES_IN else answer
        return catalogue.facts[name].label

    def _place_question(self) -> str:
        """Where they live could be inside or outside Peterborough: ask which place, keeping the other answers."""
        place = self.place
        if place is None or place.status != PLACE_UNSETTLED or not place.next_question:
            return ""
        words = self.words
        kept = "".join(f'<input type="hidden" name="{escape(key)}" value="{escape(value)}">'
                       for key, value in self.query.pairs if key != LIVES_IN)
        if place.options:
            choices = "".join(
                f'<div class="radio"><input type="radio" id="{self._place_id(i)}" name="{LIVES_IN}" '
                f'value="{escape(option)}"><label for="{self._place_id(i)}">{escape(option)}</label></div>'
                for i, option in enumerate(place.options))
            asked = (f'<fieldset><legend><h2>{escape(words["place_title"])}</h2></legend>'
                     f'<p>{escape(place.next_question)}</p>{choices}</fieldset>')
        else:
            asked = (f'<h2>{escape(words["place_title"])}</h2><label for="place-again">{escape(place.next_question)}'
                     f'</label><input type="text" id="place-again" name="{LIVES_IN}" autocomplete="off">')
        return (f'<form method="get" action="{RESULTS_PATH}" class="place-question panel">{kept}{asked}'
                f'<button type="submit" class="primary">{escape(words["place_continue"])}</button></form>')

    @staticmethod
    def _place_id(i: int) -> str:
        return f"place-{i}"

    def _result(self, result: EntitlementResult) -> str:
        entry, words = result.entry, self.words
        lines = [f'<article class="result" id="result-{entry.id}" data-status="{result.status}">'
                 f'<h3>{escape(entry.title)}</h3><p>{escape(entry.summary)}</p>']
        change = next_change(self.offer, result, self.facts)
        if change:
            age, status = change
            said = words["changes"][f"{result.status}_to_{status}"].format(age=age)
            lines.append(f'<p class="changes">{escape(said)}</p>')
        reasons = "".join(f"<li>{escape(reason)}</li>" for reason in result.reasons)
        lines.append(f'<p class="label">{escape(words["why"])}</p><ul>{reasons}</ul>')
        if result.status == NEED_MORE_INFO:
            lines.append(self._deciding(result))
        if result.status != NOT_ELIGIBLE:
            if entry.amount:
                lines.append(self._labelled("amount", escape(entry.amount.text)))
            lines.append(self._labelled("how_to_claim", escape(entry.how_to_claim)))
            lines.append(self._labelled("contacts", "; ".join(self._contact(key) for key in entry.contacts)))
            if result.status == ELIGIBLE and entry.confidence != "high":
                lines.append(f'<p>{escape(words[f"{entry.confidence}_confidence"])}</p>')
        lines.append(self._source(result))
        return "".join(lines) + "</article>"

    def _labelled(self, key: str, html_text: str) -> str:
        return f'<p><span class="label">{escape(self.words[key])}:</span> {html_text}</p>'

    def _deciding(self, result: EntitlementResult) -> str:
        name = deciding_answer(self.offer, result, self.facts)
        if name is None:
            return f'<p>{escape(self.words["ask_adviser"])}</p>'
        question = question_label(self.offer.catalogue, name, self.words)
        href = f"{CHECK_PATH}?{self.query.encoded()}#{field_id(name)}"
        return f'<p class="decides">{escape(self.words["decides"])} <a href="{escape(href)}">{escape(question)}</a></p>'

    def _contact(self, contact_id: str) -> str:
        contact = self.offer.contacts[contact_id]
        ways = []
        if contact.phone:
            number = PHONE_DIGITS.match(contact.phone)
            if number:
                rest = contact.phone[number.end():]
                ways.append(f'<a href="tel:{number.group(0).replace(" ", "")}">{escape(number.group(0))}</a>'
                            f'{escape(rest)}')
            else:
                ways.append(escape(contact.phone))
        if contact.email:
            ways.append(f'<a href="mailto:{escape(contact.email)}">{escape(contact.email)}</a>')
        if contact.url:
            ways.append(f'<a href="{escape(str(contact.url))}">{escape(str(contact.url))}</a>')
        return escape(contact.name) + (f" ({', '.join(ways)})" if ways else "")

    def _source(self, result: EntitlementResult) -> str:
        entry, words = result.entry, self.words
        source = entry.sources[0]
        cited = (f'<a href="{escape(str(source.url))}">{escape(source.title)}</a>' if source.url
                 else escape(source.title))
        written = escape(words["written"].format(month=f"{entry.last_reviewed:%B %Y}"))
        checked = (" " + escape(words["checked"].format(on=long_date(entry.checked_by.on)))) if entry.checked_by else ""
        label = f'<span class="label">{escape(words["source"])}:</span>'
        return f'<p class="source">{label} {cited} ({written}).{checked}</p>'
