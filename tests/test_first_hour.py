"""What a newcomer meets in the first hour: `check` that puts errors first and groups the expected
warnings, `make check` running CI's change control against the merge base with main, a warning when
a new revision would cut short a pending one, hints that print commands that work, progress lines."""
from __future__ import annotations

import io
import os
import pty
import re
import shutil
import subprocess
from pathlib import Path

from conftest import ROOT, cli_command, run_cli
from test_revisions import A1, git, repository_at_a0_then_a1

RULES = ROOT / "tests" / "rules"


SCOPE = "scope: {zh: 范围, en: Scope}\n"


def _swap(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def _gaps_only() -> str:
    """The gap rule case with its two marked gaps where a gap is a warning (the scope, a document's
    content), not where it is an error since issue 35 (a step's owner, a document's deadline)."""
    a = (RULES / "gap" / "input.yaml").read_text(encoding="utf-8")
    a = _swap(a, "    owner: {tbd: {zh: 原文未指定负责人, en: the source names no owner}}\n", "    owner: manager\n")
    a = _swap(a, "    deadline: {gap: {zh: 原文未规定提交时限, en: the source gives no deadline}}\n",
              "    deadline: {zh: 每月5日前, en: By the 5th of each month}\n")
    a = _swap(a, "    content: {zh: 内容, en: Content}\n", "    content: {tbd: {zh: 原文未写明内容, en: the source gives no content}}\n")
    return _swap(a, SCOPE, "scope: {gap: {zh: 原文未规定范围, en: the source gives no scope}}\n")


def _two_files(tmp_path: Path) -> Path:
    """a.yaml with two marked gaps (warnings); b.yaml with one marked gap (a warning, before its
    errors) and two steps without a valid owner (errors)."""
    folder = tmp_path / "procedures"
    folder.mkdir()
    (folder / "a.yaml").write_text(_gaps_only(), encoding="utf-8")
    b = (RULES / "step-owner" / "input.yaml").read_text(encoding="utf-8")
    b = _swap(b, "    owner: {gap: {zh: 原文未指定由谁接收, en: the source does not say who receives}}\n", "    owner: clerk\n")
    b = _swap(b, SCOPE, "scope: {gap: {zh: 原文未规定范围, en: the source gives no scope}}\n")
    (folder / "b.yaml").write_text(b.replace("QP-T-01", "QP-T-02").replace("QR-T-01", "QR-T-02"), encoding="utf-8")
    return folder


def test_check_with_v_lists_every_warning_in_file_order(tmp_path):
    result = run_cli("check", "-v", "--today", "2026-12-01", ".", cwd=_two_files(tmp_path))
    lines = result.stdout.splitlines()
    assert [l.split(": ")[1] for l in lines if re.match(r"\S+:\d+:\d+: ", l)] == ["warning"] * 3 + ["error"] * 2
    assert lines[-1] == "FAILED: 2 error(s), 3 warning(s) in 2 procedures"


def test_grouped_check_puts_the_error_first_and_the_accepted_gaps_in_one_line(tmp_path):
    result = run_cli("check", "--grouped", "--today", "2026-12-01", ".", cwd=_two_files(tmp_path))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert [l.split(":")[0] for l in lines[:4:2]] == ["b.yaml", "b.yaml"]
    assert all(": error: " in l and l.endswith("[step-owner]") for l in lines[:4:2])
    assert all(l.startswith("    hint: ") for l in lines[1:4:2])
    assert ": warning: " not in result.stdout  # the three gaps are counted, not listed
    assert "warnings by kind: 3 [gap]" in result.stdout
    assert re.search(r"^  3 \[gap\] in 2 files: marked gaps where the source is silent", result.stdout, re.M)
    assert "every warning with its place: make check V=1" in result.stdout
    assert lines[-1] == "FAILED: 2 error(s), 3 warning(s) in 2 procedures"


def test_warnings_to_act_on_are_listed_in_full_even_when_grouped(tmp_path):
    case = RULES / "review-overdue"
    result = run_cli("check", "--grouped", "--today", "2026-12-01", ".", cwd=case)
    expected = (case / "expected.txt").read_text(encoding="utf-8").splitlines()
    listed = [l for l in expected if "[review-overdue]" in l]
    assert listed and all(l in result.stdout.splitlines() for l in listed)


def test_the_shipped_library_checks_in_a_screenful_at_a_terminal():
    # A real terminal (a pseudo-terminal): `make check` as a person runs it groups the 48-odd gaps.
    main, child = pty.openpty()
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.pop("CI", None)
    process = subprocess.Popen(cli_command("check", "--today", "2026-12-15"), cwd=ROOT, env=env,
                               stdout=child, stderr=child, stdin=subprocess.DEVNULL)
    os.close(child)
    chunks = []
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(main)
    assert process.wait(timeout=120) == 0
    shown = b"".join(chunks).decode("utf-8").splitlines()
    # A screen (24 lines): the gaps counted in one line, the warnings that ask for action listed with
    # their place (the shipped library: SD-20's two withdrawn standards, cited as its original does).
    assert len(shown) <= 24, shown
    assert not any(line.endswith("[gap]") for line in shown), shown
    assert sum(": warning: " in line and line.endswith("[document-withdrawn]") for line in shown) == 2, shown
    assert shown[-1].startswith("OK: ") and any(re.match(r"  \d+ \[gap\] in \d+ files: ", l) for l in shown)


def test_make_check_runs_change_control_against_where_the_branch_left_main(tmp_path):
    project = repository_at_a0_then_a1(tmp_path)
    base = git(project, "rev-parse", "HEAD").strip()
    git(project, "switch", "-q", "-c", "revise")
    path = project / "procedure" / "test.yaml"
    path.write_text(A1.replace("    owner: manager\n    outputs: [monthly-report]",
                               "    owner: clerk\n    outputs: [monthly-report]"), encoding="utf-8")
    git(project, "commit", "-qam", "an owner changed, no new version")
    result = run_cli("check", "--base", "auto", "-v", cwd=project)
    assert result.returncode == 1
    assert result.stdout.splitlines()[0] == (f"change control: checked against commit {base[:7]}, where this branch "
                                             "left main, as CI checks a pull request")
    assert "[change-no-bump]" in result.stdout
    assert "hint: issue a new revision: make new-revision FILE=procedure/test.yaml" in result.stdout


def test_make_check_outside_git_says_change_control_was_not_checked(tmp_path):
    folder = tmp_path / "procedure"
    folder.mkdir()
    (folder / "test.yaml").write_text(_gaps_only(), encoding="utf-8")
    result = run_cli("check", "--base", "auto", "--today", "2026-12-01", "procedure", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("change control: not checked here")


def test_the_makefile_s_check_is_ci_s_change_control_against_the_merge_base():
    make = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^check: .*\n(?:#.*\n)*\t\$\(PY\) -m generators check --base auto ", make, re.M)
    for target in ("new-revision", "fix", "check", "serve", "test", "site"):
        assert re.search(rf"^{re.escape(target)}:", make, re.M), target


def test_new_revision_warns_when_it_would_take_effect_before_the_pending_revision(tmp_path):
    path = tmp_path / "test.yaml"
    path.write_text(A1.replace("effective_date: 2026-12-01", "effective_date: 2027-03-01"), encoding="utf-8")
    assert "effective_date: 2027-03-01" in path.read_text(encoding="utf-8")
    result = run_cli("new-revision", "--today", "2027-01-10", str(path), cwd=tmp_path)
    assert result.returncode == 0
    assert ("warning: effective_date is now 2027-01-10, before 2027-03-01, when A/1 takes effect: A/1 is still "
            "pending") in result.stderr
    assert "[pending-revision]" in result.stderr
    later = run_cli("new-revision", "--today", "2027-04-01", str(path), cwd=tmp_path)
    assert later.returncode == 0 and "warning" not in later.stderr  # A/2 was dated 2027-01-10: in the past now


def test_no_hint_or_message_in_the_generators_prints_a_command_that_fails_outside_the_venv():
    # `python -m generators ...` needs the venv's python: messages name make targets instead.
    import ast

    printed = []
    for path in (ROOT / "generators").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                      if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef)) and node.body
                      and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}
        programs = {id(k.value) for node in ast.walk(tree) if isinstance(node, ast.Call)
                    for k in node.keywords if k.arg == "prog"}  # argparse's usage line names the program
        for node in ast.walk(tree):
            if (isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
                    and id(node) not in programs
                    and re.search(r"python -m generators (check|build|fix|new-revision|site|watch)\b", node.value)):
                printed.append(f"{path.relative_to(ROOT)}:{node.lineno}: {node.value}")
    assert printed == []


def test_progress_is_quiet_for_a_short_step_and_counts_with_an_estimate_for_a_long_one():
    from generators.source.progress import Progress

    now = [0.0]
    out = io.StringIO()
    quick = Progress("PDFs", 3, stream=out, clock=lambda: now[0], ticking=False)
    for _ in range(3):
        now[0] += 0.1
        quick.advance()
    quick.finish()
    assert out.getvalue() == ""
    slow = Progress("PDFs", 100, stream=out, clock=lambda: now[0], ticking=False)
    for _ in range(100):
        now[0] += 1.0
        slow.advance()
    slow.finish()
    lines = out.getvalue().splitlines()
    # plain lines (not a terminal), one every 10 s at most, with what is left
    assert lines[0] == "PDFs: 3 of 100, about 1 min 37 s left"
    assert 8 <= len(lines) <= 12 and all("\r" not in l for l in lines)
    assert lines[-1] == "PDFs: 100 of 100 in 1 min 40 s"
