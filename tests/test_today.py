"""Today's date is an input (``--today``, else $PROCEDURES_TODAY): nothing reads the calendar but ``clock``."""
from __future__ import annotations

import ast
import datetime as dt
import shutil
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT, copy_project, replaced, run_cli
from generators.source import clock

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


def _calendar(monkeypatch, *days: dt.date) -> list[dt.date]:
    """Replace the calendar: successive reads return ``days`` (the last one repeats); returns the reads."""
    reads: list[dt.date] = []

    def read() -> dt.date:
        reads.append(days[min(len(reads), len(days) - 1)])
        return reads[-1]

    monkeypatch.setattr(clock, "calendar_today", read)
    monkeypatch.delenv(clock.ENV, raising=False)
    return reads


def _project(tmp_path: Path, review_due: str) -> Path:
    procedures = tmp_path / "procs"
    procedures.mkdir()
    text = (FIXTURES / "minimal.yaml").read_text(encoding="utf-8")
    (procedures / "minimal.yaml").write_text(replaced(text, f"review_due: {MINIMAL_REVIEW_DUE}\n", f"review_due: {review_due}\n"),
                                             encoding="utf-8")
    return copy_project(tmp_path / "p", procedures)


def test_a_build_started_at_23_59_59_that_crosses_midnight_uses_one_date(tmp_path, monkeypatch, capsys):
    """The calendar says 2029-12-31 when the run starts and 2030-01-01 for every later read:
    the run reads it once, so the stamp, the check and the banner agree on 2029-12-31."""
    from generators import cli

    project = _project(tmp_path, review_due="2029-12-31")
    monkeypatch.chdir(project)
    reads = _calendar(monkeypatch, dt.date(2029, 12, 31), dt.date(2030, 1, 1))
    assert cli.main(["build", "--no-pdf"]) == 0
    assert reads == [dt.date(2029, 12, 31)]
    page = project / "docs" / "library" / "minimal" / "index.en.md"
    assert "Periodic review overdue" not in page.read_text(encoding="utf-8")
    capsys.readouterr()
    assert cli.main(["build", "--no-pdf"]) == 0  # the next run, after midnight: a new day, a new stamp
    assert not capsys.readouterr().out.startswith("up to date")
    assert "Periodic review overdue" in page.read_text(encoding="utf-8")


def test_a_check_that_crosses_midnight_reports_as_of_the_day_it_started(tmp_path, monkeypatch, capsys):
    from generators import cli

    project = _project(tmp_path, review_due="2029-12-31")
    monkeypatch.chdir(project)
    reads = _calendar(monkeypatch, dt.date(2029, 12, 31), dt.date(2030, 1, 1))
    assert cli.main(["check"]) == 0
    assert reads == [dt.date(2029, 12, 31)] and "0 warning(s)" in capsys.readouterr().out


@pytest.mark.parametrize("how", ["option", "environment"])
def test_a_run_with_a_fixed_date_never_reads_the_calendar(tmp_path, monkeypatch, how):
    from generators import cli

    project = _project(tmp_path, review_due="2029-12-31")
    monkeypatch.chdir(project)

    def no_calendar():
        raise AssertionError("the calendar was read although today was given")

    monkeypatch.setattr(clock, "calendar_today", no_calendar)
    extra = ["--today", "2030-01-01"] if how == "option" else []
    if how == "environment":
        monkeypatch.setenv(clock.ENV, "2030-01-01")
    else:
        monkeypatch.delenv(clock.ENV, raising=False)
    assert cli.main(["check", *extra]) == 0
    assert cli.main(["build", "--no-pdf", *extra]) == 0
    assert "Periodic review overdue" in (project / "docs" / "library" / "minimal" / "index.en.md").read_text(encoding="utf-8")
