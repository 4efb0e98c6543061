"""What people told us about the wording, the questions the bot could not answer, and crisis replies shown.

No sender id, no name, the day only, and the text already masked by the caller. For a crisis, only its
kind and the day are kept, so the council can count them; never what was typed. Every row is deleted
after FEEDBACK_RETENTION_DAYS (bot/launcher.py `forget_old_records`).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import List

from sqlalchemy import Column, Date, Integer, String, Table, Text, delete, insert, select

from bot.storage.database import Store, metadata

feedback = Table(
    "wording_feedback", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("day", Date, nullable=False),
    Column("string_ids", Text, nullable=False),
    Column("rating", String(4), nullable=False),
    Column("suggestion", Text, nullable=False, default=""),
)
unanswered = Table(
    "unanswered_questions", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("day", Date, nullable=False),
    Column("string_id", String(200), nullable=False),
    Column("message", Text, nullable=False),
)

crisis_shown = Table(
    "crisis_replies_shown", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("day", Date, nullable=False),
    Column("kind", String(50), nullable=False),
)


class FeedbackStore(Store):
    """Adds and lists feedback rows and unanswered questions."""

    def add_feedback(self, string_ids: List[str], rating: str, suggestion: str) -> None:
        self._write(insert(feedback).values(day=date.today(), string_ids=" ".join(string_ids), rating=rating,
                                            suggestion=suggestion))

    def add_unanswered(self, string_id: str, message: str) -> None:
        self._write(insert(unanswered).values(day=date.today(), string_id=string_id, message=message))

    def add_crisis_shown(self, kind: str) -> None:
        self._write(insert(crisis_shown).values(day=date.today(), kind=kind))

    def delete_older_than(self, days: int) -> int:
        """Delete every row from more than `days` days ago; returns how many went."""
        cutoff = date.today() - timedelta(days=days)
        tables = (feedback, unanswered, crisis_shown)
        return self._write(*(delete(table).where(table.c.day < cutoff) for table in tables))

    def crisis_rows(self) -> List[dict]:
        return self._rows(crisis_shown)

    def feedback_rows(self) -> List[dict]:
        return self._rows(feedback)

    def unanswered_rows(self) -> List[dict]:
        return self._rows(unanswered)

    def _rows(self, table: Table) -> List[dict]:
        with self._connect() as conn:
            return [dict(row._mapping) for row in conn.execute(select(table).order_by(table.c.id))]
