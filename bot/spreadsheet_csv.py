"""Every CSV the project writes, made safe to open in a spreadsheet.

Council staff open these files in Excel or LibreOffice, which run a cell that begins with = + - @
(or a tab or carriage return before one) as a formula: `=HYPERLINK(...)` typed as feedback would
become a link. Such a cell gets a leading apostrophe, which spreadsheets show as text and people
can read past.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def write_csv(path: Path, columns: Sequence[str], rows: Iterable[Mapping[str, Any]]) -> Path:
    """Write rows (keyed by column) under a header; every cell neutralised. Other keys are left out."""
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow([neutralise(column) for column in columns])
        for row in rows:
            writer.writerow([neutralise(row.get(column)) for column in columns])
    return path
