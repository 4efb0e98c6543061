"""The crisis safety net: a keyword check that runs on every message, before anything else.

Classifiers miss crisis messages they were not trained on; a plain list of words and phrases does not.
The list lives in data/safety/crisis.yml so it can be extended without touching code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional

import yaml

from bot.settings import PROJECT_ROOT

CRISIS_FILE = PROJECT_ROOT / "data" / "safety" / "crisis.yml"
WINDOW = 4000
WINDOW_OVERLAP = 200


@dataclass(frozen=True)
class CrisisMatch:
    kind: str
    pattern: str


class CrisisDetector:
    """Finds crisis words in a message."""

    def __init__(self, patterns: Dict[str, List[str]]):
        self.patterns = [
            (kind, pattern, re.compile(rf"(?<![a-z]){pattern}(?![a-z])"))
            for kind, listed in patterns.items() for pattern in listed
        ]

    @classmethod
    def from_file(cls, path: Path = CRISIS_FILE) -> CrisisDetector:
        return cls(yaml.safe_load(path.read_text(encoding="utf-8"))["patterns"])

    def check(self, text: Optional[str]) -> Optional[CrisisMatch]:
        """The first crisis pattern anywhere in the text, or None.

        Long text is searched in overlapping windows, so a crisis phrase is found however far in it is.
        """
        tidy = re.sub(r"\s+", " ", (text or "").lower().replace("’", "'"))
        step = WINDOW - WINDOW_OVERLAP
        for start in range(0, max(1, len(tidy) - WINDOW_OVERLAP), step):
            window = tidy[start:start + WINDOW]
            for kind, pattern, compiled in self.patterns:
                if compiled.search(window):
                    return CrisisMatch(kind, pattern)
        return None
