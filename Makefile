# Each target builds .venv itself, so a fresh clone needs nothing but Python 3.11+.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: run test test-fast fuzz lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

# Stamp files: reinstall only when pyproject.toml changes.
$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@ $(VENV)/.installed-run

run: $(VENV)/.installed-run
	$(BIN)/streamlit run app.py

lint: $(VENV)/.installed-test
	$(BIN)/ruff check wxdata tests benchmarks app.py pages
	$(BIN)/mypy

test: lint
	bash .ci/system-packages
	$(BIN)/python -m pytest

# For quick loops: everything but the browser tests (CI runs `make test`).
test-fast: lint
	bash .ci/system-packages
	$(BIN)/python -m pytest -m "not e2e"

# New random examples for every property (the suite's are fixed, so CI never goes red on a draw):
# run it now and then; pin what it finds with @example.
fuzz: $(VENV)/.installed-test
	HYPOTHESIS_PROFILE=explore $(BIN)/python -m pytest -m "not e2e" $(shell grep -l '@given' tests/*.py)

bench: $(VENV)/.installed-test
	for f in benchmarks/bench_*.py; do echo "== $$f"; $(BIN)/python $$f || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
