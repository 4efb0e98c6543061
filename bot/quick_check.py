"""The PA quick check: one command, every entitlement, each with its reasons.

    python -m bot check --age 19 --lives-in Orton
    python -m bot check --age 22 --custody leaving --json
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from typing import Any, Dict, List, Optional, Sequence, TextIO

from bot.fact_input import LIVES_IN, NOT_SURE_KEY, answer_names, read_facts
from bot.offer.eligibility import ELIGIBLE, NEED_MORE_INFO, NOT_ELIGIBLE, EntitlementResult, check_offer, contact_json
from bot.offer.facts import NOT_SURE, PLACE_QUESTION, FactCatalogue, FactValueError
from bot.offer.loader import Offer
from bot.offer.places import NOT_SURE as PLACE_NOT_SURE
from bot.offer.places import PlaceAnswer

HEADINGS = {
    ELIGIBLE: "CAN GET",
    NEED_MORE_INFO: "NEED MORE INFORMATION",
    NOT_ELIGIBLE: "CANNOT GET (based on these answers)",
}
MARKS = {ELIGIBLE: "[yes]", NEED_MORE_INFO: "[?]", NOT_ELIGIBLE: "[no]"}


def build_parser(catalogue: FactCatalogue) -> argparse.ArgumentParser:
    """Flags made from data/offer/facts.yml: a new fact there gets its flag with no change here."""
    parser = argparse.ArgumentParser(
        prog="python -m bot check",
        description="Check what a care leaver can get from the Peterborough local offer. "
                    "Leave out anything you don't know: the answer will say what is missing.")
    for name, fact in catalogue.facts.items():
        if fact.question == PLACE_QUESTION:
            continue
        if fact.type == "age":
            parser.add_argument(fact.cli_flag, dest=name, help="age in whole years, e.g. 19")
        elif fact.type == "choice":
            choices = "|".join(fact.options or {})
            parser.add_argument(fact.cli_flag, dest=name, metavar=choices, help=f"{fact.label}: {choices}")
        else:
            parser.add_argument(fact.cli_flag, dest=name, action=argparse.BooleanOptionalAction, default=None,
                                help=f"{fact.label}: yes ({fact.cli_flag}) or no (--no-{fact.cli_flag[2:]}); "
                                     "leave out if not known")
    place_flag = next(fact.cli_flag for fact in catalogue.facts.values() if fact.question == PLACE_QUESTION)
    parser.add_argument(place_flag, dest="lives_in", metavar="PLACE",
                        help='where they live: a town, village, area or postcode, e.g. "Orton" or "PE2 6XX"')
    parser.add_argument("--not-sure", metavar="FACT", action="append", default=[],
                        help="a fact the young person is not sure about (e.g. age); repeatable")
    parser.add_argument("--on", metavar="YYYY-MM-DD", help="check as on this date (default: today)")
    parser.add_argument("--only", metavar="ID", action="append", help="check only this entitlement id; repeatable")
    parser.add_argument("--json", action="store_true", help="print JSON for other tools")
    return parser


def run_check(argv: Sequence[str], offer: Offer, out: TextIO = sys.stdout) -> int:
    parser = build_parser(offer.catalogue)
    args = parser.parse_args(argv)
    try:
        facts, place = facts_from_args(args, offer)
        on = date.fromisoformat(args.on) if args.on else date.today()
    except FactValueError as error:
        parser.error(str(error))
    except ValueError:
        parser.error(f"--on takes a date like 2026-11-22, not {args.on!r}")
    unknown_ids = [key for key in args.only or [] if key not in offer.entries]
    if unknown_ids:
        parser.error(f"unknown entitlement id(s): {', '.join(unknown_ids)}")
    results = check_offer(offer, facts, on, args.only)
    if args.json:
        json.dump(check_json(offer, facts, place, on, results), out, indent=2, ensure_ascii=False)
        out.write("\n")
    else:
        out.write(check_text(offer, facts, place, on, results))
    return 0


def facts_from_args(args: argparse.Namespace, offer: Offer) -> tuple:
    """The facts the flags give, read as the web check reads its form (bot/fact_input.py)."""
    catalogue = offer.catalogue
    if args.lives_in is not None and not args.lives_in.strip():
        raise FactValueError("--lives-in needs a place, like Orton or PE2 6XX")
    values = {name: getattr(args, name) for name in answer_names(catalogue) if name != LIVES_IN}
    read = read_facts(offer, values, args.not_sure, args.lives_in)
    for name, problem in read.problems.items():
        if name == NOT_SURE_KEY:
            raise FactValueError(f"--not-sure {problem}")
        raise FactValueError(f"{catalogue.facts[name].cli_flag}: {problem}")
    return read.facts, read.place


def check_json(offer: Offer, facts: Dict[str, Any], place: Optional[PlaceAnswer], on: date,
               results: List[EntitlementResult]) -> Dict[str, Any]:
    return {
        "facts": facts,
        "place": None if place is None else {
            "status": place.status, "place": place.place, "council": place.council,
            "next_question": place.next_question, "options": list(place.options),
        },
        "checked_on": on.isoformat(),
        "results": [result.as_json(offer) for result in results],
    }


def check_text(offer: Offer, facts: Dict[str, Any], place: Optional[PlaceAnswer], on: date,
               results: List[EntitlementResult]) -> str:
    lines = [f"Quick check on {on.isoformat()}: " + (_describe_facts(offer, facts) or "no facts given")]
    if place is not None and place.status == PLACE_NOT_SURE:
        lines.append(f"Where they live is not settled. Ask: {place.next_question}")
        if place.options:
            lines.append(f"  (for example: {', '.join(place.options)})")
    for status in (ELIGIBLE, NEED_MORE_INFO, NOT_ELIGIBLE):
        group = [result for result in results if result.status == status]
        if not group:
            continue
        lines += ["", f"{HEADINGS[status]} ({len(group)})"]
        for result in group:
            lines += _describe_result(offer, result)
    lines.append("")
    return "\n".join(lines)


def _describe_facts(offer: Offer, facts: Dict[str, Any]) -> str:
    shown = []
    for name, value in facts.items():
        if name == "place":
            continue
        label = offer.catalogue.facts[name].label
        shown.append(f"{label}: {'not sure' if value == NOT_SURE else _yes_no(value)}")
    if "place" in facts:
        shown.append(f"place given: {facts['place']}")
    return "; ".join(shown)


def _yes_no(value: Any) -> str:
    if value is True:
        return "yes"
    if value is False:
        return "no"
    return str(value)


def _describe_result(offer: Offer, result: EntitlementResult) -> List[str]:
    entry = result.entry
    lines = [f"  {MARKS[result.status]} {entry.title}  ({entry.id})", f"      {entry.summary}"]
    lines += [f"      - {reason}" for reason in result.reasons]
    if result.missing_facts:
        flags = [offer.catalogue.facts[name].cli_flag for name in result.missing_facts]
        lines.append(f"      Still needed: {', '.join(dict.fromkeys(flags))}")
    if result.status != NOT_ELIGIBLE:
        if entry.amount:
            lines.append(f"      Amount: {entry.amount.text}")
        lines.append(f"      How to claim: {entry.how_to_claim}")
        contacts = [_contact_line(contact_json(offer, key)) for key in entry.contacts]
        lines.append(f"      Contact: {'; '.join(contacts)}")
    lines.append(f"      Based on: {entry.sources[0].cited()} (written from published information, "
                 f"{entry.last_reviewed:%B %Y}; confidence {entry.confidence})")
    if entry.checked_by:
        lines.append(f"      Checked against the live page by {entry.checked_by.by} on {entry.checked_by.on}")
    if entry.confidence != "high" and result.status == ELIGIBLE:
        lines.append("      Check with the leaving care team: this may have changed.")
    return lines


def _contact_line(contact: Dict[str, Any]) -> str:
    ways = [contact[key] for key in ("phone", "email") if key in contact]
    return contact["name"] + (f" ({', '.join(ways)})" if ways else "")
