"""The web check (/check) in real Chromium at a phone's size and a laptop's, on the real running servers:
the form, the results, print, copy, share, errors, a split postcode, the chat's link, accessibility."""

from __future__ import annotations

import urllib.request
from urllib.parse import parse_qsl, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from bot.data_files import read_yaml
from bot.fact_input import answer_names
from bot.settings import DOCS_DIR, WORDING_DIR
from tests.conftest import PHONE

LAPTOP = {"viewport": {"width": 1280, "height": 800}}
SIZES = {"phone": PHONE, "laptop": LAPTOP}
WORDS = read_yaml(WORDING_DIR / "check.yml")
ORTON_19 = "/check/results?age=19&care_status=former_relevant&lives_in=Orton"
PAGE_BUDGET_BYTES = 60 * 1024


@pytest.fixture(params=list(SIZES))
def sized(request, browser, live_bot):
    """A fresh browser context at one size, allowed to use the clipboard; yields (page, origin, size name)."""
    settings, _ = live_bot
    context = browser.new_context(**SIZES[request.param], permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page, settings.chat_origin, request.param
    context.close()


def fill_and_check(page, origin: str, age: str, lives_in: str) -> None:
    page.goto(f"{origin}/check")
    page.get_by_label("How old are you?").fill(age)
    page.get_by_label(WORDS["lives_in_label"]).fill(lives_in)
    page.get_by_role("button", name=WORDS["submit"]).click()


def test_fill_the_form_and_read_the_results(sized, offer):
    page, origin, size = sized
    page.goto(f"{origin}/check")
    page.get_by_label("How old are you?").fill("19")
    page.get_by_label(WORDS["lives_in_label"]).fill("Orton")
    page.locator("#field-care_status-former_relevant").check()
    page.get_by_role("button", name=WORDS["submit"]).click()
    page.wait_for_url("**/check/results?**")
    allowed = set(answer_names(offer.catalogue)) | {"not_sure", "on"}
    assert {key for key, _ in parse_qsl(urlsplit(page.url).query)} <= allowed
    council_tax = page.locator("section.eligible #result-council-tax-discount")
    council_tax.wait_for()
    assert "You live in Orton, which is in Peterborough." in council_tax.inner_text()
    assert council_tax.locator("a[href^='tel:']").count() >= 1
    assert council_tax.locator("a[href^='mailto:']").count() >= 1
    assert "written from published information, " in council_tax.locator(".source").inner_text()
    adviser = page.locator("#result-personal-adviser")
    assert adviser.get_attribute("data-status") == "eligible"
    assert adviser.locator(".changes").inner_text() == WORDS["changes"]["eligible_to_not_eligible"].format(age=25)
    assert page.locator("section.not_eligible h2").inner_text().startswith(WORDS["groups"]["not_eligible"])
    if size == "phone":
        shot = DOCS_DIR / "check-phone.png"
        page.screenshot(path=str(shot))
        assert shot.stat().st_size > 10_000
    staying_put = page.locator("section.need_more_info #result-staying-put")
    staying_put.locator(".decides a").click()
    page.wait_for_url("**/check?**#field-foster_home_at_18")
    expect(page.locator("#field-foster_home_at_18")).to_be_focused()
    assert page.get_by_label("How old are you?").input_value() == "19"


def test_print_shows_the_answers_and_no_buttons(sized):
    page, origin, _ = sized
    page.goto(f"{origin}{ORTON_19}")
    page.locator("#copy:not([hidden])").wait_for()
    page.emulate_media(media="print")
    assert page.locator("#answers-used").is_visible()
    assert "you are 19" in page.locator("#answers-used").inner_text()
    assert page.locator("#checked-on").is_visible()
    for control in page.locator("button, .button-link, #share, .exit").all():
        assert not control.is_visible(), control.inner_text()
    source_link = page.locator("#result-council-tax-discount .source a").first
    written_out = source_link.evaluate("link => getComputedStyle(link, '::after').content")
    assert source_link.get_attribute("href") in written_out


def test_copy_puts_the_case_notes_on_the_clipboard(sized):
    page, origin, _ = sized
    page.goto(f"{origin}{ORTON_19}")
    page.get_by_role("button", name=WORDS["copy"]).click()
    page.get_by_text(WORDS["copied"]).wait_for()
    copied = page.evaluate("navigator.clipboard.readText()")
    lines = copied.splitlines()
    assert lines[0].startswith(WORDS["case_notes"]["heading"].split("{")[0])
    assert "you are 19" in lines[1] and "Orton" in lines[1]
    assert "- Council tax discount" in lines
    assert any(line.startswith(WORDS["groups"]["not_eligible"]) for line in lines)
    assert 10 <= len(lines) <= 40
    assert lines[-1].endswith(ORTON_19)


def test_share_link_holds_the_answers_and_says_so(sized):
    page, origin, _ = sized
    page.goto(f"{origin}{ORTON_19}")
    share = page.get_by_role("link", name=WORDS["share"])
    assert share.get_attribute("href") == f"{origin}{ORTON_19}"
    assert page.locator("#share-note").inner_text() == WORDS["share_note"].strip()


@pytest.mark.parametrize("bad_age", ["abc", "200"])
def test_a_bad_age_gets_the_error_summary_and_a_focused_field(sized, offer, bad_age):
    page, origin, _ = sized
    fill_and_check(page, origin, bad_age, "Orton")
    summary = page.locator(".error-summary")
    summary.wait_for()
    low, high = offer.catalogue.facts["age"].valid_range
    message = WORDS["errors"]["age"].format(label=offer.catalogue.facts["age"].label, low=low, high=high)
    assert summary.get_by_role("link", name=message).get_attribute("href") == "#field-age"
    expect(page.locator("#field-age")).to_be_focused()
    assert page.locator("#field-age").get_attribute("aria-invalid") == "true"
    assert page.get_by_label(WORDS["lives_in_label"]).input_value() == "Orton"


def test_a_split_postcode_asks_which_place(sized, offer):
    page, origin, _ = sized
    fill_and_check(page, origin, "19", "PE7 8AB")
    question = page.locator("form.place-question")
    question.get_by_text(WORDS["place_title"]).wait_for()
    assert "PE7 covers places inside and outside Peterborough" in question.inner_text()
    assert page.locator("#result-council-tax-discount").get_attribute("data-status") == "need_more_info"
    question.get_by_label("Hampton").check()
    question.get_by_role("button", name=WORDS["place_continue"]).click()
    page.locator("#answers-used", has_text="Hampton").wait_for()
    assert page.locator("#result-council-tax-discount").get_attribute("data-status") == "eligible"


def test_as_on_date_and_what_changes(sized):
    page, origin, _ = sized
    page.goto(f"{origin}/check?age=17")
    page.get_by_text(WORDS["more_options"]).click()
    page.get_by_label(WORDS["on_label"]).fill("2030-01-01")
    page.get_by_role("button", name=WORDS["submit"]).click()
    page.locator("#checked-on", has_text="1 January 2030").wait_for()
    universal_credit = page.locator("#result-universal-credit")
    assert universal_credit.locator(".changes").inner_text() == \
        WORDS["changes"]["need_more_info_to_eligible"].format(age=18)


def test_see_everything_from_the_chat_opens_the_form_filled_in(phone):
    phone.get_by_role("button", name="Council tax").tap()
    phone.get_by_text("Want me to check if you can get it?").wait_for()
    phone.get_by_role("button", name="Yes, check for me").last.tap()
    phone.get_by_text("how old are you?").wait_for()
    phone.get_by_label("Your message").fill("19")
    phone.get_by_role("button", name="Send").click()
    phone.get_by_text("where do you live?").wait_for()
    phone.get_by_label("Your message").fill("Orton")
    phone.get_by_role("button", name="Send").click()
    link = phone.get_by_role("link", name=read_yaml(WORDING_DIR / "answers.yml")["buttons"]["see_everything"])
    with phone.context.expect_page() as opened:
        link.last.tap()
    check = opened.value
    check.wait_for_load_state()
    assert check.get_by_label("How old are you?").input_value() == "19"
    assert check.get_by_label(WORDS["lives_in_label"]).input_value() == "Orton"
    check.close()


def serious_violations(page) -> list:
    violations = Axe().run(page).response["violations"]
    return [(v["id"], v["help"], [node["target"] for node in v["nodes"]][:3]) for v in violations
            if v["impact"] in ("serious", "critical")]


def test_no_serious_accessibility_problems(sized):
    page, origin, _ = sized
    for path in ("/", "/check", ORTON_19, "/check/results?age=abc", "/check/results?lives_in=PE7+8AB"):
        page.goto(f"{origin}{path}")
        page.locator("h1").first.wait_for()
        assert serious_violations(page) == [], path


@pytest.mark.parametrize("path", ["/check", ORTON_19])
def test_usable_at_320_px_and_200_percent_zoom(browser, live_bot, path):
    settings, _ = live_bot
    for viewport in ({"width": 320, "height": 640}, {"width": 640, "height": 400}):  # 640 is 1280 at 200%
        context = browser.new_context(viewport=viewport)
        page = context.new_page()
        page.goto(f"{settings.chat_origin}{path}")
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"], (path, viewport)
        context.close()


def test_each_page_is_under_60_kb_with_nothing_from_another_site(live_bot):
    settings, _ = live_bot
    for path in ("/check", ORTON_19, "/check/results?age=19"):
        request = urllib.request.Request(f"{settings.chat_origin}{path}", headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(request) as response:
            body = response.read()
            assert "default-src 'none'" in response.headers["Content-Security-Policy"]
            assert response.headers["Content-Encoding"] == "gzip"
        total = len(body)
        for asset in ("/static/chat.css", "/static/check.css", "/static/chat.js", "/static/check.js"):
            with urllib.request.urlopen(f"{settings.chat_origin}{asset}") as response:
                total += len(response.read())
        assert total < PAGE_BUDGET_BYTES, (path, total)
