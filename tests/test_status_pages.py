"""The site shows the revision in force on the day it is built (--today), in a real git repository."""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import copy_project, run_cli
from test_revisions import A0, A1, git

EARLIER = A0.replace("effective_date: 2026-12-01", "effective_date: 2026-01-01")


@pytest.fixture
def repo(tmp_path) -> Path:
    """A/0 in force since 2026-01-01; A/1 approved (merged) with effective date 2026-12-01."""
    seed = tmp_path / "seed"
    seed.mkdir()
    (seed / "test.yaml").write_text(EARLIER, encoding="utf-8")
    project = copy_project(tmp_path / "repo", seed)
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "A/0")
    (project / "procedure" / "test.yaml").write_text(A1, encoding="utf-8")
    git(project, "commit", "-qam", "A/1")
    return project


def page(repo: Path, name: str) -> str:
    return (repo / "docs" / "library" / name).read_text(encoding="utf-8")


def test_before_its_effective_date_the_new_revision_is_pending_and_the_previous_one_stays_current(repo):
    result = run_cli("build", "--no-pdf", "--today", "2026-11-27", cwd=repo)
    assert result.returncode == 0, result.stderr
    main = page(repo, "test/index.en.md")
    assert "<th>Version</th><td>A/0</td>" in main and "Current <span" in main
    assert '!!! info "New revision approved, pending: A/1 — effective from 2026-12-01"' in main
    assert "[View pending revision A/1](history/a-1.md)" in main
    assert "### 3. Approve" not in main  # A/1's new step is not shown as in force
    pending = page(repo, "test/history/a-1.en.md")
    assert "待生效 PENDING" in pending and "Until then the current revision is [A/0]" in pending
    assert pending.startswith("---\nsearch:\n  exclude: true\n---\n")
    listed = page(repo, "index.en.md")
    assert "| QP-T-01 | [Test procedure](test/index.md) | A/0 | 2026-01-01 | A/1 effective from 2026-12-01 | Current |" in listed
    assert "Revision status as of 2026-11-27" in listed


def test_on_its_effective_date_the_new_revision_is_current_and_the_previous_one_obsolete(repo):
    result = run_cli("build", "--no-pdf", "--today", "2026-12-01", cwd=repo)
    assert result.returncode == 0, result.stderr
    main = page(repo, "test/index.en.md")
    assert "<th>Version</th><td>A/1</td>" in main and "### 3. Approve" in main and "pending" not in main.lower()
    archived = page(repo, "test/history/a-0.en.md")
    assert "作废 OBSOLETE" in archived and "superseded by A/1" in archived
    assert "| QP-T-01 | [Test procedure](test/index.md) | A/1 | 2026-12-01 | — | Current |" in page(repo, "index.en.md")


def test_an_uncommitted_revision_is_a_draft_and_never_shown_as_in_force(repo):
    path = repo / "procedure" / "test.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("\nversion: A/1\n", "\nversion: A/2\n").replace(
        "scope:", "  - version: A/2\n    date: 2026-11-03\n    changes: [{zh: 调整, en: Adjusted}]\n"
                  "    changed_by: 甲\n    reviewed_by: 乙\n    approved_by: 丙\nscope:"), encoding="utf-8")
    result = run_cli("build", "--no-pdf", "--today", "2026-12-20", cwd=repo)
    assert result.returncode == 0, result.stderr
    assert "<th>Version</th><td>A/1</td>" in page(repo, "test/index.en.md")
    assert "草稿 DRAFT" in page(repo, "test/history/a-2.en.md")


def test_the_today_option_rejects_a_malformed_date(repo):
    result = run_cli("build", "--today", "27.11.2026", cwd=repo)
    assert result.returncode == 2 and "YYYY-MM-DD" in result.stderr
