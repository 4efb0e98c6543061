"""The same answers give the same statuses on the web check, from `python -m bot check --json`, and in the chat,
for every table-driven case in tests/content/rules/*.yml (the chat for a handful of them)."""

from __future__ import annotations

import io
import json
import re
import urllib.request
from datetime import date
from typing import Any, Dict, List, Mapping, Tuple
from urllib.parse import urlencode

import pytest

from bot.conversation import answers
from bot.conversation.engine import Conversation, State, Turn
from bot.fact_input import LIVES_IN, NOT_SURE_KEY, ON_KEY
from bot.offer.facts import NOT_SURE
from bot.offer.loader import Offer
from bot.quick_check import run_check
from tests.conftest import facts_for
from tests.content.test_rule_cases import BLOCKS, STATUSES

CHAT_EVERY_NTH_CASE = 50


def _cases() -> List[Tuple[str, Dict[str, Any], str]]:
    """(entitlement, answers, expected status), read the way tests/content/test_rule_cases.py reads them."""
    cases = []
    for block in BLOCKS:
        for table in block.get("ages", []):
            for status in STATUSES:
                cases += [(block["entitlement"], {**table["with"], "age": age}, status)
                          for age in table.get(status, [])]
        cases += [(block["entitlement"], case["facts"], case["expect"]) for case in block.get("cases", [])]
    return cases


CASES = _cases()


def _text(value: Any) -> str:
    return {True: "yes", False: "no"}.get(value, str(value)) if isinstance(value, bool) else str(value)


def _on(offer: Offer, entitlement: str) -> date:
    """A day the entitlement is in force: today, or its first day if it starts later."""
    entry = offer.entries[entitlement]
    return date.today() if entry.in_force(date.today()) else (entry.valid_from or entry.valid_to)


def web_status(origin: str, entitlement: str, given: Mapping[str, Any], on: date) -> str:
    pairs = [(NOT_SURE_KEY, name) if value == NOT_SURE else (name, _text(value)) for name, value in given.items()]
    with urllib.request.urlopen(f"{origin}/check/results?{urlencode(pairs + [(ON_KEY, on.isoformat())])}") as page:
        body = page.read().decode("utf-8")
    found = re.search(rf'id="result-{re.escape(entitlement)}" data-status="(\w+)"', body)
    assert found, f"{entitlement} is not on the results page"
    return found.group(1)


def cli_status(offer: Offer, entitlement: str, given: Mapping[str, Any], on: date) -> str:
    argv = ["--json", "--only", entitlement, "--on", on.isoformat()]
    for name, value in given.items():
        if value == NOT_SURE:
            argv += ["--not-sure", name]
        elif name == LIVES_IN:
            argv += [offer.catalogue.facts["lives_in_peterborough"].cli_flag, value]
        elif offer.catalogue.facts[name].type == "yes_no":
            flag = offer.catalogue.facts[name].cli_flag
            argv.append(flag if _text(value) == "yes" else f"--no-{flag[2:]}")
        else:
            argv += [offer.catalogue.facts[name].cli_flag, _text(value)]
    out = io.StringIO()
    assert run_check(argv, offer, out) == 0
    return json.loads(out.getvalue())["results"][0]["status"]


def chat_status(offer: Offer, entitlement: str, given: Mapping[str, Any]) -> str:
    """The chat's answer when asked to check this entitlement, knowing these facts: a question means it needs more."""
    outcome = Conversation(offer).respond(State(facts=facts_for(offer, given)),
                                          Turn(button={"do": "check", "entitlement": entitlement}))
    if outcome.state.pending:
        return "need_more_info"
    headline = outcome.replies[0].text
    name = answers.name_of(offer.entries[entitlement])
    said = [status for status in STATUSES if answers.wording()["personal"][status].format(name=name) in headline]
    assert len(said) == 1, headline
    return said[0]


@pytest.mark.parametrize(("entitlement", "given", "expected"), CASES,
                         ids=[f"{e}-{i}" for i, (e, _, _) in enumerate(CASES)])
def test_the_web_check_and_the_quick_check_agree(live_bot, offer, entitlement, given, expected):
    settings, _ = live_bot
    on = _on(offer, entitlement)
    assert web_status(settings.chat_origin, entitlement, given, on) == expected
    assert cli_status(offer, entitlement, given, on) == expected


@pytest.mark.parametrize(("entitlement", "given", "expected"), CASES[::CHAT_EVERY_NTH_CASE],
                         ids=[f"{e}-{i}" for i, (e, _, _) in enumerate(CASES[::CHAT_EVERY_NTH_CASE])])
def test_the_chat_agrees(live_bot, offer, entitlement, given, expected):
    settings, _ = live_bot
    on = _on(offer, entitlement)
    assert chat_status(offer, entitlement, given) == expected
    assert web_status(settings.chat_origin, entitlement, given, on) == expected
