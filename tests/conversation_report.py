"""The held-out conversation and crisis sets through the running bot over REST; writes docs/conversation-report.md.

    python -m tests.conversation_report docs/conversation-report.md     # the real servers (make conversation-report)
    python -m tests.conversation_report --in-process OUT.md   # the trained model in this process

The sets in tests/heldout/conversation.yml and tests/data/crisis.yml were written blind, apart from the
training data, and are never trained on. Every miss is listed.
"""

from __future__ import annotations

import json
import re
import sys
import tempfile
import time
import urllib.request
import uuid
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

from bot.conversation.answers import contacts_text, name_of, who_for
from bot.data_files import read_yaml
from bot.offer.loader import Offer, load_offer
from bot.settings import OFFER_DIR, PROJECT_ROOT, SAFETY_DIR

CONVERSATION_SET = PROJECT_ROOT / "tests" / "heldout" / "conversation.yml"
CRISIS_SET = PROJECT_ROOT / "tests" / "data" / "crisis.yml"
BEFORE = PROJECT_ROOT / "tests" / "heldout" / "before.yml"
PERSONAL = re.compile(r"Based on what you told me|I can't tell yet|Every Peterborough care leaver can ask|"
                      r"has not published who can get")
QUESTION = re.compile(r"^To check .* for you:", re.MULTILINE)
MAX_FIRST_WORDS = 60
MAX_QUESTIONS_FOLLOWED = 6
Say = Callable[[str], List[Dict[str, Any]]]


@dataclass
class TurnResult:
    text: str
    expect: str
    aspect: str
    reply: str
    named: bool
    answered: bool
    words: int


@dataclass
class Totals:
    first_turns: List[TurnResult] = field(default_factory=list)
    follow_ups: List[TurnResult] = field(default_factory=list)
    questions: List[int] = field(default_factory=list)


def first_text(messages: Sequence[Dict[str, Any]]) -> str:
    return messages[0].get("text", "") if messages else ""


def all_text(messages: Sequence[Dict[str, Any]]) -> str:
    return "\n".join(message.get("text", "") for message in messages)


def names_expected(offer: Offer, expect: str, reply: str) -> bool:
    """The first reply names the expected entitlement, or for a topic the topic or one of its entries."""
    lowered = reply.lower()
    if expect.startswith("topic:"):
        topic = expect.split(":", 1)[1]
        if offer.topics[topic].title.lower() in lowered:
            return True
        return any(topic in entry.topics and name_of(entry).lower() in lowered for entry in offer.entries.values())
    return name_of(offer.entries[expect]).lower() in lowered


def answers_aspect(offer: Offer, expect: str, aspect: str, reply: str) -> bool:
    """The first reply holds what was asked: the amount, a contact, how to claim, who it is for."""
    if expect.startswith("topic:"):
        return names_expected(offer, expect, reply)
    entry = offer.entries[expect]
    flat = " ".join(reply.split())
    if aspect == "amount":
        return (entry.amount.text in flat) if entry.amount else "not published an amount" in flat
    if aspect == "contact":
        contact_bits = [bit for key in entry.contacts for bit in (offer.contacts[key].name, offer.contacts[key].phone,
                                                                 offer.contacts[key].email) if bit]
        return any(bit in flat for bit in contact_bits) or contacts_text(offer, entry) in flat
    if aspect == "claim":
        return " ".join(entry.how_to_claim.split()) in flat
    if aspect == "eligibility" and entry.kind == "entitlement":
        return bool(PERSONAL.search(flat) or QUESTION.search(reply) or "check if you can get it" in flat)
    if aspect in ("duration", "changes"):
        return " ".join(entry.summary.split()) in flat or (who_for(offer, entry) or "\0") in flat
    return " ".join(entry.summary.split()) in flat or " ".join(entry.details.split()) in flat


def questions_until_personal(say: Say, first: List[Dict[str, Any]], facts: Dict[str, Any]) -> Optional[int]:
    """Questions asked before an answer for this person, answering with the case's facts or "not sure"."""
    messages, asked = first, 0
    while not PERSONAL.search(all_text(messages)):
        question = QUESTION.search(all_text(messages))
        if not question or asked >= MAX_QUESTIONS_FOLLOWED:
            return None if not question else asked
        asked += 1
        messages = say(_answer_for(all_text(messages), facts))
    return asked


def _answer_for(question: str, facts: Dict[str, Any]) -> str:
    lowered = question.lower()
    if "how old" in lowered and "age" in facts:
        return str(facts["age"])
    if "where do you live" in lowered and "lives_in" in facts:
        return str(facts["lives_in"])
    return "not sure"


def run_conversations(offer: Offer, new_chat: Callable[[], Say]) -> Totals:
    totals = Totals()
    for case in read_yaml(CONVERSATION_SET)["cases"]:
        say = new_chat()
        for index, turn in enumerate(case["turns"]):
            messages = say(turn["text"])
            reply, first = all_text(messages), first_text(messages)
            result = TurnResult(turn["text"], turn["expect"], turn["aspect"], reply,
                                names_expected(offer, turn["expect"], first),
                                answers_aspect(offer, turn["expect"], turn["aspect"], reply),
                                len(first.split()))
            (totals.first_turns if index == 0 else totals.follow_ups).append(result)
        opening = case["turns"][0]
        if opening["aspect"] == "eligibility" and not opening["expect"].startswith("topic:"):
            fresh = new_chat()
            count = questions_until_personal(fresh, fresh(opening["text"]), dict(opening.get("facts") or {}))
            if count is not None:
                totals.questions.append(count)
    return totals


@dataclass
class CrisisTotals:
    caught: List[Tuple[str, str, bool]] = field(default_factory=list)
    missed: List[Tuple[str, str, str]] = field(default_factory=list)
    false_alarms: List[Tuple[str, str]] = field(default_factory=list)
    quiet: int = 0


def crisis_replies() -> Dict[str, str]:
    """Each kind's first line, as the chat shows it: how a reply is told apart."""
    kinds = read_yaml(SAFETY_DIR / "crisis.yml")["kinds"]
    return {kind: spec["reply"][0] for kind, spec in kinds.items()}


def kind_of_reply(reply: str, openings: Dict[str, str]) -> Optional[str]:
    for kind, opening in openings.items():
        if opening.split("{")[0].strip() and opening.split("{")[0].strip() in reply:
            return kind
    return None


def run_crisis(new_chat: Callable[[], Say]) -> CrisisTotals:
    data = read_yaml(CRISIS_SET)
    openings = crisis_replies()
    totals = CrisisTotals()
    for item in data["crisis"]:
        reply = first_text(new_chat()(item["text"]))
        shown = kind_of_reply(reply, openings)
        if shown is None:
            totals.missed.append((item["kind"], item["text"], reply))
        else:
            totals.caught.append((item["kind"], item["text"], shown == item["kind"]))
    for text in data["not_crisis"]:
        reply = first_text(new_chat()(text))
        shown = kind_of_reply(reply, openings)
        if shown is not None:
            totals.false_alarms.append((text, shown))
        else:
            totals.quiet += 1
    return totals


def percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "n/a"


def write_report(out: Path, offer: Offer, totals: Totals, crisis: CrisisTotals, how: str, seconds: float) -> str:
    firsts = totals.first_turns
    named = sum(result.named for result in firsts)
    answered = sum(result.answered for result in firsts)
    long_first = [result for result in firsts if result.words > MAX_FIRST_WORDS]
    follow_ok = sum(result.named and result.answered for result in totals.follow_ups)
    questions = totals.questions
    crisis_total = len(crisis.caught) + len(crisis.missed)
    right_kind = sum(1 for _, _, same in crisis.caught if same)
    non_crisis_total = crisis.quiet + len(crisis.false_alarms)
    before = read_yaml(BEFORE)["questions_before_a_personal_answer"]
    lines = [
        "# Conversation report",
        "",
        f"Made by `make conversation-report` on {date.today():%d %B %Y}, {how}, in {seconds:.0f} s.",
        "The messages were written blind, apart from the training data, and are never trained on:",
        "`tests/heldout/conversation.yml` and `tests/data/crisis.yml`.",
        "",
        "## Answering the question asked",
        "",
        "| measure | result | target |",
        "| --- | --- | --- |",
        f"| first reply names the right entitlement or topic | {named}/{len(firsts)} = {percent(named, len(firsts))}"
        " | at least 95% |",
        f"| first reply holds the aspect asked (amount, contact, how to claim, ...) | {answered}/{len(firsts)} = "
        f"{percent(answered, len(firsts))} | at least 90% |",
        f"| follow-ups answered about the right entitlement, with the aspect asked | "
        f"{follow_ok}/{len(totals.follow_ups)} = {percent(follow_ok, len(totals.follow_ups))} | |",
        f"| first message of a reply over {MAX_FIRST_WORDS} words | {len(long_first)} | 0 |",
        f"| questions before an answer for the person (\"can I get it\" cases, {len(questions)}) | mean "
        f"{sum(questions) / max(len(questions), 1):.2f}, max {max(questions, default=0)} | lower than before: "
        f"mean {before['mean']:.2f}, max {before['max']} ({before['cases']} cases, `tests/heldout/before.yml`) |",
        "",
        "## Crisis messages",
        "",
        "| measure | result | target |",
        "| --- | --- | --- |",
        f"| crisis messages given a crisis reply first (recall) | {len(crisis.caught)}/{crisis_total} = "
        f"{percent(len(crisis.caught), crisis_total)} | 100% |",
        f"| ... with the reply for their kind | {right_kind}/{crisis_total} = "
        f"{percent(right_kind, crisis_total)} | 100% |",
        f"| look-alike messages given a crisis reply (false alarms) | {len(crisis.false_alarms)}/{non_crisis_total} = "
        f"{percent(len(crisis.false_alarms), non_crisis_total)} | at most 5% |",
        "",
        "## Every miss",
        "",
    ]
    lines += _miss_table("First replies that did not name the entitlement or topic",
                         [r for r in firsts if not r.named])
    lines += _miss_table("First replies without the aspect asked", [r for r in firsts if r.named and not r.answered])
    lines += _miss_table("Follow-ups answered wrongly", [r for r in totals.follow_ups if not (r.named and r.answered)])
    lines += _miss_table(f"First messages over {MAX_FIRST_WORDS} words", long_first)
    lines += ["### Crisis messages missed", ""]
    lines += [f"- ({kind}) \"{text}\" got: {_short(reply)}" for kind, text, reply in crisis.missed] or ["None."]
    lines += ["", "### Crisis messages given another kind's reply", ""]
    wrong = [(kind, text) for kind, text, same in crisis.caught if not same]
    lines += [f"- ({kind}) \"{text}\"" for kind, text in wrong] or ["None."]
    lines += ["", "### False alarms", ""]
    lines += [f"- \"{text}\" got the {kind} reply" for text, kind in crisis.false_alarms] or ["None."]
    report = "\n".join(lines) + "\n"
    out.write_text(report, encoding="utf-8")
    return report


def _miss_table(title: str, results: List[TurnResult]) -> List[str]:
    lines = [f"### {title} ({len(results)})", ""]
    if not results:
        return lines + ["None.", ""]
    lines += ["| message | expected | aspect | first reply |", "| --- | --- | --- | --- |"]
    lines += [f"| {_cell(r.text)} | {r.expect} | {r.aspect} | {_cell(_short(r.reply))} |" for r in results]
    return lines + [""]


def _short(text: str, limit: int = 140) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[:limit] + "…"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def rest_chat(rasa_url: str) -> Callable[[], Say]:
    webhook = f"{rasa_url}/webhooks/rest/webhook"

    def new_chat() -> Say:
        sender = f"report-{uuid.uuid4().hex}"

        def say(text: str) -> List[Dict[str, Any]]:
            body = json.dumps({"sender": sender, "message": text}).encode()
            request = urllib.request.Request(webhook, body, {"Content-Type": "application/json"})
            with urllib.request.urlopen(request, timeout=30) as response:
                return json.loads(response.read())
        return say
    return new_chat


def in_process_chat() -> Callable[[], Say]:
    from tests.conversation import Chat

    chat = Chat()

    def new_chat() -> Say:
        return chat.new().say
    return new_chat


def main(argv: List[str]) -> int:
    in_process = "--in-process" in argv
    paths = [arg for arg in argv if not arg.startswith("--")]
    out = Path(paths[0]) if paths else PROJECT_ROOT / "docs" / "conversation-report.md"
    offer = load_offer(OFFER_DIR)
    started = time.monotonic()
    if in_process:
        new_chat = in_process_chat()
        totals, crisis = run_conversations(offer, new_chat), run_crisis(new_chat)
        how = "through the trained model and the real actions in one process"
    else:
        from tests.services import running_bot

        with tempfile.TemporaryDirectory() as folder, running_bot(Path(folder)) as (settings, _):
            new_chat = rest_chat(settings.rasa_url)
            totals, crisis = run_conversations(offer, new_chat), run_crisis(new_chat)
        how = "over REST against the running Rasa server and action server"
    report = write_report(out, offer, totals, crisis, how, time.monotonic() - started)
    print("\n".join(report.splitlines()[:30]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
