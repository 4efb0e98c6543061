"""Table-driven eligibility cases from tests/rules/*.yml, one block per entitlement."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any, Dict, List, Tuple

import pytest
import yaml

from bot.offer.eligibility import ELIGIBLE, NEED_MORE_INFO, NOT_ELIGIBLE, check_entry, check_offer
from bot.offer.loader import load_offer
from bot.offer.rules import Everyone, Unpublished, facts_used
from bot.settings import OFFER_DIR
from tests.conftest import facts_for

BOUNDARY_AGES = {15, 16, 17, 18, 20, 21, 24, 25, 26}
STATUSES = (ELIGIBLE, NOT_ELIGIBLE, NEED_MORE_INFO)
CASE_FILES = sorted((Path(__file__).parent / "rules").glob("*.yml"))


def _blocks() -> List[Dict[str, Any]]:
    blocks = []
    for path in CASE_FILES:
        for block in yaml.safe_load(path.read_text(encoding="utf-8")):
            blocks.append({**block, "file": path.name})
    return blocks


BLOCKS = _blocks()


def _age_cases() -> List[Tuple[str, Dict[str, Any], str]]:
    cases = []
    for block in BLOCKS:
        for table in block.get("ages", []):
            for status in STATUSES:
                for age in table.get(status, []):
                    cases.append((block["entitlement"], {**table["with"], "age": age}, status))
    return cases


def _named_cases() -> List[Tuple[str, Dict[str, Any]]]:
    return [(block["entitlement"], case) for block in BLOCKS for case in block.get("cases", [])]


@pytest.mark.parametrize(("entitlement", "raw_facts", "expected"), _age_cases(),
                         ids=lambda value: str(value) if not isinstance(value, dict) else "")
def test_boundary_age(offer, entitlement, raw_facts, expected):
    result = check_entry(offer, entitlement, facts_for(offer, raw_facts))
    assert result.status == expected, (raw_facts, result.reasons)


@pytest.mark.parametrize(("entitlement", "case"), _named_cases(),
                         ids=[f"{e}: {c['name']}" for e, c in _named_cases()])
def test_named_case(offer, entitlement, case):
    result = check_entry(offer, entitlement, facts_for(offer, case["facts"]))
    assert result.status == case["expect"], result.reasons
    if "missing" in case:
        assert list(result.missing_facts) == case["missing"]
    for words in case.get("reasons_include", []):
        assert any(words in reason for reason in result.reasons), (words, result.reasons)


@pytest.mark.parametrize(("entitlement", "on", "in_force"),
                         [(b["entitlement"], day, expected) for b in BLOCKS
                          for day, expected in b.get("in_force", {}).items()])
def test_dated_entries_start_and_end_on_their_dates(offer, entitlement, on, in_force):
    shown = [result.entry.id for result in check_offer(offer, {}, date.fromisoformat(str(on)))]
    assert (entitlement in shown) is in_force


def test_every_entitlement_has_a_case_block(offer):
    covered = {block["entitlement"] for block in BLOCKS}
    entitlements = {key for key, entry in offer.entries.items() if entry.kind == "entitlement"}
    assert entitlements - covered == set()
    assert covered - set(offer.entries) == set(), "a case block names an unknown entitlement"


@pytest.mark.parametrize("block", BLOCKS, ids=[b["entitlement"] for b in BLOCKS])
def test_every_block_covers_every_boundary_age(block):
    ages = {age for table in block.get("ages", []) for status in STATUSES for age in table.get(status, [])}
    assert ages >= BOUNDARY_AGES, f"missing ages {sorted(BOUNDARY_AGES - ages)}"


@pytest.mark.parametrize("block", BLOCKS, ids=[b["entitlement"] for b in BLOCKS])
def test_every_block_has_each_outcome_its_rule_allows(offer, block):
    rule = offer.rules[block["entitlement"]]
    seen = {case["expect"] for case in block.get("cases", [])}
    seen |= {status for table in block.get("ages", []) for status in STATUSES if table.get(status)}
    if isinstance(rule, Everyone):
        expected = {ELIGIBLE}
    elif isinstance(rule, Unpublished):
        expected = {NEED_MORE_INFO}
    else:
        expected = set(STATUSES)
    assert expected <= seen, f"no case for {sorted(expected - seen)}"


def test_every_dated_entry_has_cases_on_its_boundary_dates(offer):
    dated = {key: entry for key, entry in offer.entries.items() if entry.valid_from or entry.valid_to}
    for key, entry in dated.items():
        days = {str(day) for block in BLOCKS if block["entitlement"] == key for day in block.get("in_force", {})}
        for boundary in filter(None, (entry.valid_from, entry.valid_to)):
            assert boundary.isoformat() in days, f"{key}: no case on {boundary}"


def test_case_files_only_use_known_facts(offer):
    allowed = set(offer.catalogue.facts) | {"lives_in"}
    for block in BLOCKS:
        for raw in [t["with"] for t in block.get("ages", [])] + [c["facts"] for c in block.get("cases", [])]:
            assert set(raw) <= allowed, (block["entitlement"], raw)


def test_rules_ask_only_about_facts_in_the_catalogue():
    offer = load_offer(OFFER_DIR)
    for key, rule in offer.rules.items():
        assert set(facts_used(rule)) <= set(offer.catalogue.facts), key
