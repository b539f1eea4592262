"""The controlled copy of a procedure (PDF, WeasyPrint): the page's content under a running header.

Made by the build's own functions from the shipped sales procedure, with real Graphviz and
WeasyPrint; the date is an input, never the calendar.
"""
from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import replace

import pytest
from pypdf import PdfReader

from conftest import published_procedure
from generators.control import history
from generators.render import site
from generators.render.graphviz import Graphviz
from generators.source.labels import label
from generators.source.library import Library
from generators.render.pdf import PdfRenderer
from generators.source import paths
from generators.render import printable

PROC = published_procedure()
LIBRARY = Library([PROC])
GENERATED = "2026-11-27"  # before the shipped A/2's effective date (2026-12-15): it is pending


def squash(text: str) -> str:
    """Text as extracted, comparable: no white space, compatibility forms folded (CJK radicals → hanzi)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


@pytest.fixture(scope="module")
def procedure_pdfs(tmp_path_factory) -> dict[str, PdfReader]:
    """Both languages' PDFs of the sales procedure, rendered as `generators build` renders them."""
    charts = site.render_charts(LIBRARY, Graphviz())
    planned = {paths.procedure_pdf(PROC.slug, PROC.version, lang) for lang in ("zh", "en")}
    pages_out = site.render_pages(LIBRARY, charts, planned, {}, GENERATED)
    documents = site.procedure_printables(LIBRARY, pages_out, GENERATED, {}, GENERATED)
    assert set(documents) == planned
    renderer = PdfRenderer(cache_dir=tmp_path_factory.mktemp("pdf-cache"))
    out = {}
    for (path, _), data in zip(documents.items(), renderer.render_many(list(documents.values()))):
        out[path.rsplit("_", 1)[1].removesuffix(".pdf")] = PdfReader(io.BytesIO(data))
    return out


@pytest.fixture(scope="module")
def pdf_sizes(procedure_pdfs) -> dict[str, int]:
    return {lang: len(reader.stream.getvalue()) for lang, reader in procedure_pdfs.items()}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_page_of_the_procedure_pdf_carries_the_running_header(procedure_pdfs, lang):
    reader = procedure_pdfs[lang]
    pages = len(reader.pages)
    assert pages > 1
    for number, page in enumerate(reader.pages, start=1):
        text = squash(page.extract_text())
        for expected in [PROC.title[lang], PROC.number, PROC.version, PROC.effective_date, label("state_pending", lang),
                         f"第{number}页共{pages}页", f"Page{number}of{pages}", "打印件为非受控文件/Uncontrolledwhenprinted",
                         f"生成日期/Generated{GENERATED}"]:
            assert squash(expected) in text, (number, expected)
        assert "打印日期" not in text and "Printed" not in text  # the file's date is when it was made, not printed


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_procedure_pdf_holds_the_page_sections_and_the_flowchart(procedure_pdfs, lang):
    text = squash("".join(page.extract_text() for page in procedure_pdfs[lang].pages))
    for step in PROC.steps:
        assert squash(f"{step.number}. {step.title[lang]}") in text, step.id
    from generators.render.outline import outline

    # Each section the page has (label key -> its outline key); A/4 has records, no forms.
    sections = {"scope": "scope", "objectives": "objectives", "roles": "roles", "control_points": "control_points",
                "flowchart": "flowchart", "steps": "steps", "document_flow": "documents", "forms": "forms",
                "records": "records", "responsibilities": "responsibilities"}
    present = outline(PROC)
    assert present["steps"] and present["documents"]  # the sample is a flow procedure
    for key in ["revision_log"] + [k for k, section in sections.items() if present[section]]:
        assert squash(label(key, lang)) in text, key
    # The chart's page: the flowchart heading, the start node and a swimlane for each step owner on one
    # page (the revision log may also say "流程图" on an earlier page).
    owners = {step.owner for step in PROC.steps}
    lanes = [squash(role.name[lang]) for role in PROC.roles if role.id in owners]
    chart_pages = [squash(p.extract_text()) for p in procedure_pdfs[lang].pages]
    assert any(squash(label("flowchart", lang)) in page and squash(label("start", lang)) in page
               and all(lane in page for lane in lanes) for page in chart_pages)
    for revision in PROC.revisions:
        assert squash(revision.changes[0][lang])[:30] in text
    assert squash(label("download_pdf", lang)) not in text  # web-only buttons are not printed
    assert '"boost"' not in text and "title:" not in text  # the page's front matter is metadata, not print


def test_the_state_in_the_header_is_the_one_given():
    markdown_text = "# Title\n"
    current = printable.procedure_html(PROC, markdown_text, "zh", "2026-12-20", "current")
    pending = printable.procedure_html(PROC, markdown_text, "en", GENERATED, "pending")
    header = lambda html: html[html.index('<table class="doc-header">'):html.index("</table>")]
    assert "现行" in header(current) and "待生效" not in header(current)
    assert "Pending" in header(pending)
    # The state comes from the lifecycle (control.lifecycle), on the build's date:
    assert history.shown_state(PROC, {}, "2026-12-14") == "pending"
    assert history.shown_state(PROC, {}, PROC.effective_date) == "current"


def test_yaml_text_is_data_in_the_pdf_html_and_in_the_browser_running_header():
    hostile = "</style><script>alert(1)</script>\"};@page{x"
    proc = replace(PROC, title=replace(PROC.title, zh=hostile, en=hostile))
    css = printable.browser_running_header(proc, "zh", "current", GENERATED)
    assert css.count("</style>") == 1 and "<script" not in css and '"}' not in css
    html = printable.procedure_html(proc, "# x\n", "zh", GENERATED, "current")
    assert "<script" not in html


def test_links_to_other_pages_become_text_and_step_links_stay_in_the_pdf():
    html = printable.page_html("[Clerk](../roles/clerk.md) [Step](index.md#step-sell) [Top](#scope)\n")
    assert '<a href="#step-sell">Step</a>' in html and '<a href="#scope">Top</a>' in html
    assert "clerk.md" not in html and "<a>Clerk</a>" in html


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_procedure_pdf_stays_small_with_the_compact_font_in_the_chart_too(pdf_sizes, lang):
    assert pdf_sizes[lang] < 250_000, pdf_sizes  # the chart in the full system font alone made the zh copy 390 KB


def test_the_chinese_pdf_has_no_slanted_copy_of_its_font(procedure_pdfs):
    """Chinese is never set in italics (a slanted hanzi is no Chinese emphasis): WeasyPrint embedded a whole
    oblique copy of the font for one "(已引用，未发布)" in <em>, 30 KB of the file."""
    fonts = {str(font.get_object()["/BaseFont"]) for page in procedure_pdfs["zh"].pages
             for font in page["/Resources"].get("/Font", {}).values()}
    assert fonts and not [f for f in fonts if "Oblique" in f or "Italic" in f], fonts


def test_the_pdf_font_rules_name_the_fonts_of_the_working_folder_of_the_moment(tmp_path, monkeypatch):
    """The rules were worked out once per process for ".cache/fonts" as a relative path: after a test
    (or a `make serve` worker) had built in another folder, PDFs named that folder's fonts, gone with
    it, and WeasyPrint embedded the whole system font instead (a 460 KB procedure copy)."""
    import shutil

    from conftest import SHARED_FONTS
    from generators.render.fonts import font_faces

    if not font_faces(SHARED_FONTS):  # made once per machine; every build here shares them
        pytest.skip("Noto Sans CJK is not installed")
    for name in ("first", "second"):
        shutil.copytree(SHARED_FONTS, tmp_path / name / ".cache" / "fonts", ignore=shutil.ignore_patterns(".*"))
    monkeypatch.chdir(tmp_path / "first")
    assert (tmp_path / "first").as_uri() in font_faces()
    monkeypatch.chdir(tmp_path / "second")
    faces = font_faces()
    assert (tmp_path / "second").as_uri() in faces and (tmp_path / "first").as_uri() not in faces
