# Sơ kết — the two commands a newcomer needs: `make run` and `make test`.
SHELL := /bin/bash
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PYTHON := $(BIN)/python
# What running needs (`make run`, `make serve`) and, on top, what testing needs (`make test`).
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
# Pinned versions with hashes, generated from pyproject.toml by `make lock`: development, tests and
# production install exactly these (pip --require-hashes), then the project itself without deps.
LOCK := requirements.lock
TEST_LOCK := requirements-test.lock
UV_COMPILE = $(BIN)/uv pip compile pyproject.toml --universal --python-version 3.11 --generate-hashes --quiet $(if $(UPGRADE),--upgrade)
# Marks this checkout as a developer's: manage.py then defaults to DEBUG=1 (see manage.py).
DEV_MARKER := var/DEVELOPMENT
DEMO_PASSWORD ?= SoKet-demo-2023
HOST ?= 127.0.0.1
PORT ?= 8000
export PYTHONUNBUFFERED := 1

.PHONY: run test install system-deps lint format typecheck mutate bench loadtest serve release lock messages clean

$(STAMP): $(LOCK) pyproject.toml
	@command -v $(PY) >/dev/null || { echo "Python 3.11 is needed ($(PY) not found; see the README's Production section)"; exit 1; }
	@$(PY) scripts/check-lock.py
	test -d $(VENV) || $(PY) -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --upgrade pip
	$(PYTHON) -m pip install --quiet --require-hashes -r $(LOCK)
	$(PYTHON) -m pip install --quiet --no-deps -e .
	touch $(STAMP)

$(TEST_STAMP): $(STAMP) $(TEST_LOCK)
	@$(PYTHON) scripts/check-lock.py
	$(PYTHON) -m pip install --quiet --require-hashes -r $(TEST_LOCK)
	touch $(TEST_STAMP)

install: $(STAMP)

## make lock: regenerate requirements.lock and requirements-test.lock from pyproject.toml after adding
## or changing a dependency (existing pins are kept; `make lock UPGRADE=1` moves every pin to the newest)
lock:
	test -d $(VENV) || $(PY) -m venv $(VENV)
	test -x $(BIN)/uv || $(PYTHON) -m pip install --quiet "uv>=0.5"
	$(UV_COMPILE) -o $(LOCK)
	$(UV_COMPILE) --extra test -o $(TEST_LOCK)

## make release: once per release, before (re)starting: install from the lock, collect the static
## files (with their manifest), migrate. `make serve` and the systemd units then install nothing.
release: $(STAMP)
	$(PYTHON) manage.py collectstatic --noinput
	$(PYTHON) manage.py migrate --noinput

# System packages some tests need (browser, PDF-to-image, fonts, gettext). Installed with apt
# when we are root; otherwise the tests that need them say so loudly and skip (fail under CI).
system-deps:
	@bash scripts/system-deps.sh

## make run: set everything up and serve the demo on http://$(HOST):$(PORT)
run: $(STAMP)
	@mkdir -p var
	@test -f $(DEV_MARKER) || echo "Created by make run: manage.py defaults to DEBUG=1 in this checkout." > $(DEV_MARKER)
	DEBUG=1 $(PYTHON) manage.py migrate --noinput
	DEBUG=1 $(PYTHON) manage.py load_demo --password "$(DEMO_PASSWORD)"
	@echo
	@echo "  Sơ kết demo: http://$(HOST):$(PORT)/  (log in with an account above)"
	@echo
	@# The notification worker (django-tasks' database queue: no service beyond the database) runs
	@# beside the development server and stops with it; e-mails print to this console.
	@# The e-mails' links point at this server (make run PORT=8080 included) unless SITE_URL is set.
	export SITE_URL="$${SITE_URL:-http://$(HOST):$(PORT)}"; \
	DEBUG=1 $(PYTHON) manage.py db_worker & worker=$$!; trap "kill $$worker 2>/dev/null" EXIT INT TERM; \
	DEBUG=1 $(PYTHON) manage.py runserver $(HOST):$(PORT)

## make test: every test (installs system packages when it can)
test: $(TEST_STAMP) system-deps
	@# The Redis tests need a Redis: the machine's on 6379, or a throwaway one started for this run.
	test -d node_modules/vnu-jar || npm install --no-audit --no-fund || echo "WARNING: npm install failed: the HTML checks will skip (fail under CI)"
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DEBUG=1 $(BIN)/mypy
	$(BIN)/lint-imports
	DEBUG=0 SECRET_KEY=test-only $(PYTHON) manage.py makemigrations --check --dry-run
	bash scripts/with-redis.sh $(BIN)/pytest -p no:cacheprovider $(PYTEST_ARGS)

lint: $(TEST_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(TEST_STAMP)
	DEBUG=1 $(BIN)/mypy

## make mutate: mutation testing of the core (slow; not in CI); ends with `mutation_score MODULE: KILLED/TOTAL`
mutate: $(TEST_STAMP)
	$(PYTHON) scripts/mutate.py $(MUTATE_ARGS)

format: $(TEST_STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## make bench: national-scale benchmark on SQLite then PostgreSQL (pg_ prefix), prints `name: value` lines
bench: $(TEST_STAMP)
	$(PYTHON) -m bench.run

## make loadtest: 50 locust users for 60 s on gunicorn + a scratch PostgreSQL database (loadtest/run.py);
## SCENARIO=deadline: the deadline rush, 120 secretaries and 30 staff for 120 s with the report worker
## SCENARIO=twoservers: two gunicorn servers on two loopback ports and two workers (reports, email) on one
## scratch database and the shared Redis, 40 users for 60 s round-robin between the servers (loadtest/scaleout.py)
SCENARIO ?= default
loadtest: $(TEST_STAMP)
	$(PYTHON) loadtest/run.py --scenario $(SCENARIO)

## make serve: gunicorn only (no install, no collectstatic: `make release` did those); refuses with one
## line on unapplied migrations or a missing static manifest (config/startup.py)
serve:
	@test -x $(BIN)/gunicorn || { echo "No $(BIN)/gunicorn: run make release first."; exit 1; }
	$(PYTHON) manage.py check_migrations
	exec $(BIN)/gunicorn config.wsgi --bind $(HOST):$(PORT) --workers $${WEB_CONCURRENCY:-3} --timeout 60

messages: $(STAMP)
	DEBUG=1 $(PYTHON) manage.py makemessages -l vi -l en --no-location --no-obsolete --ignore=mutants
	DEBUG=1 $(PYTHON) manage.py compilemessages --ignore=.venv --ignore=node_modules --ignore=mutants

clean:
	rm -rf $(VENV) var/*.sqlite3* $(DEV_MARKER) staticfiles .pytest_cache .ruff_cache
