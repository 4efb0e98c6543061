"""Custom Rasa pieces: pipeline components, stores configured by URL, and the compiled action-result check.

Rasa imports this package for the pipeline (config.yml) and the stores (endpoints.yml), so the
action-result check below is in place in every Rasa server and test.
"""

from components import action_results  # noqa: F401 - applies the compiled schema check on import
