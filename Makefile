# The two commands: `make run` and `make test`. Everything else is for developers.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
SCALE ?= small

.PHONY: run test bench lint format messages ci install install-dev clean

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt $(VENV)/.installed
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

run: $(VENV)/.installed
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_regions
	$(PY) manage.py seed_demo --scale small --if-empty
	$(PY) manage.py demo_logins
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

test: $(VENV)/.installed-dev
	$(PY) -m pytest -q -m "not browser" -n 2 $(PYTEST_ARGS)

test-browser: $(VENV)/.installed-dev
	$(PY) -m pytest -q -m browser -p no:xdist $(PYTEST_ARGS)

bench: $(VENV)/.installed-dev
	$(PY) bench/run.py --scale $(SCALE)

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

messages: $(VENV)/.installed-dev
	cd opop && ../$(PY) ../manage.py makemessages -l id -l en --ignore 'static/*'
	cd opop && ../$(PY) ../manage.py compilemessages

clean:
	rm -rf $(VENV) db.sqlite3 media
