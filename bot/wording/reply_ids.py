"""Which of the bot's strings a reply is made of, so reviewers can name them and feedback can point at them.

The bot builds replies from the strings in the wording catalogue, some with {placeholders} filled in.
Each line of a reply is searched for every string's shape; a string found only inside a longer string
that was found (a fact's words inside an entitlement's summary) is left out. Short templates, mostly
placeholder, only count when they make up the whole line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import List, Sequence, Tuple

from bot.wording.catalogue import PLACEHOLDER, BotString

LITERAL_TO_SEARCH = 12
LITERAL_FOR_WHOLE_LINE = 3


@dataclass(frozen=True)
class _Shape:
    string_id: str
    pattern: re.Pattern
    literal_length: int


class ReplyIdentifier:
    def __init__(self, strings: Sequence[BotString]):
        self.known = {string.id for string in strings}
        self.shapes: List[_Shape] = []
        for string in strings:
            if "/button/" in string.id:
                continue
            for line in filter(None, (line.strip() for line in string.text.splitlines())):
                pieces = [" ".join(piece.split()) for piece in PLACEHOLDER.split(line)]
                literal = sum(len(piece.strip(" .,:;")) for piece in pieces)
                if literal >= LITERAL_FOR_WHOLE_LINE:
                    pattern = re.compile(".+?".join(re.escape(piece) for piece in pieces), re.IGNORECASE)
                    self.shapes.append(_Shape(string.id, pattern, literal))

    def identify(self, text: str) -> List[str]:
        """The ids of the strings in this reply, in the order they appear, each once."""
        spans: List[Tuple[int, int, int, str]] = []
        for number, line in enumerate(text.splitlines()):
            line = " ".join(line.split())
            for shape in self.shapes:
                if shape.literal_length >= LITERAL_TO_SEARCH:
                    spans.extend((number, m.start(), m.end(), shape.string_id) for m in shape.pattern.finditer(line))
                elif shape.pattern.fullmatch(line):
                    spans.append((number, 0, len(line), shape.string_id))
        kept = [span for span in spans if not any(_inside(span, other) for other in spans)]
        ordered: List[str] = []
        for *_, string_id in sorted(kept):
            if string_id not in ordered:
                ordered.append(string_id)
        return ordered


def _inside(span: Tuple[int, int, int, str], other: Tuple[int, int, int, str]) -> bool:
    """Strictly inside a longer match on the same line."""
    return (span[0] == other[0] and other[1] <= span[1] and span[2] <= other[2]
            and other[2] - other[1] > span[2] - span[1])
