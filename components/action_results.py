"""Two measured hot spots in Rasa 3.6, each made cheaper without changing what it does.

1. Check each action server answer against Rasa's schema, compiled once instead of on every call.

Rasa 3.6 checks every action server answer with `jsonschema.validate`, which first checks the schema
itself: profiled here, that was over half of the Rasa server's time for a message that runs a custom
action. The answer is still checked against the same schema and a bad answer still raises the same
ValidationError; only the repeated check of the fixed schema is gone.

2. Find an event's class by its name from a table, instead of walking every Event subclass for each
event of each stored conversation it reads (12% of the Rasa server's time with 20 conversations at once).
A name not in the table is looked up the slow way, so event classes defined later are still found.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Dict, Optional, Type

from jsonschema.exceptions import best_match
from jsonschema.protocols import Validator
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL
from rasa.shared.core.events import Event


@lru_cache(maxsize=1)
def _compiled_schema() -> Validator:
    schema = RemoteAction.action_response_format_spec()
    validator_class = validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def validate_action_result(self: RemoteAction, result: Dict[str, Any]) -> bool:
    error = best_match(_compiled_schema().iter_errors(result))
    if error is None:
        return True
    error.message += (". Failed to validate Action server response from API, make sure your response from the "
                      f"Action endpoint is valid. For more information about the format visit "
                      f"{DOCS_BASE_URL}/custom-actions")
    raise error


RemoteAction._validate_action_result = validate_action_result


_rasa_resolve_by_type = Event.resolve_by_type
_event_classes: Dict[str, Type[Event]] = {}


def resolve_by_type(type_name: str, default: Optional[Type[Event]] = None) -> Optional[Type[Event]]:
    known = _event_classes.get(type_name)
    if known is not None:
        return known
    found = _rasa_resolve_by_type(type_name, default)
    if found is not None and getattr(found, "type_name", None) == type_name:
        _event_classes[type_name] = found
    return found


Event.resolve_by_type = staticmethod(resolve_by_type)
