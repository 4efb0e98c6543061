"""The conversation lock, configured by one URL: several Rasa servers share it through Redis.

With LOCK_STORE_URL (redis://host:port/db) every Rasa instance takes its turn on a conversation
through Rasa's own RedisLockStore; without it the lock lives in memory, which is right for one server.
"""

from __future__ import annotations

from typing import Optional

from rasa.core.lock import TicketLock
from rasa.core.lock_store import InMemoryLockStore, LockStore, RedisLockStore
from rasa.utils.endpoints import EndpointConfig
from sqlalchemy.engine import make_url

from bot.settings import lock_store_url


class EnvLockStore(LockStore):
    """Redis when LOCK_STORE_URL is set, in memory otherwise."""

    def __init__(self, endpoint_config: Optional[EndpointConfig] = None) -> None:
        url = lock_store_url()
        if url:
            parts = make_url(url)
            self.inner: LockStore = RedisLockStore(
                host=parts.host or "localhost", port=parts.port or 6379, db=int(parts.database or 1),
                username=parts.username, password=parts.password)
        else:
            self.inner = InMemoryLockStore()
        super().__init__()

    def get_lock(self, conversation_id: str) -> Optional[TicketLock]:
        return self.inner.get_lock(conversation_id)

    def delete_lock(self, conversation_id: str) -> None:
        self.inner.delete_lock(conversation_id)

    def save_lock(self, lock: TicketLock) -> None:
        self.inner.save_lock(lock)
