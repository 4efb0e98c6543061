"""Forgetting old conversations: Rasa keeps each message's text and has no deletion of its own."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import MetaData, Table, delete, inspect
from sqlalchemy.exc import SQLAlchemyError

from bot.storage.database import DatabaseUnavailable, explain, make_engine


def delete_old_conversations(url: str, older_than_days: int) -> int:
    """Delete conversation events older than the retention period from Rasa's tracker store.

    Runs at every start. Returns how many events were deleted; nothing to do before the table exists.
    """
    setting = "TRACKER_DATABASE_URL"
    engine = make_engine(url, setting)
    cutoff = datetime.now(timezone.utc).timestamp() - older_than_days * 86_400
    try:
        with engine.begin() as conn:
            if not inspect(conn).has_table("events"):
                return 0
            events = Table("events", MetaData(), autoload_with=conn)
            return conn.execute(delete(events).where(events.c.timestamp < cutoff)).rowcount
    except SQLAlchemyError as error:
        raise DatabaseUnavailable(explain(engine, error, setting)) from None
    finally:
        engine.dispose()
