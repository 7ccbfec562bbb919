# The two commands a newcomer needs: `make demo` and `make test`. Both run `make setup` first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup browser-deps demo test test-faults test-fuzz test-fast test-browser lint typecheck migrations-check check worker beat serve clean train-checkworthiness train-stance

setup: $(STAMP)

# Re-install only when the pinned requirements change.
$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

## demo: SQLite and in-process tasks; loads the sample corpus and serves on 127.0.0.1:8000
demo: setup
	$(BIN)/python manage.py demo

## test: the whole suite on PostgreSQL and Redis, worker tests with a real Celery worker
test: setup browser-deps
	$(BIN)/python -m pytest

## test-faults: only the fault-injection tests (they are part of `make test` too)
test-faults: setup
	$(BIN)/python -m pytest -m faults

## test-fuzz: only the schemathesis runs against the live server, one per role (part of `make test` too);
## FUZZ_MAX_EXAMPLES=40 FUZZ_SEED=1 make test-fuzz digs deeper
test-fuzz: setup
	$(BIN)/python -m pytest -m fuzz

## test-fast: everything but the tests that start a worker
test-fast: setup
	$(BIN)/python -m pytest -m "not worker"

## test-browser: only the real-browser tests (Playwright driving Debian's chromium)
test-browser: setup browser-deps
	$(BIN)/python -m pytest -m browser

## browser-deps: axe-core from npm (package-lock.json), for the accessibility checks of the browser tests
# Only when npm is there: without it those checks are skipped on a developer machine (CI installs it).
browser-deps: node_modules/.installed
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "npm not found: the accessibility checks will be skipped (apt-get install npm)"; fi

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

typecheck: setup
	$(BIN)/mypy .

migrations-check: setup
	$(BIN)/python manage.py makemigrations --check --dry-run

check: lint typecheck migrations-check test

## train-checkworthiness: retrain the shipped check-worthiness model on ../shared/datasets (FACTCHECK_DATASETS=DIR
## elsewhere) and the team's labels; prints its figures, rewrites factcheck/crosscheck/models/checkworthiness.json
train-checkworthiness: setup
	$(BIN)/python -m training.checkworthiness

## worker: one worker for every queue; `make worker QUEUES=factcheck-checks` serves only the queues named
## (comma-separated), one pool per queue (README, "A pool per queue")
worker: setup
	$(BIN)/celery -A config worker --loglevel=INFO $(if $(QUEUES),--queues=$(QUEUES))

beat: setup
	$(BIN)/celery -A config beat --loglevel=INFO

serve: setup
	$(BIN)/python manage.py migrate
	$(BIN)/gunicorn -c config/gunicorn.conf.py

## train-stance: retrain the stance model on the public data sets' training splits and print cross-validated figures
train-stance: setup
	$(BIN)/python -m training.stance

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
