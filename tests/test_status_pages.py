"""The site shows the revision in force on the day it is built (--today), in a real git repository."""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import copy_project, run_cli
from test_revisions import A0, A1, git, repository_at_a0_then_a1

EARLIER = A0.replace("effective_date: 2026-12-01", "effective_date: 2026-01-01")


@pytest.fixture
def repo(tmp_path) -> Path:
    """A/0 in force since 2026-01-01; A/1 approved (merged) with effective date 2026-12-01."""
    return repository_at_a0_then_a1(tmp_path, EARLIER)


def page(repo: Path, name: str) -> str:
    return (repo / "docs" / "library" / name).read_text(encoding="utf-8")


def test_before_its_effective_date_the_new_revision_is_pending_and_the_previous_one_stays_current(repo):
    result = run_cli("build", "--no-pdf", "--today", "2026-11-27", cwd=repo)
    assert result.returncode == 0, result.stderr
    main = page(repo, "test/index.en.md")
    assert "<th>Version</th><td>A/0</td>" in main and "Current<span" in main
    assert '!!! info "New revision approved, pending: A/1 — effective from 2026-12-01"' in main
    assert "[View pending revision A/1](history/a-1.md)" in main
    assert "### 3. Approve" not in main  # A/1's new step is not shown as in force
    pending = page(repo, "test/history/a-1.en.md")
    assert "待生效 PENDING" in pending and "Until then the current revision is [A/0]" in pending
    # out of search and of search engines (archive pages carry robots: noindex since the golden refresh 4804f86)
    assert pending.startswith("---\nsearch:\n  exclude: true\nrobots: noindex\n---\n")
    listed = page(repo, "index.en.md")
    assert "| QP-T-01 | [Test procedure](test/index.md) | Current | A/0<br>2026-01-01 | A/1<br>effective from 2026-12-01 |" in listed
    assert "Revision status as of 2026-11-27" in listed


def test_on_its_effective_date_the_new_revision_is_current_and_the_previous_one_obsolete(repo):
    result = run_cli("build", "--no-pdf", "--today", "2026-12-01", cwd=repo)
    assert result.returncode == 0, result.stderr
    main = page(repo, "test/index.en.md")
    assert "<th>Version</th><td>A/1</td>" in main and "### 3. Approve" in main and "pending" not in main.lower()
    archived = page(repo, "test/history/a-0.en.md")
    assert "作废 OBSOLETE" in archived and "superseded by A/1" in archived
    assert "| QP-T-01 | [Test procedure](test/index.md) | Current | A/1<br>2026-12-01 | — |" in page(repo, "index.en.md")


def test_an_uncommitted_revision_is_shown_as_a_draft_with_the_revision_in_force_named_never_as_in_force(repo):
    path = repo / "procedure" / "test.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("\nversion: A/1\n", "\nversion: A/2\n").replace(
        "scope:", "  - version: A/2\n    date: 2026-11-03\n    changes: [{zh: 调整, en: Adjusted}]\n"
                  "    changed_by: 甲\n    reviewed_by: 乙\n    approved_by: 丙\nscope:"), encoding="utf-8")
    result = run_cli("build", "--no-pdf", "--today", "2026-12-20", cwd=repo)
    assert result.returncode == 0, result.stderr
    # A build of an uncommitted edit is a preview (control/gate.py): the procedure's page shows the revision
    # being edited, so an editor sees the edit at once, stamped and bannered as a draft that names the
    # revision in force and links to it; nothing calls the draft current.
    main = page(repo, "test/index.en.md")
    assert "<th>Version</th><td>A/2</td>" in main and "草稿 DRAFT" in main
    assert ('!!! warning "Draft: A/2"\n    This revision is not approved and must not be used. '
            "In force: [A/1](history/a-1.md)") in main
    assert "Current<span" not in main
    assert "现行版本：[A/1](history/a-1.md)" in page(repo, "test/index.zh.md")
    # the draft's own address sends readers to the procedure page, which shows it; A/1 keeps its page
    draft_address = page(repo, "test/history/a-2.en.md")
    assert 'template: redirect.html\nredirect: "../../"' in draft_address and "草稿" not in draft_address
    assert "草稿 DRAFT" not in page(repo, "test/history/a-1.en.md") and "<th>Version</th><td>A/1</td>" in page(repo, "test/history/a-1.en.md")


def test_the_today_option_rejects_a_malformed_date(repo):
    result = run_cli("build", "--today", "27.11.2026", cwd=repo)
    assert result.returncode == 2 and "YYYY-MM-DD" in result.stderr


WITHDRAWN = """withdrawn:
  - number: QP-T-02
    file: second
    date: 2026-12-01
    reason: {zh: 业务停止, en: The business was discontinued}
    approved_by: 丙
"""


@pytest.fixture
def two(tmp_path) -> Path:
    """QP-T-01 and QP-T-02 (form QR-T-02) in force since 2026-11-10; QP-T-02 then deleted with a withdrawal record."""
    seed = tmp_path / "seed"
    seed.mkdir()
    first = A1.replace("effective_date: 2026-12-01", "effective_date: 2026-11-10")
    (seed / "test.yaml").write_text(first, encoding="utf-8")
    (seed / "second.yaml").write_text(first.replace("number: QP-T-01", "number: QP-T-02").replace("QR-T-01", "QR-T-02")
                                      .replace("title: {zh: 测试程序, en: Test procedure}", "title: {zh: 第二程序, en: Second procedure}"),
                                      encoding="utf-8")
    project = copy_project(tmp_path / "repo", seed)
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "two procedures")
    git(project, "rm", "-q", "procedure/second.yaml")
    (project / "procedure" / "_withdrawn.yaml").write_text(WITHDRAWN, encoding="utf-8")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "withdraw QP-T-02")
    return project


def test_a_withdrawn_procedure_stays_in_the_master_list_with_its_archives_and_records(two):
    result = run_cli("build", "--no-pdf", "--today", "2026-12-02", cwd=two)
    assert result.returncode == 0, result.stderr
    listed = page(two, "index.en.md")
    assert "| QP-T-02 | [Second procedure](second/index.md) | Withdrawn 2026-12-01 | — | — |" in listed
    main = page(two, "second/index.en.md")
    assert "废止 WITHDRAWN" in main and "Withdrawn on: 2026-12-01; Reason: The business was discontinued; Approved by: 丙" in main
    assert main.startswith("---\nsearch:\n  exclude: true\nrobots: noindex\n---\n")
    assert "### A/1 — Withdrawn" in page(two, "second/history.en.md")
    assert (two / "docs" / "library" / "second" / "history" / "a-1.en.md").is_file()
    records = page(two, "records.en.md")
    assert "| QR-T-02 |" in records and "| 3 years from completion | Destroy | [QP-T-02 Second procedure](second/index.md) (withdrawn) |" in records
    assert "second" not in page(two, ".nav.json")


def test_before_its_withdrawal_date_the_procedure_is_still_current(two):
    result = run_cli("build", "--no-pdf", "--today", "2026-11-27", cwd=two)
    assert result.returncode == 0, result.stderr
    assert "| QP-T-02 | [Second procedure](second/index.md) |" in page(two, "index.en.md")
    assert "<th>Version</th><td>A/1</td>" in page(two, "second/index.en.md")


def test_a_renamed_procedure_keeps_every_archived_revision_and_its_old_addresses_redirect(repo):
    git(repo, "mv", "procedure/test.yaml", "procedure/renamed.yaml")
    git(repo, "commit", "-qm", "rename")
    result = run_cli("build", "--no-pdf", "--today", "2026-12-02", cwd=repo)
    assert result.returncode == 0, result.stderr
    history = page(repo, "renamed/history.en.md")
    assert "### A/1 — Current" in history and "### A/0 — Obsolete" in history
    assert "作废 OBSOLETE" in page(repo, "renamed/history/a-0.en.md")
    # the former addresses send readers on (overrides/redirect.html puts the refresh in the page's head)
    assert 'template: redirect.html\nredirect: "../renamed/"' in page(repo, "test/index.en.md")
    assert 'template: redirect.html\nredirect: "../../../renamed/history/a-0/"' in page(repo, "test/history/a-0.en.md")


def test_auditor_views_every_revision_with_its_flowchart_and_a_comparison_of_any_two(repo):
    result = run_cli("build", "--no-pdf", "--today", "2026-12-02", cwd=repo)
    assert result.returncode == 0, result.stderr
    archived = page(repo, "test/history/a-0.en.md")
    assert '<div class="flowchart"' in archived
    # The procedure page's chart links each document to its row; a revision's chart links nothing outside its page.
    assert 'href="./#doc-monthly-report"' not in archived
    assert 'href="./#doc-monthly-report"' in page(repo, "test/index.en.md")
    history = page(repo, "test/history.en.md")
    assert "[A/0 → A/1](compare/a-0--a-1.md)" in history
    assert "| Approved by |" in history and "| Recorded at approval |" in history
    # readers see names, never the git account that recorded a version: it stays in the HTML for tracing
    assert "Recorded by" not in history and 'data-author="' in history
    compared = page(repo, "test/compare/a-0--a-1.en.md")
    assert "- Step 2 (Report) owner&#58; Clerk → Manager" in compared
    assert '<del class="redline__removed">− Step 2. Report — Clerk</del>' in compared
    assert '<ins class="redline__added">+ Step 2. Report — Manager</ins>' in compared


def test_redline_marks_removed_and_added_lines_and_keeps_the_rest():
    from generators.control.comparison import redline

    lines = redline(["a", "b", "c"], ["a", "B", "c", "d"])
    assert [(l.kind, l.text) for l in lines] == [("same", "a"), ("removed", "b"), ("added", "B"), ("same", "c"), ("added", "d")]


def test_each_form_version_keeps_its_blank_pdf_on_the_form_history(repo):
    path = repo / "procedure" / "test.yaml"
    text = path.read_text(encoding="utf-8")
    revised = (text.replace("\nversion: A/1\n", "\nversion: A/2\n", 1)
               .replace("    version: A/0\n", "    version: A/1\n", 1)
               .replace("label: {zh: 日期, en: Date}", "label: {zh: 登记日期, en: Date recorded}")
               .replace("scope:", "  - version: A/2\n    date: 2026-11-03\n    changes: [{zh: 登记表增加日期说明, en: Log date relabelled}]\n"
                                  "    changed_by: 甲\n    reviewed_by: 乙\n    approved_by: 丙\nscope:", 1))
    path.write_text(revised, encoding="utf-8")
    git(repo, "commit", "-qam", "A/2 with form QR-T-01 A/1")
    result = run_cli("build", "--today", "2026-12-02", cwd=repo, timeout=600)
    assert result.returncode == 0, result.stderr
    form = page(repo, "test/form-log.en.md")
    assert "## Form version history" in form
    assert "| A/1 (this page) | QP-T-01 A/2 (Current) | [Download PDF](form-log_en.pdf) |" in form
    assert "| A/0 | QP-T-01 A/0 (Obsolete)<br>QP-T-01 A/1 (Obsolete) | [Download PDF](form-log/a-0_en.pdf) |" in form
    # An earlier version's PDF is in the form's own folder: no other form's id can reach its name.
    for name in ("form-log_en.pdf", "form-log/a-0_en.pdf", "form-log/a-0_zh.pdf"):
        assert (repo / "docs" / "library" / "test" / name).read_bytes().startswith(b"%PDF")


def test_an_archived_revision_with_the_gaps_of_its_time_still_gets_its_page_and_flowchart(tmp_path):
    seed = tmp_path / "seed"
    seed.mkdir()
    (seed / "test.yaml").write_text(EARLIER.replace("outputs: [log]", "outputs: [log, lost-register]"), encoding="utf-8")
    project = copy_project(tmp_path / "repo", seed)
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "A/0 as transcribed, an output never declared")
    (project / "procedure" / "test.yaml").write_text(A1, encoding="utf-8")
    git(project, "commit", "-qam", "A/1")
    result = run_cli("build", "--no-pdf", "--today", "2026-12-02", cwd=project)
    assert result.returncode == 0, result.stderr
    archived = page(project, "test/history/a-0.en.md")
    # The output it never declared is shown as a gap of its time, never by its id, in the chart (drawn
    # into the page) and in the steps table.
    assert '<div class="flowchart"' in archived and "<svg" in archived and "lost-register" not in archived
    assert '<strong class="gap__mark">To be determined</strong>' in archived
