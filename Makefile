# The two commands of the README: `make run` and `make test`. Everything else is set up from here.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8000

.PHONY: run test setup lint messages bench bench-dossiers clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

## setup: virtual environment, database schema and the demo province (idempotent)
setup: $(VENV)/.installed
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py createcachetable
	$(BIN)/python manage.py seed_demo

## run: serve the demo on http://127.0.0.1:$(PORT) with the background-job worker and scheduler beside it
run: setup
	@trap 'kill 0' EXIT INT TERM; \
	$(BIN)/python manage.py db_worker --interval 2 & \
	$(BIN)/python manage.py run_scheduler & \
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

## lint: ruff (lint and format) and mypy with django-stubs
lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

## test: the same set-up, then lint, the migration check and the whole test suite
test: setup lint
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest

## messages: refresh and compile the English translation catalogue
messages: $(VENV)/.installed
	$(BIN)/python manage.py makemessages -l en --no-obsolete --ignore=.venv --ignore=node_modules \
		--ignore=tests --ignore=bench --ignore=test-artifacts --ignore=media --ignore=staticfiles
	cd trongtam && ../$(BIN)/python ../manage.py compilemessages -l en

clean:
	rm -rf $(VENV) db.sqlite3 media .pytest_cache .mypy_cache .ruff_cache bench/data

## bench: the follow-up pages and an assessment round at the scale of product.md against their SQL floor
## (SQLite, or DATABASE_URL)
bench: $(VENV)/.installed
	$(BIN)/python bench/directives.py
	$(BIN)/python bench/assessment.py
	$(BIN)/python bench/dossiers.py

## bench-dossiers: import 3,000,000 dossiers, then the statistics page and the public scoreboard against their SQL
## floor (its own database: bench_dossiers.sqlite3, or DOSSIERS_DATABASE_URL)
bench-dossiers: $(VENV)/.installed
	$(BIN)/python bench/dossiers.py
