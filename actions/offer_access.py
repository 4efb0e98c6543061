"""The offer the actions answer from: read from the database, reloaded only when it changes."""

from __future__ import annotations

import threading
from typing import Any, Dict, Optional

from bot.offer.loader import Offer
from bot.settings import offer_dir
from bot.storage.offer_store import OfferStore

_lock = threading.Lock()
_state: Dict[str, Any] = {"store": None, "hash": None, "offer": None}


def current_offer() -> Offer:
    """The offer as stored now; the files are loaded first if the database is empty."""
    with _lock:
        store: Optional[OfferStore] = _state["store"]
        if store is None:
            store = _state["store"] = OfferStore()
        digest = store.stored_hash()
        if digest is None:
            store.refresh(offer_dir())
            digest = store.stored_hash()
        if digest != _state["hash"]:
            _state["offer"], _state["hash"] = store.read(), digest
        return _state["offer"]
