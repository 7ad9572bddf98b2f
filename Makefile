# Two commands for a fresh machine (see README.md):
#   make serve   install what is needed, create the SQLite store, fill it with demo data, run
#   make test    install what is needed, run the static checks, then the whole test suite
#   make check   the static checks alone: ruff (lint, import order) and mypy (see pyproject.toml)
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: serve check test bench

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	-git config core.hooksPath .githooks 2>/dev/null  # commit subjects of at most 72 characters
	touch $(STAMP)

serve: $(STAMP)
	$(BIN)/kinerja db init
	$(BIN)/kinerja keys init --if-missing
	$(BIN)/kinerja demo --if-empty
	$(BIN)/kinerja tokens issue --nip system:demo-admin --role admin --days 7
	$(BIN)/kinerja serve

# Both run, so that one pass shows every problem; either failing fails the target.
check: $(STAMP)
	$(BIN)/ruff check .; ruff=$$?; $(BIN)/mypy && exit $$ruff

test: check
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python bench/append.py
