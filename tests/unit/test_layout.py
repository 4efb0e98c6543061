"""The layout keeps its promises: the offer core stands alone, and each fact is declared once."""

from __future__ import annotations

import ast
from pathlib import Path

import yaml

from bot.settings import PROJECT_ROOT

FORBIDDEN_IN_THE_OFFER_CORE = ("rasa", "rasa_sdk", "sqlalchemy", "bot.web", "bot.storage", "bot.conversation",
                               "actions")


def imported_modules(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module


def test_the_offer_core_imports_no_rasa_no_database_and_nothing_from_the_web():
    for path in sorted((PROJECT_ROOT / "bot" / "offer").glob("*.py")):
        for module in imported_modules(path):
            assert not module.startswith(FORBIDDEN_IN_THE_OFFER_CORE), f"{path.name} imports {module}"


def test_the_bot_package_never_imports_rasa():
    for path in sorted((PROJECT_ROOT / "bot").rglob("*.py")):
        for module in imported_modules(path):
            assert not module.startswith(("rasa", "rasa_sdk")), f"{path} imports {module}"


def test_facts_live_only_in_facts_yml_not_in_the_domain(offer):
    domain = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))
    assert set(domain["slots"]) == {"conversation"}
    assert not set(offer.catalogue.facts) & set(domain["slots"])


def test_every_intent_is_answered_by_the_one_action():
    domain = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))
    rules = yaml.safe_load((PROJECT_ROOT / "data" / "rules" / "conversation.yml").read_text(encoding="utf-8"))
    answered = {rule["steps"][0]["intent"] for rule in rules["rules"]
                if rule["steps"][1] == {"action": "action_respond"}}
    assert set(domain["intents"]) | {"nlu_fallback"} == answered
