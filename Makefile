# opengrex — the two commands a newcomer runs: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test lint bench setup system-deps clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[all,test]'
	touch $(STAMP)

setup: $(STAMP)

system-deps:
	bash scripts/install-system-deps.sh

## Set up, create/migrate the database, load the demo data once and serve the web app on http://127.0.0.1:8000.
run: $(STAMP)
	$(BIN)/opengrex serve --demo

## Layer contracts (import-linter), ruff and mypy: configured in pyproject.toml; any finding fails.
lint: $(STAMP)
	$(BIN)/lint-imports
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy

## Set up if needed, lint, then run the whole test suite.
test: $(STAMP) lint system-deps
	$(BIN)/python -m pytest

bench: $(STAMP) system-deps
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info
