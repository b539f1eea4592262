"""The flowchart on paper, and every procedure PDF inside its margins.

Measured in the real outputs: the built site's PDFs (WeasyPrint), read with pypdf (each text's size as
drawn: its font size times the text and drawing matrices) and poppler's ``pdftotext -bbox`` (each word's
box against the page), and a procedure page printed by Chromium (``page.pdf``, the browser's own print).
"""
from __future__ import annotations

import html
import math
import re
import subprocess
import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader

from generators.render.chart_print import MIN_TEXT_PT, Drawing, measure, plan
from test_browser import browser, server  # noqa: F401  (module-scoped fixtures)

MARGIN_PT = 15 * 72 / 25.4  # left and right margins of every PDF page (pdf.css)
# The state stamp across each page is rotated and deliberately faint: it is not text a reader reads in a line.
STAMP_WORDS = {"作废", "OBSOLETE", "废止", "WITHDRAWN", "草稿", "DRAFT", "待生效", "PENDING"}
PROCEDURE_PDF = re.compile(r"[a-z0-9-]+_[a-z0-9-]+_(zh|en)\.pdf")
BIG_CHART = "sales-office-management"  # QP-XS-03: the widest and tallest chart of the library (9 lanes)


def text_sizes(pdf) -> list[list[tuple[float, str]]]:
    """Per page: (size in pt as drawn, text) of every text shown."""
    pages = []
    for page in PdfReader(pdf).pages:
        found = []

        def visit(text, cm, tm, font, size, found=found):
            if text.strip():
                a, b, c, d = (sum(tm[i * 2 + k] * cm[k * 2 + j] for k in range(2)) for i in range(2) for j in range(2))
                found.append((size * math.sqrt(abs(a * d - b * c)), text.strip()))
        page.extract_text(visitor_text=visit)
        pages.append(found)
    return pages


def word_boxes(pdf: Path) -> list[tuple[float, float, list[tuple[float, float, float, float, str]]]]:
    """Per page: its width, height and every word's box (x0, y0, x1, y1, text), from pdftotext -bbox."""
    shown = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = []
    for page in shown.split("<page ")[1:]:
        width, height = (float(v) for v in re.search(r'width="([\d.]+)" height="([\d.]+)"', page).groups())
        words = [(float(a), float(b), float(c), float(d), t) for a, b, c, d, t in
                 re.findall(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<', page)]
        pages.append((width, height, words))
    return pages


def procedure_pdfs(site: Path) -> list[Path]:
    return sorted(p for p in site.glob("**/library/*/**/*.pdf") if PROCEDURE_PDF.fullmatch(p.name)
                  and "/form-" not in str(p) and "checklist" not in str(p))


# Chromium's PDFs map some simplified hanzi to radicals NFKC folds elsewhere or not at all (⼾ → 戶, ⻚ stays).
RADICALS = str.maketrans("⼾⻚⻓⻔⻋⻅⻛⻜⻢⻥⻰⻦⻩⻬⻮⻈", "户页长门车见风飞马鱼龙鸟黄齐齿讠")


def squash(text: str) -> str:
    """Text as extracted, comparable: no white space, compatibility forms folded (CJK radicals → hanzi)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text.translate(RADICALS)))


# --- the plan: pure ---------------------------------------------------------------------------------

def tall_chart(rows: int, width: float = 700, smallest: float = 9.0) -> Drawing:
    """Rows of nodes 40 pt tall, 30 pt apart, below 40 pt of lane names."""
    blocks = tuple((10, 40 + r * 70, width - 10, 80 + r * 70) for r in range(rows))
    return Drawing(width, 40 + rows * 70 + 10, smallest, blocks, 40)


def test_a_tall_chart_is_cut_between_rows_never_through_a_node_and_repeats_the_lane_names():
    drawing = tall_chart(30)
    sheets = plan(drawing)
    assert len(sheets) > 1 and [s.part for s in sheets] == list(range(1, len(sheets) + 1))
    for sheet in sheets:
        top, bottom = sheet.box[1], sheet.box[1] + sheet.box[3]
        for block in drawing.blocks:
            assert not (block[1] < top < block[3]) and not (block[1] < bottom < block[3]), (sheet, block)
        assert (sheet.header is not None) == (sheet.part > 1)  # the lane names: in place on the first sheet
    assert sheets[0].box[1] == 0 and math.isclose(sum(s.box[3] for s in sheets), sheets[-1].box[1] + sheets[-1].box[3])


@pytest.mark.parametrize("width, paper", [(300, "a4"), (700, "a4-landscape"), (1100, "a3-landscape")])
def test_the_paper_is_the_smallest_the_width_fits_with_text_at_7pt_or_more(width, paper):
    sheets = plan(tall_chart(3, width=width, smallest=8))
    assert {s.paper for s in sheets} == {paper}
    assert all(s.scale * 8 >= 7 for s in sheets)


def test_a_chart_too_wide_for_a3_is_cut_into_columns_as_well_never_shrunk_below_7pt():
    sheets = plan(tall_chart(3, width=3000, smallest=9))
    assert len(sheets) >= 3 and all(s.scale * 9 >= MIN_TEXT_PT - .01 for s in sheets)
    assert math.isclose(sum(s.box[2] for s in sheets if s.box[1] == 0), 3000)


def test_the_shipped_big_chart_reads_from_its_svg(built_site):
    svg = next((built_site / "site" / "library" / BIG_CHART).glob("*.zh.svg"), None) or \
        next((built_site / "site" / "library" / BIG_CHART).glob("*.svg"))
    drawing = measure(re.sub(r"<\?xml[^>]*\?>|<!DOCTYPE[^>]*>", "", svg.read_text(encoding="utf-8")))
    assert drawing is not None and drawing.width > 1000 and len(drawing.blocks) > 20


# --- every procedure PDF of the built site -----------------------------------------------------------

def test_every_procedure_pdf_has_its_text_at_7pt_or_more_and_inside_the_margins(built_site):
    pdfs = procedure_pdfs(built_site / "site")
    assert len(pdfs) >= 30, "both languages of every procedure"
    small, outside = [], []
    for pdf in pdfs:
        for number, found in enumerate(text_sizes(pdf), start=1):
            small += [f"{pdf.name} p{number}: {size:.1f} pt {text[:30]!r}" for size, text in found
                      if size < 7 - 0.01 and text not in STAMP_WORDS and not STAMP_WORDS & set(text.split())]
        for number, (width, _, words) in enumerate(word_boxes(pdf), start=1):
            outside += [f"{pdf.name} p{number}: {text!r} {x0:.0f}–{x1:.0f} of {width:.0f} pt"
                        for x0, _, x1, _, text in words if text not in STAMP_WORDS
                        and (x0 < MARGIN_PT - 1 or x1 > width - MARGIN_PT + 1)]
    assert not small, "\n".join(small[:20])
    assert not outside, "\n".join(outside[:20])


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_big_chart_gets_landscape_sheets_of_its_own_showing_every_node(built_site, lang):
    folder = built_site / "site" / ("en/" if lang == "en" else "") / "library" / BIG_CHART
    (pdf,) = [p for p in folder.glob(f"*_{lang}.pdf") if PROCEDURE_PDF.fullmatch(p.name)]
    reader = PdfReader(pdf)
    wide = [page for page in reader.pages if page.mediabox.width > page.mediabox.height]
    assert wide, "no landscape sheet"
    chart_text = squash("".join(page.extract_text() for page in wide))
    svg = (built_site / "site" / "library" / BIG_CHART / f"{BIG_CHART}.{lang}.svg")
    svg = svg if svg.exists() else next(p for p in (built_site / "site").glob(f"**/{BIG_CHART}*{lang}*.svg"))
    texts = [squash(html.unescape(t)) for t in re.findall(r"<text[^>]*>([^<]+)</text>", svg.read_text(encoding="utf-8"))]
    missing = [t for t in texts if t and squash(t.replace("&#39;", "'").replace("&amp;", "&")) not in chart_text]
    assert not missing, missing[:10]
    # the sheets carry the running header like every other page, and say which part they are
    assert all("QP-XS-03" in page.extract_text() for page in wide)
    assert ("第 1 页，共" if lang == "zh" else "sheet 1 of") in wide[0].extract_text()


# --- printing a procedure page from the browser --------------------------------------------------------

@pytest.mark.parametrize("path", [f"library/{BIG_CHART}/", f"en/library/{BIG_CHART}/"])
def test_printing_the_page_from_chromium_gives_the_whole_chart_at_7pt_or_more(server, browser, path, tmp_path):
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    page.goto(f"{server}/{path}")
    nodes = page.eval_on_selector_all(".flowchart svg g.node text", "ts => ts.map(t => t.textContent)")
    page.emulate_media(media="print")
    page.pdf(path=str(tmp_path / "printed.pdf"), prefer_css_page_size=True)
    page.close()
    reader = PdfReader(tmp_path / "printed.pdf")
    wide = [n for n, p in enumerate(reader.pages) if p.mediabox.width > p.mediabox.height]
    assert wide, "the chart was printed on portrait pages"
    chart_text = squash("".join(reader.pages[n].extract_text() for n in wide))
    missing = [t for t in nodes if squash(t) and squash(t) not in chart_text]
    assert not missing, f"not printed: {missing[:10]}"
    sizes = text_sizes(tmp_path / "printed.pdf")
    smallest = min(size for n in wide for size, _ in sizes[n])
    assert smallest >= 7 - 0.01, smallest
