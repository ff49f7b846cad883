# kefu: `make run` serves the web chat on http://127.0.0.1:8080; `make test` runs every test.
# Both build (or reuse) the virtualenv .venv/ from pyproject.toml.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
STAMP := $(VENV)/.kefu-installed
HOST ?= 127.0.0.1
PORT ?= 8080

.PHONY: run test lint eval bench system-deps clean

$(STAMP): pyproject.toml
	@test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --upgrade pip
	$(VENV)/bin/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

venv: $(STAMP)

run: $(STAMP)
	$(VENV)/bin/python -m bot serve --host $(HOST) --port $(PORT)

# The tests need Debian's chromium (browser tests) and postgresql (database tests on PostgreSQL).
system-deps:
	@bash scripts/system-deps.sh

# On every core, one test file per worker at a time (a file's browser and servers are started once).
test: $(STAMP) system-deps
	$(VENV)/bin/python -m pytest -n auto --dist loadfile

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy bot intents replies models

# The classifier on the held-out and the independent split side by side, then the escalation path through
# a real server (each labelled message as a new customer's first message).
eval: $(STAMP)
	$(VENV)/bin/python -m intents eval
	$(VENV)/bin/python -m bench.first_message

bench: $(STAMP)
	$(VENV)/bin/python -m bench
	$(VENV)/bin/python -m bench.limits

clean:
	rm -rf $(VENV) var/models
