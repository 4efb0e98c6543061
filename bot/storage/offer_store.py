"""The offer held in the database, as the actions and the chat page read it.

Loading replaces the whole offer in one transaction, so a reader sees the old offer or the new one,
never half of each; loading the same files twice changes nothing.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import List, Optional

from sqlalchemy import (
    JSON,
    Column,
    DateTime,
    Integer,
    String,
    Table,
    delete,
    insert,
    select,
)
from sqlalchemy.exc import SQLAlchemyError

from bot.offer.loader import ContentError, Offer, OfferInvalid, content_hash, load_offer, offer_from_documents
from bot.storage.database import DatabaseUnavailable, Store, explain, metadata

log = logging.getLogger(__name__)

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

@dataclass
class RefreshResult:
    offer: Offer
    loaded: bool
    errors: List[ContentError] = field(default_factory=list)


class OfferStore(Store):
    """Reads and replaces the offer held in the database."""

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
            raise DatabaseUnavailable(explain(self.engine, error)) from None
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
