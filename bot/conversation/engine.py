"""One turn of the conversation: a message in, the replies and the new conversation state out.

Pure Python over the offer and the data files, with no Rasa import: the Rasa action is a thin
adapter, and tests run whole conversations in process. The order of work in a turn:
1. a crisis, however it is put, gets its kind's reply first, even in the middle of a question;
2. a button does what it says;
3. an answer to the question we asked sets that fact;
4. otherwise the message is read for facts given in passing, the entitlement it is about (from the
   offer's aliases, the chat model's topic as a prior, the entry model as a second opinion), and what
   is asked about it; the reply answers that first, then answers for this person or offers to check;
5. a topic gets a short menu; a message we don't understand gets "Did you mean", then a person.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field, replace
from functools import lru_cache
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

from bot.conversation import answers
from bot.conversation.answers import Reply, button
from bot.conversation.crisis_model import find_crisis, worth_a_check_in
from bot.conversation.entry_model import entry_chances_or_none
from bot.conversation.finder import Candidate, EntitlementFinder
from bot.conversation.safety import crisis_detector, crisis_reply_lines
from bot.conversation.understanding import (
    NOT_SURE_WORDS,
    TOPIC_INTENT,
    YES_WORDS,
    find_age_number,
    is_correction,
    notice_facts,
    read_answer,
    tidy,
    whole_words,
)
from bot.data_files import read_yaml
from bot.offer.eligibility import NEED_MORE_INFO, EntitlementResult, check_entry, deciding_fact
from bot.offer.facts import NOT_SURE, PLACE_QUESTION, FactValueError
from bot.offer.loader import Offer
from bot.offer.places import NOT_SURE as PLACE_UNSETTLED
from bot.offer.places import PlaceAnswer, PlaceResolver
from bot.offer.rules import facts_used
from bot.settings import DATA_DIR, offer_dir

UNDERSTANDING_FILE = DATA_DIR / "conversation" / "understanding.yml"
FALLBACK_INTENT = "nlu_fallback"
CRISIS_INTENT = "crisis"
QUESTION_REACH = 1000  # characters of a message looked at for a question beside a crisis
PART_END = re.compile(r"(?<=[.!?])\s+|\n|,\s*|\s+(?:and also|also|but|btw)\s+")
SMALL_TALK = ("greet", "goodbye", "thanks", "bot_challenge", "out_of_scope")
MENU_REPLIES = ("greet", "bot_challenge", "out_of_scope")
MODEL_SURE = 0.6
MODEL_TOPIC_SURE = 0.8
MISSES_BEFORE_A_PERSON = 2
MOST_CHOICES = 4
AMOUNT_REACH = 1.0
TIE_SURE = 0.3
DESCRIBED_SURE = 0.4
OVERRIDE_SURE = 0.5
NAMED_UNLIKELY = 0.2
LIKELIEST_LEAD = 2.0
WHOLE_ALIAS = 1.0
MARKUP = re.compile(r"<[^<>]{0,200}>")
LIVES_WORDS = re.compile(r"\b(live|living|lives|stay|staying|moved?|moving|from|based|in)\b")


@dataclass(frozen=True)
class Turn:
    """One message: what was typed, what the model thought (and its best guess when unsure), and a tapped button."""

    text: str = ""
    intent: str = ""
    confidence: float = 0.0
    button: Optional[Mapping[str, str]] = None
    runner_up: str = ""


@dataclass
class State:
    """What the conversation knows; kept by Rasa in one slot between turns."""

    facts: Dict[str, Any] = field(default_factory=dict)
    entitlement: Optional[str] = None
    aspect: Optional[str] = None
    pending: Optional[str] = None
    place_question: Optional[str] = None
    place_options: List[str] = field(default_factory=list)
    offered: Optional[str] = None
    misses: int = 0

    @classmethod
    def from_slot(cls, value: Any) -> State:
        if not isinstance(value, Mapping):
            return cls()
        known = {key: value[key] for key in cls.__dataclass_fields__ if key in value}
        return cls(**known)

    def to_slot(self) -> Dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Outcome:
    replies: List[Reply]
    state: State
    crisis_kind: Optional[str] = None
    crisis_danger: str = ""


@lru_cache(maxsize=1)
def _understanding_for(modified: int) -> Dict[str, Any]:
    data = read_yaml(UNDERSTANDING_FILE)
    compiled = {aspect: [whole_words(p) for p in patterns] for aspect, patterns in data["aspects"].items()}
    refers_back = [whole_words(p) for p in data["refers_back"]]
    question_starts = [whole_words(p) for p in data["question_starts"]]
    question_words = sorted({word for patterns in data["aspects"].values() for pattern in patterns
                             for word in re.findall(r"[a-z]{4,}", pattern)})
    return {"aspects": compiled, "refers_back": refers_back, "question_starts": question_starts,
            "ignore_words": list(data["ignore_words"]),
            "common_words": list(data.get("common_words") or []), "question_words": question_words,
            "broad_aspects": frozenset(data.get("broad_aspects") or [])}


def understanding() -> Dict[str, Any]:
    return _understanding_for(UNDERSTANDING_FILE.stat().st_mtime_ns)


def crisis_outcome(turn: Turn, state: State) -> Optional[Outcome]:
    """The crisis reply when the message shows a crisis; needs only the data files, not the database."""
    if turn.button:
        if turn.button.get("do") == "safe" and turn.button.get("value") == "no":
            return _crisis("general", state)
        return None
    if turn.intent == CRISIS_INTENT and (turn.text or "").startswith("/"):
        return _crisis("general", state)  # the page's payload for a message too long to send, with crisis words
    match = find_crisis(turn.text)
    if match:
        return _crisis(match.kind, state, match.danger, match.also)
    return None


def _crisis(kind: str, state: State, danger: str = "", also: Sequence[str] = ()) -> Outcome:
    contacts = read_yaml(offer_dir() / "contacts.yml")["contacts"]
    buttons = [button("talk_to_a_person", do="person")]
    if state.pending:
        buttons.insert(0, button("carry_on", do="carry_on"))
    lines = crisis_reply_lines(kind, contacts, danger, also)
    return Outcome([Reply("\n".join(lines), tuple(buttons))], state, kind, danger or kind)


class Conversation:
    """Answers turns from one version of the offer."""

    def __init__(self, offer: Offer):
        self.offer = offer
        self.places = PlaceResolver(offer.places)
        words = understanding()
        self.finder = EntitlementFinder(offer, words["ignore_words"], words["common_words"], words["question_words"])
        self._chances: Tuple[Optional[str], Dict[str, float]] = (None, {})

    # --- the turn ------------------------------------------------------------------------

    def respond(self, state: State, turn: Turn) -> Outcome:
        """The whole turn: a crisis reply first, else the answer."""
        crisis = crisis_outcome(turn, state)
        return self.after_a_crisis(crisis, state, turn) if crisis else self.answer(state, turn)

    def after_a_crisis(self, crisis: Outcome, state: State, turn: Turn) -> Outcome:
        """A need said beside a question about an entitlement ("no food till monday, how do i get the tiger pass")
        gets the crisis reply, then the answer to what was asked, and so does a worker asking about a young person
        with that need; a danger to the person gets the crisis reply alone (crisis.yml `answer_the_question_too`).
        Only a question that names an entitlement outright gets an answer, and only a straight one: not a question
        of ours, a menu or "did you mean", and never in the middle of our own questions (the crisis reply offers
        to carry on)."""
        if turn.button or state.pending or crisis.crisis_danger not in crisis_detector().answer_the_question_too:
            return crisis
        question = self._question_in((turn.text or "")[:QUESTION_REACH])
        candidates = self.finder.rank(question)
        named = candidates[0].entry_id if self._names_one(candidates) else None
        if not named or self.entry_chances(question).get(named, 1.0) < NAMED_UNLIKELY:
            return crisis
        answered = self.answer(State.from_slot(state.to_slot()), replace(turn, text=question))
        entry = answered.state.entitlement
        if not entry or entry == state.entitlement or answered.state.pending:
            return crisis
        return replace(crisis, replies=[*crisis.replies, *answered.replies], state=answered.state)

    def _question_in(self, text: str) -> str:
        """The parts of a message that ask something and are not the crisis itself ("no food till monday, also
        how do i get the tiger pass"), or "" if none does: "my phone's on 5% and the electric's gone" asks
        nothing about phones."""
        return " ".join(part for part in PART_END.split(text)
                        if _is_a_question(part) and not crisis_detector().check(part))

    def answer(self, state: State, turn: Turn) -> Outcome:
        """The turn once no crisis was found in it."""
        turn = replace(turn, text=MARKUP.sub(" ", turn.text or ""))
        if turn.button:
            return self._button(state, turn.button)
        if state.pending:
            answered = self._answer_pending(state, turn)
            if answered:
                return answered
        return self._read_message(state, turn)

    def _read_message(self, state: State, turn: Turn) -> Outcome:
        text = turn.text or ""
        noticed, place = self._notice(text, state)
        state.facts.update(noticed)
        topic = _topic_of(turn)
        candidates = self.finder.rank(text, topic)
        if not self._names_one(candidates) and worth_a_check_in(text):
            return self._check_in(state)
        aspect = self._aspect(text)
        if candidates and state.entitlement and candidates[0].score < WHOLE_ALIAS and self._refers_back(text):
            candidates = []
        if candidates:
            tied = [c for c in candidates if c.score == candidates[0].score]
            current = state.entitlement if state.entitlement in {c.entry_id for c in tied} else None
            tied = self.finder.narrowed(text, tied, topic)
            if len(tied) > 1 and not current:
                likeliest = (self._likeliest(text, [c.entry_id for c in tied], TIE_SURE)
                             if self.finder.says_more_than(text, [c.alias for c in tied]) else None)
                if not likeliest:
                    return self._which_one(state, tied, aspect or self._default_aspect(state, noticed))
                tied = [c for c in tied if c.entry_id == likeliest]
            chosen = current or self._second_opinion(text, self._with_an_amount(tied[0].entry_id, candidates, aspect))
            return self._answer(state, chosen, aspect or self._default_aspect(state, noticed), place, bool(noticed))
        if state.entitlement and (aspect or noticed or place or self._refers_back(text)):
            follow = aspect or ("eligibility" if (noticed or place) else "what")
            return self._answer(state, state.entitlement, follow, place, bool(noticed or place))
        described = self._likeliest(text, None, DESCRIBED_SURE)
        if described:
            return self._answer(state, described, aspect or self._default_aspect(state, noticed), place, bool(noticed))
        winner = self.finder.clear_winner(text, topic)
        if winner and (aspect not in (None, "what") or noticed):
            return self._answer(state, winner, aspect or "eligibility", place, bool(noticed))
        named_topic = self.finder.topic_named(text)
        sure = MODEL_SURE if topic == named_topic else MODEL_TOPIC_SURE
        chosen_topic = topic if topic and turn.confidence >= sure else named_topic
        if chosen_topic:
            main = self._likeliest_in_topic(chosen_topic, noticed)
            if main and (aspect not in (None, "what") or noticed):
                return self._answer(state, main, aspect or "eligibility", place, bool(noticed))
            return self._topic(state, chosen_topic)
        if turn.intent in MENU_REPLIES and turn.confidence >= MODEL_SURE:
            return self._reply(state, answers.main_menu(self.offer, turn.intent))
        if turn.intent in SMALL_TALK and turn.confidence >= MODEL_SURE:
            return self._say(state, answers.wording()[turn.intent])
        if turn.intent == "human_handoff" and turn.confidence >= MODEL_SURE:
            return self._reply(state, answers.hand_off_reply(self.offer))
        if turn.intent == "ask_entitlements" and turn.confidence >= MODEL_SURE:
            return self._reply(state, answers.main_menu(self.offer))
        if turn.intent == "affirm" and state.offered:
            return self._check(state, state.offered)
        if turn.intent == "deny" and state.offered:
            state.offered = None
            return self._say(state, answers.wording()["ask_anything"])
        if crisis_detector().shows_distress(text):
            return self._check_in(state)
        return self._not_understood(state, text, topic)

    # --- buttons --------------------------------------------------------------------------

    def _button(self, state: State, pressed: Mapping[str, str]) -> Outcome:
        action = pressed.get("do")
        entitlement = pressed.get("entitlement")
        if entitlement and entitlement not in self.offer.entries:
            return self._not_understood(state, "")
        if action == "show":
            return self._answer(state, entitlement, "what", None)
        if action == "aspect":
            return self._answer(state, entitlement, pressed.get("aspect") or "what", None)
        if action == "more":
            state.entitlement = entitlement
            return self._reply(state, answers.more_reply(self.offer, self.offer.entries[entitlement]))
        if action == "check":
            return self._check(state, entitlement or state.offered or state.entitlement)
        if action == "not_now":
            state.offered = None
            return self._say(state, answers.wording()["ask_anything"])
        if action == "topic" and pressed.get("topic") in self.offer.topics:
            return self._topic(state, pressed["topic"])
        if action == "person":
            return self._reply(state, answers.hand_off_reply(self.offer))
        if action == "safe":
            return self._say(state, answers.wording()["safe_yes"])
        if action == "carry_on" and state.pending and state.entitlement:
            entry = self.offer.entries[state.entitlement]
            return self._reply(state, Reply(answers.wording()["carry_on"]), self._question(state, entry))
        if action == "answer" and state.pending:
            return self._answer_pending(state, Turn(text=pressed.get("value", ""))) or self._reask(state)
        return self._reply(state, answers.main_menu(self.offer))

    # --- questions ------------------------------------------------------------------------

    def _answer_pending(self, state: State, turn: Turn) -> Optional[Outcome]:
        """Read the answer to our question; None when the message is something else (a new question)."""
        question, text = state.pending, turn.text or ""
        if self._asks_about_it(text):
            return None
        if question == PLACE_QUESTION:
            if _says_not_sure(text):
                self._set_place_not_sure(state)
                return self._continue_check(state)
            if len(state.place_options) == 1 and YES_WORDS.search(tidy(text)):
                text = state.place_options[0]  # "yes" to "Is yours the one in Peterborough?"
            place = self.places.resolve(text)
            if place.status != PLACE_UNSETTLED:
                self._set_place(state, place)
                return self._continue_check(state)
            if self._is_new_question(text, turn):
                return None
            state.place_question, state.place_options = place.next_question, list(place.options)
            return self._reply(state, self._question(state, self.offer.entries[state.entitlement]))
        facts = self.offer.catalogue.questions()[question]
        try:
            value = read_answer(facts[0], text, self.offer.catalogue)
        except FactValueError:
            if self._is_new_question(text, turn):
                return None
            noticed, _ = self._notice(text, state)
            if noticed:  # "im 21 tho": another fact, or one corrected, while we wait for this answer
                state.facts.update(noticed)
                return self._continue_check(state)
            return self._reask(state)
        for name in facts:
            state.facts[name] = value
        return self._continue_check(state)

    def _reask(self, state: State) -> Outcome:
        words = answers.wording()
        asks_age = self.offer.catalogue.definition(self.offer.catalogue.questions()[state.pending][0]).type == "age"
        sorry = words["age_not_understood"] if asks_age else words["answer_not_understood"]
        entry = self.offer.entries[state.entitlement]
        return self._reply(state, Reply(sorry), self._question(state, entry))

    def _is_new_question(self, text: str, turn: Turn) -> bool:
        """Only a clear new question leaves the one we asked: a whole alias, a question about the entitlement
        ("what do i need to do to get it"), or a topic the model is sure of."""
        topic_asked = bool(_topic_of(turn) and turn.confidence >= MODEL_SURE and self.finder.topic_named(text))
        return bool(self._names_one(self.finder.rank(text)) or self._aspect(text) or topic_asked
                    or (turn.intent in SMALL_TALK + ("human_handoff",) and turn.confidence >= MODEL_SURE))

    def _check(self, state: State, entry_id: Optional[str]) -> Outcome:
        if not entry_id or entry_id not in self.offer.entries:
            return self._reply(state, answers.main_menu(self.offer))
        state.entitlement, state.offered = entry_id, None
        return self._continue_check(state)

    def _continue_check(self, state: State) -> Outcome:
        entry = self.offer.entries[state.entitlement]
        result = check_entry(self.offer, entry.id, state.facts)
        question = self._next_question(result, state)
        if question:
            state.pending = question
            return self._reply(state, self._question(state, entry))
        state.pending, state.place_question, state.place_options = None, None, []
        headline, why = answers.personal_lines(result)
        buttons = answers.follow_up_buttons(entry, "eligibility")
        buttons += answers.see_everything_button(self.offer, state.facts)
        return self._reply(state, Reply(headline, tuple(buttons)), Reply(why))

    def _next_question(self, result: EntitlementResult, state: State) -> Optional[str]:
        """The first question whose answer would still change this entitlement's answer. Once the person is not
        sure of a fact it depends on, the answer cannot be yes: it is given now, not after every other question."""
        if any(state.facts.get(name) == NOT_SURE for name in result.missing_facts):
            return None
        name = deciding_fact(result, state.facts)
        return self.offer.catalogue.definition(name).question if name else None

    def _question(self, state: State, entry) -> Reply:
        if state.pending == PLACE_QUESTION and state.place_question:
            return answers.question_reply(self.offer, entry, PLACE_QUESTION, state.place_question, state.place_options)
        return answers.question_reply(self.offer, entry, state.pending, facts=state.facts)

    # --- answers --------------------------------------------------------------------------

    def _answer(self, state: State, entry_id: str, aspect: str, place: Optional[PlaceAnswer],
                new_facts: bool = False) -> Outcome:
        """Answer first; then the answer for this person, a question that decides it, or an offer to check."""
        entry = self.offer.entries[entry_id]
        outcome = self._answer_first(state, entry_id, aspect, place, new_facts,
                                     answers.aspect_line(self.offer, entry, aspect))
        if len(outcome.replies[0].text.split()) > answers.FIRST_REPLY_MOST_WORDS:
            outcome = self._answer_first(state, entry_id, aspect, place, new_facts,
                                         answers.aspect_line(self.offer, entry, aspect, in_full=False))
        after = answers.said_next(self.offer, entry, aspect)
        if after:
            outcome.replies.insert(1, after)
        return outcome

    def _answer_first(self, state: State, entry_id: str, aspect: str, place: Optional[PlaceAnswer],
                      new_facts: bool, first: str) -> Outcome:
        entry = self.offer.entries[entry_id]
        state.entitlement, state.aspect, state.misses, state.pending = entry_id, aspect, 0, None
        state.offered = None
        follow_ups = answers.follow_up_buttons(entry, aspect)
        if entry.kind != "entitlement":
            return self._reply(state, Reply(first, tuple(follow_ups)))
        result = check_entry(self.offer, entry_id, state.facts)
        words = answers.wording()
        needs_place = any(self.offer.catalogue.definition(name).question == PLACE_QUESTION
                          for name in result.missing_facts)
        if place is not None and place.status == PLACE_UNSETTLED and needs_place:
            state.pending, state.place_question, state.place_options = PLACE_QUESTION, place.next_question, \
                list(place.options)
            return self._reply(state, Reply(first), self._question(state, entry))
        if result.status != NEED_MORE_INFO:
            headline, why = answers.personal_lines(result)
            if _decided_by_everyone(result):
                return self._reply(state, Reply(f"{first}\n{words['everyone_can']}", tuple(follow_ups)))
            answer = Reply(f"{first}\n{headline}", tuple(follow_ups + answers.see_everything_button(self.offer,
                                                                                                  state.facts)))
            if aspect == "eligibility" or new_facts:
                return self._reply(state, answer, Reply(why))
            return self._reply(state, answer)
        question = self._next_question(result, state)
        if question is None:
            headline, why = answers.personal_lines(result)
            unknown = words["unpublished"] if not result.missing_facts else headline
            return self._reply(state, Reply(f"{first}\n{unknown}", tuple(follow_ups)), Reply(why))
        if aspect == "eligibility":
            state.pending = question
            return self._reply(state, Reply(first), self._question(state, entry))
        state.offered = entry_id
        check = (button("yes_check", do="check", entitlement=entry_id), button("not_now", do="not_now"))
        return self._reply(state, Reply(f"{first}\n{words['offer_check']}", check + tuple(follow_ups)))

    def _which_one(self, state: State, tied: Sequence[Candidate], aspect: Optional[str]) -> Outcome:
        words = answers.wording()
        keys = [candidate.entry_id for candidate in tied[:MOST_CHOICES]]
        names = answers.names_or(self.offer, keys)
        buttons = tuple(answers.entry_button(self.offer, key, aspect) for key in keys)
        return self._reply(state, Reply(words["which_one"].format(names=names), buttons))

    def _topic(self, state: State, topic: str) -> Outcome:
        keys = [key for key, entry in self.offer.entries.items() if topic in entry.topics]
        if len(keys) == 1:
            return self._answer(state, keys[0], "what", None)
        results = [check_entry(self.offer, key, state.facts) for key in keys]
        state.misses = 0
        return self._reply(state, answers.topic_reply(self.offer, topic, results))

    def _likeliest_in_topic(self, topic: str, noticed: Mapping[str, Any]) -> Optional[str]:
        """The topic's entry whose rule uses a fact the person just told us (not age or place), else its main."""
        facts = self.offer.catalogue.facts
        specific = {name for name in noticed if name in facts and name != "age"
                    and facts[name].question != PLACE_QUESTION}
        for key, entry in self.offer.entries.items():
            if topic in entry.topics and specific & set(facts_used(self.offer.rules[key])):
                return key
        return self.offer.topics[topic].main

    def _check_in(self, state: State) -> Outcome:
        buttons = (button("safe_yes", do="safe", value="yes"), button("safe_no", do="safe", value="no"))
        return self._reply(state, Reply(answers.wording()["check_in"], buttons))

    def _not_understood(self, state: State, text: str, topic: Optional[str] = None) -> Outcome:
        state.misses += 1
        words = answers.wording()
        if state.misses >= MISSES_BEFORE_A_PERSON:
            contacts = self.offer.contacts
            text_out = words["second_miss"].format(leaving_care_email=contacts["leaving-care-team"].email,
                                                  out_of_hours_phone=contacts["emergency-duty-team"].phone)
            return self._reply(state, Reply(text_out, (button("talk_to_a_person", do="person"),)))
        closest = self.finder.closest(text, topic)
        if closest:
            names = answers.names_or(self.offer, closest)
            buttons = tuple(answers.entry_button(self.offer, key) for key in closest)
            return self._reply(state, Reply(words["did_you_mean"].format(names=names), buttons))
        return self._reply(state, answers.main_menu(self.offer, "not_understood"))

    # --- reading a message ----------------------------------------------------------------

    def _notice(self, text: str, state: State) -> Tuple[Dict[str, Any], Optional[PlaceAnswer]]:
        """Facts said in passing, and a place when the message says where someone lives."""
        noticed = notice_facts(text, self.offer.catalogue)
        if "age" not in noticed and is_correction(text) and state.facts.get("age") is not None:
            number = find_age_number(text)
            if number is not None:
                try:
                    noticed["age"] = self.offer.catalogue.normalise("age", number)
                except FactValueError:
                    pass
        place = None
        clean = tidy(text)
        if LIVES_WORDS.search(clean) or "age" in noticed or is_correction(text):
            found = self.places.resolve(text)
            if found.status != PLACE_UNSETTLED:
                place = found
                noticed.update(self._place_facts(state, found))
            elif found.place:
                place = found
        return noticed, place

    def _place_facts(self, state: State, place: PlaceAnswer) -> Dict[str, Any]:
        facts = place.facts()
        for name in self.offer.catalogue.questions()[PLACE_QUESTION]:
            if name not in facts:
                state.facts.pop(name, None)
        return facts

    def _set_place(self, state: State, place: PlaceAnswer) -> None:
        state.facts.update(self._place_facts(state, place))
        state.place_question, state.place_options = None, []

    def _set_place_not_sure(self, state: State) -> None:
        for name in self.offer.catalogue.questions()[PLACE_QUESTION]:
            state.facts[name] = NOT_SURE
        state.facts.pop("place", None)
        state.place_question, state.place_options = None, []

    def _aspect(self, text: str) -> Optional[str]:
        """What is asked: a pointed question ("how do I claim") before a broad one ("can I get it"); among
        either, the one said first, then the longer words, then the order in the file."""
        clean = tidy(text)
        broad = understanding()["broad_aspects"]
        found = [(aspect in broad, match.start(), match.start() - match.end(), order, aspect)
                 for order, (aspect, patterns) in enumerate(understanding()["aspects"].items())
                 for pattern in patterns for match in [pattern.search(clean)] if match]
        return min(found)[4] if found else None

    def _likeliest(self, text: str, among: Optional[Sequence[str]], sure: float) -> Optional[str]:
        """The entry the entry model finds likeliest (of those given), if it is sure enough and well ahead."""
        chances = self.entry_chances(text)
        ranked = sorted((chances.get(key, 0.0), key) for key in (among or chances))[::-1]
        if not ranked or ranked[0][0] < sure:
            return None
        if len(ranked) > 1 and ranked[0][0] < LIKELIEST_LEAD * ranked[1][0]:
            return None
        return ranked[0][1]

    def _second_opinion(self, text: str, chosen: str) -> str:
        """A message that names one entry by a word or two but describes another ("will housing put me higher on
        the list because i was in care") is about the one the entry model is sure of, if it finds the named one
        unlikely."""
        chances = self.entry_chances(text)
        likeliest = self._likeliest(text, None, OVERRIDE_SURE)
        if likeliest and likeliest != chosen and chances.get(chosen, 0.0) <= NAMED_UNLIKELY:
            return likeliest
        return chosen

    def entry_chances(self, text: str) -> Dict[str, float]:
        """How likely the message is about each entry, by the entry model; none if it cannot be learnt."""
        if self._chances[0] != text:
            self._chances = (text, entry_chances_or_none(self.offer, text))
        return self._chances[1]

    def _with_an_amount(self, chosen: str, candidates: Sequence[Candidate], aspect: Optional[str]) -> str:
        """"How much do you get when you get out of prison" asks about the entry with a sum (the discharge grant),
        though "prison" names the custody support a little better."""
        if aspect != "amount" or self.offer.entries[chosen].amount:
            return chosen
        near = [c.entry_id for c in candidates if c.score >= candidates[0].score - AMOUNT_REACH
                and self.offer.entries[c.entry_id].amount]
        return near[0] if near else chosen

    @staticmethod
    def _default_aspect(state: State, noticed: Mapping[str, Any]) -> str:
        """With no question words: "can I get it" when we know about the person, else "what is it"."""
        return "eligibility" if noticed or state.facts else "what"

    def _asks_about_it(self, text: str) -> bool:
        """A question about the entitlement being talked about ("how much is it?", "who do i tell"), asked
        while we wait for an answer: it is answered, not read as an age or a place."""
        return bool(self._aspect(text) and self._refers_back(text) and not re.search(r"\d", text))

    def _refers_back(self, text: str) -> bool:
        clean = tidy(text)
        return len(clean.split()) <= 8 and any(p.search(clean) for p in understanding()["refers_back"])

    @staticmethod
    def _names_one(candidates: Sequence[Candidate]) -> bool:
        """The message names an entitlement by a whole alias, not only by one of its words."""
        return bool(candidates) and candidates[0].score >= WHOLE_ALIAS


    # --- replies --------------------------------------------------------------------------

    def _say(self, state: State, text: str) -> Outcome:
        return self._reply(state, Reply(text))

    @staticmethod
    def _reply(state: State, *replies: Reply) -> Outcome:
        return Outcome(list(replies), state)


def _is_a_question(part: str) -> bool:
    clean = tidy(part)
    return clean.endswith("?") or any(pattern.search(clean) for pattern in understanding()["question_starts"])


def _topic_of(turn: Turn) -> Optional[str]:
    """The model's topic: its intent, or under "not sure" (nlu_fallback) its best guess, as a prior."""
    intent = turn.intent
    if intent == FALLBACK_INTENT and turn.runner_up:
        intent = turn.runner_up
    if intent.startswith(TOPIC_INTENT):
        return intent[len(TOPIC_INTENT):].replace("_", "-")
    return None


def _says_not_sure(text: str) -> bool:
    """Typed ("dunno") or the "Not sure" button's value (not_sure)."""
    return bool(NOT_SURE_WORDS.search(tidy(text).replace("_", " ")))


def _decided_by_everyone(result) -> bool:
    return all(check.fact is None for check in result.checks) and result.status != NEED_MORE_INFO
