"""Shared test helpers."""
from __future__ import annotations

import contextlib
import difflib
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from serving import serving  # noqa: F401  (tests import it from here)

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))  # bench/synthetic.py

ROOT = Path(__file__).resolve().parent.parent

# Time is an input. The suite never reads the calendar: every test and every CLI it runs works
# with this date unless a test passes its own --today / today=. A test's assertions never depend
# on it (run `PROCEDURES_TODAY=YYYY-MM-DD make test` with any date to see); 2030-01-01 is after
# every date in the shipped procedures and fixtures, so "late" paths (overdue) run by default.
SUITE_TODAY = os.environ.setdefault("PROCEDURES_TODAY", "2030-01-01")
PUBLISHED = ROOT / "procedure" / "sales-process-control.yaml"

# Ceiling of every wait for a condition (a page loaded, a server up, a rebuild logged, a CLI run done):
# generous, so a machine loaded by other builds is slow, never failing; a test waits no longer than its
# condition takes. `TEST_WAIT_CEILING_SECONDS=60` finds a hang sooner on a quiet machine.
WAIT_CEILING_SECONDS = float(os.environ.get("TEST_WAIT_CEILING_SECONDS", "600"))


@pytest.fixture(autouse=True)
def _glossary_read_afresh():
    """The terminology rule caches the glossary per process; each test reads it itself, so no test
    depends on which ran before, and mutation testing (whose workers fork a process that has already
    read it) sees the glossary reader run under each of its mutants."""
    from generators.rules.terminology import glossary

    glossary.cache_clear()


def _is_repository_root(path: Path) -> bool:
    found = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=path, capture_output=True, text=True)
    return found.returncode == 0 and Path(found.stdout.strip()).resolve() == path.resolve()


# Tests that read this repository's own git history (the shipped procedures' revisions) need the
# checkout itself; a copy of the files (mutmut's mutants/ folder) has no such history.
needs_repository_history = pytest.mark.skipif(
    not _is_repository_root(ROOT), reason="reads the repository's own git history; this is a copy without it")
FIXTURES = ROOT / "tests" / "fixtures"


def published_procedure():
    """The shipped procedure, read with the shared declarations beside it (as `check` reads it)."""
    from generators.source.loader import load_file, load_shared

    return load_file(PUBLISHED, load_shared(PUBLISHED.parent)[0])[0]


def cli_command(*args: str) -> list[str]:
    """``python -m generators ARGS`` running this checkout's code wherever it runs.

    ``-P`` keeps the working folder off sys.path: inside a clone or a project copy, the
    clone's own (committed) ``generators/`` would otherwise shadow the working copy's.
    """
    return [sys.executable, "-P", "-m", "generators", *args]


# Mutation testing (make mutants) sees only the code a test runs in its own process: there,
# CLI_IN_PROCESS=1 makes run_cli call the CLI's main() in-process (same arguments, folder,
# environment and output) instead of starting `python -m generators`.
CLI_IN_PROCESS = os.environ.get("CLI_IN_PROCESS") == "1"


def run_cli(*args: str, cwd: Path = ROOT, timeout: float | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run ``python -m generators`` as a user would, in a subprocess, with the checkout's code (a run
    is given the suite's wait ceiling unless the test says otherwise: CPU, not a clock, decides)."""
    timeout = max(timeout or 0, WAIT_CEILING_SECONDS)
    env = dict(os.environ if env is None else env, PYTHONPATH=str(ROOT))
    if CLI_IN_PROCESS:
        return _run_cli_in_process(list(args), cwd, env)
    return subprocess.run(cli_command(*args), cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


def _run_cli_in_process(args: list[str], cwd: Path, env: dict) -> subprocess.CompletedProcess:
    import io

    from generators.cli import main

    out, err = io.StringIO(), io.StringIO()
    saved_env, saved_cwd = dict(os.environ), os.getcwd()
    os.environ.clear()
    os.environ.update(env)
    try:
        os.chdir(cwd)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(args)
            except SystemExit as exc:  # argparse usage errors
                code = exc.code if isinstance(exc.code, int) else 1
    finally:
        os.chdir(saved_cwd)
        os.environ.clear()
        os.environ.update(saved_env)
    return subprocess.CompletedProcess(["generators", *args], code, out.getvalue(), err.getvalue())


def replaced(text: str, old: str, new: str, count: int = 1) -> str:
    """``text.replace(old, new)`` for building fixtures, failing when ``old`` is not there
    ``count`` times: an edit that silently no longer applies would leave the test proving nothing."""
    found = text.count(old)
    assert found == count, f"fixture edit expects {count} occurrence(s) of {old!r}, found {found}"
    return text.replace(old, new)


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite golden files from current output (their diffs are shown at the end: review them)")


@pytest.fixture
def update_golden(request) -> bool:
    return request.config.getoption("--update-golden")


GOLDEN_DIFFS: list[str] = []


def golden_diff(path: Path, old: str, new: str) -> str:
    name = str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)
    return "".join(difflib.unified_diff(old.splitlines(keepends=True), new.splitlines(keepends=True),
                                        f"{name} (golden)", f"{name} (generated)"))


@pytest.fixture
def golden(update_golden):
    """``golden(path, text)``: compare ``text`` with the golden file, failing with a unified diff;
    with --update-golden, rewrite it and list the diff in the session summary."""

    def check(path: Path, text: str) -> None:
        old = path.read_text(encoding="utf-8") if path.exists() else ""
        if text == old:
            return
        diff = golden_diff(path, old, text)
        if update_golden:
            path.write_text(text, encoding="utf-8")
            GOLDEN_DIFFS.append(diff)
            return
        pytest.fail(f"generated output differs from {path.name} (refresh: pytest --update-golden, then review the diff)\n"
                    + diff, pytrace=False)

    return check


def pytest_terminal_summary(terminalreporter):
    if GOLDEN_DIFFS:
        terminalreporter.section(f"golden files rewritten: {len(GOLDEN_DIFFS)} (review before committing)")
        for diff in GOLDEN_DIFFS:
            terminalreporter.write(diff if diff.endswith("\n") else diff + "\n")


def write_procedures_sharing_a_role(folder: Path) -> None:
    """QP-T-01 and QP-T-02 (the minimal fixture, each its own form number) naming the role 'clerk'
    declared once in ``folder``/_shared.yaml. The shipped sources share no role (README: one
    namespace per source), so tests of shared roles and combined checklists make their own pair."""
    minimal = (FIXTURES / "minimal.yaml").read_text(encoding="utf-8")
    declared = "  - id: clerk\n    name: {zh: 文员, en: Clerk}\n"
    (folder / "_shared.yaml").write_text("roles:\n" + declared + "forms: []\n", encoding="utf-8")
    for number in ("QP-T-01", "QP-T-02"):
        text = replaced(minimal, declared, "  - {ref: clerk}\n")
        text = replaced(replaced(text, "number: QP-T-01", f"number: {number}"), "number: QR-T-01", f"number: QR-{number[3:]}")
        (folder / f"{number.lower()}.yaml").write_text(text, encoding="utf-8")


PROJECT_PARTS = ["docs", "overrides", "generators", "mkdocs.yml"]


def copy_project(dest: Path, procedures: Path | None = None) -> Path:
    """A copy of the project (hand-written docs, overrides, generators, config) in ``dest``,
    with the given procedure folder (default: the real one). Generated output is left out."""
    import shutil

    dest.mkdir(parents=True, exist_ok=True)
    for part in PROJECT_PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, dest / part, ignore=shutil.ignore_patterns("library", "__pycache__"))
        else:
            shutil.copy(source, dest / part)
    shutil.copytree(procedures or ROOT / "procedure", dest / "procedure")
    return dest


def build_site(project: Path) -> subprocess.CompletedProcess:
    """Generate, then build as ``make site`` does: one ``mkdocs build --strict`` per language
    (generators/publish/sitebuild.py)."""
    generated = run_cli("build", cwd=project, timeout=1800)
    assert generated.returncode == 0, generated.stdout + generated.stderr
    env = dict(os.environ, PYTHONPATH=str(project), NO_MKDOCS_2_WARNING="1")
    built = subprocess.run([sys.executable, "-m", "generators.publish.sitebuild", "--verbose"], cwd=project, env=env,
                           capture_output=True, text=True, timeout=1800)
    assert built.returncode == 0, built.stdout + built.stderr
    return built


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The shipped site, generated and built once per test session; returns the project copy.
    ``BUILT_SITE=<project copy>`` reuses a site built before (by this fixture or ``build_site``), for
    looking at one test again without building for minutes."""
    if os.environ.get("BUILT_SITE"):
        return Path(os.environ["BUILT_SITE"])
    project = copy_project(tmp_path_factory.mktemp("site") / "project")
    result = build_site(project)
    (project / "mkdocs-build.log").write_text(result.stdout + result.stderr, encoding="utf-8")
    return project


# Every kind of page the site has, by its path inside site/ (language prefix en/ removed); first match wins.
PAGE_KINDS = [
    ("not-found", r"404\.html"),
    ("home", r"index\.html"),
    ("archived-revision", r"library/[^/]+/history/[^/]+/index\.html"),
    ("history", r"library/[^/]+/history/index\.html"),
    ("comparisons", r"library/[^/]+/compare/index\.html"),  # every step, with a picker of any two
    ("comparison", r"library/[^/]+/compare/[^/]+/index\.html"),
    ("combined-checklist", r"library/checklists/[^/]+/index\.html"),
    ("role-index", r"library/roles/index\.html"),
    ("role", r"library/roles/[^/]+/index\.html"),
    ("master-list", r"library/index\.html"),
    ("records-register", r"library/records/index\.html"),
    ("flow-matrix", r"library/flow-matrix/index\.html"),
    ("recent-changes", r"library/changes/index\.html"),
    ("deviations-register", r"library/deviations/index\.html"),
    ("distribution", r"library/distribution/index\.html"),
    ("document", r"library/[^/]+/doc-[^/]+/index\.html"),
    ("form", r"library/[^/]+/form-[^/]+/index\.html"),
    ("checklist", r"library/[^/]+/checklist-[^/]+/index\.html"),
    ("procedure", r"library/[^/]+/index\.html"),
    ("hand-written", r"(?:[^/]+/)+index\.html"),  # docs/*.md and the guides (docs/guide/*.md)
]


def page_kind(path_in_site: str) -> str:
    """The kind of a built page ("other" for a page no kind describes: a new kind to add above)."""
    rel = path_in_site.removeprefix("en/")
    return next((kind for kind, pattern in PAGE_KINDS if re.fullmatch(pattern, rel)), "other")




# --- the suite in parallel (make test: pytest -n 2 --dist loadgroup, pytest-xdist) ------------------
# A test module stays on one worker (its module-scoped site build is made once), and every module
# that uses the session's built site goes to one worker with it: the site is built once, and the
# tests that rebuild it in place (test_site.py) never run beside tests reading it.
BUILT_SITE_GROUP = "built-site"


def _group_for_xdist(config, items):
    if not config.pluginmanager.hasplugin("xdist"):
        return
    with_site = {item.module.__name__ for item in items if "built_site" in getattr(item, "fixturenames", ())}
    for item in items:
        module = item.module.__name__
        item.add_marker(pytest.mark.xdist_group(BUILT_SITE_GROUP if module in with_site else module))



# --- Quarantine (tests/quarantine.txt): known failures after the integration of issues 26-35 ---------
# QUARANTINE=off runs the quarantined tests as ordinary ones (to see which still fail, and why).
_QUARANTINE = frozenset() if os.environ.get("QUARANTINE") == "off" else frozenset(
    line.strip() for line in (Path(__file__).parent / "quarantine.txt").read_text(encoding="utf-8").splitlines()
    if line.strip() and not line.startswith("#"))


def pytest_collection_modifyitems(config, items):
    _group_for_xdist(config, items)
    for item in items:
        if item.nodeid in _QUARANTINE or getattr(item, "originalname", item.name) in _QUARANTINE:
            item.add_marker(pytest.mark.xfail(reason="quarantined: tests/quarantine.txt", strict=False))
