"""The chat page in real Chromium at a phone's size, talking to the real running bot."""

from __future__ import annotations

from bot.settings import PROJECT_ROOT
from tests.conftest import PHONE

ARTIFACTS = PROJECT_ROOT / "results"


def say(page, text: str) -> None:
    page.get_by_label("Your message").fill(text)
    page.get_by_role("button", name="Send").click()


def test_council_tax_by_tapping_and_typing_gives_the_eligible_answer(phone):
    phone.get_by_role("button", name="Council tax").tap()
    phone.get_by_text("Want me to check if you can get it?").wait_for()
    phone.get_by_role("button", name="Yes, check for me").last.tap()
    phone.get_by_text("how old are you?").wait_for()
    say(phone, "19")
    phone.get_by_text("where do you live?").wait_for()
    say(phone, "Orton")
    phone.locator(".msg.bot", has_text="you can get Council tax discount").wait_for()
    why = phone.locator(".msg.bot", has_text="You live in Orton, which is in Peterborough")
    why.wait_for()
    phone.get_by_role("button", name="Who do I contact?").last.tap()
    contacts = phone.locator(".msg.bot", has_text="Who to contact:")
    contacts.wait_for()
    assert contacts.locator("a[href^='mailto:leavingcare@']").count() == 1
    assert contacts.locator("a[href^='tel:01733']").count() == 1
    for always_on_screen in (phone.get_by_role("link", name="Exit this page"), phone.get_by_label("Your message")):
        box = always_on_screen.bounding_box()
        assert 0 <= box["y"] and box["y"] + box["height"] <= PHONE["viewport"]["height"]
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "chat-phone.png"
    phone.screenshot(path=str(shot))
    assert shot.stat().st_size > 10_000


def test_html_in_a_message_is_shown_as_text_and_never_run(phone):
    phone.evaluate("() => { window.__ran = false; window.alert = () => { window.__ran = true; }; }")
    attack = "<img src=x onerror=alert(1)>"
    say(phone, attack)
    phone.locator(".msg.user", has_text=attack).wait_for()
    phone.locator(".msg.bot").nth(1).wait_for()
    assert phone.locator("#log img").count() == 0
    assert phone.evaluate("window.__ran") is False


def test_exit_this_page_leaves_and_clears_the_chat(phone, live_bot):
    settings, _ = live_bot
    exit_link = phone.get_by_role("link", name="Exit this page")
    assert exit_link.get_attribute("href") == settings.exit_url
    phone.route("**/*", lambda route: route.fulfill(status=200, body="elsewhere", content_type="text/plain"))
    exit_link.tap()
    phone.wait_for_url(settings.exit_url.rstrip("/") + "**")
    assert phone.get_by_text("elsewhere").is_visible()
    phone.go_back()
    assert "What would you like to know?" not in phone.content()


def test_the_page_stores_nothing_in_the_browser(phone):
    phone.get_by_role("button", name="Council tax").tap()
    phone.get_by_text("Want me to check if you can get it?").wait_for()
    stored = phone.evaluate("[localStorage.length, sessionStorage.length, document.cookie]")
    assert stored == [0, 0, ""]


def test_the_page_has_its_accessibility_landmarks(phone):
    log = phone.locator("#log")
    assert log.get_attribute("role") == "log" and log.get_attribute("aria-live") == "polite"
    assert phone.get_by_label("Your message").is_visible()
    assert phone.locator(".notice", has_text="I'm a chatbot").is_visible()
    for button in phone.locator("button").all():
        box = button.bounding_box()
        assert box is None or box["height"] >= 44, button.inner_text()


def test_page_and_assets_weigh_under_150_kb(live_bot):
    import urllib.request

    settings, _ = live_bot
    total = 0
    for path in ("/", "/static/chat.js", "/static/chat.css", "/privacy"):
        with urllib.request.urlopen(f"{settings.chat_origin}{path}") as response:
            total += len(response.read())
    assert total < 150 * 1024, total



def test_crisis_numbers_in_a_reply_can_be_tapped_to_call(phone, offer):
    say(phone, "help now")
    crisis = phone.locator(".msg.bot", has_text=offer.contacts["samaritans"].phone)
    crisis.wait_for()
    for contact_id in ("emergency-services", "samaritans", "emergency-duty-team"):
        number = offer.contacts[contact_id].phone
        assert crisis.locator(f"a[href='tel:{number.replace(' ', '')}']").count() == 1, number
