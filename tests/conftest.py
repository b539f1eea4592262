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

# Property tests (hypothesis) draw the same examples on every run: `make test` is deterministic, and a
# failure in CI is the same failure on your machine. `HYPOTHESIS_PROFILE=explore make test` draws
# new ones (and keeps what it finds in .hypothesis/) to look for cases no run has tried yet.
from hypothesis import settings as _hypothesis_settings  # noqa: E402

_hypothesis_settings.register_profile("suite", derandomize=True, database=None)
_hypothesis_settings.register_profile("explore")
_hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "suite"))

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


# The compact PDF fonts (render/fonts.py) made by the first test build that renders PDFs, kept in the
# checkout's own cache (as `make site` would) and copied into later test projects.
SHARED_FONTS = ROOT / ".cache" / "fonts"


def seed_fonts(project: Path) -> None:
    """A speed-up only (16 CPU s per project that makes PDFs): the fonts an earlier build made, left
    untracked in the project's own cache, where a committed file would stop the build."""
    import shutil

    if any(SHARED_FONTS.glob("*.otf")) and not (project / ".cache" / "fonts").exists():
        shutil.copytree(SHARED_FONTS, project / ".cache" / "fonts", ignore=shutil.ignore_patterns(".*"))


def keep_fonts(project: Path) -> None:
    """Keep the fonts ``project``'s build made for later projects (each file whole, or not at all)."""
    import shutil

    for font in (project / ".cache" / "fonts").glob("*.otf"):
        if not (SHARED_FONTS / font.name).exists():
            SHARED_FONTS.mkdir(parents=True, exist_ok=True)
            partial = SHARED_FONTS / f".{font.name}.{os.getpid()}"
            shutil.copy(font, partial)
            partial.replace(SHARED_FONTS / font.name)


def build_site(project: Path, pdf: bool = True) -> subprocess.CompletedProcess:
    """Generate, then build as ``make site`` does: one ``mkdocs build --strict`` per language
    (generators/publish/sitebuild.py). ``pdf=False``: pages only, for tests that read no PDF."""
    seed_fonts(project)
    generated = run_cli("build", *([] if pdf else ["--no-pdf"]), cwd=project, timeout=1800)
    assert generated.returncode == 0, generated.stdout + generated.stderr
    keep_fonts(project)
    env = dict(os.environ, PYTHONPATH=str(project), NO_MKDOCS_2_WARNING="1")
    built = subprocess.run([sys.executable, "-m", "generators.publish.sitebuild", "--verbose"], cwd=project, env=env,
                           capture_output=True, text=True, timeout=1800)
    assert built.returncode == 0, built.stdout + built.stderr
    return built


@pytest.fixture(scope="session")
def built_site(tmp_path_factory, worker_id) -> Path:
    """The shipped site, generated and built once per test session, shared by every worker; returns
    the project copy. Read it, never change it (``own_built_site`` gives a copy to change).
    ``BUILT_SITE=<project copy>`` reuses a site built before (by this fixture or ``build_site``), for
    looking at one test again without building for minutes."""
    if os.environ.get("BUILT_SITE"):
        return Path(os.environ["BUILT_SITE"])
    return _built_once(_shared_site_folder(tmp_path_factory, worker_id))


def _shared_site_folder(tmp_path_factory, worker_id: str) -> Path:
    # pytest-xdist's workers each have a base folder inside the session's: the session's is shared.
    base = tmp_path_factory.getbasetemp()
    return (base if worker_id == "master" else base.parent) / "built-site"


def _built_once(folder: Path) -> Path:
    """Build the site into ``folder`` unless another worker did: the first to take the lock builds, the
    others wait for the lock (no polling) and find it built, or the first one's failure."""
    import fcntl

    folder.mkdir(parents=True, exist_ok=True)
    project, failure = folder / "project", folder / "failed.txt"
    with open(folder / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if failure.exists():
            pytest.fail("the shared site failed to build (in another test or in the background):\n" + failure.read_text(encoding="utf-8"))
        if not (folder / "built").exists():
            try:
                result = build_site(copy_project(project))
            except BaseException as error:
                failure.write_text(str(error), encoding="utf-8")
                raise
            (project / "mkdocs-build.log").write_text(result.stdout + result.stderr, encoding="utf-8")
            (folder / "built").touch()
    return project


@pytest.fixture(scope="module")
def small_built_site(tmp_path_factory) -> Path:
    """A site of one shipped procedure (with the library's shared files), built for the tests of a
    module that rebuild or edit it: the shared ``built_site`` is only read. A copy of that one would not
    do: stamps and the PDF cache name the project's own folder, so a copy is never "unchanged"."""
    import shutil

    tmp_path = tmp_path_factory.mktemp("small-site")
    procedures = tmp_path / "procedures"
    procedures.mkdir()
    for source in [PUBLISHED, *sorted((ROOT / "procedure").glob("_*.yaml"))]:
        shutil.copy(source, procedures / source.name)
    project = copy_project(tmp_path / "project", procedures)
    build_site(project)
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




# --- the suite in parallel (make test: pytest -n 2 --dist loadfile, pytest-xdist) -------------------
# A test file stays on one worker, so that its module-scoped fixtures (a site built for it, a browser)
# are made once; the session's built site is shared by the workers (``built_site``). Not loadgroup:
# with pytest 9, xdist 3.8's groups are silently ignored (it renames ``item._nodeid``, which pytest 9
# no longer reads), and every worker built every module's fixtures.


# --- Quarantine (tests/quarantine.txt): known failures after the integration of issues 26-35 ---------
# QUARANTINE=off runs the quarantined tests as ordinary ones (to see which still fail, and why).
_QUARANTINE = frozenset() if os.environ.get("QUARANTINE") == "off" else frozenset(
    line.strip() for line in (Path(__file__).parent / "quarantine.txt").read_text(encoding="utf-8").splitlines()
    if line.strip() and not line.startswith("#"))


def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.nodeid in _QUARANTINE or getattr(item, "originalname", item.name) in _QUARANTINE:
            item.add_marker(pytest.mark.xfail(reason="quarantined: tests/quarantine.txt", strict=False))
    # Files that read the shared built site run last, so the workers have other work while it builds
    # (a worker that met one first waited for the build, idle, for minutes). A stable sort: the order
    # within each group stays, and every worker collects the same order.
    reads_site = {item.path for item in items if "built_site" in getattr(item, "fixturenames", ())}
    items.sort(key=lambda item: item.path in reads_site)


# The shared site is started at the start of the session, in the background of one process (a thread
# waiting for the build's processes), when a collected test reads it: it is ready, or nearly, when the
# files that read it come up (they run last, above).
_BACKGROUND_BUILD: list = []


def pytest_collection_finish(session):
    import threading

    worker_id = getattr(session.config, "workerinput", {}).get("workerid", "master")
    if (os.environ.get("BUILT_SITE") or worker_id not in ("master", "gw0")
            or not any("built_site" in getattr(item, "fixturenames", ()) for item in session.items)):
        return
    folder = _shared_site_folder(session.config._tmp_path_factory, worker_id)

    def build():
        try:
            _built_once(folder)
        except BaseException:  # recorded in failed.txt by _built_once; the fixture reports it
            pass

    thread = threading.Thread(target=build, name="built-site", daemon=True)
    thread.start()
    _BACKGROUND_BUILD.append(thread)


def pytest_sessionfinish(session):
    for thread in _BACKGROUND_BUILD:  # never leave the build's processes behind
        thread.join()


@pytest.fixture(scope="session")
def shipped_history():
    """The shipped procedures and each one's git history, walked once for the folder as the build
    does (a walk per procedure took 3 s each)."""
    from generators.check import check_paths
    from generators.control import history as gitlog_history

    procedures = check_paths([str(ROOT / "procedure")]).procedures
    found, _ = gitlog_history.histories(ROOT / "procedure")
    return procedures, {p.slug: found[Path(p.path).stem] for p in procedures}
