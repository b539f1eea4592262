"""check --history and check --base over real git repositories: approval bound to content, shared
declarations, withdrawal, renames, form versions, recorded deviations."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from conftest import ROOT, needs_repository_history, replaced, run_cli
from generators.control.change_control import next_versions
from generators.control.approvals import walk
from generators.control.history_check import check_folder, findings
from generators.source.diagnostics import Severity
from test_revisions import BASE, git

TODAY = "2026-11-27"
SHARED = """roles:
  - id: clerk
    name: {zh: 文员, en: Clerk}
"""
USES_SHARED = BASE.replace("  - id: clerk\n    name: {zh: 文员, en: Clerk}\n", "  - {ref: clerk}\n")
SECOND = USES_SHARED.replace("number: QP-T-01", "number: QP-T-02").replace("number: QR-T-01", "number: QR-T-02")


def write(repo: Path, name: str, text: str) -> None:
    (repo / "procedure" / name).write_text(text, encoding="utf-8")


def edit(repo: Path, name: str, old: str, new: str) -> None:
    text = (repo / "procedure" / name).read_text(encoding="utf-8")
    assert old in text, old
    write(repo, name, text.replace(old, new, 1))


def commit(repo: Path, message: str) -> str:
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", message)
    return git(repo, "rev-parse", "HEAD").strip()


def revise(text: str, version: str) -> str:
    """A new version with a complete entry (dated as the approval block, as the rules require)."""
    entry = (f"  - version: {version}\n    date: 2026-11-03\n    changes: [{{zh: 调整, en: Adjusted}}]\n"
             "    changed_by: 甲\n    reviewed_by: 乙\n    approved_by: 丙\nscope:")
    return text.replace("\nversion: A/1\n", f"\nversion: {version}\n", 1).replace("scope:", entry, 1)


def title_edit_deviation(edited: str) -> str:
    """_deviations.yaml accepting the title edit made after approval in commit ``edited``."""
    return f"""deviations:
  - id: DEV-1
    procedure: QP-T-01
    commit: {edited[:9]}
    what: {{zh: 批准后修改标题, en: Title edited after approval}}
    assessment: {{zh: 可接受, en: Acceptable}}
    accepted_by: 丙
    accepted_on: 2026-11-27
    fixed_by: A/2
"""


def check(repo: Path, *args: str):
    return run_cli("check", *args, "--today", TODAY, cwd=repo)


@pytest.fixture
def repo(tmp_path) -> Path:
    """procedure/test.yaml (QP-T-01 A/1) committed on main."""
    project = tmp_path / "repo"
    (project / "procedure").mkdir(parents=True)
    write(project, "test.yaml", BASE)
    git(project, "init", "-q", "-b", "main")
    commit(project, "QP-T-01 A/1")
    return project


@pytest.fixture
def shared_repo(tmp_path) -> Path:
    """Two procedures using the shared role 'clerk' from _shared.yaml."""
    project = tmp_path / "shared"
    (project / "procedure").mkdir(parents=True)
    write(project, "_shared.yaml", SHARED)
    write(project, "one.yaml", USES_SHARED)
    write(project, "two.yaml", SECOND)
    git(project, "init", "-q", "-b", "main")
    commit(project, "two procedures")
    return project


def test_edit_after_approval_without_a_new_version_fails_the_history_check(repo):
    approval = git(repo, "rev-parse", "HEAD").strip()
    edited = (edit(repo, "test.yaml", "title: {zh: 报告", "title: {zh: 月度报告"), commit(repo, "edit"))[1]
    result = check(repo, "--history")
    assert result.returncode == 1, result.stdout
    assert f"procedure/test.yaml:3:1: error: commit {edited[:7]} " in result.stdout
    assert "A/1: content of A/1 changed in the file after its approval, without a new version [modified-after-approval]" in result.stdout
    (lineage,) = walk(repo / "procedure").lineages
    (record,) = lineage.versions()
    assert record.approval.commit.sha == approval  # the first step that held A/1, not the last
    assert [m.commit.sha for m in record.modifications] == [edited]
    assert record.approval.fingerprint != record.last.fingerprint


def test_a_version_edited_twice_after_approval_is_archived_as_last_published(repo):
    from generators.control.history import histories

    edit(repo, "test.yaml", "title: {zh: 报告", "title: {zh: 月度报告")
    first = commit(repo, "first edit")
    edit(repo, "test.yaml", "title: {zh: 月度报告", "title: {zh: 季度报告")
    second = commit(repo, "second edit")
    (history,) = histories(repo / "procedure")[0].values()
    (archived,) = history.revisions
    assert [m.commit.sha for m in archived.modifications] == [first, second]
    # the content as last published (read at the second edit), not as the first edit left it
    assert archived.procedure.path == f"procedure/test.yaml@{second[:7]}"
    assert [s.title.zh for s in archived.procedure.steps if s.id == "report"] == ["季度报告"]


def test_a_comment_or_layout_change_is_not_a_content_change(repo):
    edit(repo, "test.yaml", "number: QP-T-01", "number: QP-T-01   # 编号")
    commit(repo, "comment")
    result = check(repo, "--history")
    assert result.returncode == 0 and "0 warning(s)" in result.stdout, result.stdout


def test_a_recorded_deviation_acknowledges_the_violation_and_the_check_passes(repo):
    edit(repo, "test.yaml", "title: {zh: 报告", "title: {zh: 月度报告")
    edited = commit(repo, "edit")
    write(repo, "_deviations.yaml", title_edit_deviation(edited))
    commit(repo, "deviation")
    result = check(repo, "--history")
    assert result.returncode == 0, result.stdout


def test_an_incomplete_deviation_record_is_an_error_and_acknowledges_nothing(repo):
    edit(repo, "test.yaml", "title: {zh: 报告", "title: {zh: 月度报告")
    edited = commit(repo, "edit")
    write(repo, "_deviations.yaml", f"deviations:\n  - id: DEV-1\n    procedure: QP-T-01\n    commit: {edited[:7]}\n")
    result = check(repo, "--history")
    assert result.returncode == 1
    assert "procedure/_deviations.yaml:2:5: error: deviation DEV-1: no accepted_by [deviation-record]" in result.stdout
    assert "[modified-after-approval]" in result.stdout


def test_a_merged_pull_request_is_one_step_whatever_commits_it_held(repo):
    git(repo, "switch", "-qc", "revise")
    write(repo, "test.yaml", revise(BASE, "A/2"))
    commit(repo, "A/2 first draft")
    edit(repo, "test.yaml", "title: {zh: 报告", "title: {zh: 月度报告")
    commit(repo, "A/2 reviewed")
    git(repo, "switch", "-q", "main")
    git(repo, "merge", "-q", "--no-ff", "revise", "-m", "Merge pull request: A/2")
    result = check(repo, "--history")
    assert result.returncode == 0, result.stdout
    (lineage,) = walk(repo / "procedure").lineages
    assert lineage.versions()[-1].approval.commit.sha == git(repo, "rev-parse", "HEAD").strip()


def test_a_deviation_recorded_in_the_pull_request_names_its_commit_and_covers_the_merge_step(repo):
    # The record is written (and signed) on the branch, before main's step, the merge, exists.
    git(repo, "switch", "-qc", "punctuation")
    edit(repo, "test.yaml", "title: {zh: 报告", "title: {zh: 月度报告")
    edited = commit(repo, "edit after approval")
    write(repo, "_deviations.yaml", title_edit_deviation(edited))
    commit(repo, "record the deviation")
    assert check(repo, "--history").returncode == 0
    git(repo, "switch", "-q", "main")
    edit(repo, "test.yaml", "number: QP-T-01", "number: QP-T-01   # main moved on")
    commit(repo, "a comment on main")
    git(repo, "merge", "-q", "--no-ff", "punctuation", "-m", "Merge pull request: punctuation")
    merge = git(repo, "rev-parse", "HEAD").strip()
    result = check(repo, "--history")
    assert result.returncode == 0 and "[deviation-unused]" not in result.stdout, result.stdout
    # a commit the merge did not bring in (already on main) covers nothing there
    write(repo, "_deviations.yaml", title_edit_deviation(git(repo, "rev-parse", "HEAD^1").strip()))
    commit(repo, "the record names main's previous step")
    result = check(repo, "--history")
    assert result.returncode == 1
    assert f"error: commit {merge[:7]} " in result.stdout and "[modified-after-approval]" in result.stdout


def test_a_shared_role_change_names_every_procedure_that_uses_it(shared_repo):
    write(shared_repo, "_shared.yaml", SHARED.replace("文员", "办事员"))
    result = check(shared_repo, "--base", "HEAD")
    assert result.returncode == 1, result.stdout
    for name in ("one", "two"):
        assert f"procedure/{name}.yaml:3:1: error: procedure QP-T-0" in result.stdout
    assert result.stdout.count("[shared-change-no-bump]") == 2
    assert "uses role 'clerk' changed in _shared.yaml since HEAD" in result.stdout
    changed = commit(shared_repo, "rename the clerk")
    history = check(shared_repo, "--history")
    assert history.returncode == 1
    assert history.stdout.count(f"commit {changed[:7]}") == 2
    assert "changed through procedure/_shared.yaml" in history.stdout


def test_a_shared_change_with_a_new_revision_of_each_user_passes(shared_repo):
    write(shared_repo, "_shared.yaml", SHARED.replace("文员", "办事员"))
    for name in ("one.yaml", "two.yaml"):
        write(shared_repo, name, revise((shared_repo / "procedure" / name).read_text(encoding="utf-8"), "A/2"))
    assert check(shared_repo, "--base", "HEAD").returncode == 0
    commit(shared_repo, "clerk renamed, both procedures revised")
    result = check(shared_repo, "--history")
    assert result.returncode == 0, result.stdout


def test_deleting_a_procedure_without_a_withdrawal_record_is_an_error(shared_repo):
    git(shared_repo, "rm", "-q", "procedure/two.yaml")
    result = check(shared_repo, "--base", "HEAD")
    assert result.returncode == 1
    assert "procedure/two.yaml:1:1: error: two.yaml (QP-T-02) existed at HEAD and is deleted without a withdrawal record" in result.stdout
    deleted = commit(shared_repo, "delete")
    history = check(shared_repo, "--history")
    assert history.returncode == 1
    assert f"error: commit {deleted[:7]} " in history.stdout and "[deleted-without-withdrawal]" in history.stdout


WITHDRAWN = """withdrawn:
  - number: QP-T-02
    file: two
    date: 2026-12-01
    reason: {zh: 业务停止, en: The business was discontinued}
    approved_by: 丙
"""


def test_a_withdrawal_record_makes_the_deletion_legitimate(shared_repo):
    git(shared_repo, "rm", "-q", "procedure/two.yaml")
    write(shared_repo, "_withdrawn.yaml", WITHDRAWN)
    assert check(shared_repo, "--base", "HEAD").returncode == 0
    commit(shared_repo, "withdraw QP-T-02")
    result = check(shared_repo, "--history")
    assert result.returncode == 0, result.stdout


def test_a_procedure_renumbered_before_its_withdrawal_is_withdrawn_under_its_last_number(shared_repo):
    write(shared_repo, "two.yaml", revise(SECOND.replace("number: QP-T-02", "number: QP-T-09"), "A/2"))
    commit(shared_repo, "QP-T-02 renumbered QP-T-09, A/2")
    git(shared_repo, "rm", "-q", "procedure/two.yaml")
    write(shared_repo, "_withdrawn.yaml", WITHDRAWN.replace("QP-T-02", "QP-T-09"))
    commit(shared_repo, "withdraw QP-T-09")
    result = check(shared_repo, "--history")
    assert (result.returncode, result.stdout) == (0, "OK: 1 procedure checked, 0 warning(s)\n")


def test_a_withdrawn_number_is_never_used_again(shared_repo):
    git(shared_repo, "rm", "-q", "procedure/two.yaml")
    write(shared_repo, "_withdrawn.yaml", WITHDRAWN)
    commit(shared_repo, "withdraw QP-T-02")
    write(shared_repo, "three.yaml", SECOND.replace("QR-T-02", "QR-T-03"))
    result = check(shared_repo)
    assert result.returncode == 1
    assert "procedure/three.yaml:2:1: error: document number QP-T-02 belongs to a withdrawn procedure (two, withdrawn 2026-12-01) [number-reused]" in result.stdout
    commit(shared_repo, "reuse")
    assert "[number-reused]" in check(shared_repo, "--history").stdout


def test_an_incomplete_withdrawal_record_is_an_error(shared_repo):
    write(shared_repo, "_withdrawn.yaml", "withdrawn:\n  - number: QP-T-02\n    file: two\n")
    result = check(shared_repo)
    assert result.returncode == 1 and "withdrawal of QP-T-02: no reason [withdrawal-record]" in result.stdout


def test_a_rename_keeps_the_history_of_every_revision(repo):
    write(repo, "test.yaml", revise(BASE.replace("title: {zh: 报告", "title: {zh: 月度报告"), "A/2"))
    commit(repo, "A/2")
    git(repo, "mv", "procedure/test.yaml", "procedure/renamed.yaml")
    assert check(repo, "--base", "HEAD").returncode == 0
    commit(repo, "rename")
    result = check(repo, "--history")
    assert result.returncode == 0, result.stdout
    (lineage,) = walk(repo / "procedure").lineages
    assert lineage.slugs == ("test", "renamed") and [r.version for r in lineage.versions()] == ["A/1", "A/2"]


def test_changing_a_form_without_a_form_version_is_an_error(repo):
    revised = revise(BASE, "A/2").replace("label: {zh: 日期, en: Date}", "label: {zh: 登记日期, en: Date recorded}")
    write(repo, "test.yaml", revised)
    result = check(repo, "--base", "HEAD")
    assert result.returncode == 1
    assert "error: form QR-T-01 changed since HEAD but its version is still A/0 [form-change-no-bump]" in result.stdout
    commit(repo, "form changed")
    assert "form QR-T-01 changed but its version is still A/0 [form-change-no-bump]" in check(repo, "--history").stdout


def test_a_form_version_bump_with_the_change_passes(repo):
    write(repo, "test.yaml", revise(BASE, "A/2").replace("label: {zh: 日期, en: Date}", "label: {zh: 登记日期, en: Date recorded}")
          .replace("    version: A/0\n", "    version: A/1\n"))
    result = check(repo, "--base", "HEAD")
    assert result.returncode == 0, result.stdout


def test_two_forms_with_one_number_are_an_error(tmp_path):
    folder = tmp_path / "procedure"
    folder.mkdir()
    (folder / "one.yaml").write_text(BASE, encoding="utf-8")
    (folder / "two.yaml").write_text(BASE.replace("number: QP-T-01", "number: QP-T-02").replace("  - id: log\n", "  - id: ledger\n")
                                     .replace("outputs: [log]", "outputs: [ledger]"), encoding="utf-8")
    result = run_cli("check", "--today", TODAY, cwd=tmp_path)
    assert result.returncode == 1
    assert "error: form number QR-T-01 is also used by form 'log' in procedure/one.yaml [duplicate-form-number]" in result.stdout


def test_a_shallow_clone_warns_that_the_history_is_not_verified(repo, tmp_path):
    edit(repo, "test.yaml", "title: {zh: 报告", "title: {zh: 月度报告")
    commit(repo, "edit")
    shallow = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo}", str(shallow)], check=True)
    result = check(shallow, "--history")
    assert "warning: shallow git clone: the history is incomplete, so change control over it is NOT verified [history-shallow]" in result.stdout
    assert "0 warning(s)" not in result.stdout


@needs_repository_history
def test_the_shipped_history_passes_only_with_its_recorded_deviations(tmp_path):
    if subprocess.run(["git", "rev-parse", "--is-shallow-repository"], cwd=ROOT, capture_output=True, text=True).stdout.strip() == "true":
        pytest.skip("shallow clone: git history is incomplete here")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
    result = check(clone, "--history")
    assert result.returncode == 0, result.stdout
    (clone / "procedure" / "_deviations.yaml").unlink()
    unacknowledged = check(clone, "--history")
    assert unacknowledged.returncode == 1
    assert "commit af07872 (2026-11-26), A/1: content of A/1 changed in the file after its approval" in unacknowledged.stdout
    assert "commit 805a91c (2026-11-26), A/0: first issue A/0 published without a revision-log entry" in unacknowledged.stdout


def test_rewriting_a_published_revision_entry_fails_the_history_check(repo):
    edit(repo, "test.yaml", "changes: [{zh: 修改, en: Changed}]", "changes: [{zh: 修改标题, en: Title changed}]")
    rewritten = commit(repo, "reword the A/1 entry")
    result = check(repo, "--history")
    assert result.returncode == 1
    assert f"commit {rewritten[:7]} " in result.stdout
    assert "revision-log entry A/1 was changed or removed after it was published [revision-log-rewritten]" in result.stdout


def test_a_changed_form_is_reported_at_the_form_with_its_hint_and_other_forms_are_left_alone(repo):
    # A new form beside the changed one (not in the base) is not a change of a form.
    added = ("forms:\n  - id: extra\n    number: QR-T-09\n    version: A/0\n    title: {zh: 附表, en: Annex}\n"
             "    owner: clerk\n    retention: {zh: 1年, en: 1 year}\n"
             "    fields:\n      - {id: note, label: {zh: 备注, en: Note}, kind: text}\n")
    revised = revise(BASE, "A/2").replace("label: {zh: 日期, en: Date}", "label: {zh: 登记日期, en: Date recorded}")
    assert "forms:\n" in revised
    write(repo, "test.yaml", revised.replace("forms:\n", added, 1))
    result = check(repo, "--base", "HEAD")
    line = next(i for i, text in enumerate((repo / "procedure" / "test.yaml").read_text(encoding="utf-8").splitlines(), 1)
                if text.strip() == "- id: log")
    lines = result.stdout.splitlines()
    at = next(i for i, text in enumerate(lines) if "[form-change-no-bump]" in text)  # the new form is only orphaned
    assert lines[at:at + 2] == [
        f"procedure/test.yaml:{line}:5: error: form QR-T-01 changed since HEAD but its version is still A/0 [form-change-no-bump]",
        "    hint: a form is a controlled document: give it a new version (e.g. A/0 -> A/1) with the change"], result.stdout
    assert result.stdout.count("[form-change-no-bump]") == 1


def test_a_deletion_and_a_shared_change_say_what_to_do(shared_repo):
    write(shared_repo, "_shared.yaml", SHARED.replace("文员", "办事员"))
    result = check(shared_repo, "--base", "HEAD")
    assert ("procedure/one.yaml:3:1: error: procedure QP-T-01 uses role 'clerk' changed in _shared.yaml since HEAD: "
            "its content changed, so it needs a new version and a revision entry [shared-change-no-bump]\n"
            "    hint: issue a new revision of each procedure that uses the changed declaration: "
            "make new-revision FILE=procedure/one.yaml") in result.stdout, result.stdout
    write(shared_repo, "_shared.yaml", SHARED)
    git(shared_repo, "rm", "-q", "procedure/two.yaml")
    result = check(shared_repo, "--base", "HEAD")
    assert ("procedure/two.yaml:1:1: error: two.yaml (QP-T-02) existed at HEAD and is deleted without a withdrawal record [deleted-without-withdrawal]\n"
            "    hint: add a withdrawal record (number, file, date, reason, approved_by) to procedure/_withdrawn.yaml, "
            "or restore the file") in result.stdout, result.stdout


def test_an_edit_of_the_file_itself_is_not_blamed_on_the_shared_declarations(shared_repo):
    edit(shared_repo, "one.yaml", "title: {zh: 报告", "title: {zh: 月度报告")
    result = check(shared_repo, "--base", "HEAD")
    assert "[change-no-bump]" in result.stdout and "[shared-change-no-bump]" not in result.stdout, result.stdout
    assert "error: content changed since HEAD but the version is still A/1 [change-no-bump]" in result.stdout


def test_a_new_or_unreadable_file_does_not_stop_the_comparison_of_the_others(shared_repo):
    # Files are compared in name order: a new file and one unreadable at the base come before 'one'
    # and 'two'; the unbumped edits of both must still be found.
    write(shared_repo, "broken.yaml", "number: [\n")
    commit(shared_repo, "a file unreadable at the base")
    write(shared_repo, "broken.yaml", SECOND.replace("QP-T-02", "QP-T-03").replace("QR-T-02", "QR-T-03"))
    write(shared_repo, "added.yaml", SECOND.replace("QP-T-02", "QP-T-04").replace("QR-T-02", "QR-T-04"))
    for name in ("one.yaml", "two.yaml"):
        edit(shared_repo, name, "title: {zh: 报告", "title: {zh: 月度报告")
    result = check(shared_repo, "--base", "HEAD")
    assert result.stdout.count("[change-no-bump]") == 2, result.stdout


def test_a_procedure_renumbered_in_place_is_not_a_deletion(shared_repo):
    edit(shared_repo, "two.yaml", "number: QP-T-02", "number: QP-T-05")
    result = check(shared_repo, "--base", "HEAD")
    assert "[deleted-without-withdrawal]" not in result.stdout, result.stdout


def test_a_deleted_file_without_a_number_is_named_by_its_file(shared_repo):
    # Files at the base that were never readable procedures: empty, plain text, a mapping without a
    # number. Deleting them still needs a record, and the message names the file (no number to name).
    write(shared_repo, "empty.yaml", "")
    write(shared_repo, "notes.yaml", "just some text\n")
    write(shared_repo, "untitled.yaml", "title: {zh: 草稿, en: Draft}\n")
    commit(shared_repo, "three files that are not procedures")
    for name in ("empty.yaml", "notes.yaml", "untitled.yaml"):
        git(shared_repo, "rm", "-q", f"procedure/{name}")
    result = check(shared_repo, "--base", "HEAD")
    assert [line for line in result.stdout.splitlines() if "[deleted-without-withdrawal]" in line] == [
        f"procedure/{name}:1:1: error: {name} (no number) existed at HEAD and is deleted without a withdrawal record "
        "[deleted-without-withdrawal]" for name in ("empty.yaml", "notes.yaml", "untitled.yaml")], result.stdout


def test_a_rename_does_not_hide_a_deletion_after_it(shared_repo):
    # 'one' (renamed, same number: not a deletion) comes before 'two' (deleted) in name order.
    git(shared_repo, "mv", "procedure/one.yaml", "procedure/uno.yaml")
    git(shared_repo, "rm", "-q", "procedure/two.yaml")
    result = check(shared_repo, "--base", "HEAD")
    assert [line for line in result.stdout.splitlines() if "[deleted-without-withdrawal]" in line] == [
        "procedure/two.yaml:1:1: error: two.yaml (QP-T-02) existed at HEAD and is deleted without a withdrawal record "
        "[deleted-without-withdrawal]"], result.stdout


def test_a_changed_form_without_a_number_is_named_by_its_id(repo):
    edit(repo, "test.yaml", "    number: QR-T-01\n", "")
    commit(repo, "a form without a number")
    edit(repo, "test.yaml", "label: {zh: 日期, en: Date}", "label: {zh: 登记日期, en: Date recorded}")
    result = check(repo, "--base", "HEAD")
    assert [line.split(": error: ")[1] for line in result.stdout.splitlines() if "[form-change-no-bump]" in line] == [
        "form log changed since HEAD but its version is still A/0 [form-change-no-bump]"], result.stdout


TWO_SHARED_ROLES = SHARED + """  - id: manager
    name: {zh: 经理, en: Manager}
"""


def test_a_shared_change_names_every_changed_declaration_the_procedure_uses(shared_repo):
    write(shared_repo, "_shared.yaml", TWO_SHARED_ROLES)
    edit(shared_repo, "one.yaml", "  - id: manager\n    name: {zh: 经理, en: Manager}\n", "  - {ref: manager}\n")
    commit(shared_repo, "the manager is shared too")
    write(shared_repo, "_shared.yaml", TWO_SHARED_ROLES.replace("文员", "办事员").replace("经理", "主管"))
    result = check(shared_repo, "--base", "HEAD")
    assert ("procedure/one.yaml:3:1: error: procedure QP-T-01 uses role 'clerk', role 'manager' changed in _shared.yaml "
            "since HEAD: its content changed, so it needs a new version and a revision entry [shared-change-no-bump]"
            in result.stdout), result.stdout


def test_a_removed_shared_declaration_is_a_change_of_the_procedures_that_used_it(shared_repo):
    write(shared_repo, "_shared.yaml", "roles: []\n")
    result = check(shared_repo, "--base", "HEAD")
    assert result.returncode == 1
    assert ("procedure/one.yaml:3:1: error: procedure QP-T-01 uses shared declarations changed in _shared.yaml "
            "since HEAD: its content changed, so it needs a new version and a revision entry [shared-change-no-bump]"
            in result.stdout), result.stdout


def test_a_shared_change_of_a_procedure_without_a_version_is_reported_at_its_first_key(shared_repo):
    edit(shared_repo, "one.yaml", "\nversion: A/1\n", "\n")
    commit(shared_repo, "a procedure without a version")
    write(shared_repo, "_shared.yaml", SHARED.replace("文员", "办事员"))
    result = check(shared_repo, "--base", "HEAD")
    assert ("procedure/one.yaml:2:1: error: procedure QP-T-01 uses role 'clerk' changed in _shared.yaml since HEAD"
            in result.stdout), result.stdout


def test_an_id_written_as_a_list_is_reported_not_a_crash_of_the_comparison(repo):
    edit(repo, "test.yaml", "  - id: log\n", "  - id: [log]\n")
    commit(repo, "a form id written as a list")
    edit(repo, "test.yaml", "label: {zh: 日期, en: Date}", "label: {zh: 登记日期, en: Date recorded}")
    result = check(repo, "--base", "HEAD")
    assert result.returncode == 1 and result.stderr == "", result.stderr
    assert "error: form 1: 'id': expected text, found a list [type]" in result.stdout, result.stdout


# The history check's own diagnostics, whole: rule, position, message and hint (issue #19).

HISTORY_HINT = ("    hint: history is never rewritten: record a deviation in procedure/_deviations.yaml (commit, what happened, "
                "who accepted it, when) and fix it forward with a new revision")
WITHDRAW_HINT = ("    hint: add a withdrawal record (number, file, date, reason, approved_by) to procedure/_withdrawn.yaml, "
                 "or restore the file")
ENTRY_FIELDS = ("    changes: [{zh: 调整, en: Adjusted}]\n", "    changed_by: 甲\n", "    reviewed_by: 乙\n", "    approved_by: 丙\n")


def diagnostics_where(stdout: str, wanted) -> list[str]:
    """The printed diagnostics whose first line ``wanted(line)`` accepts, each with its hint lines, in order."""
    out, keep = [], False
    for line in stdout.splitlines():
        if line.startswith("    "):
            if keep:
                out[-1] += "\n" + line
            continue
        keep = wanted(line)
        if keep:
            out.append(line)
    return out


def history_report(stdout: str) -> list[str]:
    """The diagnostics of `check --history` itself (each with its hint lines), in printed order."""
    return diagnostics_where(stdout, lambda line: ": commit " in line or any(
        f"[{rule}]" in line for rule in ("history-unavailable", "history-shallow", "deviation-unused")))


def step(repo: Path, sha: str) -> str:
    """How a diagnostic names a step of main: its short hash and committer's date."""
    return f"commit {sha[:7]} ({git(repo, 'log', '-1', '--format=%cd', '--date=short', sha).strip()})"


def bump(text: str, old: str, new: str, fields=ENTRY_FIELDS, change: bool = False) -> str:
    """``text`` at version ``new`` with a revision entry of ``fields`` (and its scope changed if ``change``)."""
    entry = f"  - version: {new}\n    date: 2026-11-03\n" + "".join(fields) + "scope:"
    text = text.replace(f"\nversion: {old}\n", f"\nversion: {new}\n", 1).replace("scope:", entry, 1)
    return text.replace("scope: {zh: 范围", "scope: {zh: 范围+", 1) if change else text


def test_outside_a_git_repository_the_history_check_is_one_warning_at_the_folder(tmp_path):
    (tmp_path / "procedure").mkdir()
    write(tmp_path, "test.yaml", BASE)
    result = check(tmp_path, "--history")
    assert history_report(result.stdout) == [
        "procedure:1:1: warning: not a git repository: change control over the history cannot be checked [history-unavailable]\n"
        "    hint: run in a git clone of the repository"], result.stdout


def test_a_shallow_clone_says_how_to_fetch_the_history_and_calls_no_deviation_unused(repo, tmp_path):
    edit(repo, "test.yaml", "title: {zh: 报告", "title: {zh: 月度报告")
    edited = commit(repo, "edit")
    write(repo, "_deviations.yaml", title_edit_deviation(edited))
    commit(repo, "deviation")
    shallow = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo}", str(shallow)], check=True)
    result = check(shallow, "--history")
    assert history_report(result.stdout) == [
        "procedure:1:1: warning: shallow git clone: the history is incomplete, so change control over it is NOT verified "
        "[history-shallow]\n"
        "    hint: fetch the whole history (git fetch --unshallow; in GitHub Actions, actions/checkout with fetch-depth: 0)"], result.stdout


def test_a_deviation_covers_only_its_violation_later_ones_are_errors_and_an_unused_one_is_a_warning(repo):
    first = git(repo, "rev-parse", "HEAD").strip()
    edit(repo, "test.yaml", "title: {zh: 报告", "title: {zh: 月度报告")
    edited = commit(repo, "edit")
    unused = (f"  - id: DEV-2\n    procedure: QP-T-01\n    commit: {first[:9]}\n    what: {{zh: 无, en: Nothing}}\n"
              "    assessment: {zh: 可接受, en: Acceptable}\n    accepted_by: 丙\n    accepted_on: 2026-11-27\n    fixed_by: A/2\n")
    write(repo, "_deviations.yaml", title_edit_deviation(edited) + unused)
    commit(repo, "deviations")
    edit(repo, "test.yaml", "title: {zh: 月度报告", "title: {zh: 周报告")
    again = commit(repo, "edit again")
    result = check(repo, "--history")
    assert result.returncode == 1
    assert history_report(result.stdout) == [
        f"procedure/_deviations.yaml:10:5: warning: deviation DEV-2 names commit {first[:9]} of QP-T-01, where no violation was found "
        "[deviation-unused]\n"
        "    hint: check the commit and the document number",
        f"procedure/test.yaml:3:1: error: {step(repo, again)}, A/1: content of A/1 changed in the file after its approval, "
        "without a new version [modified-after-approval]\n" + HISTORY_HINT], result.stdout


def test_a_revision_entry_missing_any_one_field_is_reported_at_its_step(repo):
    text, steps = BASE, []
    for number, missing in enumerate(ENTRY_FIELDS, 2):  # A/2 has no changes, A/3 no changed_by, ...
        text = bump(text, f"A/{number - 1}", f"A/{number}", [f for f in ENTRY_FIELDS if f != missing], change=True)
        write(repo, "test.yaml", text)
        steps.append(commit(repo, f"A/{number}"))
    result = check(repo, "--history")
    assert sorted(history_report(result.stdout)) == sorted(  # same position and rule: in the order of the hashes
        f"procedure/test.yaml:3:1: error: {step(repo, sha)}, A/{number}: the revision-log entry of A/{number} is incomplete "
        "(changes, changed_by, reviewed_by and approved_by are required) [revision-incomplete]\n" + HISTORY_HINT
        for number, sha in enumerate(steps, 2)), result.stdout


def test_a_bump_without_a_change_or_an_entry_is_an_error_and_a_warning_with_its_own_hint(repo):
    before = git(repo, "rev-parse", "HEAD").strip()
    edit(repo, "test.yaml", "\nversion: A/1\n", "\nversion: A/2\n")
    bumped = commit(repo, "bump only")
    result = check(repo, "--history")
    assert history_report(result.stdout) == [
        f"procedure/test.yaml:3:1: warning: {step(repo, bumped)}, A/2: version bumped to A/2 but the content is unchanged since "
        f"{before[:7]} [bump-no-change]\n"
        "    hint: a new version should carry a change; revert the bump if none was intended",
        f"procedure/test.yaml:3:1: error: {step(repo, bumped)}, A/2: no new revision-log entry for version A/2 [change-no-revision]\n"
        + HISTORY_HINT], result.stdout


def test_a_deviation_acknowledges_errors_only_a_warning_stays_and_the_record_is_unused(repo):
    before = git(repo, "rev-parse", "HEAD").strip()
    write(repo, "test.yaml", bump(BASE, "A/1", "A/2"))
    bumped = commit(repo, "bump with an entry, no change")
    write(repo, "_deviations.yaml", title_edit_deviation(bumped))
    commit(repo, "deviation")
    result = check(repo, "--history")
    assert history_report(result.stdout) == [
        f"procedure/_deviations.yaml:2:5: warning: deviation DEV-1 names commit {bumped[:9]} of QP-T-01, where no violation was found "
        "[deviation-unused]\n"
        "    hint: check the commit and the document number",
        f"procedure/test.yaml:3:1: warning: {step(repo, bumped)}, A/2: version bumped to A/2 but the content is unchanged since "
        f"{before[:7]} [bump-no-change]\n"
        "    hint: a new version should carry a change; revert the bump if none was intended"], result.stdout


def test_first_issues_without_their_entry_or_with_an_incomplete_one_are_reported(repo):
    # one.yaml: A/1 with only an A/0 entry; two.yaml: an A/1 entry without approved_by.
    a1_entry = ("  - version: A/1\n    date: 2026-11-03\n    changes: [{zh: 修改, en: Changed}]\n"
                "    changed_by: 甲\n    reviewed_by: 乙\n    approved_by: 丙\n")
    write(repo, "one.yaml", replaced(SECOND.replace("QP-T-02", "QP-T-03").replace("QR-T-02", "QR-T-03"), a1_entry, ""))
    write(repo, "two.yaml", SECOND.replace("    approved_by: 丙\nscope:", "scope:"))
    added = commit(repo, "two first issues")
    result = check(repo, "--history")
    assert history_report(result.stdout) == [
        f"procedure/one.yaml:3:1: error: {step(repo, added)}, A/1: first issue A/1 published without a revision-log entry "
        "[change-no-revision]\n" + HISTORY_HINT,
        f"procedure/two.yaml:3:1: error: {step(repo, added)}, A/1: first issue A/1 published with an incomplete revision-log entry "
        "[revision-incomplete]\n" + HISTORY_HINT], result.stdout


def test_a_number_used_by_a_withdrawn_procedure_is_reported_at_the_step_that_reuses_it(shared_repo):
    git(shared_repo, "rm", "-q", "procedure/two.yaml")
    write(shared_repo, "_withdrawn.yaml", WITHDRAWN)
    commit(shared_repo, "withdraw QP-T-02")
    write(shared_repo, "three.yaml", SECOND.replace("QR-T-02", "QR-T-03"))
    reused = commit(shared_repo, "reuse")
    result = check(shared_repo, "--history")
    assert history_report(result.stdout) == [
        f"procedure/three.yaml:3:1: error: {step(shared_repo, reused)}, A/1: document number QP-T-02 was already used by two: "
        "a number is never reused [number-reused]\n" + HISTORY_HINT], result.stdout


def test_a_deletion_in_the_history_is_reported_where_the_file_was_with_the_withdrawal_hint(shared_repo):
    write(shared_repo, "untitled.yaml", "title: {zh: 草稿, en: Draft}\n")
    commit(shared_repo, "a file without a number")
    git(shared_repo, "rm", "-q", "procedure/two.yaml", "procedure/untitled.yaml")
    deleted = commit(shared_repo, "delete")
    result = check(shared_repo, "--history")
    assert [d for d in history_report(result.stdout) if "[deleted-without-withdrawal]" in d] == [
        f"procedure/two.yaml:1:1: error: {step(shared_repo, deleted)}, A/1: two (QP-T-02) was deleted without a withdrawal record "
        "[deleted-without-withdrawal]\n" + WITHDRAW_HINT,
        f"procedure/untitled.yaml:1:1: error: {step(shared_repo, deleted)}: untitled (no number) was deleted without a withdrawal "
        "record [deleted-without-withdrawal]\n" + WITHDRAW_HINT], result.stdout


def test_findings_of_one_step_come_in_the_order_of_the_documents_current_names_under_their_current_numbers(shared_repo):
    # one.yaml is renumbered to QP-T-05 and renamed zed.yaml later: at the step that edits both, it
    # is reported as zed (after two) under QP-T-05, the name and number a reader finds it by today.
    for name in ("one.yaml", "two.yaml"):
        edit(shared_repo, name, "title: {zh: 报告", "title: {zh: 月度报告")
    edited = commit(shared_repo, "edit both")
    edit(shared_repo, "one.yaml", "number: QP-T-01", "number: QP-T-05")
    renumbered = commit(shared_repo, "renumber one")
    git(shared_repo, "mv", "procedure/one.yaml", "procedure/zed.yaml")
    commit(shared_repo, "rename one")
    found = findings(walk(shared_repo / "procedure"))
    assert [(f.slug, f.number, f.version, f.commit.sha, f.rule, f.severity, f.deviation, f.hint) for f in found] == [
        ("two", "QP-T-02", "A/1", edited, "modified-after-approval", Severity.ERROR, None, ""),
        ("zed", "QP-T-05", "A/1", edited, "modified-after-approval", Severity.ERROR, None, ""),
        ("zed", "QP-T-05", "A/1", renumbered, "modified-after-approval", Severity.ERROR, None, "")]


def test_check_folder_walks_the_history_up_to_head_unless_given_another_tip(repo):
    edit(repo, "test.yaml", "title: {zh: 报告", "title: {zh: 月度报告")
    edited = commit(repo, "edit")
    folder = repo / "procedure"
    assert [(d.pos.path, d.rule, d.message) for d in check_folder(folder, [])] == [
        (f"{folder.as_posix()}/test.yaml", "modified-after-approval",
         f"{step(repo, edited)}, A/1: content of A/1 changed in the file after its approval, without a new version")]
    assert check_folder(folder, [], "HEAD~1") == []


def test_a_finding_of_a_procedure_without_a_version_is_reported_at_its_first_key(repo):
    edit(repo, "test.yaml", "\nversion: A/1\n", "\n")
    edit(repo, "test.yaml", "label: {zh: 日期, en: Date}", "label: {zh: 登记日期, en: Date recorded}")
    changed = commit(repo, "no version, form changed")
    result = check(repo, "--history")
    assert history_report(result.stdout) == [
        f"procedure/test.yaml:2:1: error: {step(repo, changed)}: form QR-T-01 changed but its version is still A/0 "
        "[form-change-no-bump]\n" + HISTORY_HINT], result.stdout


# --- check --base: each finding of a changed procedure, exactly --------------------------------

BASE_RULES = ("version-backwards", "version-skip", "change-no-bump", "change-no-revision", "bump-no-change", "revision-log-rewritten")
FIRST_ENTRY = """  - version: A/0
    date: 2026-01-01
    changes: [{zh: 首次发布, en: First issue}]
"""
AT_VERSION = "procedure/test.yaml:3:1: "
NO_ENTRY = (AT_VERSION + "error: no new revision-log entry for version {} [change-no-revision]\n"
            "    hint: add a revisions: entry saying what changed, who changed, reviewed and approved it")
NO_CHANGE = (AT_VERSION + "warning: version bumped to {} but the content is unchanged since HEAD [bump-no-change]\n"
             "    hint: a new version should carry a change; revert the bump if none was intended")
REWRITTEN = ("error: revision-log entry A/0 was changed or removed since HEAD [revision-log-rewritten]\n"
             "    hint: earlier entries are the audit trail: add a new entry instead")
BASE_CHANGES = {  # name: (edit of the committed A/1, the findings of check --base HEAD)
    "a version going backwards": (lambda text: text.replace("\nversion: A/1\n", "\nversion: A/0\n", 1), [
        NO_CHANGE.format("A/0"), NO_ENTRY.format("A/0"),
        AT_VERSION + "error: version goes backwards: A/1 at HEAD, A/0 now [version-backwards]\n"
                     "    hint: versions only go up; a retired version is never reused"]),
    "a version skipping": (lambda text: bump(text, "A/1", "A/3", change=True), [
        AT_VERSION + "error: version skips from A/1 to A/3 [version-skip]\n    hint: next is A/2 or B/0"]),
    "a content change without a bump": (lambda text: text.replace("scope: {zh: 范围", "scope: {zh: 范围+", 1), [
        AT_VERSION + "error: content changed since HEAD but the version is still A/1 [change-no-bump]\n"
                     "    hint: issue a new revision: make new-revision FILE=procedure/test.yaml",
        NO_ENTRY.format("A/1")]),
    "a bump without a change": (lambda text: bump(text, "A/1", "A/2"), [NO_CHANGE.format("A/2")]),
    # No forms: key at all is a content change like any other, not a crash of the form comparison.
    "the forms removed without a bump": (lambda text: text[:text.index("\nforms:\n") + 1], [
        AT_VERSION + "error: content changed since HEAD but the version is still A/1 [change-no-bump]\n"
                     "    hint: issue a new revision: make new-revision FILE=procedure/test.yaml",
        NO_ENTRY.format("A/1")]),
    # A rewritten entry is reported at the entry, a removed one at the version.
    "an earlier entry rewritten": (lambda text: text.replace("首次发布", "首次发布（改）", 1), ["procedure/test.yaml:12:5: " + REWRITTEN]),
    "an earlier entry removed": (lambda text: text.replace(FIRST_ENTRY + "".join(ENTRY_FIELDS[1:]), "", 1), [AT_VERSION + REWRITTEN]),
}


def base_report(stdout: str) -> list[str]:
    """The diagnostics of `check --base` itself (each with its hint lines), in printed order."""
    return diagnostics_where(stdout, lambda line: any(f"[{rule}]" in line for rule in BASE_RULES))


@pytest.mark.parametrize("name", list(BASE_CHANGES))
def test_check_base_reports_each_change_control_finding_at_its_place_with_its_message_and_hint(repo, name):
    path = repo / "procedure" / "test.yaml"
    change, expected = BASE_CHANGES[name]
    path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")
    result = check(repo, "--base", "HEAD")
    assert base_report(result.stdout) == expected, result.stdout


@pytest.mark.parametrize("version, following", [("A/0", {"A/1", "B/0"}), ("B/1", {"B/2", "C/0"}), ("Y/9", {"Y/10", "Z/0"}),
                                                 ("Z/3", {"Z/4"}), ("draft", set())])
def test_the_next_versions_are_the_next_amendment_and_the_next_edition_at_0_and_z_is_the_last_edition(version, following):
    assert next_versions(version) == following


def test_a_changed_form_whose_id_the_loader_reads_trimmed_is_reported_at_the_procedure_not_a_crash(repo):
    # '" log"' is the id ' log' in the content compared but 'log' in the model, so the form has no
    # model to place the finding at: it goes to the procedure's first key (line 1 is the schema comment).
    edit(repo, "test.yaml", "  - id: log\n", '  - id: " log"\n')
    commit(repo, "quoted form id")
    edit(repo, "test.yaml", "title: {zh: 登记表, en: Log}", "title: {zh: 登记表（新）, en: Log}")
    result = check(repo, "--base", "HEAD")
    assert [line for line in result.stdout.splitlines() if "[form-change-no-bump]" in line] == [
        "procedure/test.yaml:2:1: error: form QR-T-01 changed since HEAD but its version is still A/0 [form-change-no-bump]"], result.stdout
