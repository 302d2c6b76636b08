# One Makefile. `make run` and `make test` work on a fresh machine with only Python 3.11.
PY ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: help venv run test lint typecheck bench docs clean

help:
	@echo "make run    set up and serve yuefang on http://127.0.0.1:8000 (SQLite under ./var/)"
	@echo "make test   set up and run the whole test suite"
	@echo "make bench  run the benchmarks in benchmarks/"

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP)

run: $(STAMP)
	$(BIN)/yuefang db upgrade
	$(BIN)/yuefang demo-data --if-empty
	$(BIN)/yuefang serve --port 8000

test: $(STAMP)
	$(BIN)/python -m pytest -q $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy src/yuefang

bench: $(STAMP)
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf $(VENV) var build *.egg-info
