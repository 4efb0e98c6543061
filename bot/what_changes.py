"""The next birthday that changes an answer: "At 25 this ends", "From 18 you can get this".

Worked out by checking the same facts again at each later age, up to just past the highest age the
entitlement's rule names, so the answer always comes from the rule itself and never from a copy of it.
"""

from __future__ import annotations

from typing import Any, Mapping, Optional, Set, Tuple

from bot.offer.eligibility import EntitlementResult, check_entry
from bot.offer.loader import Offer
from bot.offer.rules import AgeBetween, AllOf, AnyOf, NotRule, Rule

AGE = "age"


def age_limits(rule: Rule) -> Set[int]:
    """Every age a rule starts or stops at, for any age fact (the age now, or on 31 August, ...)."""
    if isinstance(rule, AgeBetween):
        return {limit for limit in (rule.at_least, rule.under) if limit is not None}
    if isinstance(rule, (AllOf, AnyOf)):
        return set().union(*(age_limits(part) for part in rule.parts))
    if isinstance(rule, NotRule):
        return age_limits(rule.part)
    return set()


def next_change(offer: Offer, result: EntitlementResult, facts: Mapping[str, Any]) -> Optional[Tuple[int, str]]:
    """(age, new status) at the first later birthday whose answer differs; None when the age is not known
    or nothing changes. One year past the highest limit covers ages worked out from the age now."""
    age = facts.get(AGE)
    limits = age_limits(offer.rules[result.entry.id])
    if not isinstance(age, int) or isinstance(age, bool) or not limits:
        return None
    for later in range(age + 1, max(limits) + 2):
        status = check_entry(offer, result.entry.id, {**facts, AGE: later}).status
        if status != result.status:
            return later, status
    return None
