"""Feedback from real use: helpful or not, "say it better", and unanswered questions, kept anonymised."""

from __future__ import annotations

import csv
import uuid

import pytest

from bot.storage.database import make_engine
from bot.storage.feedback_export import export_feedback_csv
from bot.storage.feedback_store import FeedbackStore
from bot.web.masking import mask_personal_details
from tests.conftest import PHONE
from tests.system.test_chat_in_browser import say
from tests.system.test_servers import call, chat


@pytest.mark.parametrize("text, masked", [
    ("ring me on 07700 900123", "ring me on [phone]"),
    ("my number is +44 7700 900123 ok", "my number is [phone] ok"),
    ("office 01733-864180", "office [phone]"),
    ("email jo.bloggs+care@example.co.uk please", "email [email] please"),
    ("I live at PE1 1AA", "I live at [postcode]"),
    ("postcode pe2  6xx", "postcode [postcode]"),
    ("NI number QQ 12 34 56 C", "NI number [NI number]"),
    ("ni ab123456d", "ni [NI number]"),
])
def test_personal_details_are_masked(text, masked):
    assert mask_personal_details(text) == masked


def test_ages_amounts_and_districts_are_kept():
    text = "I'm 19, I got £1,200 and live in PE7"
    assert mask_personal_details(text) == text


@pytest.fixture()
def store(live_bot_database) -> FeedbackStore:
    return FeedbackStore(make_engine(live_bot_database))


def nonsense_word() -> str:
    """A unique word with no digits (a random "21" or "25" in it reads as an age or a topic) and no vowels,
    so it cannot be a near-spelling of anything the bot knows."""
    return "zq" + uuid.uuid4().hex[:8].translate(str.maketrans("0123456789abcdef", "bcdfghjklmnpqrst"))


def test_an_unanswered_question_is_kept_masked_without_who_asked(live_bot, store):
    settings, _ = live_bot
    marker = nonsense_word()
    replies = chat(settings, uuid.uuid4().hex, f"flibber {marker} wobble 07700 900123")
    assert {"answers:not_understood", "answers:did_you_mean"} & set(replies[0]["ids"])
    kept = [row for row in store.unanswered_rows() if marker in row["message"]]
    assert kept and kept[0]["message"] == f"flibber {marker} wobble [phone]"
    assert set(kept[0]) == {"id", "day", "string_id", "message"}


def test_feedback_is_kept_with_known_string_ids_only(live_bot, store):
    settings, _ = live_bot
    marker = uuid.uuid4().hex[:8]
    status, _, _ = call(f"{settings.chat_origin}/api/feedback",
                        {"ids": ["offer:council-tax-discount.summary", "not-a-string"], "rating": "down",
                         "suggestion": f"say 18 to 24 {marker}, my email is a@b.com"})
    assert status == 200
    row = [r for r in store.feedback_rows() if marker in r["suggestion"]][0]
    assert row["string_ids"] == "offer:council-tax-discount.summary"
    assert row["suggestion"] == f"say 18 to 24 {marker}, my email is [email]"


@pytest.mark.parametrize("body", [
    {"ids": ["made-up"], "rating": "down"},
    {"ids": ["offer:council-tax-discount.summary"], "rating": "meh"},
    {"ids": "offer:council-tax-discount.summary", "rating": "up"},
])
def test_feedback_that_is_not_what_the_page_sends_is_refused(live_bot, body):
    settings, _ = live_bot
    assert call(f"{settings.chat_origin}/api/feedback", body)[0] == 400


def test_thumbs_down_and_say_it_better_in_the_browser_is_stored_and_exported(phone, store, tmp_path):
    say(phone, "I'm 19 and live in Orton, do I pay council tax?")
    phone.locator(".msg.bot", has_text="you can get Council tax discount").wait_for()
    phone.get_by_role("button", name="👎 No").tap()
    marker = uuid.uuid4().hex[:8]
    phone.get_by_label("How could we say it better?").fill(f"use simpler words {marker}")
    phone.locator(".feedback").get_by_role("button", name="Send").tap()
    phone.get_by_text("Thanks for telling us.").wait_for()
    phone.wait_for_timeout(500)
    feedback_csv = export_feedback_csv(store, tmp_path)[0]
    rows = [row for row in csv.DictReader(feedback_csv.open(encoding="utf-8")) if marker in row["suggestion"]]
    assert rows and rows[0]["rating"] == "down"
    assert "offer:council-tax-discount.summary" in rows[0]["string_ids"].split()


def test_review_mode_shows_the_string_ids_under_each_reply(browser, live_bot):
    settings, _ = live_bot
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.goto(f"{settings.chat_origin}/?review=1")
    page.locator(".ids", has_text="answers:greet").wait_for(timeout=20_000)
    context.close()


def test_without_review_mode_no_ids_are_shown(phone):
    assert phone.locator(".ids").count() == 0
