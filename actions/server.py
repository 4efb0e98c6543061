"""The action server: rasa-sdk's own app, refusing any caller that lacks the shared secret.

rasa-sdk has no authentication of its own; with ACTION_SERVER_SECRET set, only a caller that sends
it in the X-Action-Secret header (the Rasa server, through endpoints.yml) can run actions.
`GET /health` stays open so a start-up script can wait for the server.
"""

from __future__ import annotations

import hmac
import logging

from rasa_sdk.endpoint import create_app
from sanic import Sanic, response
from sanic.request import Request

from bot.settings import server_settings

SECRET_HEADER = "X-Action-Secret"


def create_action_app(secret: str) -> Sanic:
    app = create_app("actions", cors_origins="")

    @app.on_request
    async def require_secret(request: Request):
        if not secret or request.path == "/health":
            return None
        if not secret_matches(request.headers.get(SECRET_HEADER, ""), secret):
            return response.json({"error": "Forbidden"}, status=403)
        return None

    return app


def secret_matches(given: str, secret: str) -> bool:
    """Compared in constant time. Sanic keeps header bytes that are not UTF-8 as surrogates, which cannot be
    encoded: such a header is simply wrong, never an error that echoes the request."""
    try:
        given_bytes = given.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return hmac.compare_digest(given_bytes, secret.encode("utf-8"))


def main() -> None:
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings = server_settings()
    app = create_action_app(settings.action_server_secret)
    app.run(settings.action_host, settings.action_port, workers=1, access_log=False, motd=False)


if __name__ == "__main__":
    main()
