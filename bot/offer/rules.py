"""The eligibility rule language and its three-valued evaluator.

A rule in YAML is one of:
  everyone                              anyone the local offer covers
  {all: [rule, ...]}                    every part must hold
  {any: [rule, ...]}                    at least one part must hold
  {not: rule}                           the part must not hold
  {age: {at_least: 18, under: 25}}      "until 25" means up to the 25th birthday: under 25
  {course_start_age: {under: 20}}       any age fact; one with `from_age` in facts.yml is worked out
                                        from the age now when it is not given and the answer is certain
  {lives_in_peterborough: yes}          a yes/no fact
  {activity: [college, apprenticeship]} a choice fact, one of these options
  {unpublished: "who can get this"}     the council has not said: always "ask your adviser"

Evaluation uses Kleene logic: a missing or "not sure" fact is unknown, never false,
so an answer is eligible, not eligible, or "need more info" naming the facts that decide it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any, List, Mapping, Optional, Sequence, Tuple, Union

from bot.offer.facts import NOT_SURE, YES_NO_WORDS, FactCatalogue, FactDefinition, ReasonTemplates


class Outcome(Enum):
    MET = "met"
    NOT_MET = "not_met"
    UNKNOWN = "unknown"


class RuleError(ValueError):
    """A rule that cannot be read; `path` says where inside the rule."""

    def __init__(self, message: str, path: Sequence[Union[str, int]] = ()):
        super().__init__(message)
        self.path = tuple(path)


@dataclass(frozen=True)
class Check:
    """One condition as the person would read it."""

    fact: Optional[str]
    outcome: Outcome
    text: str


@dataclass(frozen=True)
class Evaluation:
    outcome: Outcome
    checks: Tuple[Check, ...] = ()
    missing_facts: Tuple[str, ...] = field(default=())


# --- the rule tree -------------------------------------------------------------------------

@dataclass(frozen=True)
class Everyone:
    pass


@dataclass(frozen=True)
class Unpublished:
    what: str


@dataclass(frozen=True)
class AllOf:
    parts: Tuple[Rule, ...]


@dataclass(frozen=True)
class AnyOf:
    parts: Tuple[Rule, ...]


@dataclass(frozen=True)
class NotRule:
    part: Rule


@dataclass(frozen=True)
class AgeBetween:
    fact: str
    at_least: Optional[int]
    under: Optional[int]

    def holds(self, age: int) -> bool:
        return (self.at_least is None or age >= self.at_least) and (self.under is None or age < self.under)


@dataclass(frozen=True)
class FactIs:
    fact: str
    values: Tuple[Any, ...]


Rule = Union[Everyone, Unpublished, AllOf, AnyOf, NotRule, AgeBetween, FactIs]


def parse_rule(raw: Any, catalogue: FactCatalogue, path: Tuple[Union[str, int], ...] = ()) -> Rule:
    """Read a rule from YAML data, checking every fact and value against the catalogue."""
    if raw == "everyone":
        return Everyone()
    if not isinstance(raw, Mapping) or len(raw) != 1:
        raise RuleError("a rule is 'everyone' or a mapping with exactly one key (all, any, not, or a fact)", path)
    (key, value), = raw.items()
    here = path + (key,)
    if key in ("all", "any"):
        if not isinstance(value, list) or not value:
            raise RuleError(f"'{key}' needs a list of rules", here)
        parts = tuple(parse_rule(part, catalogue, here + (i,)) for i, part in enumerate(value))
        return AllOf(parts) if key == "all" else AnyOf(parts)
    if key == "not":
        return NotRule(parse_rule(value, catalogue, here))
    if key == "unpublished":
        if not isinstance(value, str) or not value.strip():
            raise RuleError("'unpublished' needs a short description of what is not published", here)
        return Unpublished(value.strip())
    if key not in catalogue.facts:
        raise RuleError(f"unknown fact '{key}'; known facts: {', '.join(sorted(catalogue.facts))}", here)
    return _parse_condition(key, value, catalogue.definition(key), here)


def _parse_condition(name: str, value: Any, fact: FactDefinition, path: Tuple) -> Rule:
    if fact.type == "age":
        if not isinstance(value, Mapping) or not value or set(value) - {"at_least", "under"}:
            raise RuleError("an age condition is a mapping with 'at_least' and/or 'under'", path)
        bounds = {k: value.get(k) for k in ("at_least", "under")}
        for bound, number in bounds.items():
            if number is not None and (isinstance(number, bool) or not isinstance(number, int)):
                raise RuleError(f"'{bound}' must be a whole number of years", path + (bound,))
        if None not in bounds.values() and bounds["at_least"] >= bounds["under"]:
            raise RuleError("'at_least' must be lower than 'under'", path)
        return AgeBetween(name, bounds["at_least"], bounds["under"])
    if fact.type == "yes_no":
        key = value.lower() if isinstance(value, str) else value
        if key not in YES_NO_WORDS:
            raise RuleError(f"'{name}' takes yes or no", path)
        return FactIs(name, (YES_NO_WORDS[key],))
    options = value if isinstance(value, list) else [value]
    unknown = [option for option in options if option not in (fact.options or {})]
    if unknown or not options:
        raise RuleError(f"'{name}' takes one or more of: {', '.join(fact.options or {})}", path)
    return FactIs(name, tuple(options))


def facts_used(rule: Rule) -> List[str]:
    """Every fact a rule can ask about, in the order it first appears."""
    if isinstance(rule, (AllOf, AnyOf)):
        names = [name for part in rule.parts for name in facts_used(part)]
        return list(dict.fromkeys(names))
    if isinstance(rule, NotRule):
        return facts_used(rule.part)
    if isinstance(rule, (AgeBetween, FactIs)):
        return [rule.fact]
    return []


# --- evaluation ----------------------------------------------------------------------------

def evaluate(rule: Rule, facts: Mapping[str, Any], catalogue: FactCatalogue, negated: bool = False) -> Evaluation:
    """Decide a rule on the facts known so far, with a plain-words check for every condition used."""
    if isinstance(rule, Everyone):
        return Evaluation(Outcome.MET, (Check(None, Outcome.MET, catalogue.reasons.everyone),))
    if isinstance(rule, Unpublished):
        text = catalogue.reasons.unpublished.format(what=rule.what)
        return Evaluation(Outcome.UNKNOWN, (Check(None, Outcome.UNKNOWN, text),))
    if isinstance(rule, NotRule):
        return evaluate(rule.part, facts, catalogue, not negated)
    if isinstance(rule, (AllOf, AnyOf)):
        parts = [evaluate(part, facts, catalogue, negated) for part in rule.parts]
        needs_every_part = isinstance(rule, AllOf) != negated  # De Morgan: not(all) is any(not)
        return _combine(parts, needs_every_part)
    return _evaluate_condition(rule, facts, catalogue, negated)


def _combine(parts: List[Evaluation], needs_every_part: bool) -> Evaluation:
    deciding = Outcome.NOT_MET if needs_every_part else Outcome.MET
    if any(part.outcome is deciding for part in parts):
        shown = parts if needs_every_part else [p for p in parts if p.outcome is Outcome.MET]
        return Evaluation(deciding, _ordered_checks(shown))
    if any(part.outcome is Outcome.UNKNOWN for part in parts):
        missing = [name for part in parts for name in part.missing_facts]
        return Evaluation(Outcome.UNKNOWN, _ordered_checks(parts), tuple(dict.fromkeys(missing)))
    other = Outcome.MET if needs_every_part else Outcome.NOT_MET
    return Evaluation(other, _ordered_checks(parts))


def _ordered_checks(parts: List[Evaluation]) -> Tuple[Check, ...]:
    """What went against the person first, then what is unknown, then what they meet."""
    rank = {Outcome.NOT_MET: 0, Outcome.UNKNOWN: 1, Outcome.MET: 2}
    checks = [check for part in parts for check in part.checks]
    return tuple(dict.fromkeys(sorted(checks, key=lambda check: rank[check.outcome])))


def _evaluate_condition(rule: Union[AgeBetween, FactIs], facts: Mapping[str, Any],
                        catalogue: FactCatalogue, negated: bool) -> Evaluation:
    name = rule.fact
    fact = catalogue.definition(name)
    templates = catalogue.reasons
    needs = needs_text(rule, fact, catalogue)
    value = facts.get(name)
    suffix = "_negated" if negated else ""
    if value is None and isinstance(rule, AgeBetween) and fact.from_age:
        return _evaluate_from_age(rule, fact, facts, catalogue, negated)
    if value is None or value == NOT_SURE:
        template = getattr(templates, ("unknown" if value is None else "not_sure") + suffix)
        text = template.format(label=fact.label, needs=needs)
        return Evaluation(Outcome.UNKNOWN, (Check(name, Outcome.UNKNOWN, text),), (name,))
    holds = rule.holds(value) if isinstance(rule, AgeBetween) else value in rule.values
    return _decided(rule, holds, says_text(name, value, fact, facts), needs, templates, negated)


def _evaluate_from_age(rule: AgeBetween, fact: FactDefinition, facts: Mapping[str, Any],
                       catalogue: FactCatalogue, negated: bool) -> Evaluation:
    """An age at another date, worked out from the age now when every possible value agrees.

    "16 to 18 on 31 August" with age 19 now could go either way (it depends on the birthday),
    so it stays unknown and names the dated fact; with age 17 now it holds whatever the birthday.
    """
    templates = catalogue.reasons
    needs = needs_text(rule, fact, catalogue)
    suffix = "_negated" if negated else ""
    age = facts.get("age")
    if age is None:
        text = getattr(templates, "unknown" + suffix).format(label=catalogue.definition("age").label, needs=needs)
        return Evaluation(Outcome.UNKNOWN, (Check("age", Outcome.UNKNOWN, text),), ("age",))
    earliest, latest = fact.from_age or (0, 0)
    possible = range(age + earliest, age + latest + 1) if age != NOT_SURE else ()
    answers = {rule.holds(candidate) for candidate in possible}
    if len(answers) != 1:
        template = getattr(templates, ("unknown" if age != NOT_SURE else "not_sure") + suffix)
        text = template.format(label=fact.label, needs=needs)
        return Evaluation(Outcome.UNKNOWN, (Check(rule.fact, Outcome.UNKNOWN, text),), (rule.fact,))
    says = (fact.says_from_age or "").format(age=age, low=age + earliest, high=age + latest)
    return _decided(rule, answers.pop(), says, needs, templates, negated)


def _decided(rule: Union[AgeBetween, FactIs], holds: bool, says: str, needs: str,
             templates: ReasonTemplates, negated: bool) -> Evaluation:
    outcome = Outcome.MET if holds != negated else Outcome.NOT_MET
    if outcome is Outcome.NOT_MET:
        template = templates.not_met_negated if negated else templates.not_met
    elif isinstance(rule, AgeBetween) and not negated:
        template = templates.met_with_needs
    else:
        template = templates.met
    return Evaluation(outcome, (Check(rule.fact, outcome, template.format(Says=capitalise(says), needs=needs)),))


def says_text(name: str, value: Any, fact: FactDefinition, facts: Mapping[str, Any]) -> str:
    """What a known fact says about the person ("you are 19", "you live in Orton, which is in Peterborough")."""
    if fact.type == "age":
        return fact.says.format(value=value)
    if fact.type == "yes_no":
        answer = "yes" if value else "no"
        place = facts.get("place")
        if place and fact.says_with_place:
            return fact.says_with_place[answer].format(place=place)
        return fact.says[answer]
    return fact.options[value].says


def needs_text(rule: Union[AgeBetween, FactIs], fact: FactDefinition, catalogue: FactCatalogue) -> str:
    templates = catalogue.reasons
    if isinstance(rule, AgeBetween):
        if rule.at_least is not None and rule.under is not None:
            template = templates.age_range
        elif rule.at_least is not None:
            template = templates.age_at_least
        else:
            template = templates.age_under
        under_ordinal = ordinal(rule.under) if rule.under is not None else ""
        text = template.format(at_least=rule.at_least, under=rule.under, under_ordinal=under_ordinal)
        return text + (fact.needs_suffix or "")
    if fact.type == "yes_no":
        return fact.needs["yes" if rule.values[0] else "no"]
    options = templates.choice_joiner.join(fact.options[value].needs for value in rule.values)
    return templates.choice_needs.format(options=options)


def ordinal(number: int) -> str:
    """21 -> '21st', 25 -> '25th'."""
    if 10 <= number % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]
