"""Personal details out of anything we keep: emails, phone numbers, NI numbers, postcodes and dates become labels.

Text is NFKC-normalised first, so full-width digits and letters are caught like plain ones. Each
pattern allows the spellings people type: separators of any kind inside a number, "(07700)",
"0044", "jane.doe at example dot com", a postcode with its letters spaced out. Amounts, years, ages
and counts of days stay, and so do the offer's own phone numbers (a person quoting a reply).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Collection

SEPARATOR = r"[\s.\-/()]"
EMAIL_AT = r"(?:\s*@\s*|\s+at\s+|\s*[(\[]at[)\]]\s*)"
EMAIL_DOT = r"(?:\.|\s+dot\s+|\s*[(\[]dot[)\]]\s*)"
SPELLED_DOT = r"(?:\s+dot\s+|\s*[(\[]dot[)\]]\s*)"
MAIL_PROVIDERS = r"(?:gmail|googlemail|hotmail|outlook|live|yahoo|icloud|aol|btinternet|protonmail|proton|sky)"
MONTHS = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?"
          r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)")
DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
YEAR = r"(?:19|20)\d{2}"

PATTERNS = (
    ("[email]", re.compile(r"[\w.+-]+\s*@\s*[\w-]+(?:\.[\w-]+)+")),
    ("[email]", re.compile(
        rf"\b[\w+-]+(?:{EMAIL_DOT}[\w+-]+)*{EMAIL_AT}[\w-]+(?:{EMAIL_DOT}[\w-]+)*{SPELLED_DOT}[a-z]{{2,6}}\b",
        re.IGNORECASE)),
    ("[email]", re.compile(rf"\b[\w+-]+(?:\.[\w+-]+)*{EMAIL_AT}{MAIL_PROVIDERS}(?:{EMAIL_DOT}[a-z]{{2,6}})+\b",
                           re.IGNORECASE)),
    ("[NI number]", re.compile(rf"\b[A-Z]{{2}}(?:{SEPARATOR}*\d){{6}}{SEPARATOR}*[A-D]\b", re.IGNORECASE)),
    ("[date]", re.compile(rf"\b{DAY}{SEPARATOR}*(?:of\s+)?{MONTHS}\.?,?{SEPARATOR}*(?:{YEAR}|'\d{{2}})\b",
                          re.IGNORECASE)),
    ("[date]", re.compile(rf"\b{MONTHS}\.?{SEPARATOR}*{DAY},?{SEPARATOR}*{YEAR}\b", re.IGNORECASE)),
    ("[date]", re.compile(r"\b(?:0?[1-9]|[12]\d|3[01])\s?[/.\-]\s?(?:0?[1-9]|1[0-2])\s?[/.\-]\s?"
                          r"(?:(?:19|20)?\d{2})\b")),
    ("[date]", re.compile(r"\b(?:19|20)\d{2}-(?:0?[1-9]|1[0-2])-(?:0?[1-9]|[12]\d|3[01])\b")),
    ("[phone]", re.compile(r"(?<![\w+])(?:(?:\+|00)\s*44[\s.\-]*(?:\(0\)[\s.\-]*)?|\(?0[\s.\-()]{0,2})"
                           r"\d(?:[\s.\-()]{0,2}\d){8,9}(?!\d)")),
    ("[postcode]", re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b", re.IGNORECASE)),
    ("[postcode]", re.compile(r"\b[A-Z](?:[\s.\-]?[A-Z])?[\s.\-]?\d(?:[\s.\-]?[A-Z\d])?[\s.\-]*\d[\s.\-]?"
                              r"[A-Z][\s.\-]?[A-Z]\b")),
)
PHONE_LABEL = "[phone]"


def mask_personal_details(text: str, public_numbers: Collection[str] = ()) -> str:
    """The text with personal details replaced by labels; numbers in `public_numbers` (any spacing) are kept."""
    public = {_national_digits(number) for number in public_numbers}
    text = unicodedata.normalize("NFKC", text)
    for label, pattern in PATTERNS:
        if label == PHONE_LABEL:
            text = pattern.sub(lambda found: found.group(0) if _national_digits(found.group(0)) in public
                               else PHONE_LABEL, text)
        else:
            text = pattern.sub(label, text)
    return text


def _national_digits(number: str) -> str:
    """07700900123 for "+44 (0)7700 900123", "0044 7700 900123" or "07700 900 123"."""
    digits = re.sub(r"\D", "", number)
    for prefix in ("00440", "0044", "440", "44"):
        if digits.startswith(prefix) and len(digits) - len(prefix) in (9, 10):
            return "0" + digits[len(prefix):]
    return digits
