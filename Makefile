# The book's commands. Each creates the virtualenv and installs the pinned
# requirements.txt first when needed (a fresh machine needs only Python 3.11+).
PYTHON ?= python3
# The weekly workflow sets REQUIREMENTS=requirements-ranges.txt to try the newest releases.
REQUIREMENTS ?= requirements.txt
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/installed.txt
LIGHTHOUSE := node_modules/.bin/lighthouse

.PHONY: html pdf test check notebooks robust venv bench clean-html clean

# Build both editions into _build/html/ (tools/build_book.py).
html: $(INSTALLED)
	$(BIN)/python -m tools.build_book

# One PDF per edition, printed from the built site by the tests' Chromium (no page runs
# again): _build/pdf/, copied into the site's pdf/ (tools/build_pdf.py).
pdf: html
	$(BIN)/python -m tools.build_pdf

# Build the site and the PDFs, then run every test, the browser ones included (pytest.ini
# lists the slowest). No Node.js needed: the browser tests' axe-core is kept in
# tests/browser/vendor/.
test: pdf
	$(BIN)/python -m pytest

# The reader notebooks (what Colab, Binder and the download button open), which `make html`
# writes to _build/notebooks/: build them and run their tests, each notebook run as in Colab.
notebooks: html
	$(BIN)/python -m pytest tests/test_reader_notebooks.py tests/test_launch.py

# The rules of the pages (CONTRIBUTING.md) that need no build: seconds, for contributors.
check: $(INSTALLED)
	$(BIN)/python -m tools.check_pages

# Every page run again under three other seeds and with oneDNN switched the other way (a
# stand-in for another CPU), every claim test against each run: benchmarks/ROBUSTNESS.md.
# Run it after changing a page's code or a sentence about a run (tools/robustness.py).
robust: html
	$(BIN)/python -m tools.robustness

venv: $(INSTALLED)

# Measure the build, the tests and every page on a fresh copy, each page beside the same page
# of an older commit (BASELINE=, by default the one the last results measured):
# benchmarks/RESULTS.md.
bench: $(INSTALLED) $(LIGHTHOUSE)
	$(BIN)/python -m tools.benchmark $(if $(BASELINE),--baseline $(BASELINE))

$(INSTALLED): $(REQUIREMENTS)
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || { \
	  echo "The book needs Python 3.11 or later, and '$(PYTHON)' is $$($(PYTHON) --version 2>&1 || echo missing)."; \
	  echo "Install a newer Python and run: make PYTHON=python3.11 (or python3.12...)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --upgrade -r $(REQUIREMENTS)
	$(BIN)/python -m pip freeze > $@

# Lighthouse, which `make bench` runs (npm, from package-lock.json); only it needs Node.js.
$(LIGHTHOUSE): package-lock.json
	@command -v npm >/dev/null || { echo "make bench runs Lighthouse, an npm package: install Node.js with npm (Debian/Ubuntu: sudo apt-get install npm), then run make bench again."; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# The site, the doctrees and the notebooks go; the execution cache stays (no page runs again).
clean-html:
	test ! -d _build || find _build -mindepth 1 -maxdepth 1 ! -name .jupyter_cache -exec rm -rf {} +

# Everything the build made, the execution cache included.
clean:
	rm -rf _build
