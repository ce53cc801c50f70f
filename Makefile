# translator — common tasks. `make help` lists them.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 5000

.PHONY: help install install-test run worker test check lint format i18n i18n-compile i18n-check bench clean

help: ## list the targets
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-14s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

install: $(BIN)/python ## install the service in .venv
	$(BIN)/pip install --quiet -e .

install-test: $(BIN)/python ## install the service and the test tools in .venv
	$(BIN)/pip install --quiet -e '.[test]'

run: install i18n-compile ## run the service embedded (SQLite + background worker) on http://127.0.0.1:5000
	$(BIN)/translator init
	$(BIN)/translator serve --host $(HOST) --port $(PORT)

worker: ## run a background worker (production: set TRANSLATOR_BROKER_URL)
	$(BIN)/translator worker

test: install-test i18n-compile check ## run every check and test (needs PostgreSQL and Redis, see README)
	$(BIN)/pytest -q $(PYTEST_ARGS)
	@echo "again on the embedded default (SQLite), the tests that use the database:"
	TRANSLATOR_TEST_DATABASE=sqlite $(BIN)/pytest -q -m "not worker and not browser" \
		tests/services tests/web tests/models tests/test_cli.py $(PYTEST_ARGS)

check: lint i18n-check ## static checks: lint, types, layers, catalogs

lint: ## ruff, mypy and the import-layer contracts
	$(BIN)/ruff check translator workers tests bench
	$(BIN)/ruff format --check translator workers tests bench
	$(BIN)/mypy translator workers
	$(BIN)/lint-imports

format: ## apply ruff's formatting and fixes
	$(BIN)/ruff check --fix translator workers tests bench
	$(BIN)/ruff format translator workers tests bench

i18n: ## extract UI strings, update fr/pt catalogs, compile them
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --ignore-dirs='.* __pycache__' --no-location --sort-output --omit-header -o locales/messages.pot .
	$(BIN)/pybabel update -i locales/messages.pot -d locales --no-fuzzy-matching --ignore-obsolete --ignore-pot-creation-date
	$(BIN)/pybabel compile -d locales

i18n-compile: ## build the .mo catalogs the service reads
	$(BIN)/pybabel compile --statistics -d locales

i18n-check: ## fail on a stale messages.pot or an untranslated, fuzzy or mismatched fr/pt string
	$(BIN)/python -m translator.catalogs --check

bench: install-test ## run the benchmarks (figures go to docs/benchmarks.md by hand)
	$(BIN)/python bench/import_bench.py
	$(BIN)/python bench/page_bench.py
	$(BIN)/python bench/editor_bench.py
	$(BIN)/python bench/save_bench.py

clean: ## remove the virtualenv and caches
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
