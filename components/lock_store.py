"""The conversation lock, configured by one URL: several Rasa servers share it through Redis.

With LOCK_STORE_URL (redis://host:port/db) every Rasa instance takes its turn on a conversation
through Rasa's own RedisLockStore; without it the lock lives in memory, which is right for one server.

Rasa's RedisLockStore changes a lock by reading it, changing it and writing it back. Two servers
taking a ticket at the same moment can both read the old lock, and one ticket is lost, so both run
at once and messages are lost (seen in 2 of 2 runs of 40 simultaneous messages). Each change here is made
under a short Redis mutex, so it is one step for every server.
"""

from __future__ import annotations

import os
from contextlib import AbstractContextManager, nullcontext
from typing import Optional

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, InMemoryLockStore, LockStore, RedisLockStore
from rasa.utils.endpoints import EndpointConfig
from sqlalchemy.engine import make_url

from bot.settings import lock_store_url

MUTEX_SECONDS = 10


class EnvLockStore(LockStore):
    """Redis when LOCK_STORE_URL is set, in memory otherwise."""

    def __init__(self, endpoint_config: Optional[EndpointConfig] = None) -> None:
        url = lock_store_url()
        if not url and int(os.environ.get("SANIC_WORKERS") or 1) > 1:
            raise ValueError("SANIC_WORKERS above 1 needs LOCK_STORE_URL (redis://host:port/db): each worker "
                             "would otherwise keep its own lock and answer one conversation twice at once.")
        self.redis: Optional[RedisLockStore] = None
        if url:
            parts = make_url(url)
            self.redis = RedisLockStore(host=parts.host or "localhost", port=parts.port or 6379,
                                        db=int(parts.database or 1), username=parts.username,
                                        password=parts.password)
        self.inner: LockStore = self.redis or InMemoryLockStore()
        super().__init__()

    def get_lock(self, conversation_id: str) -> Optional[TicketLock]:
        return self.inner.get_lock(conversation_id)

    def delete_lock(self, conversation_id: str) -> None:
        self.inner.delete_lock(conversation_id)

    def save_lock(self, lock: TicketLock) -> None:
        self.inner.save_lock(lock)

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        with self._exclusive(conversation_id):
            return super().issue_ticket(conversation_id, lock_lifetime)

    def update_lock(self, conversation_id: str) -> None:
        with self._exclusive(conversation_id):
            super().update_lock(conversation_id)

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        with self._exclusive(conversation_id):
            super().cleanup(conversation_id, ticket_number)

    def _exclusive(self, conversation_id: str) -> AbstractContextManager:
        if self.redis is None:
            return nullcontext()
        return self.redis.red.lock(f"{self.redis.key_prefix}{conversation_id}:change", timeout=MUTEX_SECONDS,
                                   blocking_timeout=MUTEX_SECONDS)
