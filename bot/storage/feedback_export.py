"""Feedback, unanswered questions and crisis counts (kind and day) as CSV files for a spreadsheet.

Written through bot/spreadsheet_csv.py, so a formula typed as feedback stays text."""

from __future__ import annotations

from pathlib import Path
from typing import List

from bot.spreadsheet_csv import write_csv
from bot.storage.feedback_store import FeedbackStore


def export_feedback_csv(store: FeedbackStore, folder: Path) -> List[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, rows, columns in (
        ("feedback.csv", store.feedback_rows(), ["day", "string_ids", "rating", "suggestion"]),
        ("unanswered.csv", store.unanswered_rows(), ["day", "string_id", "message"]),
        ("crisis-replies.csv", store.crisis_rows(), ["day", "kind"]),
    ):
        written.append(write_csv(folder / name, columns, rows))
    return written
