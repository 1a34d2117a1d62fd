# Two commands for a fresh machine with Python 3.11, make and apt:
#   make serve   builds the demo edition and serves it on http://127.0.0.1:8000/
#   make test    installs what the tests need (headless Chromium included) and runs them all
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_INSTALL := $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -q

.PHONY: serve build check test bench screenshots system-packages clean

serve: $(VENV)/.installed
	$(BIN)/python build.py serve --host $(HOST) --port $(PORT)

build: $(VENV)/.installed
	$(BIN)/python build.py build

check: $(VENV)/.installed
	$(BIN)/python build.py check

# The build-speed table (README, "Speed"), e.g. make bench ARGS="--sizes 1000 --peers".
bench: $(VENV)/.installed
	$(BIN)/python bench/run.py $(ARGS)

# The README's pictures of the reading page (docs/reading-page-*.png).
screenshots: system-packages $(VENV)/.installed-test
	$(BIN)/python docs/screenshots.py

test: system-packages $(VENV)/.installed-test node_modules/.installed
	$(BIN)/python -m pytest

# Debian's python3 lacks venv until python3-venv is installed.
$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); $(SUDO) apt-get update -q && $(APT_INSTALL) python3-venv && $(PYTHON) -m venv $(VENV); }

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@

# axe-core and the Nu Html Checker, run by the tests on built pages.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@

# Playwright's own browser download cannot work here: the tests drive Debian's Chromium.
# Java runs the Nu Html Checker; faketime runs a build at another time of day.
# Each pair is a command and the Debian package that provides it. Only the packages whose
# commands are missing are installed, one at a time, so that a machine with its own Node.js
# (NodeSource's, which conflicts with Debian's npm) is left as it is.
SYSTEM_COMMANDS := chromium:chromium node:nodejs npm:npm java:default-jre-headless faketime:faketime

system-packages:
	@missing=""; \
	for pair in $(SYSTEM_COMMANDS); do command -v "$${pair%%:*}" >/dev/null || missing="$$missing $${pair#*:}"; done; \
	[ -z "$$missing" ] || { \
	  echo "Installing the missing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -q || exit 1; \
	  for package in $$missing; do \
	    $(APT_INSTALL) "$$package" || { echo "make: apt-get could not install $$package; install it by hand and run make test again" >&2; exit 1; }; \
	  done; }

clean:
	rm -rf _site .glossator-cache
