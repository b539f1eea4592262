"""The guides on the site (docs/guide/) stay true: their examples are run here, and README stays one
screen that points at them."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT, copy_project, run_cli

GUIDE = ROOT / "docs" / "guide"
LANGS = ("en", "zh")
PAGES = ("index", "reader", "qa-manager", "auditor", "developer")


def _blocks(text: str, kind: str) -> list[str]:
    """The fenced code blocks of a kind (```text, ```sh), their indentation removed."""
    found = []
    for match in re.finditer(rf"^( *)```{kind}\n(.*?)^\1```", text, re.M | re.S):
        indent = len(match[1])
        found.append("\n".join(line[indent:] for line in match[2].splitlines()))
    return found


def _mask(line: str) -> str:
    """Counts and positions vary as the library grows; the words and their order may not."""
    return re.sub(r"\d+", "N", line)


def test_every_guide_page_exists_in_both_languages_and_is_in_the_nav():
    nav = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    for page in PAGES:
        for lang in LANGS:
            assert (GUIDE / f"{page}.{lang}.md").is_file(), f"{page}.{lang}.md"
        assert f"- guide/{page}.md" in nav
    assert "使用指南: Guide" in nav


def test_readme_fits_a_screen_and_links_each_audience_s_guide():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= 150
    for page in ("reader", "qa-manager", "auditor", "developer", "signing"):
        assert f"docs/guide/{page}." in readme
    assert "make serve" in readme and "make test" in readme and "## Architecture" in readme
    assert "python -m generators" not in readme  # commands as printed work outside the venv too


@pytest.mark.parametrize("lang", LANGS)
def test_the_check_example_of_the_qa_manager_guide_is_what_make_check_prints(lang, tmp_path):
    text = (GUIDE / f"qa-manager.{lang}.md").read_text(encoding="utf-8")
    example = _blocks(text, "text")[0].splitlines()
    assert re.fullmatch(r"change control: checked against commit [0-9a-f]{7}, where this branch left main, "
                        r"as CI checks a pull request", example[0])
    # The edit the guide describes: the owner of step `sell` misspelt.
    shutil.copytree(ROOT / "procedure", tmp_path / "procedure")
    source = tmp_path / "procedure" / "sales-process-control.yaml"
    good = source.read_text(encoding="utf-8")
    assert "- id: sell\n" in good
    sell = good.index("- id: sell\n")
    owner = good.index("    owner: project-sales-supervisor\n", sell)
    source.write_text(good[:owner] + "    owner: project-sales-supervisr\n"
                      + good[owner + len("    owner: project-sales-supervisor\n"):], encoding="utf-8")
    effective = max(re.findall(r"^effective_date: (\S+)", p.read_text(encoding="utf-8"), re.M)[0]
                    for p in (ROOT / "procedure").glob("[!_]*.yaml"))
    result = run_cli("check", "--grouped", "--today", effective, cwd=tmp_path)
    assert result.returncode == 1
    printed = result.stdout.splitlines()
    assert [_mask(line) for line in printed] == [_mask(line) for line in example[1:]], result.stdout
    assert printed[0].split(": ", 1)[1] == example[1].split(": ", 1)[1]  # the error itself, word for word


def test_the_git_walkthrough_of_the_qa_manager_guide_runs_as_printed(tmp_path):
    """The guide's commands, in a clone with a remote: name and email, branch, new revision, commit,
    push with upstream. `make` runs with its setup marked done (STAMP=), so nothing is installed."""
    text = (GUIDE / "qa-manager.en.md").read_text(encoding="utf-8")
    setup, walkthrough = _blocks(text, "sh")[:2]
    assert _blocks((GUIDE / "qa-manager.zh.md").read_text(encoding="utf-8"), "sh")[1].split("#")[0] == walkthrough.split("#")[0]
    home = tmp_path / "home"
    home.mkdir()
    env = {"HOME": str(home), "PATH": os.environ["PATH"], "LANG": "C.UTF-8", "PROCEDURES_TODAY": "2027-01-04",
           "GIT_CONFIG_NOSYSTEM": "1"}

    def sh(command: str, cwd: Path) -> str:
        done = subprocess.run(["bash", "-c", command], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, f"{command}\n{done.stdout}\n{done.stderr}"
        return done.stdout

    for line in setup.splitlines():  # git config --global user.name / user.email
        sh(line, home)
    remote = tmp_path / "remote.git"
    sh(f"git init -q --bare -b main {remote}", tmp_path)
    project = copy_project(tmp_path / "work")
    for name in ("Makefile", "requirements.txt", "pyproject.toml"):
        shutil.copy(ROOT / name, project / name)
    (project / ".venv").symlink_to(ROOT / ".venv")
    sh(f"git init -q -b main && git add -A && git commit -qm start && git remote add origin {remote} "
       "&& git push -q -u origin main", project)
    before = re.search(r"^version: (\S+)", (project / "procedure" / "sales-process-control.yaml").read_text(encoding="utf-8"), re.M)[1]
    for line in walkthrough.splitlines():
        command = line.split("  #")[0].strip()
        if not command or command.startswith("#"):
            continue
        if command.startswith("make "):
            command += " STAMP="  # the setup is done: never install anything from a test
        sh(command, project)
    from generators.edit.new_revision import bumped

    after = bumped(before, edition=False)
    message = re.search(r'git commit -m "([^"]*)"', walkthrough)[1]
    assert f" {before} -> {after} " in walkthrough and message.startswith(f"QP-XS-01 {after}:")
    assert f"version: {after}" in (project / "procedure" / "sales-process-control.yaml").read_text(encoding="utf-8")
    pushed = sh("git log -1 --format='%an <%ae>|%s' origin/revise-qp-xs-01", project).strip()
    assert pushed == f"王强 <wang.qiang@example.com>|{message}"
    assert sh("git rev-parse --abbrev-ref --symbolic-full-name @{u}", project).strip() == "origin/revise-qp-xs-01"


def test_the_hook_keeps_the_serve_banner_s_file_out_of_a_built_site(tmp_path):
    from mkdocs.structure.files import File, Files

    from generators.publish import mkdocs_hooks, serve_status
    from generators.publish.serve_search import SERVED

    def files():
        return Files([File(serve_status.STATUS_FILE, "docs", "site", True), File("index.md", "docs", "site", True)])

    config = {"plugins": {}, "site_dir": str(tmp_path)}  # (no mkdocs-static-i18n: no file is set aside for it)
    was = SERVED.active
    try:
        SERVED.active = False
        assert [f.src_uri for f in mkdocs_hooks._files_before_i18n(files(), config)] == ["index.md"]
        SERVED.active = True
        assert [f.src_uri for f in mkdocs_hooks._files_before_i18n(files(), config)] == [serve_status.STATUS_FILE, "index.md"]
    finally:
        SERVED.active = was
