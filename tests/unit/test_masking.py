"""Masking as people really type: every spelling below must be masked, and every look-alike must stay."""

from __future__ import annotations

import pytest

from bot.web.chat_server import offer_phone_numbers
from bot.web.masking import mask_personal_details

MASKED = [
    # phone numbers
    ("ring me on 07700 900123", "ring me on [phone]"),
    ("07700900123", "[phone]"),
    ("my number is +44 7700 900123 ok", "my number is [phone] ok"),
    ("+447700900123", "[phone]"),
    ("+44 (0)7700 900123", "[phone]"),
    ("+44 (0) 7700-900-123", "[phone]"),
    ("0044 7700 900123", "[phone]"),
    ("00447700900123", "[phone]"),
    ("(07700) 900123", "[phone]"),
    ("(07700)900123", "[phone]"),
    ("07700.900.123", "[phone]"),
    ("07700-900-123", "[phone]"),
    ("077 00 90 01 23", "[phone]"),
    ("0 7 7 0 0 9 0 0 1 2 3", "[phone]"),
    ("０７７００ ９００１２３", "[phone]"),
    ("＋４４ ７７００ ９００１２３", "[phone]"),
    ("home phone 01632 960123", "home phone [phone]"),
    ("(01632) 960 123", "[phone]"),
    ("020 7946 0018", "[phone]"),
    ("tel:07700900123", "tel:[phone]"),
    ("office 01733-864180", "office [phone]"),
    # emails
    ("email jo.bloggs+care@example.co.uk please", "email [email] please"),
    ("JANE@EXAMPLE.COM", "[email]"),
    ("jane.doe at example dot com", "[email]"),
    ("jane dot doe at example dot co dot uk", "[email]"),
    ("jane.doe (at) example (dot) com", "[email]"),
    ("jane.doe[at]example[dot]com", "[email]"),
    ("jane.doe @ example.com", "[email]"),
    ("jane at gmail.com", "[email]"),
    ("jane_doe99 at hotmail dot co dot uk", "[email]"),
    ("ｊａｎｅ＠ｅｘａｍｐｌｅ．ｃｏｍ", "[email]"),
    # National Insurance numbers
    ("NI number QQ 12 34 56 C", "NI number [NI number]"),
    ("ni ab123456d", "ni [NI number]"),
    ("QQ-12-34-56-C", "[NI number]"),
    ("QQ 123 456 C", "[NI number]"),
    ("QQ123456C", "[NI number]"),
    ("qq.12.34.56.c", "[NI number]"),
    ("QQ/12/34/56/C", "[NI number]"),
    ("ＱＱ１２３４５６Ｃ", "[NI number]"),
    # postcodes
    ("I live at PE1 1AA", "I live at [postcode]"),
    ("postcode pe2  6xx", "postcode [postcode]"),
    ("PE11AB", "[postcode]"),
    ("P E 1 1 A B", "[postcode]"),
    ("PE1 1 A B", "[postcode]"),
    ("P.E.1 1.A.B", "[postcode]"),
    ("SW1A 1AA", "[postcode]"),
    ("ＰＥ１ １ＡＢ", "[postcode]"),
    # dates of birth
    ("born 12/03/2005", "born [date]"),
    ("dob 12-03-2005", "dob [date]"),
    ("12.3.05", "[date]"),
    ("my birthday is 1/4/2006", "my birthday is [date]"),
    ("12 March 2005", "[date]"),
    ("12th of March 2005", "[date]"),
    ("March 12, 2005", "[date]"),
    ("3rd sept 2006", "[date]"),
    ("born 2005-03-12", "born [date]"),
    ("12 Mar '05", "[date]"),
]

KEPT = [
    "I'm 19, I got £1,200 and live in PE7",
    "the bursary is £2,000 a year",
    "£2000",
    "I got 3000 pounds",
    "it lasts 21 days",
    "in 2024 I left care",
    "from April 2025",
    "from 1 April",
    "I'm 17 and turn 18 in May",
    "16 to 25",
    "I am 19 years old",
    "I pay £120 a month",
    "about 40 hours a week",
    "phone 999 in an emergency",
    "call 111",
    "Samaritans on 116 123",
    "Childline 0800 1111",
    "I live in PE7",
    "Peterborough PE1",
    "my flat is number 12",
    "I looked at gov.uk",
    "meet at college",
    "I am at uni",
    "version 2.0",
    "room 101",
    "it's 10:30 now",
    "1 or 2 people",
    "I was at home",
    "2025/26",
    "Year 13",
    "I'm 20, I had £5,000 saved",
    "council tax band A",
    "ok 👍",
    "I'm leaving prison next month",
]


@pytest.mark.parametrize("text, masked", MASKED)
def test_personal_details_are_masked(text, masked):
    assert mask_personal_details(text) == masked


@pytest.mark.parametrize("text", KEPT)
def test_look_alikes_are_kept(text):
    assert mask_personal_details(text) == text


def test_the_offers_own_phone_numbers_are_kept_when_quoted(offer):
    public = offer_phone_numbers(offer)
    assert public, "the offer should have phone numbers to keep"
    for number in public:
        quoted = f"the reply said call {number} but it was closed"
        assert mask_personal_details(quoted, public) == quoted
    assert mask_personal_details("call 07700 900123", public) == "call [phone]"


def test_the_tables_are_big_enough():
    assert len(MASKED) >= 50 and len(KEPT) >= 30
