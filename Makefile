# SOCORE portal. `make run` serves the portal with a worker; `make test` checks everything.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# Test processes (pytest-xdist): one per core; each has its own database, broker and cache.
TEST_PROCESSES ?= auto
export DJANGO_SETTINGS_MODULE := socore.settings

.PHONY: run test test-slow install lint format lock bench messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Reinstall only when the lock file changes.
$(VENV)/.installed: requirements-dev.lock | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.lock
	touch $@

install: $(VENV)/.installed

# This machine over plain HTTP, with the portal's own error pages; DEBUG=1 make run for
# Django's technical ones.
run: export LOCAL ?= 1
run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py createcachetable
	$(BIN)/python manage.py seed_demo
	@echo ""
	@echo "SOCORE portal: http://localhost:$(PORT)/  (Ctrl-C stops the web server and the worker)"
	@echo ""
	$(BIN)/python -m socore.lib.devserver $(PORT)

# Tests run with DEBUG off, as in production; this key exists only for them.
test: export SECRET_KEY ?= test-only-secret-key-not-for-any-deployment-0123456789abcdef
test: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(BIN)/pytest -n $(TEST_PROCESSES) --dist loadfile -m "not slow" $(PYTEST_ARGS)

# The drills and timing measurements (marker `slow`): a few minutes more; CI runs them too.
test-slow: export SECRET_KEY ?= test-only-secret-key-not-for-any-deployment-0123456789abcdef
test-slow: install
	$(BIN)/pytest -n $(TEST_PROCESSES) --dist loadfile -m slow $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Regenerate the lock files after editing pyproject.toml; pins already there are kept, except
# those of the packages named in UPGRADE (make lock UPGRADE="django weasyprint").
UPGRADE ?=
lock: | $(BIN)/python
	$(BIN)/pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --python-version 3.11 --quiet $(addprefix --upgrade-package ,$(UPGRADE)) -o requirements.lock
	$(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.11 --quiet $(addprefix --upgrade-package ,$(UPGRADE)) -o requirements-dev.lock

messages: install
	$(BIN)/python manage.py makemessages --all --no-obsolete --ignore=.venv --ignore=.data
	$(BIN)/python manage.py compilemessages --ignore=.venv

bench: install
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
