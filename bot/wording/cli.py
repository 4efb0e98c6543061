"""`python -m bot wording`: print the findings, and with --report write the review pack."""

from __future__ import annotations

import sys

from bot.offer.loader import Offer
from bot.settings import DOCS_DIR, PROJECT_ROOT
from bot.wording.catalogue import WordingUnreadable, all_bot_strings
from bot.wording.check import LEVELS, check_strings, count_by_level, load_rules
from bot.wording.report import write_review_pack


def run_wording_check(offer: Offer, report: bool = False) -> int:
    """Exit 1 on any error finding not allowed in allow.yml, or on a reply that cannot be read; else 0."""
    try:
        strings = all_bot_strings()
    except WordingUnreadable as unreadable:
        print(unreadable, file=sys.stderr)
        return 1
    rules = load_rules(offer)
    findings = check_strings(strings, rules)
    for level in LEVELS:
        for finding in (f for f in findings if f.level == level):
            line = f"{level:10} {finding.string_id}: {finding.message}"
            print(line + (f" -> {finding.suggestion}" if finding.suggestion else ""))
    counts = count_by_level(findings)
    print(f"\n{len(strings)} strings checked: " + ", ".join(f"{counts[level]} {level}" for level in LEVELS) + ".")
    if report:
        for path in write_review_pack(strings, findings, rules, DOCS_DIR):
            print(f"Wrote {path.relative_to(PROJECT_ROOT)}")
    if counts["error"]:
        print("Errors must be fixed, or agreed as exceptions in data/wording/allow.yml.", file=sys.stderr)
        return 1
    return 0
