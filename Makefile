# Two commands on a fresh machine: `make run` (the dashboard on its embedded data) and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test lint unit browser bench chromium postgresql redis libreoffice load serve worker clean

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

run: $(STAMP)
	$(PY) app.py

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy
	$(VENV)/bin/lint-imports --no-cache
	$(PY) -m vulture

chromium:
	@bash scripts/ensure_chromium.sh

postgresql:
	@bash scripts/ensure_postgresql.sh

redis:
	@bash scripts/ensure_redis.sh

libreoffice:
	@bash scripts/ensure_libreoffice.sh

unit: $(STAMP)
	$(PY) -m pytest -m "not browser"

browser: $(STAMP) chromium
	$(PY) -m pytest -m browser

test: $(STAMP) chromium postgresql redis libreoffice lint
	$(PY) -m pytest --cov --cov-report=term

bench: $(STAMP) chromium redis
	$(PY) benchmarks/run_all.py

load: $(STAMP)
	$(PY) benchmarks/load.py --users 50 --seconds 60

serve: $(STAMP)
	$(VENV)/bin/gunicorn -c gunicorn.conf.py

worker: $(STAMP)
	$(PY) -m dashboard worker

clean:
	rm -rf $(VENV) instance test-artifacts .pytest_cache .mypy_cache .ruff_cache .coverage
