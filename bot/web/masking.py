"""Personal details out of anything we keep: emails, phone numbers, NI numbers and postcodes become labels."""

from __future__ import annotations

import re

PATTERNS = (
    ("[email]", re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")),
    ("[NI number]", re.compile(r"\b[A-Z]{2}(?:\s?\d{2}){3}\s?[A-D]\b", re.IGNORECASE)),
    ("[postcode]", re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b", re.IGNORECASE)),
    ("[phone]", re.compile(r"(?<![\w+])(?:\+44\s?(?:\(0\)\s?)?|0)\d(?:[\s-]?\d){8,9}(?!\d)")),
)


def mask_personal_details(text: str) -> str:
    for label, pattern in PATTERNS:
        text = pattern.sub(label, text)
    return text
