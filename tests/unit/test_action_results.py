"""The two Rasa speed-ups behave exactly like Rasa's own code."""

from __future__ import annotations

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.events import Event, SlotSet, UserUttered

from components import action_results


def test_a_valid_action_server_answer_passes():
    answer = {"events": [{"event": "slot", "name": "age", "value": 19}], "responses": [{"text": "hi"}]}
    assert RemoteAction._validate_action_result is action_results.validate_action_result
    assert action_results.validate_action_result(None, answer) is True


def test_a_bad_action_server_answer_is_refused_with_rasas_message():
    with pytest.raises(ValidationError, match="Failed to validate Action server response"):
        action_results.validate_action_result(None, {"events": "not a list"})


def test_event_classes_are_found_by_name_as_rasa_finds_them():
    assert Event.resolve_by_type("slot") is SlotSet
    assert Event.resolve_by_type("user") is UserUttered
    assert Event.resolve_by_type("no-such-event", default=SlotSet) is SlotSet
    with pytest.raises(ValueError, match="Unknown event name"):
        Event.resolve_by_type("no-such-event")
