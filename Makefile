# Every routine job. The two you need: `make run` and `make test`.
PYTHON ?= python3.10
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test lint validate load check

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

test: install lint validate
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check bot tests

validate: install
	$(BIN)/python -m bot validate

load: install
	$(BIN)/python -m bot load
