"""Pull-request previews (``make site PREVIEW=1``): every page and every PDF stamped 草稿 / DRAFT — not
for use and kept out of search engines; a normal build carries none of it."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURES, PAGE_KINDS, PUBLISHED, copy_project, page_kind, replaced, write_procedures_sharing_a_role
from generators.render import preview
from test_comparisons import revised
from test_revisions import A0, A1

STAMP = preview.stamp()
NOINDEX = '<meta name="robots" content="noindex, nofollow">'


def _git(project: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=QA Manager", "-c", "user.email=qa@example.com", *args], cwd=project,
                   check=True, capture_output=True, timeout=60)


@pytest.fixture(scope="module")
def preview_site(tmp_path_factory) -> Path:
    """A preview build with two procedures that share a role (so combined checklists exist), in a git
    repository holding an earlier revision (so history and archived pages exist)."""
    root = tmp_path_factory.mktemp("preview")
    procedures = root / "procedure"
    procedures.mkdir()
    shutil.copy(PUBLISHED.parent / PUBLISHED.name, procedures / PUBLISHED.name)
    write_procedures_sharing_a_role(procedures)  # their shared role gives the combined checklist its PDF
    project = copy_project(root / "project", procedures)
    current = (project / "procedure" / PUBLISHED.name).read_bytes()
    shutil.copy(FIXTURES / "sales-process-control-a0.yaml", project / "procedure" / PUBLISHED.name)
    # a third procedure at A/0, A/1 and A/2: three revisions give a procedure its comparisons page
    third = [replaced(replaced(text, "number: QP-T-01", "number: QP-T-03"), "number: QR-T-01", "number: QR-T-03")
             for text in (A0, A1, revised(A1, "A/2", "2"))]
    (project / "procedure" / "qp-t-03.yaml").write_text(third[0], encoding="utf-8")
    _git(project, "init", "-q", "-b", "main")
    _git(project, "add", "procedure")
    _git(project, "commit", "-q", "-m", "A/0")
    (project / "procedure" / PUBLISHED.name).write_bytes(current)
    (project / "procedure" / "qp-t-03.yaml").write_text(third[1], encoding="utf-8")
    _git(project, "commit", "-q", "-am", "current revision")
    (project / "procedure" / "qp-t-03.yaml").write_text(third[2], encoding="utf-8")
    _git(project, "commit", "-q", "-am", "QP-T-03 A/2")
    env = dict(os.environ, PYTHONPATH=str(project), NO_MKDOCS_2_WARNING="1", PREVIEW="1")
    for command in ([sys.executable, "-m", "generators", "build"], [sys.executable, "-m", "mkdocs", "build", "--strict"]):
        result = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True, timeout=900)
        assert result.returncode == 0, result.stdout + result.stderr
    return project / "site"


def page_kinds(site: Path) -> dict[str, list[Path]]:
    """Every HTML page of the site (both languages), grouped by kind."""
    kinds: dict[str, list[Path]] = {}
    for html in sorted(site.rglob("*.html")):
        kinds.setdefault(page_kind(html.relative_to(site).as_posix()), []).append(html)
    return kinds


def pdf_texts(site: Path, first_pages_only: bool = False) -> dict[Path, list[str]]:
    """Each PDF's pages as text without white space (pypdf: poppler's pdftotext breaks the stamp's
    rotated words apart). ``first_pages_only``: the stamp is a page rule, on every page or on none."""
    from pypdf import PdfReader

    def pages(pdf: Path) -> list[str]:
        reader = PdfReader(pdf)
        return ["".join(page.extract_text().split()) for page in reader.pages[:1 if first_pages_only else None]]

    return {pdf: pages(pdf) for pdf in site.rglob("*.pdf")}


def test_preview_stamps_every_page_of_every_kind_with_banner_and_noindex(preview_site):
    kinds = page_kinds(preview_site)
    assert set(kinds) == {kind for kind, _ in PAGE_KINDS}, sorted(kinds)
    unstamped = []
    for kind, pages in kinds.items():
        for html in pages:
            text = html.read_text(encoding="utf-8")
            if 'http-equiv="refresh"' in text[:2000]:
                # An address published before, now a row of a fuller page: it shows nothing and sends the
                # reader on at once to that page (stamped, checked as its own kind); never indexed.
                if '<meta name="robots" content="noindex' not in text:
                    unstamped.append(f"{kind} (redirect, indexable): {html.relative_to(preview_site)}")
                continue
            banner = re.search(r'<aside class="md-banner">([\s\S]*?)</aside>', text)
            if not (banner and STAMP in banner[1] and NOINDEX in text):
                unstamped.append(f"{kind}: {html.relative_to(preview_site)}")
    assert not unstamped, unstamped


def test_preview_banner_explains_in_the_language_of_the_page(preview_site):
    zh = (preview_site / "library" / "sales-process-control" / "index.html").read_text(encoding="utf-8")
    en = (preview_site / "en" / "library" / "sales-process-control" / "index.html").read_text(encoding="utf-8")
    assert preview.banner("zh") in zh and preview.banner("en") not in zh
    assert preview.banner("en") in en and preview.banner("zh") not in en


def test_preview_stamps_every_page_of_every_pdf(preview_site):
    texts = pdf_texts(preview_site)
    assert any("/checklists/" in pdf.as_posix() for pdf in texts), "no combined checklist PDF in the preview"
    assert any("/form-" in pdf.as_posix() for pdf in texts)
    stamp = "".join(STAMP.split())
    missing = [f"{pdf.relative_to(preview_site)} page {n + 1}" for pdf, pages in texts.items()
               for n, text in enumerate(pages) if stamp not in text]
    assert not missing, missing


def test_normal_build_has_no_stamp_no_banner_and_no_noindex(built_site):
    site = built_site / "site"
    for html in site.rglob("*.html"):
        text = html.read_text(encoding="utf-8")
        # No preview's stamp, banner or site-wide "noindex, nofollow"; a page that is not in force (an
        # archived, pending or withdrawn revision) still asks search engines not to index it, as a
        # moved address does, in any build.
        # (the guides quote the stamp's words to explain previews: there it is text, not a stamp)
        quoted = page_kind(html.relative_to(site).as_posix()) == "hand-written"
        assert (quoted or STAMP not in text) and NOINDEX not in text and 'class="md-banner"' not in text, html
    stamp = "".join(STAMP.split())
    for pdf, pages in pdf_texts(site, first_pages_only=True).items():
        assert not any(stamp in text or "DRAFT" in text for text in pages), pdf


def test_preview_is_requested_by_a_true_value_of_the_environment_variable():
    assert preview.requested({"PREVIEW": "1"}) and preview.requested({"PREVIEW": "true"})
    assert not any(preview.requested(env) for env in ({}, {"PREVIEW": ""}, {"PREVIEW": "0"}, {"PREVIEW": "false"}))
