"""Content mistakes are reported with file, line, entry and field - and change nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.offer.loader import OfferInvalid, load_offer
from bot.settings import OFFER_DIR

COUNCIL_TAX = "entitlements/council-tax-discount.yml"


@pytest.fixture()
def offer_copy(tmp_path: Path) -> Path:
    root = tmp_path / "offer"
    shutil.copytree(OFFER_DIR, root)
    return root


def edit(root: Path, name: str, old: str, new: str) -> None:
    path = root / name
    text = path.read_text(encoding="utf-8")
    assert old in text, f"test set-up: {old!r} not in {name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def only_error(root: Path):
    with pytest.raises(OfferInvalid) as raised:
        load_offer(root)
    assert len(raised.value.errors) == 1, raised.value.errors
    return raised.value.errors[0]


def line_of(root: Path, name: str, text: str) -> int:
    lines = (root / name).read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if text in line)


def test_the_real_offer_loads(offer):
    assert len(offer.entries) >= 40


def test_unknown_field_names_file_line_entry_and_field(offer_copy):
    edit(offer_copy, COUNCIL_TAX, "confidence: high", "confidence: high\ncolour: blue")
    error = only_error(offer_copy)
    assert error.file.endswith("council-tax-discount.yml")
    assert (error.entry, error.field) == ("council-tax-discount", "colour")
    assert error.line == line_of(offer_copy, COUNCIL_TAX, "colour:")
    assert "unknown field" in error.message


def test_missing_required_field(offer_copy):
    edit(offer_copy, COUNCIL_TAX, "how_to_claim: >-", "how_to_claim_typo: >-")
    with pytest.raises(OfferInvalid) as raised:
        load_offer(offer_copy)
    messages = {(e.field, e.message) for e in raised.value.errors}
    assert ("how_to_claim", "missing required field") in messages


def test_unknown_fact_in_a_rule(offer_copy):
    edit(offer_copy, COUNCIL_TAX, "- lives_in_peterborough: yes", "- lives_in_peterbrough: yes")
    error = only_error(offer_copy)
    assert error.field == "who_qualifies.all.1.lives_in_peterbrough"
    assert "unknown fact 'lives_in_peterbrough'" in error.message
    assert error.line == line_of(offer_copy, COUNCIL_TAX, "lives_in_peterbrough")


def test_bad_value_in_a_rule(offer_copy):
    edit(offer_copy, "entitlements/16-19-bursary.yml", "- activity: college", "- activity: collage")
    error = only_error(offer_copy)
    assert error.entry == "16-19-bursary" and "activity" in error.message


def test_unknown_contact_id(offer_copy):
    edit(offer_copy, COUNCIL_TAX, "contacts: [leaving-care-team, council-tax-team]",
         "contacts: [leaving-care-team, council-tax-teem]")
    error = only_error(offer_copy)
    assert (error.field, error.entry) == ("contacts.1", "council-tax-discount")
    assert "unknown contact id 'council-tax-teem'" in error.message


def test_duplicate_id(offer_copy):
    shutil.copy(offer_copy / COUNCIL_TAX, offer_copy / "entitlements/zz-copy.yml")
    error = only_error(offer_copy)
    assert error.file.endswith("zz-copy.yml") and error.field == "id"
    assert "duplicate id" in error.message and "council-tax-discount.yml" in error.message


def test_bad_date(offer_copy):
    edit(offer_copy, COUNCIL_TAX, "last_reviewed: 2026-11-22", "last_reviewed: 2026-13-45")
    error = only_error(offer_copy)
    assert error.field == "last_reviewed"
    assert "YYYY-MM-DD" in error.message
    assert error.line == line_of(offer_copy, COUNCIL_TAX, "last_reviewed")


def test_invalid_yaml_names_the_line(offer_copy):
    edit(offer_copy, COUNCIL_TAX, "topics: [council-tax, money, after-21]", "topics: [council-tax, money")
    error = only_error(offer_copy)
    assert error.file.endswith("council-tax-discount.yml")
    assert "not valid YAML" in error.message and error.line


def test_invented_amount_text_must_match_its_values(offer_copy):
    edit(offer_copy, "entitlements/higher-education-bursary.yml", "text: £2,000 in total", "text: £2,500 in total")
    error = only_error(offer_copy)
    assert error.field == "amount.text" and "£2,000" in error.message


def test_unknown_topic(offer_copy):
    edit(offer_copy, COUNCIL_TAX, "topics: [council-tax, money, after-21]", "topics: [council-tax, mony]")
    assert "unknown topic 'mony'" in only_error(offer_copy).message


def test_every_mistake_is_reported_at_once(offer_copy):
    edit(offer_copy, COUNCIL_TAX, "confidence: high", "confidence: sure")
    edit(offer_copy, "entitlements/leisure-pass.yml", "last_reviewed: 2026-11-22", "last_reviewed: soon")
    with pytest.raises(OfferInvalid) as raised:
        load_offer(offer_copy)
    assert {e.entry for e in raised.value.errors} == {"council-tax-discount", "leisure-pass"}


def test_error_reads_as_one_clear_line(offer_copy):
    edit(offer_copy, COUNCIL_TAX, "contacts: [leaving-care-team, council-tax-team]", "contacts: [nobody]")
    text = str(only_error(offer_copy))
    assert text.startswith(str(offer_copy / COUNCIL_TAX) + ":")
    assert "entry 'council-tax-discount', field 'contacts.0': unknown contact id 'nobody'" in text


STABLE_IDS = [
    "council-tax-discount", "leisure-pass", "personal-adviser", "pathway-plan", "support-in-custody", "staying-put",
    "priority-need-housing", "setting-up-home-allowance", "shared-accommodation-rate", "higher-education-bursary",
    "16-19-bursary", "apprenticeship-bursary", "care-to-learn", "house-project", "advocacy",
    "independent-reviewing-officer", "care-records", "national-insurance-number",
]


@pytest.mark.parametrize("entry_id", STABLE_IDS)
def test_ids_that_others_rely_on_stay(offer, entry_id):
    assert offer.entries[entry_id].kind == "entitlement"


def test_every_entry_has_a_source_review_date_and_confidence(offer):
    for entry in offer.entries.values():
        assert entry.sources and entry.last_reviewed and entry.confidence in {"high", "medium", "low"}
    for contact in offer.contacts.values():
        assert contact.sources and contact.last_reviewed
