"""`python -m components.rasa_server [options]`: Rasa's own `rasa run`, with the token kept off the command line.

A process's arguments can be read by anyone on the machine (`ps`), its environment only by its own
user. So the launcher passes RASA_AUTH_TOKEN in the environment, and a plugin on Rasa's own hook for
command-line configuration puts it where `--auth-token` would. The same hook filters Rasa's warning
about a `/intent{...}` message it cannot read, which repeats the whole message into the log: the chat
page never sends typed text as an intent, so this is a backstop for anything that reaches Rasa's
REST channel directly.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import warnings
from typing import Optional

import pluggy
from rasa.__main__ import main as rasa_main
from rasa.plugin import plugin_manager

TOKEN_VARIABLE = "RASA_AUTH_TOKEN"
TYPED_TEXT_WARNING = "Failed to parse arguments"
hookimpl = pluggy.HookimplMarker("rasa")


class TypedTextFilter(logging.Filter):
    """Drops the log records that would repeat a message's text."""

    def filter(self, record: logging.LogRecord) -> bool:
        return TYPED_TEXT_WARNING not in str(record.msg)


class TokenFromEnvironment:
    """The Rasa plugin: token from the environment, the typed-text warning silenced."""

    @hookimpl
    def configure_commandline(self, cmdline_arguments: argparse.Namespace) -> Optional[str]:
        token = os.environ.get(TOKEN_VARIABLE)
        if token:
            cmdline_arguments.auth_token = token
        warnings.filterwarnings("ignore", message=f".*{TYPED_TEXT_WARNING}")
        for name in ("py.warnings", ""):
            logging.getLogger(name).addFilter(TypedTextFilter())
        for handler in logging.getLogger().handlers:
            handler.addFilter(TypedTextFilter())
        return None


def main() -> None:
    plugin_manager().register(TokenFromEnvironment())
    sys.argv = ["rasa", "run", *sys.argv[1:]]
    rasa_main()


if __name__ == "__main__":
    main()
