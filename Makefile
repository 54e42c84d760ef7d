# The two commands a new user needs are `make demo` and `make test`; both build the
# virtual environment first. Everything else is for maintainers.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: demo serve test test-fast test-postgres test-browser check format bench clean

$(BIN)/python:
	@$(PYTHON) -c "import sys; assert sys.version_info[:2] == (3, 11), sys.version" || { echo "otclinic needs Python 3.11 (python3.11 on the PATH)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

## make demo: set up, migrate the embedded SQLite database, seed the demo clinic and serve it,
## with a background worker beside the web server (billing runs, ERA imports and the periodic
## jobs); the worker stops when the server does (Ctrl-C).
## It is a development server: DEBUG defaults to on (settings refuse DEBUG off without SECRET_KEY).
demo: export DEBUG ?= 1
demo: $(STAMP)
	$(BIN)/otclinic migrate
	$(BIN)/otclinic demo seed
	$(BIN)/otclinic demo logins
	$(BIN)/otclinic worker --scheduler & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	  $(BIN)/otclinic serve --addr 127.0.0.1:8000

## make test: set up and run every test (domain, database, browser).
test: $(STAMP)
	$(BIN)/python -m pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

test-fast: $(STAMP)
	$(BIN)/python -m pytest tests/domain -q

## The whole suite again on PostgreSQL (CI runs this after `make test`).
test-postgres: $(STAMP)
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/otclinic} \
	  OTCLINIC_REQUIRE_POSTGRES=1 $(BIN)/python -m pytest -n 2 --dist loadgroup -m "not browser" $(PYTEST_ARGS)

test-browser: $(STAMP)
	$(BIN)/python -m pytest tests/browser $(PYTEST_ARGS)

check: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports
	DJANGO_SETTINGS_MODULE=tests.settings $(BIN)/python -m django check --fail-level WARNING
	DJANGO_SETTINGS_MODULE=tests.settings $(BIN)/python -m django makemigrations --check --dry-run

format: $(STAMP)
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

bench: $(STAMP)
	$(BIN)/python bench/engine.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
