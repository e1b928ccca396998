# The book's commands. Each creates the virtualenv and installs the pinned
# requirements.txt first when needed (a fresh machine needs only Python 3.11+).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/installed.txt

.PHONY: html test clean

html: $(INSTALLED)
	$(BIN)/python tools/build_book.py

test: html
	$(BIN)/python -m pytest

$(INSTALLED): requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip freeze > $@

clean:
	rm -rf _build
