"""Where do you live? Free text to inside / outside the Peterborough City Council area / not sure.

A postcode district wholly inside or outside decides; a split district, a place "near" somewhere,
a name that several places share, or an unknown name leaves it undecided and names the next question.
Small typos are tolerated; a guess is never made.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, replace
from datetime import date
from typing import Dict, List, Literal, Optional, Tuple

from pydantic import validator

from bot.strict_model import StrictModel

INSIDE, OUTSIDE, NOT_SURE = "inside", "outside", "not_sure"
PETERBOROUGH, CAMBRIDGESHIRE, ELSEWHERE = "peterborough", "cambridgeshire", "elsewhere"

_FULL_POSTCODE = re.compile(r"\b([A-Z]{1,2}\d[A-Z\d]?)\s*(\d[A-Z]{2})\b")
_OUTWARD_CODE = re.compile(r"\b([A-Z]{1,2}\d{1,2}[A-Z]?)\b")
_FUZZY_CUTOFF = 0.84



class CouncilPlaces(StrictModel):
    council: str
    names: List[str]


class PlaceGroups(StrictModel):
    peterborough: CouncilPlaces
    cambridgeshire: List[CouncilPlaces]
    elsewhere: List[CouncilPlaces]


class SplitDistrict(StrictModel):
    inside: List[str]
    outside: List[str]


class PostcodeDistricts(StrictModel):
    inside: List[str]
    split: Dict[str, SplitDistrict]
    cambridgeshire: List[str]
    cambridgeshire_split: List[str]


class PlaceQuestions(StrictModel):
    unknown_place: str
    near_place: str
    split_district: str
    too_general: str
    which_town: str
    more_than_one: str
    several_places: str
    shared_name: str
    empty: str


class PlaceBook(StrictModel):
    last_reviewed: date
    confidence: Literal["high", "medium", "low"]
    councils: Dict[str, str]
    places: PlaceGroups
    shared_names: Dict[str, str]
    elsewhere_words: List[str]
    ask_again: Dict[str, str]
    postcode_districts: PostcodeDistricts
    near_words: List[str]
    filler_words: List[str]
    questions: PlaceQuestions

    @validator("ask_again")
    def _questions_exist(cls, value: Dict[str, str]) -> Dict[str, str]:
        unknown = set(value.values()) - set(PlaceQuestions.__fields__)
        if unknown:
            raise ValueError(f"unknown question(s): {', '.join(sorted(unknown))}")
        return value


@dataclass(frozen=True)
class PlaceAnswer:
    """What we could tell from where someone said they live."""

    status: str
    place: Optional[str] = None
    council: Optional[str] = None
    in_cambridgeshire_or_peterborough: Optional[bool] = None
    next_question: Optional[str] = None
    options: Tuple[str, ...] = ()

    def facts(self) -> Dict[str, object]:
        """The eligibility facts this answer settles (none when we are not sure)."""
        found: Dict[str, object] = {}
        if self.status != NOT_SURE:
            found["lives_in_peterborough"] = self.status == INSIDE
            if self.place:
                found["place"] = self.place
        if self.in_cambridgeshire_or_peterborough is not None:
            found["lives_in_cambridgeshire_or_peterborough"] = self.in_cambridgeshire_or_peterborough
        return found


@dataclass(frozen=True)
class _Known:
    name: str
    region: str
    council: str


def _normalise(text: str) -> str:
    text = text.lower().replace("’", "'").replace("'", "").replace(".", " ")
    text = re.sub(r"[^a-z0-9 ]+", " ", text)
    return re.sub(r"\s+", " ", text).strip()


class PlaceResolver:
    """Answers "is this place in Peterborough?" from the place book."""

    def __init__(self, book: PlaceBook):
        self.book = book
        self.known: Dict[str, _Known] = {}
        groups = book.places
        for name in groups.peterborough.names:
            self._add(name, PETERBOROUGH, groups.peterborough.council)
        for region, councils in ((CAMBRIDGESHIRE, groups.cambridgeshire), (ELSEWHERE, groups.elsewhere)):
            for group in councils:
                for name in group.names:
                    self._add(name, region, group.council)
        self.ask_again = {_normalise(name): (name, question) for name, question in book.ask_again.items()}
        self.near_words = sorted((_normalise(word) for word in book.near_words), key=len, reverse=True)
        self.shared = {_normalise(name): district for name, district in book.shared_names.items()}
        self.elsewhere_words = [_normalise(word) for word in book.elsewhere_words]
        self.filler = {_normalise(word) for word in book.filler_words}
        self.all_names = list(self.known) + list(self.ask_again)
        self.not_another_place = self.filler | set(self.all_names)

    def _add(self, name: str, region: str, council: str) -> None:
        self.known[_normalise(name)] = _Known(name, region, self.book.councils[council])

    def resolve(self, text: str) -> PlaceAnswer:
        """Resolve what someone typed about where they live."""
        questions = self.book.questions
        raw = (text or "").strip()[:200]
        cleaned = _normalise(raw)
        by_postcode = self._resolve_postcode(raw.upper())
        if by_postcode:
            return self._named_in_district(by_postcode, cleaned) or by_postcode
        if not cleaned:
            return PlaceAnswer(NOT_SURE, next_question=questions.empty)
        near = any(re.search(rf"\b{re.escape(word)}\b", cleaned) for word in self.near_words)
        found = self._find_names(cleaned)
        if not found:
            return PlaceAnswer(NOT_SURE, next_question=questions.unknown_place)
        specific = [name for name in found if name in self.known]
        found = specific or found  # "Yaxley, Peterborough": the village decides, not the postal town
        if len({self._region_of(name) for name in found}) > 1 or len(found) > 2:
            names = [self._display(name) for name in found]
            return PlaceAnswer(NOT_SURE, next_question=questions.several_places.format(places=" and ".join(names)),
                               options=tuple(names))
        name = found[0]
        if name in self.ask_again:
            display, question = self.ask_again[name]
            return PlaceAnswer(NOT_SURE, place=display,
                               next_question=getattr(questions, question).format(place=display))
        place = self.known[name]
        if near:
            return PlaceAnswer(NOT_SURE, place=place.name,
                               next_question=questions.near_place.format(place=place.name))
        if name in self.shared:
            return self._shared_name(place, self.shared[name], cleaned, raw)
        return self._answer_for(place)

    def _shared_name(self, place: _Known, district: str, cleaned: str, raw: str) -> PlaceAnswer:
        """ "Eye" is in Peterborough; "Eye, Suffolk" is not, and "Netherton, Dudley" is not sure.

        A county or region named with it makes it outside; another word naming a place ("Eye, Dudley",
        or "netherton dudley" as a short answer) makes it not sure, and we ask which one.
        """
        elsewhere = next((word for word in self.elsewhere_words if re.search(rf"\b{re.escape(word)}\b", cleaned)),
                         None)
        if elsewhere:
            return PlaceAnswer(OUTSIDE, place=f"{place.name}, {elsewhere.title()}",
                               council=self.book.councils[ELSEWHERE], in_cambridgeshire_or_peterborough=False)
        ours = f"{place.name} ({district})"
        if self._another_place_named(place.name, cleaned, raw):
            question = self.book.questions.shared_name.format(place=place.name, district=district)
            return PlaceAnswer(NOT_SURE, place=place.name, next_question=question, options=(ours,))
        return replace(self._answer_for(place), place=ours)

    def _another_place_named(self, name: str, cleaned: str, raw: str) -> bool:
        """A capitalised word after a comma ("Netherton, Dudley"), one word on its own after a comma
        ("netherton, dudley."), or any other word in a short answer ("netherton dudley")."""
        ours = self.not_another_place
        capitalised = re.search(rf"(?i:\b{re.escape(name)}\b)\s*,\s*([A-Z][a-z]+)", raw)
        alone = re.search(rf"(?i)\b{re.escape(name)}\b\s*,\s*([a-z]+)\s*(?:[.?!,;]|$)", raw)
        if any(found and _normalise(found.group(1)) not in ours for found in (capitalised, alone)):
            return True
        others = [word for word in cleaned.replace(_normalise(name), " ").split()
                  if word not in ours and not word.isdigit()]
        return 0 < len(others) and len(cleaned.split()) <= 3

    @staticmethod
    def _answer_for(place: _Known) -> PlaceAnswer:
        inside = place.region == PETERBOROUGH
        return PlaceAnswer(INSIDE if inside else OUTSIDE, place=place.name, council=place.council,
                           in_cambridgeshire_or_peterborough=place.region in (PETERBOROUGH, CAMBRIDGESHIRE))

    def _named_in_district(self, by_postcode: PlaceAnswer, cleaned: str) -> Optional[PlaceAnswer]:
        """The place named with a postcode: it decides a split district ("Eye PE6 7AB", "Melbourn SG8")
        and names the place understood ("Netherton (PE3)"); it never overrules the postcode."""
        district = by_postcode.place or ""
        split = self.book.postcode_districts.split.get(district)
        allowed = {_normalise(name) for name in split.inside + split.outside} if split else None
        for name in self._find_names(cleaned):
            if name not in self.known or (allowed is not None and name not in allowed):
                continue
            answer = self._answer_for(self.known[name])
            agrees = allowed is not None or (answer.status == by_postcode.status and (
                by_postcode.in_cambridgeshire_or_peterborough in (None, answer.in_cambridgeshire_or_peterborough)))
            if agrees:
                return replace(answer, place=f"{answer.place} ({district})")
        return None

    def _region_of(self, name: str) -> str:
        return self.known[name].region if name in self.known else "ask"

    def _display(self, name: str) -> str:
        return self.known[name].name if name in self.known else self.ask_again[name][0]

    def _find_names(self, cleaned: str) -> List[str]:
        """Known place names in the text: exact whole words first (longest wins), then near-spellings."""
        found: List[str] = []
        remaining = f" {cleaned} "
        for name in sorted(self.all_names, key=len, reverse=True):
            if f" {name} " in remaining:
                found.append(name)
                remaining = remaining.replace(f" {name} ", " | ")
        if found:
            return found
        words = [word for word in cleaned.split() if word not in self.filler]
        for size in (3, 2, 1):
            for start in range(len(words) - size + 1):
                phrase = " ".join(words[start:start + size])
                if len(phrase) < 4:
                    continue
                match = difflib.get_close_matches(phrase, self.all_names, n=1, cutoff=_FUZZY_CUTOFF)
                if match:
                    return [match[0]]
        return []

    def _resolve_postcode(self, upper: str) -> Optional[PlaceAnswer]:
        districts = self.book.postcode_districts
        ours = set(districts.inside) | set(districts.split) | set(districts.cambridgeshire) \
            | set(districts.cambridgeshire_split)
        full = _FULL_POSTCODE.search(upper)
        if full:
            district = full.group(1)
        else:
            outward = [code for code in _OUTWARD_CODE.findall(upper) if code in ours or code.startswith("PE")]
            if not outward:
                return None
            district = outward[0]
        if district in districts.inside:
            return PlaceAnswer(INSIDE, place=district, council=self.book.councils["peterborough"],
                               in_cambridgeshire_or_peterborough=True)
        if district in districts.split:
            split = districts.split[district]
            return PlaceAnswer(NOT_SURE, place=district,
                               next_question=self.book.questions.split_district.format(district=district),
                               options=tuple(split.inside + split.outside))
        if district in districts.cambridgeshire:
            in_cambs: Optional[bool] = True
        elif district in districts.cambridgeshire_split:
            in_cambs = None
        else:
            in_cambs = False
        return PlaceAnswer(OUTSIDE, place=district, in_cambridgeshire_or_peterborough=in_cambs)
