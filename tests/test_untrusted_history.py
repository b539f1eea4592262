"""An attacker's pull request against the change-control paths (check --base, check --history, build):
values of the wrong size or script, links and folders where files belong, a procedure folder that is
gone. Each gets located errors and exit 1 (or a build), never a Python traceback."""
from __future__ import annotations

import shutil

import pytest

from conftest import run_cli
from generators.control import withdrawal
from generators.source.safefs import read_source
from test_history_check import SHARED, USES_SHARED, check, commit, edit, repo, write  # noqa: F401  (repo: fixture)
from test_revisions import BASE, git

# An amendment number of 5,000 digits: int() refuses a text of over 4,300 digits with a ValueError.
HUGE_VERSION = "A/" + "9" * 5000


def no_traceback(result) -> None:
    assert "Traceback" not in result.stdout + result.stderr, result.stderr[-2000:]


def test_a_version_of_thousands_of_digits_is_a_version_format_error_in_check_base_and_history(repo):
    edit(repo, "test.yaml", "  - version: A/1\n", f"  - version: {HUGE_VERSION}\n")
    edit(repo, "test.yaml", "\nversion: A/1\n", f"\nversion: {HUGE_VERSION}\n")
    result = check(repo, "--base", "HEAD")
    no_traceback(result)
    assert result.returncode == 1 and "[version-format]" in result.stdout, result.stdout[-2000:]
    commit(repo, "a huge version")
    result = check(repo, "--history")
    no_traceback(result)
    assert result.returncode == 1 and "[version-format]" in result.stdout, result.stdout[-2000:]


def test_a_shared_file_linked_to_a_missing_folder_is_a_symlink_error_in_check_base(repo):
    (repo / "procedure" / "_shared.yaml").symlink_to("/nonexistent-folder/_shared.yaml")
    result = check(repo, "--base", "HEAD")
    no_traceback(result)
    assert result.returncode == 1 and "procedure/_shared.yaml:1:1: error: " in result.stdout
    assert "[file-symlink]" in result.stdout


def test_a_shared_file_linked_outside_the_repository_is_not_read_by_check_base(tmp_path):
    project = tmp_path / "repo"
    (project / "procedure").mkdir(parents=True)
    write(project, "_shared.yaml", SHARED)
    write(project, "test.yaml", USES_SHARED)
    git(project, "init", "-q", "-b", "main")
    commit(project, "QP-T-01 with the shared clerk")
    outside = tmp_path / "outside.yaml"
    outside.write_text(SHARED, encoding="utf-8")  # the same declaration, but not the repository's
    (project / "procedure" / "_shared.yaml").unlink()
    (project / "procedure" / "_shared.yaml").symlink_to(outside)
    result = check(project, "--base", "HEAD")
    no_traceback(result)
    assert result.returncode == 1 and "[file-symlink]" in result.stdout
    # Read through the link, the shared clerk would look unchanged; unread, the procedure lost it.
    assert "content changed since HEAD but the version is still A/1 [change-no-bump]" in result.stdout, result.stdout


def test_a_shared_file_that_is_a_folder_is_not_a_crash_of_check_base(repo):
    (repo / "procedure" / "_shared.yaml").mkdir()
    (repo / "procedure" / "_shared.yaml" / "x").write_text("roles: []\n", encoding="utf-8")
    result = check(repo, "--base", "HEAD")
    no_traceback(result)
    assert result.returncode == 0, result.stdout


def test_read_source_refuses_a_folder_with_a_diagnostic_not_an_exception(tmp_path):
    data, problem = read_source(tmp_path, 1000)
    assert data is None and problem.rule == "file-unreadable" and "not a regular file" in problem.message


def test_check_history_after_the_whole_procedure_folder_is_deleted_reports_the_deletion(repo):
    shutil.rmtree(repo / "procedure")
    commit(repo, "remove every procedure")
    result = check(repo, "--history")
    no_traceback(result)
    assert result.returncode == 1, result.stdout
    assert "test (QP-T-01) was deleted without a withdrawal record [deleted-without-withdrawal]" in result.stdout


def test_check_history_with_the_procedure_folder_a_dangling_link_reports_the_link_and_the_deletion(repo):
    shutil.rmtree(repo / "procedure")
    (repo / "procedure").symlink_to("/nonexistent-folder")
    commit(repo, "procedure folder replaced by a link")
    result = check(repo, "--history")
    no_traceback(result)
    assert result.returncode == 1 and "[file-symlink]" in result.stdout, result.stdout
    assert "[deleted-without-withdrawal]" in result.stdout


def test_registers_are_not_read_through_a_linked_procedure_folder(repo, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "_deviations.yaml").write_text("""deviations:
  - id: DEV-ELSEWHERE
    procedure: QP-T-01
    commit: abcdef1
    what: {zh: 无, en: None}
    assessment: {zh: 无, en: None}
    accepted_by: 丙
    accepted_on: 2026-11-27
""", encoding="utf-8")
    shutil.rmtree(repo / "procedure")
    (repo / "procedure").symlink_to(elsewhere)
    result = check(repo, "--history")
    no_traceback(result)
    assert result.returncode == 1 and "[file-symlink]" in result.stdout
    assert "DEV-ELSEWHERE" not in result.stdout, result.stdout


def test_a_whole_number_of_thousands_of_digits_is_a_type_error_not_a_crash(repo):
    edit(repo, "test.yaml", "    rows: 5\n", "    rows: " + "5" * 5000 + "\n")
    result = check(repo)
    no_traceback(result)
    assert result.returncode == 1 and "'rows': expected a whole number, found text '5555" in result.stdout, \
        result.stdout[-2000:]
    assert "5' [type]" in result.stdout


def test_a_clause_numbered_with_a_superscript_or_thousands_of_digits_builds(repo):
    clauses = ("clauses:\n"
               "  - number: \"²\"\n    title: {zh: 总则, en: General}\n    text: {zh: 内容。, en: Text.}\n"
               f"  - number: \"{'4' * 5000}\"\n    title: {{zh: 要求, en: Requirements}}\n"
               "    text: {zh: 内容。, en: Text.}\n")
    edit(repo, "test.yaml", "objectives:\n", clauses + "objectives:\n")
    assert check(repo).returncode == 0
    result = run_cli("build", "--no-pdf", "--today", "2026-11-27", cwd=repo)
    no_traceback(result)
    assert result.returncode == 0, result.stderr[-2000:]


def fixed_forward(text: str) -> str:
    """``text`` at A/2 with a complete entry (the state after a bad A/1 is fixed forward)."""
    entry = ("  - version: A/2\n    date: 2026-11-03\n    changes: [{zh: 改正, en: Corrected}]\n"
             "    changed_by: 甲\n    reviewed_by: 乙\n    approved_by: 丙\nscope:")
    return text.replace("\nversion: A/1\n", "\nversion: A/2\n", 1).replace("scope:", entry, 1)


def test_an_archived_revision_whose_step_ids_are_not_ids_builds_with_its_chart(repo):
    # main's history is never rewritten: a revision merged with bad step ids stays, and its page draws its chart
    edit(repo, "test.yaml", "  - id: record\n", "  - id: ../../Record step\n")
    edit(repo, "test.yaml", "steps: [record]", "steps: ['../../Record step']")
    commit(repo, "A/1 with a step id that is no id")
    write(repo, "test.yaml", fixed_forward(BASE))
    commit(repo, "A/2 fixes it forward")
    assert check(repo).returncode == 0
    result = run_cli("build", "--no-pdf", "--today", "2026-11-27", cwd=repo)
    no_traceback(result)
    assert result.returncode == 0, result.stderr[-2000:]
    assert (repo / "docs" / "library" / "test" / "history" / "a-1.en.md").is_file()


def test_a_withdrawn_procedure_whose_form_id_climbs_out_builds_its_form_page_inside_the_library(repo, tmp_path):
    write(repo, "other.yaml", BASE.replace("QP-T-01", "QP-T-02").replace("QR-T-01", "QR-T-02")
          .replace("  - id: log\n", "  - id: ../../../../escaped\n"))
    commit(repo, "QP-T-02 with a form id that is no id")
    (repo / "procedure" / "other.yaml").unlink()
    write(repo, "_withdrawn.yaml", """withdrawn:
  - number: QP-T-02
    file: other
    date: 2026-11-20
    reason: {zh: 废止, en: Withdrawn}
    approved_by: 丙
""")
    commit(repo, "QP-T-02 withdrawn")
    assert check(repo, "--history").returncode == 0  # change control was kept: what check accepts must build
    result = run_cli("build", "--no-pdf", "--today", "2026-11-27", cwd=repo)
    no_traceback(result)
    assert result.returncode == 0, result.stderr[-2000:]
    assert not list(tmp_path.rglob("escaped*"))
    assert list((repo / "docs" / "library" / "other").glob("form-x_*.en.md"))


def test_check_base_and_history_work_in_a_checkout_whose_folder_name_ends_in_a_space(tmp_path):
    project = tmp_path / "repo "
    (project / "procedure").mkdir(parents=True)
    write(project, "test.yaml", BASE)
    git(project, "init", "-q", "-b", "main")
    commit(project, "QP-T-01 A/1")
    edit(project, "test.yaml", "title: {zh: 测试程序", "title: {zh: 月度测试程序")
    result = check(project, "--base", "HEAD")
    no_traceback(result)
    assert result.returncode == 1 and "[change-no-bump]" in result.stdout, result.stdout
    commit(project, "edit")
    result = check(project, "--history")
    assert result.returncode == 1 and "[modified-after-approval]" in result.stdout, result.stdout


@pytest.mark.parametrize("date, problem", [("٢٠٢٦-١١-٢٠", "is not a date of the form YYYY-MM-DD"),
                                           ("２０２６-１１-２０", "is not a date of the form YYYY-MM-DD"),
                                           ("2026-02-30", "is not a calendar date")])
def test_a_withdrawal_dated_in_other_digits_or_on_no_calendar_day_is_an_error_not_a_record(tmp_path, date, problem):
    # '٢٠٢٦-١١-٢٠' compares after every ASCII date: accepted, the withdrawal would never take effect
    (tmp_path / "_withdrawn.yaml").write_text(f"""withdrawn:
  - number: QP-T-02
    file: other
    date: "{date}"
    reason: {{zh: 废止, en: Withdrawn}}
    approved_by: 丙
""", encoding="utf-8")
    records, diags = withdrawal.load(tmp_path)
    # located at the date itself (line 4), under the register's rule
    assert records == [] and [d.format() for d in diags] == [
        f"{tmp_path / '_withdrawn.yaml'}:4:5: error: withdrawal of QP-T-02: date '{date}' {problem} [withdrawal-record]\n"
        f"    hint: {DATE_HINTS[problem]}"]


DATE_HINTS = {"is not a date of the form YYYY-MM-DD": "write the year, month and day in that order, with four, two and two digits",
              "is not a calendar date": "that day does not exist: check the month and the day against the signed record"}


def test_an_archived_revision_whose_role_has_no_name_builds_with_its_chart(tmp_path):
    repo = tmp_path / "repo"
    (repo / "procedure").mkdir(parents=True)
    write(repo, "test.yaml", BASE.replace("  - id: clerk\n    name: {zh: 文员, en: Clerk}\n", "  - id: clerk\n    name: [文员]\n"))
    git(repo, "init", "-q", "-b", "main")
    commit(repo, "A/1 with a role name written as a list")
    write(repo, "test.yaml", fixed_forward(BASE))
    commit(repo, "A/2 fixes it forward")
    assert check(repo, "--history").returncode == 0  # what check accepts must build
    result = run_cli("build", "--no-pdf", "--today", "2026-11-27", cwd=repo)
    no_traceback(result)
    assert result.returncode == 0, result.stderr[-2000:]


@pytest.mark.parametrize("ref", ["--output=written.txt", "no-such-branch"])
def test_a_history_ref_that_is_no_commit_is_a_usage_error_not_a_silent_pass(repo, ref):
    result = check(repo, "--history", f"--history-ref={ref}")
    assert result.returncode == 2 and f"--history-ref {ref}: no such git revision" in result.stderr, result.stdout
    assert not (repo / "written.txt").exists()


def test_a_history_ref_written_as_a_git_option_is_never_passed_to_git_as_one(repo):
    from generators.control.approvals import walk

    walked = walk(repo / "procedure", "--output=written.txt")
    assert walked.lineages == () and not (repo / "written.txt").exists()


def test_a_blank_form_prints_at_most_the_schema_s_forty_ruled_rows_whatever_its_unchecked_rows_say():
    # a form version from main's history is printed as it was, never checked: rows: 100000000 must not hang the build
    from generators.source.loader import load_bytes
    from generators.render.printable import form_html

    proc, _ = load_bytes("old.yaml", BASE.replace("    rows: 5\n", "    rows: 100000\n").encode(), "old")
    html = form_html(proc, proc.forms[0], "en", "2026-11-27")
    assert html.split('<table class="rows">')[1].split("</tbody>")[0].count("<tr>") == 1 + 40  # the heading, 40 rows


@pytest.mark.parametrize("name", ["..yaml", "roles.yaml"])
def test_a_withdrawn_procedure_whose_file_name_was_no_procedure_id_builds_in_a_folder_of_its_own(repo, name):
    # check refuses such names in the working tree, but main's history is never checked: '..yaml' put the
    # withdrawn procedure's pages in library/ itself (over the library's index), 'roles.yaml' over the role index
    write(repo, name, BASE.replace("QP-T-01", "QP-T-02").replace("QR-T-01", "QR-T-02"))
    commit(repo, f"QP-T-02 as {name}")
    (repo / "procedure" / name).unlink()
    write(repo, "_withdrawn.yaml", f"""withdrawn:
  - number: QP-T-02
    file: '{name.removesuffix('.yaml')}'
    date: 2026-11-20
    reason: {{zh: 废止, en: Withdrawn}}
    approved_by: 丙
""")
    commit(repo, "QP-T-02 withdrawn")
    result = run_cli("build", "--no-pdf", "--today", "2026-11-27", cwd=repo)
    no_traceback(result)
    assert result.returncode == 0, result.stderr[-2000:]
    library = repo / "docs" / "library"
    assert not (library / "form-log.en.md").exists() and not (library / "roles" / "form-log.en.md").exists()
    (folder,) = [p for p in library.glob("x-*") if p.is_dir()]
    assert "QP-T-02" in (folder / "index.en.md").read_text(encoding="utf-8")
    assert "QP-T-02" not in (library / "roles" / "index.en.md").read_text(encoding="utf-8")
