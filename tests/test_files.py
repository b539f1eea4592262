"""The generator writes only its own files, atomically, and never over a hand-written one."""
from __future__ import annotations

import json

import os
import shutil
import subprocess

import pytest
import yaml

from conftest import FIXTURES, PUBLISHED, ROOT, cli_command, copy_project, run_cli
from generators.source import writer


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


# --- a pull request shapes the file system: symlinks, special files, huge files -----------------

SECRET = "SECRET-VALUE-4711"


def _procedures_with(tmp_path, **entries):
    """A procedure folder with the minimal procedure plus ``entries`` (name -> callable(path))."""
    folder = tmp_path / "procedure"
    folder.mkdir()
    shutil.copy(FIXTURES / "minimal.yaml", folder / "minimal.yaml")
    for name, make in entries.items():
        make(folder / name)
    return folder


def test_symlinked_procedures_are_located_errors_and_their_targets_never_read(tmp_path):
    secret = tmp_path / "secret.yaml"
    secret.write_text(f"number: {SECRET}\nversion: {SECRET}\n", encoding="utf-8")
    folder = _procedures_with(tmp_path, **{"leak.yaml": lambda p: p.symlink_to(secret),
                                           "environ.yaml": lambda p: p.symlink_to("/proc/self/environ"),
                                           "_shared.yaml": lambda p: p.symlink_to(secret)})
    result = run_cli("check", str(folder), env=dict(os.environ, LEAKED_ENV=SECRET))
    assert result.returncode == 1
    lines = [l for l in result.stdout.splitlines() if "[file-symlink]" in l]
    assert lines == [f"{folder / name}:1:1: error: the file is a symbolic link: sources are never read through links "
                     "[file-symlink]" for name in ("_shared.yaml", "environ.yaml", "leak.yaml")]
    assert SECRET not in result.stdout + result.stderr


def test_a_fifo_in_procedure_is_an_error_not_a_hang(tmp_path):
    folder = _procedures_with(tmp_path, **{"pipe.yaml": lambda p: os.mkfifo(p)})
    result = run_cli("check", str(folder))
    assert result.returncode == 1
    assert f"{folder / 'pipe.yaml'}:1:1: error: not a regular file [file-unreadable]" in result.stdout


@pytest.mark.parametrize("command", ["check", "build"])
def test_a_1_gib_file_is_refused_by_its_size_without_being_read(tmp_path, command):
    import resource

    folder = _procedures_with(tmp_path)
    big = folder / "big.yaml"
    with big.open("wb") as handle:  # sparse: takes no disk space
        handle.truncate(1 << 30)
    project = copy_project(tmp_path / "p", folder)

    def small_memory():  # reading the file whole would need 1 GiB: under this limit it would fail
        resource.setrlimit(resource.RLIMIT_AS, (768 << 20, 768 << 20))

    result = subprocess.run(cli_command(command, "--no-pdf") if command == "build" else cli_command(command),
                            cwd=project, env=dict(os.environ, PYTHONPATH=str(ROOT)),
                            capture_output=True, text=True, timeout=300, preexec_fn=small_memory)
    assert result.returncode == 1, result.stderr
    assert ("procedure/big.yaml:1:1: error: file is 1,073,741,824 bytes, over the 2,097,152-byte limit "
            "[file-too-large]") in result.stdout + result.stderr
    assert "Traceback" not in result.stderr


def _tree(folder):
    return {p.relative_to(folder).as_posix(): (p.read_bytes() if p.is_file() else None, p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*"))}


def _outside_folder(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.env").write_text(f"TOKEN={SECRET}\n", encoding="utf-8")
    (outside / "index.html").write_text("someone else's page\n", encoding="utf-8")
    return outside


@pytest.mark.parametrize("linked", ["docs/library", ".cache", "site", "docs"])
def test_a_symlinked_generated_folder_stops_the_build_and_its_target_is_untouched(tmp_path, linked):
    project = copy_project(tmp_path / "p", _procedures_with(tmp_path))
    outside = _outside_folder(tmp_path)
    if linked == "docs":  # the hand-written docs moved out, so docs/library lies outside the project
        shutil.rmtree(project / "docs")
        shutil.copytree(ROOT / "docs", outside / "docs", ignore=shutil.ignore_patterns("library"))
        (project / "docs").symlink_to(outside / "docs")
    else:
        (project / linked).parent.mkdir(parents=True, exist_ok=True)
        (project / linked).symlink_to(outside)
    before = _tree(outside)
    for command in ("site",) if linked == "site" else ("build", "site"):  # build alone never touches site/
        result = run_cli(command, "--no-pdf", cwd=project)
        assert result.returncode == 1, result.stdout + result.stderr
        assert "[unsafe-output]" in result.stderr and "symbolic link" in result.stderr
        assert "Traceback" not in result.stderr
    assert _tree(outside) == before


def test_a_link_out_of_the_project_in_docs_stops_the_site_build(tmp_path):
    project = copy_project(tmp_path / "p", _procedures_with(tmp_path))
    outside = _outside_folder(tmp_path)
    (project / "docs" / "secret.md").symlink_to(outside / "secret.env")
    result = run_cli("site", "--no-pdf", cwd=project)
    assert result.returncode == 1
    assert f"'docs/secret.md' is a symbolic link out of the project" in result.stderr
    assert not (project / "site").exists()


def test_committed_files_in_a_generated_folder_stop_the_build(tmp_path):
    project = copy_project(tmp_path / "p", _procedures_with(tmp_path))
    planted = project / ".cache" / "graphviz" / "0123.svg"  # a cached chart a pull request could plant
    planted.parent.mkdir(parents=True)
    planted.write_text("<svg><script>alert(1)</script></svg>", encoding="utf-8")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid"]
    subprocess.run(["git", "init", "-q"], cwd=project, check=True)
    subprocess.run(git + ["add", "-f", "."], cwd=project, check=True)
    subprocess.run(git + ["commit", "-qm", "x"], cwd=project, check=True)
    result = run_cli("build", "--no-pdf", cwd=project)
    assert result.returncode == 1
    assert "generated folders hold committed files (.cache/graphviz/0123.svg)" in result.stderr
    assert not (project / "docs" / "library").exists()


def test_kill_9_during_the_mkdocs_phase_leaves_the_previous_site_whole(tmp_path):
    import signal
    import time

    project = copy_project(tmp_path / "p", _procedures_with(tmp_path))
    first = run_cli("site", "--no-pdf", cwd=project, timeout=600)
    assert first.returncode == 0, first.stdout + first.stderr
    site = project / "site"
    before = _tree(site)
    assert "index.html" in before and len(before) > 20
    source = project / "procedure" / "minimal.yaml"
    source.write_text(source.read_text(encoding="utf-8").replace("Test procedure", "Renamed procedure"), encoding="utf-8")

    env = dict(os.environ, PYTHONPATH=str(ROOT), NO_MKDOCS_2_WARNING="1")
    build = subprocess.Popen(cli_command("site", "--no-pdf"), cwd=project, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        for line in build.stdout:  # the generator is done when it hands over to MkDocs
            if line.startswith("building the site with MkDocs"):
                break
        written = []
        for _ in range(6000):  # until MkDocs has written some pages, but not all (bounded: 10 minutes)
            written = list((project / ".cache").glob("site-next-*/**/*.html"))
            if written or build.poll() is not None:
                break
            time.sleep(0.1)
        os.killpg(build.pid, signal.SIGKILL)
    finally:
        build.wait(timeout=60)
    assert build.returncode == -signal.SIGKILL and written, "the build ended before it could be killed in MkDocs"
    assert _tree(site) == before

    again = run_cli("site", "--no-pdf", cwd=project, timeout=600)
    assert again.returncode == 0, again.stdout + again.stderr
    assert "Renamed procedure" in (site / "en" / "library" / "minimal" / "index.html").read_text(encoding="utf-8")
    assert not list((project / ".cache").glob("site-next-*")) and not list((project / ".cache").glob("site-old-*"))


def test_make_clean_removes_every_generated_folder_and_follows_no_link(tmp_path):
    """Every folder .gitignore lists as generated output (the write-conflict hint sends users to
    `make clean`); a symlink in place of one is removed, its target kept."""
    shutil.copy(ROOT / "Makefile", tmp_path / "Makefile")
    generated = [line.strip("/") for line in (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
                 if line.startswith("/") and line.strip("/") not in (".venv", ".hypothesis")]
    assert {"site", "docs/library", ".cache"} <= set(generated)
    outside = _outside_folder(tmp_path)
    before = _tree(outside)
    for index, folder in enumerate(generated):
        path = tmp_path / folder
        path.parent.mkdir(parents=True, exist_ok=True)
        if index == 0:
            path.symlink_to(outside)
        else:
            (path / "sub").mkdir(parents=True)
            (path / "sub" / "file.txt").write_text("generated", encoding="utf-8")
    result = subprocess.run(["make", "clean"], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert [f for f in generated if (tmp_path / f).exists() or (tmp_path / f).is_symlink()] == []
    assert _tree(outside) == before


def test_reserved_names_are_exactly_the_names_the_generator_writes_itself(tmp_path):
    """Derived from a real build: every name directly under docs/library/ that is not a
    procedure's folder is a reserved file name, and every page in the role folders that is not
    a role's is a reserved role id."""
    from generators.source import paths

    project = copy_project(tmp_path / "p")
    assert run_cli("build", "--no-pdf", cwd=project).returncode == 0
    library = project / "docs" / "library"
    slugs = {p.stem for p in (project / "procedure").glob("*.yaml") if not p.name.startswith("_")}
    role_ids = set()
    for text in (project / "procedure").glob("*.yaml"):
        role_ids |= {r["id"] for r in (yaml.safe_load(text.read_text(encoding="utf-8")) or {}).get("roles", []) if "id" in r}

    def name(path):
        return path.name.split(".")[0]  # roles.zh.md -> roles, index.en.md -> index

    # Addresses published before and now redirect pages (written by the hook from .redirects.json) are
    # names the generator takes too: library/checklists/<role>/ stays reserved with no file under it.
    moved = {old.removeprefix("library/").split("/")[0]
             for old in json.loads((library / ".redirects.json").read_text(encoding="utf-8"))}
    assert "checklists" in moved
    top = ({name(p) for p in library.iterdir() if not p.name.startswith(".")} | moved) - slugs
    assert top == paths.reserved_slugs()
    in_role_folders = {name(p) for folder in ("roles", "checklists") if (library / folder).is_dir()
                       for p in (library / folder).iterdir() if p.is_file() and not p.name.endswith(".pdf")} - role_ids
    assert in_role_folders == paths.reserved_role_ids()
