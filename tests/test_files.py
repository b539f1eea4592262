"""The generator writes only its own files, atomically, and never over a hand-written one."""
from __future__ import annotations

import shutil

import pytest

from conftest import FIXTURES, PUBLISHED, copy_project, run_cli
from generators import writer


def test_hand_written_file_in_the_way_is_an_error_not_an_overwrite(tmp_path):
    project = copy_project(tmp_path / "p")
    mine = project / "docs" / "library" / "sales-process-control" / "index.zh.md"
    mine.parent.mkdir(parents=True)
    mine.write_text("# 我手写的页面\n", encoding="utf-8")
    result = run_cli("build", "--no-pdf", cwd=project)
    assert result.returncode == 1
    assert "[write-conflict]" in result.stderr and "index.zh.md" in result.stderr
    assert "Traceback" not in result.stderr
    assert mine.read_text(encoding="utf-8") == "# 我手写的页面\n"


def test_hand_written_pages_elsewhere_in_docs_are_never_touched(tmp_path):
    project = copy_project(tmp_path / "p")
    before = {p: p.read_bytes() for p in (project / "docs").rglob("*") if p.is_file()}
    assert run_cli("build", "--no-pdf", cwd=project).returncode == 0
    assert {p: p.read_bytes() for p in before} == before


def test_stale_files_of_a_deleted_procedure_are_removed_and_nothing_else(tmp_path):
    procedures = tmp_path / "procs"
    procedures.mkdir()
    shutil.copy(PUBLISHED, procedures / PUBLISHED.name)
    shutil.copy(PUBLISHED.parent / "_shared.yaml", procedures / "_shared.yaml")
    shutil.copy(FIXTURES / "minimal.yaml", procedures / "minimal.yaml")
    (procedures / "minimal.yaml").write_text((procedures / "minimal.yaml").read_text(encoding="utf-8")
                                             .replace("../../generators", "../generators"), encoding="utf-8")
    project = copy_project(tmp_path / "p", procedures)
    assert run_cli("build", "--no-pdf", cwd=project).returncode == 0
    library = project / "docs" / "library"
    assert (library / "minimal" / "index.en.md").exists()
    note = library / "minimal" / "notes.txt"  # not the generator's: must survive
    note.write_text("kept", encoding="utf-8")
    (project / "procedure" / "minimal.yaml").unlink()
    result = run_cli("build", "--no-pdf", cwd=project)
    assert result.returncode == 0 and "stale removed" in result.stdout
    assert not (library / "minimal" / "index.en.md").exists()
    assert not (library / "roles" / "clerk.en.md").exists()
    assert note.read_text(encoding="utf-8") == "kept"
    assert (library / "sales-process-control" / "index.en.md").exists()


def test_interrupted_write_leaves_the_previous_output_whole(tmp_path, monkeypatch):
    out = tmp_path / "library"
    writer.sync(out, {"a.md": b"old a", "b.md": b"old b", "c.md": b"old c"})
    calls = {"n": 0}
    real_stage = writer._stage

    def failing_stage(path, data, staging=None):
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt  # the user pressed Ctrl-C halfway through writing
        return real_stage(path, data, staging)

    monkeypatch.setattr(writer, "_stage", failing_stage)
    with pytest.raises(KeyboardInterrupt):
        writer.sync(out, {"a.md": b"new a", "b.md": b"new b", "c.md": b"new c"})
    assert [(out / n).read_bytes() for n in ("a.md", "b.md", "c.md")] == [b"old a", b"old b", b"old c"]
    assert not list(out.rglob("*.tmp")) and not list(writer.STAGING.glob("*.tmp"))


def test_writer_refuses_paths_outside_its_folder(tmp_path):
    with pytest.raises(ValueError):
        writer.sync(tmp_path / "library", {"../escape.md": b"x"})
    assert not (tmp_path / "escape.md").exists()


def test_unchanged_rebuild_rewrites_no_file(tmp_path):
    project = copy_project(tmp_path / "p")
    assert run_cli("build", "--no-pdf", cwd=project).returncode == 0
    stamps = {p: p.stat().st_mtime_ns for p in (project / "docs" / "library").rglob("*") if p.is_file()}
    assert run_cli("build", "--no-pdf", cwd=project).stdout.startswith("up to date")
    result = run_cli("build", "--no-pdf", "--force", cwd=project)
    assert "0 written" in result.stdout and "0 drawn by dot" in result.stdout
    assert {p: p.stat().st_mtime_ns for p in stamps} == stamps
