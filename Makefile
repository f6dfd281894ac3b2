# Matricule — `make run` to try it, `make test` to check it. See README.md.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
DEMO_OFFICERS ?= 2000
# `make test TEST_WORKERS=0` runs the suite in one process (easier to debug).
TEST_WORKERS ?= auto

.PHONY: run test test-fast bench loadtest install translations lint check clean

run: install translations
	@mkdir -p var/static
	$(BIN)/python manage.py migrate --noinput -v0
	$(BIN)/python manage.py seed_demo --officers $(DEMO_OFFICERS) --seed 1 --if-empty
	@echo ""
	@echo "Comptes de démonstration (rôle identifiant mot de passe) :"
	@$(BIN)/python manage.py demo_logins
	@echo ""
	@echo "Tâches de fond (gros imports) : journal dans var/worker.log"
	@$(BIN)/python manage.py worker > var/worker.log 2>&1 & WORKER=$$!; \
	trap "kill $$WORKER 2>/dev/null" EXIT INT TERM; \
	$(BIN)/python manage.py runserver 127.0.0.1:8000

test: install translations
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist worksteal $(PYTEST_ARGS)

# Everything but the slow tests (real commands, killed processes, concurrency) and browsers.
test-fast: install translations
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist worksteal -m "not slow and not browser" $(PYTEST_ARGS)

bench: install translations
	$(BIN)/python -m matricule.benchmarks

# gunicorn (production settings) on PostgreSQL, on loopback, under locust; stops by itself.
# LOADTEST_USERS=50 LOADTEST_DURATION=60s LOADTEST_DATABASE_URL=postgres://…/matricule_loadtest
loadtest: install translations
	$(BIN)/python loadtest/run.py

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[dev]"
	@touch $@

translations: install
	$(BIN)/python manage.py compile_translations -v0

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy matricule
	$(BIN)/python manage.py makemigrations --check --dry-run -v0

clean:
	rm -rf $(VENV) var/static
