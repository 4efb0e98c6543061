"""The conversation store, configured by one URL like the offer database.

Rasa's SQL tracker store takes dialect, host, port and so on separately; this reads them from
TRACKER_DATABASE_URL (or DATABASE_URL) in the environment or `.env`, so SQLite and PostgreSQL need
no change to endpoints.yml.
"""

from __future__ import annotations

from typing import Any, Optional

from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from sqlalchemy.engine import make_url

from bot.settings import tracker_database_url


class EnvSQLTrackerStore(SQLTrackerStore):
    """An SQL tracker store whose database comes from a URL setting."""

    def __init__(self, domain: Optional[Domain] = None, event_broker: Optional[EventBroker] = None,
                 host: Optional[str] = None, **kwargs: Any) -> None:
        url = make_url(tracker_database_url())
        dialect = url.get_backend_name()
        super().__init__(domain=domain, dialect=dialect, host=url.host, port=url.port,
                         db=url.database, username=url.username, password=url.password,
                         event_broker=event_broker, query=dict(url.query) or None)
