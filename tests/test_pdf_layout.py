"""Printed checklists as WeasyPrint lays them out: the signature lines never stand alone on a page."""
from __future__ import annotations

import subprocess

import pytest
from pypdf import PdfReader

from conftest import ROOT
from generators.render.site import printable_documents
from generators.source.library import Library
from generators.source.loader import load_file, load_shared
from generators.render.pdf import PdfRenderer

SIGNED_BY = {"zh": "执行人签名", "en": "Signed by"}


@pytest.fixture(scope="module")
def checklists(tmp_path_factory) -> dict[str, bytes]:
    """Every role checklist of the shipped library that runs over more than one page, rendered."""
    folder = ROOT / "procedure"
    shared = load_shared(folder)[0]
    library = Library([p for p in (load_file(f, shared)[0] for f in sorted(folder.glob("[!_]*.yaml"))) if p is not None])
    documents = {path: html for path, html in printable_documents(library, "2030-01-01").items() if "checklist" in path}
    # The longest documents: the combined checklists of roles in several procedures.
    longest = sorted(documents, key=lambda path: len(documents[path]), reverse=True)[:4]
    renderer = PdfRenderer(cache_dir=tmp_path_factory.mktemp("pdf-cache"))
    return dict(zip(longest, renderer.render_many([documents[path] for path in longest])))


def test_the_signature_lines_share_their_page_with_checklist_items(checklists, tmp_path):
    several_pages = 0
    for path, data in checklists.items():
        target = tmp_path / "c.pdf"
        target.write_bytes(data)
        pages = [page.extract_text() for page in PdfReader(target).pages]
        lang = "zh" if path.endswith("_zh.pdf") else "en"
        (last,) = [text for text in pages if SIGNED_BY[lang] in text]
        before = last.split(SIGNED_BY[lang])[0]
        # The running header (title, number and version, role and effective date) is no checklist item.
        header = ("岗位检查表", "Role checklist", "编号", "Document No.", "岗位", "Role ")
        body = [line for line in before.splitlines() if line.strip() and not line.startswith(header)]
        several_pages += len(pages) > 1
        assert body, f"{path}: the signature lines stand alone on page {len(pages)}"
    assert several_pages, "no checklist runs over a page: the test proves nothing"


def test_a_narrow_cell_breaks_chinese_between_words_not_inside_one(tmp_path):
    from generators.render.printable import cjk_words_kept_whole_in_cells, stylesheet

    page = (f"<html><head><style>{stylesheet()}</style></head><body><table class=\"list\" style=\"width: 5.5em\"><tr>"
            "<td>纠正措施，完成期限</td></tr></table></body></html>")
    (data,) = PdfRenderer(cache_dir=tmp_path / "cache").render_many([cjk_words_kept_whole_in_cells(page)])
    (tmp_path / "cell.pdf").write_bytes(data)
    shown = subprocess.run(["pdftotext", "-layout", str(tmp_path / "cell.pdf"), "-"], capture_output=True, text=True, check=True)
    lines = [line.strip() for line in shown.stdout.splitlines()]
    assert "纠正措施，" in lines and "完成期限" in lines, lines
