"""A pipeline step that turns any message with crisis words into the `crisis` intent.

It runs after the classifiers (and after the fallback classifier), so a crisis message gets the
crisis reply whatever the model thought it meant, and however unsure the model was.
"""

from __future__ import annotations

from typing import Any, Dict, List, Type

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.safety import CrisisDetector

CRISIS_INTENT = "crisis"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class CrisisKeywordOverride(GraphComponent, IntentClassifier):
    """Sets the crisis intent when the crisis word list matches."""

    @classmethod
    def required_components(cls) -> List[Type]:
        return [IntentClassifier]

    def __init__(self, detector: CrisisDetector) -> None:
        self.detector = detector

    @classmethod
    def create(cls, config: Dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> CrisisKeywordOverride:
        return cls(CrisisDetector.from_file())

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            if self.detector.check(message.get(TEXT)):
                crisis = {INTENT_NAME_KEY: CRISIS_INTENT, PREDICTED_CONFIDENCE_KEY: 1.0}
                ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get(INTENT_NAME_KEY) != CRISIS_INTENT]
                message.set(INTENT, crisis, add_to_output=True)
                message.set(INTENT_RANKING_KEY, [crisis] + ranking, add_to_output=True)
        return messages
