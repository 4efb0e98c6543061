"""The offer database: the one place that talks SQL (SQLite by default, PostgreSQL by DATABASE_URL).

Loading replaces the whole offer in one transaction, so a reader sees the old offer or the new one,
never half of each; loading the same files twice changes nothing.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import List, Optional

from sqlalchemy import (
    JSON,
    Column,
    Date,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    delete,
    insert,
    inspect,
    select,
)
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from bot.offer import ContentError, Offer, OfferInvalid, content_hash, load_offer, offer_from_documents
from bot.settings import database_url

log = logging.getLogger(__name__)

metadata = MetaData()

offer_loads = Table(
    "offer_loads", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("content_hash", String(64), nullable=False),
    Column("loaded_at", DateTime(timezone=True), nullable=False),
)
entries = Table(
    "offer_entries", metadata,
    Column("id", String(100), primary_key=True),
    Column("position", Integer, nullable=False),
    Column("kind", String(20), nullable=False),
    Column("title", String(300), nullable=False),
    Column("confidence", String(10), nullable=False),
    Column("last_reviewed", String(10), nullable=False),
    Column("document", JSON, nullable=False),
)
contacts = Table(
    "offer_contacts", metadata,
    Column("id", String(100), primary_key=True),
    Column("name", String(300), nullable=False),
    Column("document", JSON, nullable=False),
)
reference = Table(
    "offer_reference", metadata,
    Column("name", String(50), primary_key=True),
    Column("document", JSON, nullable=False),
)
REFERENCE_DOCUMENTS = ("facts", "places", "topics")

# What people told us about the wording: no sender id, no name, the day only, and text already masked.
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


class DatabaseUnavailable(RuntimeError):
    """The database named by DATABASE_URL cannot be used; the message says what to fix."""


@dataclass
class RefreshResult:
    offer: Offer
    loaded: bool
    errors: List[ContentError] = field(default_factory=list)


def make_engine(url: Optional[str] = None, setting: str = "DATABASE_URL") -> Engine:
    """An engine for the URL; `setting` is the name an error tells the reader to fix."""
    url = url or database_url()
    if url.startswith("sqlite:///"):
        folder = Path(url[len("sqlite:///"):]).parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise DatabaseUnavailable(
                _advice(url, f"cannot create the folder {folder} ({error.strerror})", setting)) from None
    return create_engine(url, future=True, pool_pre_ping=True)


class OfferStore:
    """Reads and replaces the offer held in the database."""

    def __init__(self, engine: Optional[Engine] = None):
        self.engine = engine or make_engine()
        try:
            metadata.create_all(self.engine)
        except SQLAlchemyError as error:
            raise DatabaseUnavailable(_explain(self.engine, error)) from None

    def stored_hash(self) -> Optional[str]:
        with self._connect() as conn:
            return conn.execute(
                select(offer_loads.c.content_hash).order_by(offer_loads.c.id.desc()).limit(1)
            ).scalar_one_or_none()

    def save(self, offer: Offer) -> bool:
        """Replace the stored offer with this one; False when it was already stored."""
        if self.stored_hash() == offer.content_hash:
            return False
        documents = offer.documents()
        try:
            with self.engine.begin() as conn:
                for table in (entries, contacts, reference):
                    conn.execute(delete(table))
                conn.execute(insert(entries), [
                    {"id": doc["id"], "position": i, "kind": doc.get("kind", "entitlement"), "title": doc["title"],
                     "confidence": doc["confidence"], "last_reviewed": doc["last_reviewed"], "document": doc}
                    for i, doc in enumerate(documents["entries"])
                ])
                conn.execute(insert(contacts), [
                    {"id": key, "name": doc["name"], "document": doc} for key, doc in documents["contacts"].items()
                ])
                conn.execute(insert(reference), [
                    {"name": name, "document": documents[name]} for name in REFERENCE_DOCUMENTS
                ])
                conn.execute(insert(offer_loads).values(
                    content_hash=offer.content_hash, loaded_at=datetime.now(timezone.utc)))
        except SQLAlchemyError as error:
            raise DatabaseUnavailable(_explain(self.engine, error)) from None
        return True

    def read(self) -> Optional[Offer]:
        """The stored offer, or None if nothing has been loaded yet."""
        digest = self.stored_hash()
        if digest is None:
            return None
        with self._connect() as conn:
            entry_docs = conn.execute(select(entries.c.document).order_by(entries.c.position)).scalars().all()
            contact_rows = conn.execute(select(contacts.c.id, contacts.c.document)).all()
            reference_rows = dict(conn.execute(select(reference.c.name, reference.c.document)).all())
        documents = {"entries": entry_docs, "contacts": dict(contact_rows), **reference_rows}
        return offer_from_documents(documents, digest)

    def refresh(self, root: Path) -> RefreshResult:
        """Load the files if they changed; if they have mistakes, keep serving the stored offer."""
        stored = self.stored_hash()
        if stored is not None and stored == content_hash(root):
            return RefreshResult(self.read(), loaded=False)
        try:
            offer = load_offer(root)
        except OfferInvalid as invalid:
            current = self.read() if stored is not None else None
            if current is None:
                raise
            log.warning("Offer files have %d mistake(s); still using the offer loaded before.", len(invalid.errors))
            return RefreshResult(current, loaded=False, errors=invalid.errors)
        return RefreshResult(offer, loaded=self.save(offer))

    def add_feedback(self, string_ids: List[str], rating: str, suggestion: str) -> None:
        self._write(insert(feedback).values(day=date.today(), string_ids=" ".join(string_ids), rating=rating,
                                            suggestion=suggestion))

    def add_unanswered(self, string_id: str, message: str) -> None:
        self._write(insert(unanswered).values(day=date.today(), string_id=string_id, message=message))

    def feedback_rows(self) -> List[dict]:
        return self._rows(feedback)

    def unanswered_rows(self) -> List[dict]:
        return self._rows(unanswered)

    def _rows(self, table: Table) -> List[dict]:
        with self._connect() as conn:
            return [dict(row._mapping) for row in conn.execute(select(table).order_by(table.c.id))]

    def _write(self, statement) -> None:
        try:
            with self.engine.begin() as conn:
                conn.execute(statement)
        except SQLAlchemyError as error:
            raise DatabaseUnavailable(_explain(self.engine, error)) from None

    def _connect(self):
        try:
            return self.engine.connect()
        except SQLAlchemyError as error:
            raise DatabaseUnavailable(_explain(self.engine, error)) from None


def _explain(engine: Engine, error: SQLAlchemyError, setting: str = "DATABASE_URL") -> str:
    reason = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
    return _advice(engine.url.render_as_string(hide_password=True), reason, setting)


def _advice(shown_url: str, reason: str, setting: str = "DATABASE_URL") -> str:
    return (f"Cannot use the database {shown_url}: {reason}. "
            f"Check the {setting} setting in .env (or leave it empty to use the SQLite file in var/).")


def delete_old_conversations(url: str, older_than_days: int) -> int:
    """Delete conversation events older than the retention period from Rasa's tracker store.

    Rasa keeps each message's text in its `events` table and has no deletion of its own, so this
    runs at every start. Returns how many events were deleted; nothing to do before the table exists.
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
        raise DatabaseUnavailable(_explain(engine, error, setting)) from None
    finally:
        engine.dispose()
