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
APT_PACKAGES := git python3-venv graphviz fonts-noto-cjk chromium poppler-utils openssh-client

.PHONY: lock setup tools system-deps check generate site serve test bench clean mutants new-revision fix review approve

setup: tools system-deps $(STAMP)

# What the setup itself needs, said in words before anything fails (make, python3 and sudo/root are
# the only things taken for granted; git and python3-venv are installed by system-deps on Debian).
tools:
	@command -v python3 >/dev/null || { echo "error: python3 is missing: sudo apt-get install python3 python3-venv"; exit 1; }
	@command -v dpkg >/dev/null || { missing=""; command -v git >/dev/null || missing="$$missing git"; \
	  python3 -c 'import venv, ensurepip' 2>/dev/null || missing="$$missing python3-venv"; \
	  for t in dot pdftoppm; do command -v $$t >/dev/null || missing="$$missing $$t"; done; \
	  if [ -n "$$missing" ]; then echo "error: not a Debian system; install these with your package manager first:$$missing"; exit 1; fi; }

# Installs only what is missing; needs root (or sudo) the first time.
system-deps:
	@missing=""; \
	for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing system packages:$$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

# pip says what it collects and downloads (a bar at a terminal); a few minutes the first time.
$(STAMP): requirements.txt pyproject.toml
	@python3 -c 'import venv, ensurepip' 2>/dev/null || { echo "error: python3-venv is missing: run 'make setup' as root or with sudo, or: sudo apt-get install python3-venv"; exit 1; }
	test -x $(PY) || python3 -m venv $(VENV)
	@echo "installing the pinned Python packages of requirements.txt into $(VENV) (first time: a few minutes)"
	$(PY) -m pip install --disable-pip-version-check --require-hashes -r requirements.txt
	$(PY) -m pip install -q --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

# requirements.in (the direct dependencies) -> requirements.txt (everything pinned, with hashes), with
# pip-tools in a throw-away venv so that it never mixes with the project's own.
lock:
	test -x /tmp/pip-tools-venv/bin/pip-compile || { python3 -m venv /tmp/pip-tools-venv && /tmp/pip-tools-venv/bin/pip install -q pip-tools==7.7.0; }
	CUSTOM_COMPILE_COMMAND="make lock" /tmp/pip-tools-venv/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url \
	  --no-emit-find-links --output-file requirements.txt requirements.in

# The same change control as CI, against the commit where this branch left main (it says which);
# `make check V=1` lists every warning (at a terminal they are grouped by kind).
check: $(STAMP)
	$(PY) -m generators check --base auto $(if $(V),--warnings)

# `make new-revision FILE=procedure/<name>.yaml` (EDITION=1: A/3 -> B/0); `make fix FILE=...` (or every file).
new-revision: $(STAMP)
	@test -n "$(FILE)" || { echo "usage: make new-revision FILE=procedure/<name>.yaml [EDITION=1]"; exit 2; }
	$(PY) -m generators new-revision "$(FILE)" $(if $(EDITION),--edition)

fix: $(STAMP)
	$(PY) -m generators fix $(if $(FILE),"$(FILE)",procedure)

# `make review FILE=procedure/<name>.yaml`, `make approve FILE=...` (or RECORD=DEV-2026-009): one commit
# signed with your SSH key (git config user.signingkey, or KEY=~/.ssh/id_ed25519) stating what you sign.
review approve: $(STAMP)
	@test -n "$(FILE)$(RECORD)" || { echo "usage: make $@ FILE=procedure/<name>.yaml [KEY=~/.ssh/id_ed25519]"; exit 2; }
	$(PY) -m generators $@ $(if $(FILE),"$(FILE)") $(if $(RECORD),--record "$(RECORD)") $(if $(KEY),--key "$(KEY)")

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
# whose Markdown changed. See docs/guide/developer.en.md "Previewing an edit". `make serve PORT=8001`.
# The pages first (without PDFs: seconds, not minutes), so the site answers as soon as its HTML
# exists; the worker then renders the PDFs (with progress lines) and keeps the site current.
# A failed rebuild shows in the terminal and as a banner on every page in the browser.
PORT ?= 8000
serve: setup
	$(PY) -m generators build --no-pdf
	@echo "serving at http://127.0.0.1:$(PORT)/ once MkDocs has built the pages; PDFs follow in the background"
	$(VENV)/bin/mkdocs serve --dirty --no-strict --dev-addr 127.0.0.1:$(PORT)

# In parallel (pytest-xdist): TEST_WORKERS processes, each test file on one worker; the built site is
# built once and shared (tests/conftest.py). `make test TEST_WORKERS=0` runs them in one
# process (and --update-golden wants that: golden diffs are listed by the process that made them).
# The ten slowest tests are listed at the end (where CI's excerpt of the log shows them).
TEST_WORKERS ?= 2
test: setup
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadfile --durations=10

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
