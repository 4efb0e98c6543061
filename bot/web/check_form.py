"""The web check's form: one question for each fact the rules use, every one optional, each with "Not sure".

GOV.UK form patterns: a label on every field, hints, an error summary at the top that links to each
field, and the first field with an error focused. Field ids are `field-<answer>`, so any page can
link back to one question (`/check?...#field-age`). A plain GET form: it works without JavaScript.
"""

from __future__ import annotations

from html import escape
from typing import Any, Dict, List, Mapping, Optional

from bot.fact_input import CHECK_PATH, LIVES_IN, NOT_SURE_KEY, ON_KEY
from bot.offer.facts import NOT_SURE, PLACE_QUESTION, FactCatalogue, FactDefinition
from bot.offer.loader import Offer
from bot.offer.places import NOT_SURE as PLACE_UNSETTLED
from bot.offer.places import PlaceAnswer
from bot.offer.rules import capitalise
from bot.web.check_query import CheckQuery

RESULTS_PATH = f"{CHECK_PATH}/results"


def field_id(name: str) -> str:
    return f"field-{name}"


def question_label(catalogue: FactCatalogue, name: str, words: Mapping[str, Any]) -> str:
    """The question a field asks: the chat's own question from facts.yml; where they live from check.yml."""
    if name == LIVES_IN or catalogue.facts[name].question == PLACE_QUESTION:
        return words["lives_in_label"]
    fact = catalogue.facts[name]
    return capitalise(fact.ask or catalogue.question_text(fact.question))


def render_form(offer: Offer, words: Mapping[str, Any], query: CheckQuery, errors: Mapping[str, str],
                place: Optional[PlaceAnswer]) -> str:
    catalogue = offer.catalogue
    first_error = next(iter(errors), None)
    fields: List[str] = []
    for name, fact in catalogue.facts.items():
        if fact.question == PLACE_QUESTION:
            if name == catalogue.questions()[PLACE_QUESTION][0]:
                fields.append(_text_field(LIVES_IN, words["lives_in_label"], words["lives_in_hint"], query, errors,
                                          words, first_error, _place_hint(place)))
            continue
        label = question_label(catalogue, name, words)
        if fact.type == "age":
            fields.append(_text_field(name, label, words["age_hint"], query, errors, words, first_error, None,
                                      numeric=True))
        else:
            fields.append(_radios(name, label, _choices(fact, words), query, errors, words, first_error))
    on_error = ON_KEY in errors
    more = (f'<details class="more"{" open" if on_error else ""}><summary>{escape(words["more_options"])}</summary>'
            + _text_field(ON_KEY, words["on_label"], words["on_hint"], query, errors, words, first_error, None,
                          kind="date", not_sure=False) + "</details>")
    return (f'<h1>{escape(words["title"])}</h1>{error_summary(words, errors)}'
            f'<p>{escape(words["intro"])}</p><p>{escape(words["no_name"])}</p>'
            f'<form method="get" action="{RESULTS_PATH}" novalidate>{"".join(fields)}{more}'
            f'<button type="submit" class="primary">{escape(words["submit"])}</button></form>')


def error_summary(words: Mapping[str, Any], errors: Mapping[str, str]) -> str:
    if not errors:
        return ""
    items = "".join(f'<li><a href="#{field_id(_field_of(name))}">{escape(message)}</a></li>'
                    for name, message in errors.items())
    return (f'<div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1">'
            f'<h2 id="error-summary-title">{escape(words["error_title"])}</h2><ul>{items}</ul></div>')


def _field_of(name: str) -> str:
    """An error about a 'not sure' the page could not read points at the first question."""
    return "age" if name == NOT_SURE_KEY else name


def _place_hint(place: Optional[PlaceAnswer]) -> Optional[str]:
    if place is not None and place.status == PLACE_UNSETTLED and place.next_question:
        return place.next_question
    return None


def _choices(fact: FactDefinition, words: Mapping[str, Any]) -> Dict[str, str]:
    if fact.type == "yes_no":
        return {"yes": words["yes"], "no": words["no"]}
    return {value: capitalise(option.says) for value, option in (fact.options or {}).items()}


def _described(name: str, hint: Optional[str], error: Optional[str]) -> str:
    ids = [f"{field_id(name)}-hint"] if hint else []
    ids += [f"{field_id(name)}-error"] if error else []
    return f' aria-describedby="{" ".join(ids)}"' if ids else ""


def _error_line(name: str, error: Optional[str], words: Mapping[str, Any]) -> str:
    if not error:
        return ""
    return (f'<p class="error-message" id="{field_id(name)}-error">'
            f'<span class="visually-hidden">{escape(words["error_prefix"])} </span>{escape(error)}</p>')


def _text_field(name: str, label: str, hint: str, query: CheckQuery, errors: Mapping[str, str],
                words: Mapping[str, Any], first_error: Optional[str], extra_hint: Optional[str],
                numeric: bool = False, kind: str = "text", not_sure: bool = True) -> str:
    error = errors.get(name)
    hints = f'<p class="hint" id="{field_id(name)}-hint">{escape(hint)}</p>'
    if extra_hint:
        hints += f'<p class="hint place-question">{escape(extra_hint)}</p>'
    value = "" if name in query.not_sure else query.value(name)
    attributes = ' inputmode="numeric" class="short"' if numeric else ""
    attributes += ' autofocus' if name == first_error else ""
    attributes += ' aria-invalid="true"' if error else ""
    box = ""
    if not_sure:
        checked = " checked" if name in query.not_sure else ""
        box = (f'<div class="check-box"><input type="checkbox" id="{field_id(name)}-not-sure" name="{NOT_SURE_KEY}"'
               f' value="{name}"{checked}><label for="{field_id(name)}-not-sure">{escape(words["not_sure"])}</label>'
               "</div>")
    return (f'<div class="field{" has-error" if error else ""}"><label for="{field_id(name)}">{escape(label)}</label>'
            f'{hints}{_error_line(name, error, words)}'
            f'<input type="{kind}" id="{field_id(name)}" name="{name}" value="{escape(value)}" autocomplete="off"'
            f'{_described(name, hint, error)}{attributes}>{box}</div>')


def _radios(name: str, label: str, choices: Mapping[str, str], query: CheckQuery, errors: Mapping[str, str],
            words: Mapping[str, Any], first_error: Optional[str]) -> str:
    error = errors.get(name)
    chosen = NOT_SURE if name in query.not_sure else query.value(name).lower().replace("-", "_")
    options = []
    for i, (value, text) in enumerate({**choices, NOT_SURE: words["not_sure"]}.items()):
        input_id = field_id(name) if i == 0 else f"{field_id(name)}-{value}"
        flags = " checked" if value == chosen else ""
        flags += " autofocus" if i == 0 and name == first_error else ""
        options.append(f'<div class="radio"><input type="radio" id="{input_id}" name="{name}" value="{value}"{flags}>'
                       f'<label for="{input_id}">{escape(text)}</label></div>')
    return (f'<fieldset class="field{" has-error" if error else ""}"{_described(name, None, error)}>'
            f'<legend>{escape(label)}</legend>{_error_line(name, error, words)}{"".join(options)}</fieldset>')
