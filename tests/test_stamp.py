"""The build stamp: an unchanged build stops at once, but only when every file it wrote is still there."""
from __future__ import annotations

import shutil

from conftest import FIXTURES, copy_project, run_cli


def _project(tmp_path):
    procedures = tmp_path / "procs"
    procedures.mkdir()
    shutil.copy(FIXTURES / "minimal.yaml", procedures / "minimal.yaml")
    return copy_project(tmp_path / "p", procedures)


def test_a_generated_file_deleted_since_the_last_build_is_written_again(tmp_path):
    project = _project(tmp_path)
    args = ("build", "--no-pdf", "--today", "2027-01-01")
    assert run_cli(*args, cwd=project).returncode == 0
    assert run_cli(*args, cwd=project).stdout.startswith("up to date")
    page = project / "docs" / "library" / "minimal" / "index.en.md"
    text = page.read_text(encoding="utf-8")
    page.unlink()
    again = run_cli(*args, cwd=project)
    assert again.returncode == 0 and not again.stdout.startswith("up to date"), again.stdout
    assert "1 written" in again.stdout, again.stdout
    assert page.read_text(encoding="utf-8") == text


def test_a_changed_source_or_option_is_not_up_to_date(tmp_path):
    project = _project(tmp_path)
    assert run_cli("build", "--no-pdf", "--today", "2027-01-01", cwd=project).returncode == 0
    source = project / "procedure" / "minimal.yaml"
    source.write_text(source.read_text(encoding="utf-8") + "# a comment changes the bytes\n", encoding="utf-8")
    assert not run_cli("build", "--no-pdf", "--today", "2027-01-01", cwd=project).stdout.startswith("up to date")
    assert run_cli("build", "--no-pdf", "--today", "2027-01-01", cwd=project).stdout.startswith("up to date")
    assert not run_cli("build", "--no-pdf", "--today", "2027-01-02", cwd=project).stdout.startswith("up to date")  # a new day
