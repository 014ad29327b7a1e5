# Fulcrum tasks. `make run` and `make test` are the README's two commands.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# The local demo: debug pages, console email, two-factor not enforced.
DEMO_ENV := DEBUG=true REQUIRE_2FA=false EMAIL_BACKEND=django.core.mail.backends.console.EmailBackend
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test test-fast lint format migrations-check messages clean

# The translation catalogues, compiled from their .po sources (GNU gettext's msgfmt: Debian's `gettext`).
CATALOGUES := $(patsubst %.po,%.mo,$(wildcard clinic/locale/*/LC_MESSAGES/django.po))

$(BIN)/.installed: requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Fulcrum needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	$(BIN)/pip check
	touch $@

install: $(BIN)/.installed $(CATALOGUES)

%.mo: %.po
	@command -v msgfmt >/dev/null || { echo "msgfmt not found: install the gettext package (apt-get install gettext)" >&2; exit 1; }
	msgfmt --check --output-file=$@ $<

# Gather new and changed client-facing words into the catalogues; translate them there, then `make install`.
messages: install
	DEBUG=true $(BIN)/python manage.py makemessages --all --no-obsolete --no-location --ignore=.venv --ignore=tests --ignore=bench --ignore=staticfiles

run: install
	$(DEMO_ENV) $(BIN)/python manage.py migrate --noinput
	$(DEMO_ENV) $(BIN)/python manage.py seed_demo
	$(DEMO_ENV) $(BIN)/python manage.py assign_rescreenings
	@echo "Open http://$(HOST):$(PORT)/ and sign in with a demo account above."
	@# The background worker (long PDFs) runs beside the server and stops with it.
	@trap 'kill 0' EXIT INT TERM; \
	$(DEMO_ENV) $(BIN)/python manage.py db_worker --no-reload --interval 1 & \
	$(DEMO_ENV) $(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install
	$(BIN)/python -m pytest

# Everything but the browser tests, for quick loops.
test-fast: install
	$(BIN)/python -m pytest -m "not browser"

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DEBUG=true $(BIN)/python manage.py makemigrations --check --dry-run

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) staticfiles test-artifacts db.sqlite3
