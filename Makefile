# Quick start: `make serve` (set up, generate, build, serve) and `make test`.
SHELL := /bin/bash
export NO_MKDOCS_2_WARNING := 1
# The checkout's own generators, also for the mkdocs hook (the venv's scripts put their own folder first).
export PYTHONPATH := $(CURDIR)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
APT_PACKAGES := graphviz fonts-noto-cjk chromium poppler-utils

.PHONY: setup system-deps check generate site serve test bench clean

setup: system-deps $(STAMP)

# Installs only what is missing; needs root (or sudo) the first time.
system-deps:
	@missing=""; \
	for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing system packages:$$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

$(STAMP): requirements.txt pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -r requirements.txt
	$(PY) -m pip install -q --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

check: $(STAMP)
	$(PY) -m generators check

generate: setup
	$(PY) -m generators build

# One `mkdocs build --strict` per language, in parallel, swapped into site/ when all succeed;
# nothing run when no input changed (generators/sitebuild.py).
site: generate
	$(PY) -m generators.sitebuild

PORT ?= 8000
serve: generate
	$(VENV)/bin/mkdocs serve --dev-addr 127.0.0.1:$(PORT)

test: setup
	$(PY) -m pytest

bench: setup
	$(PY) bench/run.py

clean:
	rm -rf site .site.building docs/generated .cache
