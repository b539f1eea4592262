"""Today's date is an input (``--today``, else $PROCEDURES_TODAY): nothing reads the calendar but ``clock``."""
from __future__ import annotations

import ast
import datetime as dt
import shutil
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT, copy_project, run_cli
from generators import clock

MINIMAL_REVIEW_DUE = "2099-12-01"  # review_due of tests/fixtures/minimal.yaml


def _minimal(tmp_path: Path) -> Path:
    target = tmp_path / "minimal.yaml"
    shutil.copy(FIXTURES / "minimal.yaml", target)
    assert f"review_due: {MINIMAL_REVIEW_DUE}\n" in target.read_text(encoding="utf-8")
    return target


@pytest.mark.parametrize("today, overdue", [("2099-12-01", False), ("2099-12-02", True), ("2030-01-01", False)])
def test_check_today_option_decides_review_overdue(tmp_path, today, overdue):
    result = run_cli("check", "--today", today, str(_minimal(tmp_path)))
    assert result.returncode == 0, result.stdout
    assert ("[review-overdue]" in result.stdout) is overdue, result.stdout
    assert f"{1 if overdue else 0} warning(s)" in result.stdout


def test_environment_variable_is_the_fallback_and_the_option_wins(tmp_path, monkeypatch):
    target = _minimal(tmp_path)
    monkeypatch.setenv(clock.ENV, "2099-12-02")
    assert "[review-overdue]" in run_cli("check", str(target)).stdout
    assert "[review-overdue]" not in run_cli("check", "--today", "2099-12-01", str(target)).stdout


@pytest.mark.parametrize("where", ["option", "environment"])
@pytest.mark.parametrize("bad", ["2026-02-30", "2026-1-01", "today", "20261201"])
def test_malformed_today_is_a_usage_error(tmp_path, monkeypatch, where, bad):
    args = ["check", str(_minimal(tmp_path))]
    if where == "option":
        args += ["--today", bad]
    else:
        monkeypatch.setenv(clock.ENV, bad)
    result = run_cli(*args)
    assert result.returncode == 2, result.stdout + result.stderr
    assert bad in result.stderr and "YYYY-MM-DD" in result.stderr
    assert "Traceback" not in result.stderr


def test_build_today_decides_the_banner_and_the_stamp(tmp_path):
    procedures = tmp_path / "procs"
    procedures.mkdir()
    (procedures / "minimal.yaml").write_text(_minimal(tmp_path).read_text(encoding="utf-8"), encoding="utf-8")
    project = copy_project(tmp_path / "p", procedures)
    page = project / "docs" / "library" / "minimal" / "index.en.md"
    assert run_cli("build", "--no-pdf", "--today", "2099-12-01", cwd=project).returncode == 0
    assert "Periodic review overdue" not in page.read_text(encoding="utf-8")
    again = run_cli("build", "--no-pdf", "--today", "2099-12-01", cwd=project)
    assert again.stdout.startswith("up to date"), again.stdout  # same inputs, same date: same stamp
    later = run_cli("build", "--no-pdf", "--today", "2099-12-02", cwd=project)
    assert later.returncode == 0 and not later.stdout.startswith("up to date"), later.stdout
    assert "Periodic review overdue" in page.read_text(encoding="utf-8")


def test_new_revision_dates_the_entry_with_today(tmp_path):
    target = _minimal(tmp_path)
    assert run_cli("new-revision", "--today", "2031-02-03", str(target)).returncode == 0
    text = target.read_text(encoding="utf-8")
    assert "effective_date: 2031-02-03\n" in text and "    date: 2031-02-03\n" in text


CALENDAR_READS = {("date", "today"), ("datetime", "today"), ("datetime", "now"), ("datetime", "utcnow"),
                  ("time", "time"), ("time", "localtime"), ("time", "gmtime"), ("time", "strftime")}


def test_only_the_clock_module_reads_the_calendar():
    readers = []
    for path in sorted((ROOT / "generators").rglob("*.py")):
        if path.name == "clock.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and isinstance(node.value, (ast.Name, ast.Attribute)):
                owner = node.value.attr if isinstance(node.value, ast.Attribute) else node.value.id
                if (owner, node.attr) in CALENDAR_READS:
                    readers.append(f"{path.relative_to(ROOT)}:{node.lineno}: {owner}.{node.attr}")
    assert readers == []


def test_resolve_prefers_given_date_then_environment_then_calendar(monkeypatch):
    monkeypatch.setattr(clock, "calendar_today", lambda: dt.date(2001, 2, 3))
    monkeypatch.delenv(clock.ENV, raising=False)
    assert clock.resolve() == dt.date(2001, 2, 3)
    monkeypatch.setenv(clock.ENV, "2030-01-01")
    assert clock.resolve() == dt.date(2030, 1, 1)
    assert clock.resolve("2031-05-06") == dt.date(2031, 5, 6)
    assert clock.resolve(dt.date(2032, 7, 8)) == dt.date(2032, 7, 8)
