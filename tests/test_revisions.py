"""Revision control in real git repositories: history pages, change control, new-revision."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import CLI_IN_PROCESS, FIXTURES, PUBLISHED, ROOT, copy_project, needs_repository_history, replaced, run_cli
from generators.control.changes import compare
from generators.control.history import history

BASE = replaced((FIXTURES / "minimal.yaml").read_text(encoding="utf-8"), "../../generators", "../generators")
A0 = replaced(replaced(replaced(BASE, "\nversion: A/1", "\nversion: A/0"), """  - version: A/1
    date: 2026-11-03
    changes: [{zh: 修改, en: Changed}]
    changed_by: 甲
    reviewed_by: 乙
    approved_by: 丙
""", ""), "    deadline: {zh: 每月5日前, en: By the 5th of each month}\n", "")
A1 = replaced(replaced(BASE, "    owner: clerk\n    outputs: [monthly-report]", "    owner: manager\n    outputs: [monthly-report]"),
              "documents:", """  - id: approve
    title: {zh: 批准, en: Approve}
    owner: manager
documents:""")


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True,
                          env={"GIT_AUTHOR_NAME": "QA", "GIT_AUTHOR_EMAIL": "qa@example.com", "GIT_COMMITTER_NAME": "QA",
                               "GIT_COMMITTER_EMAIL": "qa@example.com", "PATH": "/usr/bin:/bin", "HOME": str(repo)}).stdout


def repository_at_a0_then_a1(tmp_path: Path, first: str = A0) -> Path:
    """A project in a git repository: the test procedure committed as ``first`` (A/0), then at A/1."""
    procedures = tmp_path / "seed"
    procedures.mkdir()
    (procedures / "test.yaml").write_text(first, encoding="utf-8")
    project = copy_project(tmp_path / "repo", procedures)
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "A/0")
    (project / "procedure" / "test.yaml").write_text(A1, encoding="utf-8")
    git(project, "commit", "-qam", "A/1")
    return project


@pytest.fixture
def repo(tmp_path) -> Path:
    return repository_at_a0_then_a1(tmp_path)


def test_history_page_lists_both_revisions_and_archives_a0_stamped_obsolete(repo):
    result = run_cli("build", "--no-pdf", "--today", "2026-12-02", cwd=repo)
    assert result.returncode == 0, result.stderr
    assert "warning" not in result.stdout
    page = (repo / "docs" / "library" / "test" / "history.en.md").read_text(encoding="utf-8")
    assert "### A/1 — Current" in page and "### A/0 — Obsolete" in page
    commits = git(repo, "log", "--format=%H").split()
    # each version bound to its approval commit, kept for tracing but not shown: readers see dates and names
    assert f'data-record="{commits[1]}"' in page and f'data-record="{commits[0]}"' in page
    assert commits[0][:7] not in page.replace(f'data-record="{commits[0]}"', "")
    assert "commit" not in page.lower().replace("data-record", "") and "git" not in page.lower()
    archive = (repo / "docs" / "library" / "test" / "history" / "a-0.en.md").read_text(encoding="utf-8")
    assert archive.startswith("---\nsearch:\n  exclude: true\nrobots: noindex\n---\n")  # no longer in force: not indexed
    assert "OBSOLETE" in archive and "superseded by A/1" in archive
    changes = re.findall(r"^- (.*)$", page.split("Changes to the next version A/1")[1].split("???")[0], re.M)
    assert changes == ["Step added&#58; 3 (Approve)",  # the order compare() emits: additions, then changes
                       "Step 2 (Report) owner&#58; Clerk → Manager",
                       "Document Monthly report deadline added&#58; By the 5th of each month"], changes
    nav = (repo / "docs" / "library" / ".nav.json").read_text(encoding="utf-8")
    assert "history" not in nav


def test_shallow_clone_builds_with_a_warning_on_the_page_and_in_the_output(repo, tmp_path):
    shallow = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo}", str(shallow)], check=True)
    result = run_cli("build", "--no-pdf", "--today", "2026-12-02", cwd=shallow)
    assert result.returncode == 0, result.stderr
    assert "warning:" in result.stdout and "shallow" in result.stdout
    page = (shallow / "docs" / "library" / "test" / "history.en.md").read_text(encoding="utf-8")
    assert '!!! warning "Incomplete history"' in page


def _edit(repo: Path, old: str, new: str) -> None:
    path = repo / "procedure" / "test.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(replaced(text, old, new), encoding="utf-8")


NEW_ENTRY = """  - version: A/2
    date: 2026-11-03
    changes: [{zh: 调整, en: Adjusted}]
    changed_by: 甲
    reviewed_by: 乙
    approved_by: 丙
scope:"""

VIOLATIONS = {
    "owner changed without a version bump": ([("    owner: manager\n    outputs: [monthly-report]", "    owner: clerk\n    outputs: [monthly-report]")],
                                            ["change-no-bump", "change-no-revision"]),
    "version bumped without a revision entry": ([("\nversion: A/1\n", "\nversion: A/2\n"), ("title: {zh: 报告", "title: {zh: 月度报告")],
                                               ["change-no-revision", "revision-version"]),
    "new entry without approver": ([("\nversion: A/1\n", "\nversion: A/2\n"), ("scope:", NEW_ENTRY), ("    approved_by: 丙\nscope:", "scope:"),
                                    ("title: {zh: 报告", "title: {zh: 月度报告")], ["revision-incomplete"]),
    "version going backwards": ([("\nversion: A/1\n", "\nversion: A/0\n")], ["version-backwards"]),
    "earlier revision-log entry rewritten": ([("changes: [{zh: 首次发布, en: First issue}]", "changes: [{zh: 首次发布（改）, en: First issue}]")],
                                            ["revision-log-rewritten"]),
    "earlier revision-log entry removed": ([("""  - version: A/0
    date: 2026-01-01
    changes: [{zh: 首次发布, en: First issue}]
    changed_by: 甲
    reviewed_by: 乙
    approved_by: 丙
""", "")], ["revision-log-rewritten"]),
    "edition skipping": ([("\nversion: A/1\n", "\nversion: C/0\n"), ("scope:", replaced(NEW_ENTRY, "A/2", "C/0")),
                          ("title: {zh: 报告", "title: {zh: 月度报告")], ["version-skip"]),
    "next edition not at amendment 0": ([("\nversion: A/1\n", "\nversion: B/1\n"), ("scope:", replaced(NEW_ENTRY, "A/2", "B/1")),
                                         ("title: {zh: 报告", "title: {zh: 月度报告")], ["version-skip"]),
    "version skipping": ([("\nversion: A/1\n", "\nversion: A/3\n"), ("scope:", replaced(NEW_ENTRY, "A/2", "A/3")),
                          ("title: {zh: 报告", "title: {zh: 月度报告")], ["version-skip"]),
}


@pytest.mark.parametrize("name", list(VIOLATIONS))
def test_change_control_catches(repo, name):
    edits, rules = VIOLATIONS[name]
    for old, new in edits:
        _edit(repo, old, new)
    result = run_cli("check", "--base", "HEAD", cwd=repo)
    assert result.returncode == 1, result.stdout
    for rule in rules:
        assert f"[{rule}]" in result.stdout, result.stdout
    assert "procedure/test.yaml:" in result.stdout


def test_version_bump_without_content_change_is_a_warning(repo):
    _edit(repo, "\nversion: A/1\n", "\nversion: A/2\n")
    _edit(repo, "scope:", NEW_ENTRY)
    result = run_cli("check", "--base", "HEAD", cwd=repo)
    assert result.returncode == 0, result.stdout
    assert "warning: version bumped to A/2 but the content is unchanged" in result.stdout


def test_proper_revision_passes_change_control(repo):
    _edit(repo, "\nversion: A/1\n", "\nversion: A/2\n")
    _edit(repo, "scope:", NEW_ENTRY)
    _edit(repo, "title: {zh: 报告", "title: {zh: 月度报告")
    result = run_cli("check", "--base", "HEAD", "--today", "2027-06-01", cwd=repo)  # in force, review not due
    assert result.returncode == 0 and "0 warning(s)" in result.stdout, result.stdout


@pytest.mark.parametrize("version", ["A/2", "B/0"])
def test_the_next_amendment_or_the_next_edition_at_amendment_0_passes(repo, version):
    _edit(repo, "\nversion: A/1\n", f"\nversion: {version}\n")
    _edit(repo, "scope:", replaced(NEW_ENTRY, "A/2", version))
    _edit(repo, "title: {zh: 报告", "title: {zh: 月度报告")
    result = run_cli("check", "--base", "HEAD", "--today", "2027-06-01", cwd=repo)
    assert result.returncode == 0, result.stdout
    assert "[version-skip]" not in result.stdout and "[revision-log-rewritten]" not in result.stdout


def test_unknown_base_is_a_usage_error(repo):
    result = run_cli("check", "--base", "no-such-branch", cwd=repo)
    assert result.returncode == 2 and "no such git revision" in result.stderr


def test_new_revision_bumps_version_and_keeps_comments_and_order(tmp_path):
    path = tmp_path / PUBLISHED.name
    shutil.copy(PUBLISHED.parent / "_shared.yaml", tmp_path / "_shared.yaml")
    original = PUBLISHED.read_text(encoding="utf-8")
    path.write_text(original, encoding="utf-8")
    result = run_cli("new-revision", str(path))
    assert result.returncode == 0, result.stderr
    text = path.read_text(encoding="utf-8")
    comments = [l.strip() for l in original.splitlines() if l.strip().startswith("#")]
    assert comments and all(c in text for c in comments)
    from generators.edit.new_revision import bumped

    current = re.search(r"^version: (\S+)", original, re.M)[1]
    expected = bumped(current, edition=False)
    assert re.search(rf"^version: {re.escape(expected)} +# 版号$", text, re.M)
    keys = lambda t: re.findall(r"^([a-z_]+):", t, re.M)
    assert keys(text) == keys(original)
    assert f"  - version: {expected}\n" in text
    # The previous revision's signatures do not approve the new one: the header block starts blank.
    assert re.search(r"^approval:.*\n  drafted_by: \{name: null, date: null\}\n  reviewed_by: \{name: null, date: null\}\n"
                     r"  approved_by: \{name: null, date: null\}\n", text, re.M)
    checked = run_cli("check", str(path))
    assert checked.returncode == 1  # the new entry and the approval block must be completed first
    assert checked.stdout.count("[approval-block]") == 3
    assert run_cli("new-revision", "--edition", str(path)).returncode == 0
    assert re.search(rf"^version: {re.escape(bumped(expected, edition=True))}", path.read_text(encoding="utf-8"), re.M)


@needs_repository_history
def test_shipped_procedure_history_holds_the_seed_transcription_a0():
    found = history(PUBLISHED)
    if found.shallow:
        pytest.skip("shallow clone: git history is incomplete here")
    versions = [r.version for r in found.revisions]
    assert versions[:2] == ["A/0", "A/1"], versions
    a0, a1 = found.revisions[0].procedure, found.revisions[1].procedure
    summary = [c.summary["en"] for c in compare(a0, a1)]
    assert "Step 1 (Project sales launch) owner: — → Marketing Department Manager" in summary
    assert "Document Sales analysis report deadline added: By the 5th of each month" in summary


def _clone_without_code(tmp_path: Path) -> Path:
    """A clone of this repository's history whose committed generators/ is removed: whatever
    runs in it can only be the working copy's code (run_cli points there)."""
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
    shutil.rmtree(clone / "generators")
    return clone


@pytest.mark.skipif(CLI_IN_PROCESS, reason="proves what a subprocess imports; mutation runs call the CLI in-process")
def test_cli_in_a_clone_runs_the_working_copy_not_the_clone_s_committed_code(tmp_path):
    clone = _clone_without_code(tmp_path)
    (clone / "generators").mkdir()  # a decoy package that would win if the clone's folder came first on sys.path
    (clone / "generators" / "__init__.py").write_text("", encoding="utf-8")
    (clone / "generators" / "__main__.py").write_text("raise SystemExit(97)\n", encoding="utf-8")
    result = run_cli("check", "--today", "2030-01-01", cwd=clone)
    assert result.returncode in (0, 1) and result.stdout.rstrip().splitlines()[-1].startswith(("OK:", "FAILED:")), result
    located = run_cli("--help", cwd=clone, env=dict(os.environ, PYTHONVERBOSE="1"))
    assert f"{ROOT / 'generators' / '__main__.py'}" in located.stderr


@needs_repository_history
def test_owner_change_without_bump_fails_against_the_shipped_history(tmp_path):
    clone = _clone_without_code(tmp_path)
    path = clone / "procedure" / PUBLISHED.name
    path.write_text(replaced(path.read_text(encoding="utf-8"), "    owner: marketing-manager\n", "    owner: project-sales-supervisor\n",
                             count=path.read_text(encoding="utf-8").count("    owner: marketing-manager\n")),
                    encoding="utf-8")
    result = run_cli("check", "--base", "HEAD", cwd=clone)
    assert result.returncode == 1 and "[change-no-bump]" in result.stdout
