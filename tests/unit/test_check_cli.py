"""The PA quick check, run as a PA would run it: `python -m bot check ...` in a real process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.offer.loader import entries_by_fact
from bot.quick_check import build_parser
from bot.settings import PROJECT_ROOT


@pytest.fixture(scope="module")
def env(tmp_path_factory) -> dict:
    database = tmp_path_factory.mktemp("db") / "offer.db"
    return {**os.environ, "DATABASE_URL": f"sqlite:///{database}"}


def run(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bot", *args], cwd=PROJECT_ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def results_by_id(completed: subprocess.CompletedProcess) -> dict:
    assert completed.returncode == 0, completed.stderr
    return {result["id"]: result for result in json.loads(completed.stdout)["results"]}


def test_19_in_orton_gets_council_tax_and_gym(env):
    results = results_by_id(run(env, "check", "--age", "19", "--lives-in", "Orton", "--json"))
    council_tax, gym = results["council-tax-discount"], results["leisure-pass"]
    assert council_tax["status"] == "eligible" and gym["status"] == "eligible"
    assert "You live in Orton, which is in Peterborough." in council_tax["reasons"]
    assert council_tax["written_from_published_information"] and council_tax["sources"][0]["url"].startswith("https://")
    assert {c["id"] for c in council_tax["contacts"]} == {"leaving-care-team", "council-tax-team"}


def test_eye_in_suffolk_is_never_told_it_gets_the_peterborough_discount(env):
    results = results_by_id(run(env, "check", "--age", "19", "--lives-in", "Eye, Suffolk", "--json"))
    assert results["council-tax-discount"]["status"] in {"not_eligible", "need_more_info"}
    assert results["leisure-pass"]["status"] in {"not_eligible", "need_more_info"}
    eye = results_by_id(run(env, "check", "--age", "19", "--lives-in", "Eye", "--json"))["council-tax-discount"]
    assert eye["status"] == "eligible"
    assert "You live in Eye (PE6), which is in Peterborough." in eye["reasons"]


def test_a_qualifying_care_leaver_at_university_is_not_told_of_the_bursary(env):
    results = results_by_id(run(env, "check", "--status", "qualifying", "--age", "22", "--activity", "university",
                                "--json"))
    assert results["higher-education-bursary"]["status"] == "not_eligible"
    assert results["personal-adviser"]["status"] == "not_eligible"
    assert results["advice-and-assistance"]["status"] == "eligible"
    former = results_by_id(run(env, "check", "--status", "former-relevant", "--age", "22", "--activity",
                               "university", "--json"))
    assert former["higher-education-bursary"]["status"] == "eligible"


def test_without_a_status_the_answer_names_the_condition_not_a_yes(env):
    adviser = results_by_id(run(env, "check", "--age", "22", "--json"))["personal-adviser"]
    assert adviser["status"] == "need_more_info" and adviser["missing_facts"] == ["care_status"]
    completed = run(env, "check", "--age", "22", "--only", "personal-adviser")
    assert "Still needed: --status" in completed.stdout


def test_19_in_huntingdon_does_not_and_says_why(env):
    results = results_by_id(run(env, "check", "--age", "19", "--lives-in", "Huntingdon", "--json"))
    for key in ("council-tax-discount", "leisure-pass"):
        assert results[key]["status"] == "not_eligible"
        assert any("Huntingdon, which is not in Peterborough" in r for r in results[key]["reasons"])
    assert results["tiger-pass"]["status"] == "eligible"


def test_json_has_the_documented_shape(env):
    payload = json.loads(run(env, "check", "--age", "22", "--custody", "leaving", "--sentenced", "--json").stdout)
    assert set(payload) >= {"facts", "results"}
    assert payload["facts"] == {"age": 22, "custody": "leaving", "sentenced": True}
    for result in payload["results"]:
        assert set(result) >= {"id", "title", "status", "reasons", "missing_facts", "how_to_claim",
                               "contacts", "sources", "written_from_published_information",
                               "checked_against_live_page"}
        assert result["status"] in {"eligible", "not_eligible", "need_more_info"}
    statuses = {r["id"]: r["status"] for r in payload["results"]}
    assert statuses["support-in-custody"] == statuses["prison-discharge-grant"] == "eligible"


def test_readable_output_groups_answers_with_reasons_and_contacts(env):
    completed = run(env, "check", "--age", "19", "--lives-in", "Huntingdon")
    assert completed.returncode == 0, completed.stderr
    text = completed.stdout
    assert text.index("CAN GET") < text.index("NEED MORE INFORMATION") < text.index("CANNOT GET")
    assert "You live in Huntingdon, which is not in Peterborough" in text
    assert "leavingcare@peterborough.gov.uk" in text


def test_missing_facts_name_the_flag_to_add(env):
    completed = run(env, "check", "--age", "19", "--only", "staying-put")
    assert "Still needed: --foster-home-at-18" in completed.stdout


def test_a_split_postcode_says_what_to_ask(env):
    completed = run(env, "check", "--age", "19", "--lives-in", "PE7 3AB", "--only", "council-tax-discount")
    assert "PE7 covers places inside and outside Peterborough" in completed.stdout
    assert "[?] Council tax discount" in completed.stdout


@pytest.mark.parametrize("args", [
    ["--age", "-3"], ["--age", "abc"], ["--age", "150"], ["--age", "19.5"], ["--custody", "maybe"],
    ["--activity", "skiing"], ["--only", "no-such-thing"], ["--lives-in", "  "], ["--on", "tomorrow"],
    ["--not-sure", "shoe-size"],
])
def test_bad_flags_get_a_clear_message_and_exit_2(env, args):
    completed = run(env, "check", *args)
    assert completed.returncode == 2
    assert "error:" in completed.stderr and "Traceback" not in completed.stderr


def test_not_sure_is_never_a_no(env):
    results = results_by_id(run(env, "check", "--not-sure", "age", "--lives-in", "Orton", "--json"))
    assert results["council-tax-discount"]["status"] == "need_more_info"
    assert results["council-tax-discount"]["missing_facts"] == ["age"]


def test_every_fact_a_rule_uses_can_be_set_by_a_question_and_a_flag(offer):
    flags = {option for action in build_parser(offer.catalogue)._actions for option in action.option_strings}
    questions = offer.catalogue.questions()
    for fact in entries_by_fact(offer):
        definition = offer.catalogue.facts[fact]
        assert definition.cli_flag in flags, f"{fact}: no flag {definition.cli_flag}"
        assert fact in questions[definition.question]
    yes_no_flags = {f.cli_flag for f in offer.catalogue.facts.values() if f.type == "yes_no"}
    assert {f"--no-{flag[2:]}" for flag in yes_no_flags - {"--lives-in"}} <= flags


def test_validate_and_load_commands(env):
    assert "valid" in run(env, "validate").stdout
    first, second = run(env, "load"), run(env, "load")
    assert first.returncode == second.returncode == 0
    assert "Already up to date" in second.stdout


def test_a_broken_offer_file_is_reported_without_a_stack_trace(env, tmp_path):
    broken = tmp_path / "offer"
    import shutil
    shutil.copytree(Path(PROJECT_ROOT / "data" / "offer"), broken)
    (broken / "facts.yml").write_text("facts: {age: [")
    completed = run({**env, "OFFER_DIR": str(broken)}, "validate")
    assert completed.returncode == 1
    assert "facts.yml" in completed.stderr and "Traceback" not in completed.stderr
