"""Feedback, unanswered questions and crisis counts (kind and day) as CSV files for a spreadsheet."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import List

from bot.storage.feedback_store import FeedbackStore


def export_feedback_csv(store: FeedbackStore, folder: Path) -> List[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, rows, columns in (
        ("feedback.csv", store.feedback_rows(), ["day", "string_ids", "rating", "suggestion"]),
        ("unanswered.csv", store.unanswered_rows(), ["day", "string_id", "message"]),
        ("crisis-replies.csv", store.crisis_rows(), ["day", "kind"]),
    ):
        path = folder / name
        with path.open("w", newline="", encoding="utf-8") as out:
            writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore")
            writer.writeheader()
            writer.writerows(rows)
        written.append(path)
    return written
