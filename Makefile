# Every routine job. The two you need: `make run` and `make test`.
PYTHON ?= python3.10
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

RASA := RASA_TELEMETRY_ENABLED=false SQLALCHEMY_SILENCE_UBER_WARNING=1 $(BIN)/rasa
MODEL := models/local-offer.tar.gz
TRAINING_DATA := config.yml domain.yml $(wildcard data/nlu/*.yml data/rules/*.yml components/*.py)

.PHONY: install run test lint validate load train stories rasa-validate nlu-report

install: $(STAMP)

$(STAMP): requirements.txt requirements-dev.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $(STAMP)

run: install load
	@echo ""
	@echo "The local offer is loaded. Try the PA quick check:"
	@echo "  $(BIN)/python -m bot check --age 19 --lives-in Orton"
	@echo "  $(BIN)/python -m bot check --help"

test: install lint validate rasa-validate train stories
	RASA_TELEMETRY_ENABLED=false SQLALCHEMY_SILENCE_UBER_WARNING=1 $(BIN)/python -m pytest

train: $(MODEL)

$(MODEL): $(STAMP) $(TRAINING_DATA)
	$(RASA) train --data data/nlu data/rules --fixed-model-name local-offer --out models --quiet

stories: train
	$(RASA) test core --stories tests/test_stories.yml -m $(MODEL) --fail-on-prediction-errors --out results --quiet

rasa-validate: install
	$(RASA) data validate --data data/nlu data/rules --quiet

nlu-report: train
	RASA_TELEMETRY_ENABLED=false $(BIN)/python -m tests.nlu_report docs/nlu-report.md

lint: install
	$(BIN)/ruff check bot actions components tests

validate: install
	$(BIN)/python -m bot validate

load: install
	$(BIN)/python -m bot load
