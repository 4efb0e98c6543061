"""Talk to the real trained bot in-process, with the real custom actions and no servers.

The action endpoint is routed straight to rasa_sdk's ActionExecutor, which returns exactly what the
HTTP action server would.
"""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path
from typing import Any, Dict, List

from bot.settings import MODEL_PATH

MODEL = MODEL_PATH


class Conversation:
    """One person's chat: `say` returns what the bot answered."""

    def __init__(self, chat: Chat):
        self.chat = chat
        self.sender = f"test-{uuid.uuid4().hex}"

    def say(self, text: str) -> List[Dict[str, Any]]:
        return self.chat.loop.run_until_complete(self.chat.agent.handle_text(text, sender_id=self.sender))

    def text_of(self, text: str) -> str:
        return "\n".join(message.get("text", "") for message in self.say(text))

    def slots(self) -> Dict[str, Any]:
        tracker = self.chat.loop.run_until_complete(self.chat.agent.tracker_store.retrieve(self.sender))
        return tracker.current_slot_values()


class Chat:
    def __init__(self, model: Path = MODEL):
        from rasa.core.agent import Agent
        from rasa.utils.endpoints import EndpointConfig
        from rasa_sdk.executor import ActionExecutor

        executor = ActionExecutor()
        executor.register_package("actions")

        async def run_in_process(self, method="post", subpath=None, content_type="application/json",
                                 compress=False, **kwargs):
            return await executor.run(kwargs["json"])

        EndpointConfig.request = run_in_process
        self.loop = asyncio.new_event_loop()
        asyncio.set_event_loop(self.loop)
        self.agent = Agent.load(str(model), action_endpoint=EndpointConfig(url="http://in-process/webhook"))

    def new(self) -> Conversation:
        return Conversation(self)
