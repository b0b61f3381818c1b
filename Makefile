# weimin — two commands: `make demo` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
ADDR ?= 127.0.0.1:8000

.PHONY: demo test test-sqlite test-postgres test-browser test-fuzz lint messages bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

# The demo runs with DEBUG off, as a hall would: citizens see the friendly error pages, never Django's
# debug page. It only needs the simulated clock and a throwaway key.
demo: $(STAMP)
	WEIMIN_ALLOW_CLOCK=1 WEIMIN_INSECURE_DEV_KEY=1 $(BIN)/weimin demo --addr $(ADDR)

# The whole suite: lint, then every test (browser tests and the API fuzz run included) on SQLite and on a
# throwaway PostgreSQL cluster, the two side by side (one core each; each prints when it is done). The browser
# tests drive pages, whose database work the other tests cover on both: on PostgreSQL only those marked
# both_databases run (pages that depend on what PostgreSQL alone does: pushed calls through LISTEN/NOTIFY).
test: $(STAMP) lint
	$(MAKE) --no-print-directory -j2 --output-sync=target test-sqlite test-postgres

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DEBUG=1 $(BIN)/weimin makemigrations --check --dry-run

test-sqlite: $(STAMP)
	$(BIN)/pytest -q

test-postgres: $(STAMP)
	WEIMIN_VAR_DIR=$(CURDIR)/var/test-postgres $(BIN)/python -m weimin.testing.pgcluster -- \
		$(BIN)/pytest -q -m "not browser or both_databases"

test-browser: $(STAMP)
	$(BIN)/pytest -q -m browser

# schemathesis against a live server, on SQLite then PostgreSQL (also part of test-sqlite and test-postgres).
test-fuzz: $(STAMP)
	$(BIN)/pytest -q -m fuzz
	$(BIN)/python -m weimin.testing.pgcluster -- $(BIN)/pytest -q -m fuzz

messages: $(STAMP)
	cd weimin && DEBUG=1 ../$(BIN)/weimin makemessages -l zh_Hans --no-obsolete && DEBUG=1 ../$(BIN)/weimin compilemessages

clean:
	rm -rf var $(VENV)
