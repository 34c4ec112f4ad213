# The two commands: `make demo` and `make test`. Everything else is a step they take.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
DEMO_DB ?= demo.db

.PHONY: demo test lint venv system-deps bench clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

venv: $(BIN)/.installed

system-deps:
	bash scripts/install-system-deps.sh apertium apertium-eng-spa apertium-fr-es libxml-dom-perl

demo: venv
	rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	$(BIN)/worldtake --db $(DEMO_DB) demo

lint: venv
	$(BIN)/ruff check worldtake tests $(wildcard bench)
	$(BIN)/ruff format --check worldtake tests $(wildcard bench)
	$(BIN)/mypy

test: venv system-deps lint
	$(BIN)/pytest

bench: venv
	@for script in bench/*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache .mypy_cache .ruff_cache $(DEMO_DB)*
