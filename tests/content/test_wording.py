"""The wording check: every string the bot can say, the group's glossary, exceptions, amounts, the review pack."""

from __future__ import annotations

import csv
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.settings import PROJECT_ROOT
from bot.wording.catalogue import BotString, WordingUnreadable, all_bot_strings
from bot.wording.check import check_string, check_strings, load_rules
from bot.wording.report import write_review_pack


@pytest.fixture()
def project_copy(tmp_path: Path) -> Path:
    """The bot's wording files, copied so a test can change them."""
    shutil.copy(PROJECT_ROOT / "domain.yml", tmp_path / "domain.yml")
    shutil.copytree(PROJECT_ROOT / "data", tmp_path / "data")
    return tmp_path


@pytest.fixture(scope="module")
def rules(offer):
    return load_rules(offer)


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def findings_for(root: Path, offer):
    return check_strings(all_bot_strings(root), load_rules(offer, root / "data" / "wording"))


def test_the_bot_as_it_is_passes_the_wording_check():
    result = subprocess.run([sys.executable, "-m", "bot", "wording"], cwd=PROJECT_ROOT, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr
    assert "0 error" in result.stdout


def test_every_kind_of_string_is_extracted_with_a_stable_id():
    ids = {string.id for string in all_bot_strings()}
    for expected in ("answers:greet", "answers:buttons.yes_check", "offer:council-tax-discount.summary",
                     "offer:council-tax-discount.how_to_claim", "offer:16-19-bursary.amount",
                     "answers:personal.eligible", "answers:ask", "crisis:suicide.0", "crisis:homeless.1",
                     "facts:facts.age.ask", "facts:facts.custody.options.in.button",
                     "page:exit_button", "page:privacy.paragraphs.0",
                     "facts:reasons.not_met", "places:questions.unknown_place", "topics:council-tax.title",
                     "contacts:samaritans.name"):
        assert expected in ids


def test_a_banned_word_fails_with_the_string_id_and_the_suggested_words(project_copy, offer):
    replace_in(project_copy / "data/wording/answers.yml", "What would you like to know?", "Are you a LAC?")
    errors = [f for f in findings_for(project_copy, offer) if f.level == "error"]
    assert [(f.string_id, f.term) for f in errors] == [("answers:greet", "LAC")]
    assert "children we care for" in errors[0].suggestion


def test_an_agreed_exception_passes(project_copy, offer):
    replace_in(project_copy / "data/wording/answers.yml", "What would you like to know?", "Are you a LAC?")
    (project_copy / "data/wording/allow.yml").write_text(
        "allow:\n  - {id: answers:greet, term: LAC, reason: quoting a letter, approved_by: Care Leaders, "
        "date: 2026-11-22}\n", encoding="utf-8")
    assert [f for f in findings_for(project_copy, offer) if f.level == "error"] == []


def test_an_invented_amount_fails(project_copy, offer):
    replace_in(project_copy / "data/wording/answers.yml", "Based on what you told me, you can get {name}.",
               "Based on what you told me, you can get £999 from {name}.")
    errors = [f for f in findings_for(project_copy, offer) if f.level == "error"]
    assert [(f.string_id, f.check, f.term) for f in errors] == [("answers:personal.eligible", "amount", "£999")]


def test_an_amount_from_the_offer_is_fine(rules):
    assert check_string(BotString("x", "You can get up to £1,200 a year.", "test"), rules) == []


@pytest.mark.parametrize("text, term", [
    ("Tell us about your placements.", "placements"),
    ("PLACEMENT ended", "PLACEMENT"),
    ("Your case is closed.", "case"),
    ("Young people who are NEET", "NEET"),
])
def test_glossary_words_match_whole_words_in_any_case_and_plurals(rules, text, term):
    found = [f.term for f in check_string(BotString("x", text, "test"), rules) if f.check == "glossary"]
    assert term in found


@pytest.mark.parametrize("text", ["A showcase of your work.", "The casework team", "placementsX"])
def test_glossary_words_inside_other_words_are_not_matched(rules, text):
    assert [f for f in check_string(BotString("x", text, "test"), rules) if f.check == "glossary"] == []


def test_short_forms_must_be_spelled_out_first(rules):
    bad = check_string(BotString("x", "Ask your PA about it.", "test"), rules)
    good = check_string(BotString("x", "Ask your personal adviser (PA). Your PA can help.", "test"), rules)
    assert [f.term for f in bad if f.check == "short form"] == ["PA"]
    assert [f for f in good if f.check == "short form"] == []


def test_long_sentences_and_passive_voice_are_flagged(rules):
    long_text = " ".join(["word"] * 30) + "."
    checks = {f.check for f in check_string(BotString("x", long_text + " The form is sent by post.", "t"), rules)}
    assert {"long sentence", "passive voice"} <= checks


def test_a_reply_without_text_cannot_escape_review(project_copy):
    with (project_copy / "domain.yml").open("a", encoding="utf-8") as domain:
        domain.write("\nresponses:\n  utter_picture:\n    - image: https://x.example/a.png\n")
    with pytest.raises(WordingUnreadable, match="utter_picture/0"):
        all_bot_strings(project_copy)


def test_the_review_pack_has_one_row_per_string_and_empty_review_columns(tmp_path, rules):
    strings = all_bot_strings()
    html_path, csv_path = write_review_pack(strings, check_strings(strings, rules), rules, tmp_path)
    rows = list(csv.DictReader(csv_path.open(encoding="utf-8")))
    assert len(rows) == len(strings)
    assert {"id", "text", "where used", "findings", "reading grade", "OK?", "Better wording", "Reviewed by"} \
        == set(rows[0])
    assert all(row["OK?"] == "" for row in rows)
    page = html_path.read_text(encoding="utf-8")
    assert "The ten hardest to read" in page and 'name="viewport"' in page
