# Quick start: `make serve` (set up, generate, build, serve) and `make test`.
SHELL := /bin/bash
export NO_MKDOCS_2_WARNING := 1
# The checkout's own generators, also for the mkdocs hook (the venv's scripts put their own folder first).
export PYTHONPATH := $(CURDIR)
# Today's date is an input: `make site TODAY=2030-01-01` (or PROCEDURES_TODAY in the environment)
# fixes review-overdue warnings and banners, print dates and the build stamp; default: the calendar.
ifdef TODAY
export PROCEDURES_TODAY := $(TODAY)
endif
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
APT_PACKAGES := graphviz fonts-noto-cjk chromium poppler-utils

.PHONY: setup system-deps check generate site serve test bench clean mutants

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

# `make site PREVIEW=1`: a pull-request preview, every page and PDF stamped 草稿 / DRAFT — not for use
# and kept out of search engines. `make site SITE_URL=https://host/path/`: the address readers use
# (sitemap, feeds); default http://127.0.0.1:8000/ (mkdocs.yml). Both reach the generator and MkDocs
# through the environment (make exports command-line variables to its commands).
# Change control over main's whole history first (a shallow clone warns, it does not pass silently);
# then generate, and one `mkdocs build --strict` per language in parallel, into a temporary folder
# swapped in whole (an interrupted build leaves the previous site); MkDocs is not run at all when
# no input changed (generators/publish/sitebuild.py).
site: setup
	$(PY) -m generators check --history
	$(PY) -m generators site

# Incremental: a worker beside MkDocs keeps the last build in memory and, after an edit, re-checks and
# re-renders only what it touches (generators/incremental.py); MkDocs then re-renders only the pages
# whose Markdown changed. See README "Previewing an edit". `make serve PORT=8001`.
PORT ?= 8000
serve: generate
	$(VENV)/bin/mkdocs serve --dirty --no-strict --dev-addr 127.0.0.1:$(PORT)

test: setup
	$(PY) -m pytest

bench: setup
	$(PY) bench/run.py

# Every generated folder (a symlink in their place is removed, never followed).
# Mutation testing: mutmut (pinned in requirements.txt, configured in pyproject.toml [tool.mutmut]) mutates
# rules, change control, changes, escaping and control/, runs the fast in-process tests against each mutant
# and writes the survivors to tests/mutants-report.md, with the hand-made mutants of the properties mutmut skips
# (tests/hand_mutants.py). Niced, MUTANT_CHILDREN workers (default 2).
MUTANT_CHILDREN ?= 2
# A resumed run re-mutates changed .py files itself but keeps its old copies of everything else
# (templates, schemas, golden files: a deleted golden file fails the stats run): those are refreshed first.
mutants: setup
	rm -rf mutants/tests mutants/procedure mutants/docs mutants/overrides mutants/bench
	if [ -d mutants/generators ]; then cd generators && find . -type f ! -name '*.py' ! -name '*.pyc' -exec cp --parents {} ../mutants/generators/ \; ; fi
	mkdir -p .cache && CLI_IN_PROCESS=1 nice -n 19 $(VENV)/bin/mutmut run --max-children $(MUTANT_CHILDREN) > .cache/mutmut.log 2>&1 || { tail -40 .cache/mutmut.log; exit 1; }
	$(PY) tests/hand_mutants.py > .cache/hand-mutants.md || true
	$(PY) tests/mutants_report.py tests/mutants-report.md

clean:
	rm -rf site docs/library .cache bench/out tests/.output mutants
