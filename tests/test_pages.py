"""Generated Markdown of every page kind, compared with golden files.

The golden library (tests/fixtures/golden/) is one procedure committed at A/0 and then A/1 in a
temporary git repository (fixed dates, so fixed commit ids), whose every text holds characters
that need escaping in Markdown, HTML and DOT. Refresh: pytest --update-golden; the diff of each
rewritten file is printed at the end of the run: review it before committing.
"""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT
from generators.control import history as gitlog_history
from generators.control.history import procedure_revisions
from generators.render.site import render_pages
from generators.source.library import Library
from generators.source.loader import load_file
from generators.render import pages
from generators.source import paths

GOLDEN = ROOT / "tests" / "golden"
GOLDEN_SOURCES = FIXTURES / "golden"
TODAY = "2027-01-01"  # A/1 (effective 2026-12-01) in force, A/0 superseded, review (2027-12-01) not yet due
COMMITS = [("escaping.a0.yaml", "2026-01-01T09:00:00+08:00"), ("escaping.a1.yaml", "2026-11-03T09:00:00+08:00")]

# page kind -> its page (docs-relative, as render/paths names it)
KINDS = {
    "procedure": paths.procedure_page("escaping"),
    "history": paths.history_page("escaping"),
    "archive": paths.archive_page("escaping", "A/0"),
    "form": paths.form_page("escaping", "log"),
    "role": paths.role_page("clerk"),
    "role-index": paths.ROLE_INDEX,
    "records-register": paths.RECORDS_REGISTER,
    "flow-matrix": paths.FLOW_MATRIX,
    "master-list": paths.MASTER_LIST,
    "distribution": paths.DISTRIBUTION,
}


def _git(repo: Path, *args: str, date: str = "2026-01-01T00:00:00+00:00") -> None:
    env = {"GIT_AUTHOR_NAME": "QA", "GIT_AUTHOR_EMAIL": "qa@example.com", "GIT_COMMITTER_NAME": "QA",
           "GIT_COMMITTER_EMAIL": "qa@example.com", "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date,
           "PATH": "/usr/bin:/bin", "HOME": str(repo), "GIT_CONFIG_NOSYSTEM": "1"}
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict[str, str]:
    """Every page of the golden library, as ``build`` renders it (without charts and PDFs)."""
    repo = tmp_path_factory.mktemp("golden") / "repo"
    (repo / "procedure").mkdir(parents=True)
    _git(repo, "init", "-q", "-b", "main")
    source = repo / "procedure" / "escaping.yaml"
    for name, date in COMMITS:
        source.write_bytes((GOLDEN_SOURCES / name).read_bytes())
        _git(repo, "add", "-A", date=date)
        _git(repo, "commit", "-qm", name, date=date)
    proc, diags = load_file(source)
    assert proc is not None and not [d for d in diags if d.severity.name == "ERROR"], [d.format() for d in diags]
    revisions = {proc.slug: procedure_revisions(proc, gitlog_history.history(source), TODAY)}
    library = Library([revisions[proc.slug].shown])
    return render_pages(library, None, set(), revisions, TODAY)


@pytest.mark.parametrize("kind", list(KINDS))
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_page_kind_matches_its_golden_file(rendered, kind, lang, golden):
    path = KINDS[kind].removeprefix(paths.OUTPUT_DIR + "/").removesuffix(".md") + f".{lang}.md"
    assert path in rendered, "\n".join(sorted(rendered))
    golden(GOLDEN / f"escaping.{kind}.{lang}.md", rendered[path])


def test_golden_fixture_holds_characters_that_need_escaping_in_markdown_html_and_dot():
    text = (GOLDEN_SOURCES / "escaping.a1.yaml").read_text(encoding="utf-8")
    for char in "*_[]()#|\\`{}<>&\"'":
        assert char in text, char


def test_no_raw_markup_from_the_sources_reaches_any_page(rendered):
    for path, text in ((p, t) for p, t in rendered.items() if p.endswith(".md")):
        for raw in ["<b>procedure</b>", "<i>", "<A>", "<entry>", "<sum>", "<report>", "<all>", "<17:00>", "<more>", "<经理>"]:
            assert raw not in text, (path, raw)


def test_every_golden_file_is_used():
    expected = {f"escaping.{kind}.{lang}.md" for kind in KINDS for lang in ("zh", "en")}
    present = {p.name for p in GOLDEN.glob("escaping.*.md")}
    assert present == expected


PROC = load_file(FIXTURES / "minimal.yaml")[0]
LIBRARY = Library([PROC])


def test_every_step_is_on_the_page_with_its_owner_linked():
    text = pages.procedure_page(LIBRARY, PROC, "en")
    for step in PROC.steps:
        assert f"### {step.number}. {step.title.en} {{ #step-{step.id} }}" in text
    assert "[Clerk](../roles/clerk.md)" in text


def test_a_clause_titled_by_a_marked_gap_is_headed_to_be_determined_and_the_note_follows():
    # The page's contents list shows the heading: a whole gap note there would be a long line.
    proc, _ = load_file(ROOT / "procedure" / "sales-and-service-control.yaml")
    out = render_pages(Library([proc]), None, set(), {}, TODAY)
    zh, en = out["sales-and-service-control/index.zh.md"], out["sales-and-service-control/index.en.md"]
    assert "\n###  待定\n\n<span class=\"gap\"><strong class=\"gap__mark\">待定</strong>：原件在4.1.2后中断" in zh, zh
    assert "\n###  To be determined\n\n<span class=\"gap\"><strong class=\"gap__mark\">To be determined</strong>: The original" in en


def test_an_archived_revisions_undeclared_outputs_and_roles_show_as_gaps_never_as_ids(tmp_path):
    # An old revision (the transcribed A/0 in git) names outputs and a role it never declared.
    source = (FIXTURES / "minimal.yaml").read_text(encoding="utf-8")
    source = source.replace("outputs: [log]", "outputs: [deal-customer-file]").replace("owner: clerk", "owner: sales-desk", 1)
    path = tmp_path / "minimal.yaml"
    path.write_text(source, encoding="utf-8")
    old = load_file(path)[0]
    current = load_file(FIXTURES / "minimal.yaml")[0]
    for lang, gap in (("zh", "待定"), ("en", "To be determined")):
        page = pages.revision_page(Library([current]), old, current, lang)
        assert "deal-customer-file" not in page and "sales-desk" not in page, lang
        assert f'<strong class="gap__mark">{gap}</strong>' in page, lang
