"""Check a person's facts against the offer: the one place an entitlement answer is put together."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

from bot.offer.facts import NOT_SURE
from bot.offer.loader import Entry, Offer
from bot.offer.rules import Check, Outcome, evaluate

ELIGIBLE, NOT_ELIGIBLE, NEED_MORE_INFO = "eligible", "not_eligible", "need_more_info"
STATUS_OF = {Outcome.MET: ELIGIBLE, Outcome.NOT_MET: NOT_ELIGIBLE, Outcome.UNKNOWN: NEED_MORE_INFO}
STATUS_ORDER = (ELIGIBLE, NEED_MORE_INFO, NOT_ELIGIBLE)


@dataclass(frozen=True)
class EntitlementResult:
    entry: Entry
    status: str
    checks: Tuple[Check, ...]
    missing_facts: Tuple[str, ...]

    @property
    def reasons(self) -> List[str]:
        return [check.text for check in self.checks]

    def as_json(self, offer: Offer) -> Dict[str, Any]:
        entry = self.entry
        return {
            "id": entry.id,
            "title": entry.title,
            "status": self.status,
            "summary": entry.summary,
            "reasons": self.reasons,
            "missing_facts": list(self.missing_facts),
            "amount": entry.amount.text if entry.amount else None,
            "how_to_claim": entry.how_to_claim,
            "contacts": [contact_json(offer, contact_id) for contact_id in entry.contacts],
            "sources": [{"title": source.title, "url": source.url and str(source.url)} for source in entry.sources],
            "written_from_published_information": entry.last_reviewed.isoformat(),
            "checked_against_live_page": entry.checked_by and {"by": entry.checked_by.by,
                                                               "on": entry.checked_by.on.isoformat()},
            "confidence": entry.confidence,
        }


def contact_json(offer: Offer, contact_id: str) -> Dict[str, Any]:
    contact = offer.contacts[contact_id]
    details = {"id": contact_id, "name": contact.name}
    for key in ("phone", "email", "url", "address", "hours"):
        value = getattr(contact, key)
        if value:
            details[key] = str(value)
    return details


def check_entry(offer: Offer, entry_id: str, facts: Mapping[str, Any]) -> EntitlementResult:
    """Evaluate one entry's rule on the facts known so far."""
    evaluation = evaluate(offer.rules[entry_id], facts, offer.catalogue)
    return EntitlementResult(offer.entries[entry_id], STATUS_OF[evaluation.outcome],
                             evaluation.checks, evaluation.missing_facts)


def check_offer(offer: Offer, facts: Mapping[str, Any], on: Optional[date] = None,
                ids: Optional[Sequence[str]] = None) -> List[EntitlementResult]:
    """Every entitlement in force on `on` (today by default), eligible first, in offer order."""
    on = on or date.today()
    chosen = ids or [key for key, entry in offer.entries.items() if entry.kind == "entitlement"]
    results = [check_entry(offer, key, facts) for key in chosen if offer.entries[key].in_force(on)]
    return sorted(results, key=lambda result: STATUS_ORDER.index(result.status))


def deciding_fact(result: EntitlementResult, facts: Mapping[str, Any]) -> Optional[str]:
    """The fact to ask next for an open answer: the first missing one the person has not said "not sure" to."""
    return next((name for name in result.missing_facts if facts.get(name) != NOT_SURE), None)


def deciding_facts(results: Sequence[EntitlementResult]) -> List[str]:
    """The facts that would settle the most 'need more info' answers, most useful first."""
    counts: Dict[str, int] = {}
    for result in results:
        for name in result.missing_facts:
            counts[name] = counts.get(name, 0) + 1
    return sorted(counts, key=lambda name: -counts[name])
