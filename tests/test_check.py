"""The validator: every rule's case folder, the published procedure, the seed's A/0 gaps, bad input."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import FIXTURES, PUBLISHED, ROOT, replaced, run_cli

RULE_CASES = sorted(p for p in (ROOT / "tests" / "rules").iterdir() if p.is_dir())


# Rule cases are checked as of a fixed day, so their expected output is about the rule, never the calendar.
RULE_CASES_TODAY = "2026-12-01"


@pytest.mark.parametrize("case", RULE_CASES, ids=[p.name for p in RULE_CASES])
def test_rule_case_reports_exactly_the_expected_diagnostics(case: Path, monkeypatch, capsys):
    # In-process (the CLI's main, as `python -m generators check .` runs it): fast, and visible to
    # mutation testing, which sees only the code a test runs in its own process.
    from generators.cli import main

    expected = (case / "expected.txt").read_text(encoding="utf-8")
    monkeypatch.chdir(case)
    status = main(["check", "--today", RULE_CASES_TODAY, "."])
    out = capsys.readouterr()
    assert out.out == expected
    assert status == (1 if expected.splitlines()[-1].startswith("FAILED") else 0)
    assert f"[{case.name}]" in expected, "each case folder must exercise the rule it is named after"
    assert out.err == ""


def test_a_rule_case_run_as_a_user_runs_it_gives_the_same_output():
    case = ROOT / "tests" / "rules" / "step-owner"
    result = run_cli("check", "--today", RULE_CASES_TODAY, ".", cwd=case)
    assert result.stdout == (case / "expected.txt").read_text(encoding="utf-8")
    assert result.returncode == 1 and result.stderr == ""


def _shipped_dates(key: str) -> list[str]:
    return [m for p in sorted((ROOT / "procedure").glob("*.yaml"))
            for m in re.findall(rf"^{key}: (\d{{4}}-\d{{2}}-\d{{2}})\b", p.read_text(encoding="utf-8"), re.M)]


def _warnings(stdout: str) -> list[str]:
    return [line for line in stdout.splitlines() if ": warning: " in line]


# SD-20 cites the editions of ISO 9001 and ISO 22000 its source cites, both withdrawn: the document register
# (procedure/_documents.yaml) flags them until a revision cites what replaced them.
WITHDRAWN_CITED = [
    "procedure/purchasing-production-sales-quality-flow.yaml:156:5: warning: related document ISO 9001:2008 is withdrawn, "
    "replaced by ISO 9001:2015 [document-withdrawn]",
    "procedure/purchasing-production-sales-quality-flow.yaml:160:5: warning: related document ISO 22000:2005 is withdrawn, "
    "replaced by ISO 22000:2018 [document-withdrawn]",
]


def test_published_procedures_pass_with_no_warning_but_marked_gaps_and_withdrawn_editions_while_in_their_review_period():
    # A faithful procedure keeps what its source lacks marked as a gap (待定), a warning by design.
    latest_effective, first_due = max(_shipped_dates("effective_date")), min(_shipped_dates("review_due"))
    assert latest_effective < first_due, "no day when every shipped procedure is in force and none is overdue"
    result = run_cli("check", "--today", latest_effective)
    assert result.returncode == 0, result.stdout
    assert result.stdout.splitlines()[-1].startswith("OK: ")
    assert [w for w in _warnings(result.stdout) if not w.endswith("[gap]")] == WITHDRAWN_CITED


def test_published_procedures_past_their_review_date_still_pass_with_one_overdue_warning_each():
    procedures = sorted(p for p in (ROOT / "procedure").glob("*.yaml") if not p.name.startswith("_"))
    result = run_cli("check", "--today", "2030-01-01")
    assert result.returncode == 0, result.stdout
    assert result.stdout.count("[review-overdue]") == len(procedures) == len(_shipped_dates("review_due"))
    assert [w for w in _warnings(result.stdout) if not w.endswith(("[gap]", "[review-overdue]"))] == WITHDRAWN_CITED


def test_seed_transcription_a0_reports_every_gap_of_the_original():
    result = run_cli("check", "sales-process-control-a0.yaml", cwd=FIXTURES)
    expected = (FIXTURES / "sales-process-control-a0.expected.txt").read_text(encoding="utf-8")
    assert result.stdout == expected
    assert result.returncode == 1
    # The gaps the seed is known to have, each reported by its rule:
    for gap in ["the document number (编号) is blank [header-number]",
                "drafted by (编制) has no name and date [approval-block]",
                "version A/0 has no entry in the revision log",
                "objectives: A: a gap in the source", "objectives: T: a gap in the source",
                "step 'launch' (项目开盘) has no owner", "step 'execute-marketing-plan' (阶段营销方案执行) has no owner",
                "owner 'project-planning-supervisor' is not a declared role",
                "role 'marketing-planning-supervisor' (营销策划主管) owns no step",
                "document 'sales-analysis-report' has no deadline", "document 'marketing-plan-revision' has no deadline",
                "document 'sales-analysis-report': recipient: a gap in the source",
                "document 'advertising-report' has no title", "end 'after-step-7': title: a gap in the source"]:
        assert gap in result.stdout, gap


CURRENT = re.search(r"^version: (\S+)", PUBLISHED.read_text(encoding="utf-8"), re.M)[1]
NEXT = f"{CURRENT[0]}/{int(CURRENT.split('/')[1]) + 1}"  # one amendment ahead of the revision log

EDITS = {
    "remove a step's owner": ("    owner: project-sales-supervisor\n  - id: promote", "  - id: promote", "'sell'", "step-owner"),
    "owner is an undeclared role": ("    owner: marketing-manager\n", "    owner: sales-director\n", "'launch'", "step-owner"),
    "delete a document's deadline": ("    recipient: marketing-manager\n    deadline: {zh: 每季度, en: Quarterly}\n  - id: sales-analysis-report", "    recipient: marketing-manager\n  - id: sales-analysis-report", "'customer-analysis-report'", "document-deadline"),
    "delete a document's recipient": ("    recipient: marketing-manager\n    deadline: {zh: 阶段销售计划调整时", "    deadline: {zh: 阶段销售计划调整时", "'marketing-plan-revision'", "document-recipient"),
    "two steps with the same id": ("  - id: execute-sales-plan\n", "  - id: adjust\n", "'adjust'", "duplicate-id"),
    "header version not the newest revision": (f"version: {CURRENT} ", f"version: {NEXT} ", f"header version {NEXT} ", "revision-version"),
    "broken YAML syntax": ("    owner: marketing-manager\n", "    owner: [marketing-manager\n", None, "yaml-syntax"),
    "delete one en text": ("title: {zh: 营销分析, en: Marketing analysis}", "title: {zh: 营销分析}", "'analyse'", "text-bilingual"),
    "misspelled key": ("    owner: project-sales-supervisor\n    outputs: [promotion", "    ower: project-sales-supervisor\n    outputs: [promotion", "'execute-sales-plan'", "unknown-key"),
}


@pytest.mark.parametrize("name", list(EDITS))
def test_each_damaging_edit_of_the_published_procedure_fails_with_file_line_and_id(name, tmp_path):
    """Each edit is reported by its rule, in the edited file, naming the item it concerns; an edit
    that breaks the YAML itself is reported where the parser notices: the edited line or the next."""
    old, new, names, rule = EDITS[name]
    text = PUBLISHED.read_text(encoding="utf-8")
    edited_line = text[: text.index(old)].count("\n") + 1 if old in text else 0
    target = tmp_path / PUBLISHED.name
    target.write_text(replaced(text, old, new), encoding="utf-8")
    shutil.copy(PUBLISHED.parent / "_shared.yaml", tmp_path / "_shared.yaml")
    result = run_cli("check", str(target))
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    hits = [l for l in result.stdout.splitlines() if f"[{rule}]" in l and l.startswith(f"{target}:")]
    assert hits, result.stdout
    if names:
        assert any(names in l for l in hits), (names, hits)
    else:
        assert any(int(l.split(":")[1]) in (edited_line, edited_line + 1) for l in hits), (edited_line, hits)
    assert all(int(l.split(":")[1]) > 1 for l in hits), hits


def test_usage_error_exits_2():
    assert run_cli("check", "--no-such-flag").returncode == 2
    assert run_cli().returncode == 2


def test_folder_argument_checks_every_procedure_in_it(tmp_path):
    shutil.copy(PUBLISHED, tmp_path / "a.yaml")
    shutil.copy(PUBLISHED.parent / "_shared.yaml", tmp_path / "_shared.yaml")
    shutil.copy(FIXTURES / "minimal.yaml", tmp_path / "b.yaml")
    result = run_cli("check", str(tmp_path))
    assert result.returncode == 0, result.stdout
    assert "2 procedures checked" in result.stdout


def alias_bomb() -> bytes:
    """The "billion laughs": each level refers nine times to the one before."""
    lines = ["l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i in range(1, 10):
        refs = ", ".join([f"*l{i - 1}"] * 9)
        lines.append(f"l{i}: &l{i} [{refs}]")
    return ("\n".join(lines) + "\n").encode()


HOSTILE = {
    "alias bomb": (alias_bomb(), "yaml-alias"),
    "50 MB file": (b"number: x\n" + b"# padding\n" * 5_000_000, "file-too-large"),
    "10,000-level nesting": (b"a: " + b"[" * 10_000 + b"]" * 10_000 + b"\n", "yaml-too-deep"),
    "100,000 steps": (b"steps:\n" + b"  - {id: s, title: {zh: x, en: x}}\n" * 100_000, "file-too-large"),
    "duplicate keys": (b"number: A-1\nnumber: A-2\n", "yaml-duplicate-key"),
    "non-UTF-8": ("number: 编号\n".encode("gbk"), "file-encoding"),
    "empty file": (b"", "file-empty"),
    "wrong top-level type": (b"- just\n- a list\n", "type"),
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_input_gets_a_located_error(name, tmp_path):
    # No stopwatch here (timings live in bench/): that hostile input stays cheap is proved by the
    # limits below firing, each at a tiny value set for the test.
    data, rule = HOSTILE[name]
    target = tmp_path / "bad.yaml"
    target.write_bytes(data)
    result = run_cli("check", str(target))
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert f"[{rule}]" in result.stdout
    assert result.stdout.startswith(f"{target}:")


def _nested(levels: int) -> bytes:
    """A mapping ``levels`` containers deep (the top-level mapping is the first)."""
    return ("a: " + "[" * (levels - 1) + "x" + "]" * (levels - 1) + "\n").encode()


LIMITS = {  # limit -> (tiny value, input at the limit, input one past it, rule that fires)
    "MAX_FILE_BYTES": (64, b"#" * 63 + b"\n", b"#" * 64 + b"\n", "file-too-large"),
    # values: the top mapping, the key a, the list and its items
    "MAX_NODES": (10, b"a: [" + b", ".join([b"x"] * 7) + b"]\n", b"a: [" + b", ".join([b"x"] * 8) + b"]\n", "file-too-large"),
    "MAX_DEPTH": (3, _nested(3), _nested(4), "yaml-too-deep"),
}


@pytest.mark.parametrize("limit", list(LIMITS))
def test_each_resource_limit_fires_just_past_its_value_and_not_at_it(limit, monkeypatch):
    from generators.source import yamltree

    value, at_limit, past_limit, rule = LIMITS[limit]
    monkeypatch.setattr(yamltree, limit, value)
    _, at_diags = yamltree.parse("at.yaml", at_limit)
    _, past_diags = yamltree.parse("past.yaml", past_limit)
    assert rule not in {d.rule for d in at_diags}, [d.format() for d in at_diags]
    assert [d.rule for d in past_diags] == [rule], [d.format() for d in past_diags]
    assert past_diags[0].pos.path == "past.yaml" and past_diags[0].pos.line >= 1


def test_self_approval_is_accepted_only_with_a_stated_reason(tmp_path):
    case = (ROOT / "tests" / "rules" / "self-approval" / "input.yaml").read_text(encoding="utf-8")
    reason = "self_approval_reason: {zh: 本部门仅一名人员。, en: The department has one person.}\nrevisions:"
    target = tmp_path / "input.yaml"
    target.write_text(replaced(case, "revisions:", reason), encoding="utf-8")
    result = run_cli("check", str(target))
    assert result.returncode == 0, result.stdout
    target.write_text(replaced(case, "revisions:", "self_approval_reason: {zh: '', en: ''}\nrevisions:"), encoding="utf-8")
    result = run_cli("check", str(target))
    assert "[self-approval]" in result.stdout  # an empty reason is no reason


@pytest.mark.parametrize("name", ["TBD", "tbc", "待定", "-", "—", "--", "?", "？", "xxx", "XX", "N/A", "某某",
                                  "张三", "未记载 (not recorded)", "（待定）", "TBD/待定", "", "  "])
def test_placeholder_names_are_recognised(name):
    from generators.rules.approvals import is_placeholder

    assert is_placeholder(name)


@pytest.mark.parametrize("name", ["王强", "欧阳娜娜", "Li Na", "Wang Qiang", "X. Wang", "Max", "Tom Nash", "张三丰", "王 强"])
def test_real_names_are_not_placeholders(name):
    from generators.rules.approvals import is_placeholder

    assert not is_placeholder(name)


def test_the_rules_package_alone_registers_the_text_rules_in_the_order_check_runs_them():
    # check_procedure runs the rules registered so far: importing generators.rules must register all of
    # them (the text rules were registered only when something else imported rules/texts.py first).
    import subprocess
    import sys

    def names(code: str) -> list[str]:
        return subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()

    alone = names("from generators.rules.registry import RULES; print(*(f.__name__ for f in RULES))")
    as_check_runs = names("import generators.check; from generators.rules.registry import RULES; print(*(f.__name__ for f in RULES))")
    assert {"untranslated", "placeholders", "chinese_punctuation"} <= set(alone)
    assert alone == as_check_runs
