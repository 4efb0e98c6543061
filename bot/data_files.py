"""The one YAML reader: every data file is read the same way, once per version of the file.

Dates stay text (so a bad date is reported like any other mistake), mappings keep their line
numbers for error messages, and a file is parsed again only when its modification time changes.
The result is shared between callers: read it, never change it.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, List, Optional, Tuple

from ruamel.yaml import YAML
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError


class _DatesAsText(RoundTripConstructor):
    """Leave dates as text; the models that need dates parse them and can say which field is wrong."""


_DatesAsText.add_constructor("tag:yaml.org,2002:timestamp", RoundTripConstructor.construct_yaml_str)


class DataFileError(ValueError):
    """A data file that cannot be read, located for the person who will fix it."""

    def __init__(self, path: Path, message: str, line: Optional[int] = None):
        self.path, self.message, self.line = path, message, line
        super().__init__(f"{path}{f':{line}' if line else ''}: {message}")


def read_yaml(path: Path) -> Any:
    """The parsed file; DataFileError (with file and line) if it is missing, not UTF-8 or not YAML."""
    path = Path(path)
    try:
        stat = path.stat()
    except FileNotFoundError:
        raise DataFileError(path, "file is missing") from None
    return _parse(path, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=256)
def _parse(path: Path, modified_ns: int, size: int) -> Any:
    yaml = YAML(typ="rt")
    yaml.Constructor = _DatesAsText
    try:
        return yaml.load(path.read_text(encoding="utf-8"))
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        raise DataFileError(path, f"this is not valid YAML: {error.problem or error}",
                            mark.line + 1 if mark else None) from None
    except UnicodeDecodeError:
        raise DataFileError(path, "the file is not UTF-8 text") from None


def training_examples(path: Path) -> List[Tuple[str, str]]:
    """(intent, text) for each example in a chat-model training file (data/nlu/)."""
    return [(str(block["intent"]), line.strip()[2:]) for block in read_yaml(path)["nlu"] if block.get("intent")
            for line in str(block["examples"]).splitlines() if line.strip().startswith("- ")]
