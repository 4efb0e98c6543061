# Every routine job. The two you need: `make run` and `make test`.
PYTHON ?= python3.10
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

RASA := RASA_TELEMETRY_ENABLED=false SQLALCHEMY_SILENCE_UBER_WARNING=1 $(BIN)/rasa
MODEL := models/local-offer.tar.gz
# endpoints.yml reads these; `make run` sets them from .env for the servers it starts.
export ACTION_SERVER_URL ?= http://127.0.0.1:5055
export ACTION_SERVER_SECRET ?=
TRAINING_DATA := config.yml domain.yml $(wildcard data/nlu/*.yml data/rules/*.yml components/*.py)
PYTEST := RASA_TELEMETRY_ENABLED=false SQLALCHEMY_SILENCE_UBER_WARNING=1 $(BIN)/python -m pytest

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: install system-packages run serve test check-content lint validate load train stories rasa-validate nlu-report \
	conversation-report bench wording feedback test-repeat

install: $(STAMP)

$(STAMP): requirements.txt requirements-dev.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $(STAMP)

# Debian's Chromium, PostgreSQL and Redis, for the browser, database and two-server tests.
system-packages:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	command -v redis-server >/dev/null 2>&1 || missing="$$missing redis-server"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing$$missing from Debian's packages"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

run: install train load serve

serve:
	@echo ""
	@echo "PA quick check, in another terminal: $(BIN)/python -m bot check --age 19 --lives-in Orton"
	RASA_TELEMETRY_ENABLED=false $(BIN)/python -m bot serve

test: install system-packages lint validate rasa-validate train stories
	$(PYTEST)

# Runs the test suite N times in a row, after one install, training and story check, to catch tests that fail
# only sometimes: each run's time and result are printed, a failed run does not stop the next, and the exit code
# says whether any failed. TESTS narrows the runs (e.g. `make test-repeat N=1 TESTS=tests/content`).
N ?= 3
TESTS ?=
test-repeat: install system-packages lint validate rasa-validate train stories
	@summary=""; failed=0; \
	for run in $$(seq 1 $(N)); do \
	  started=$$(date +%s); \
	  if $(PYTEST) $(TESTS); then result=passed; else result=FAILED; failed=$$((failed + 1)); fi; \
	  line="run $$run of $(N): $$result in $$(( $$(date +%s) - started )) s"; \
	  echo "$$line"; summary="$$summary$$line\n"; \
	done; \
	printf "\n$$summary"; echo "$$failed of $(N) run(s) failed"; test $$failed -eq 0

# For council editors and the participation group: checks the offer files, the rules' test tables, the crisis
# words and every sentence, in seconds, with no model, browser or database server.
check-content: install validate
	$(PYTEST) tests/content

train: $(MODEL)

$(MODEL): $(STAMP) $(TRAINING_DATA)
	$(RASA) train --data data/nlu data/rules --fixed-model-name local-offer --out models --quiet

stories: train
	$(RASA) test core --stories tests/test_stories.yml -m $(MODEL) --fail-on-prediction-errors --out results --quiet

rasa-validate: install
	$(RASA) data validate --data data/nlu data/rules --quiet

nlu-report: train
	RASA_TELEMETRY_ENABLED=false $(BIN)/python -m tests.nlu_report docs/nlu-report.md

# The held-out conversation and crisis messages through the running bot over REST (docs/conversation-report.md).
conversation-report: install train
	RASA_TELEMETRY_ENABLED=false SQLALCHEMY_SILENCE_UBER_WARNING=1 $(BIN)/python -m tests.conversation_report \
		docs/conversation-report.md

lint: install
	$(BIN)/ruff check bot actions components tests bench

# The wording check, and the review pack for the participation group (docs/wording-review.html and .csv).
wording: install
	$(BIN)/python -m bot wording --report

# Feedback and unanswered questions as CSV, for the participation group (var/feedback/).
feedback: install
	$(BIN)/python -m bot feedback --csv

# This bot and a stock `rasa init` bot, served side by side and measured over REST, then profiled; writes
# docs/benchmarks.md (about 10 minutes on 2 cores, most of it training the stock bot and starting servers).
bench: install system-packages train
	RASA_TELEMETRY_ENABLED=false SQLALCHEMY_SILENCE_UBER_WARNING=1 $(BIN)/python -m bench.run

validate: install
	$(BIN)/python -m bot validate

load: install
	$(BIN)/python -m bot load
