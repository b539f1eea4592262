"""A source's placeholder (某某集团, ××公司, XXXERP, XXXX-…) is shown to readers as a placeholder, never as a
name (issue 30, item 4): every occurrence in a page, in either language, quoted or not, and in the PDFs
made from them, is marked with the page language's label and a tooltip; escaping is kept."""
from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from markupsafe import Markup

from conftest import ROOT
from generators.render import pages, printable
from generators.render.placeholders import md_marked
from generators.source.labels import label
from generators.source.library import Library
from generators.source.loader import load_file, load_shared
from generators.source.placeholders import SHOWN_PLACEHOLDER

CASE = ROOT / "tests" / "rules" / "source-placeholder" / "input.yaml"
FOLDER = ROOT / "procedure"
MARK = re.compile(r'<span class="placeholder" data-label="([^"]*)" title="([^"]*)">([^<]*)</span>')


class _Text(HTMLParser):
    """The text of an HTML page outside placeholder marks (and outside <style> and <title>)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth, self.inside, self.skip, self.parts = 0, None, 0, []

    def handle_starttag(self, tag, attrs):
        if tag == "span":
            self.depth += 1
            if self.inside is None and ("class", "placeholder") in attrs:
                self.inside = self.depth
        self.skip += tag in ("style", "title")

    def handle_endtag(self, tag):
        if tag == "span":
            if self.inside == self.depth:
                self.inside = None
            self.depth -= 1
        self.skip -= tag in ("style", "title")

    def handle_data(self, data):
        self.parts.append("\0" if self.inside is not None or self.skip else data)


def unmarked(html: str) -> list[str]:
    """Placeholders in ``html``'s text outside a placeholder mark (the front matter left out)."""
    parser = _Text()
    parser.feed(re.sub(r"\A---\n.*?\n---\n", "", html, flags=re.S))
    return SHOWN_PLACEHOLDER.findall("".join(parser.parts))


@pytest.fixture(scope="module")
def case():
    proc = load_file(CASE)[0]
    return proc, Library([proc])


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_placeholder_on_a_procedure_page_is_marked_in_the_pages_language(case, lang):
    proc, library = case
    page = pages.procedure_page(library, proc, lang, chart=Markup("<svg></svg>"))
    marks = MARK.findall(page)
    # Chinese: the title (某某集团), a step title (××公司) and its links, a quoted one (“某某集团”), a document's
    # content (XXXERP, twice); English: the quoted "某某集团" and "XXXERP"
    assert {text for _, _, text in marks} == ({"某某集团", "××公司", "XXXERP"} if lang == "zh" else {"某某集团", "XXXERP"})
    assert {(shown, note) for shown, note, _ in marks} == {(label("placeholder", lang), label("placeholder_note", lang))}
    assert not unmarked(page), unmarked(page)


def test_a_placeholder_is_marked_after_escaping_and_nothing_else_changes():
    assert md_marked('某某集团<b>"X"</b> & XXXERP_', "zh") == Markup(
        '<span class="placeholder" data-label="占位符" title="占位符：原文以此代替未写明的名称，不是真实名称">某某集团</span>'
        '&#60;b&#62;&#34;X&#34;&#60;/b&#62; &#38; '
        '<span class="placeholder" data-label="占位符" title="占位符：原文以此代替未写明的名称，不是真实名称">XXXERP</span>&#95;')
    assert md_marked("no placeholder: XX, xxx-1, Xerox", "en") == Markup("no placeholder&#58; XX, xxx-1, Xerox")
    assert md_marked(Markup("<i>XXXERP</i>"), "en") == Markup("<i>XXXERP</i>")  # markup built elsewhere is left alone


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_librarys_quoted_placeholders_are_marked_too(lang):
    """SD-10 writes the source's XXXERP quoted (原文作“XXXERP”，系统名称未写明), MED's entry cites XXXX: both marked."""
    shared = load_shared(FOLDER)[0]
    library = Library([p for p in (load_file(f, shared)[0] for f in sorted(FOLDER.glob("[!_]*.yaml"))) if p is not None])
    for number, expected in (("SD-10", "XXXERP"), ("MED-QP7.5.1-2015", "XXXX")):
        proc = next(p for p in library.procedures if p.number == number)
        page = pages.procedure_page(library, proc, lang, chart=Markup("<svg></svg>"))
        assert expected in {text for _, _, text in MARK.findall(page)}, number
        assert not unmarked(page), (number, unmarked(page))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_procedure_pdf_and_a_checklist_carry_the_mark_and_a_plain_title(case, lang):
    proc, library = case
    page = pages.procedure_page(library, proc, lang, chart=Markup("<svg></svg>"))
    copy = printable.procedure_html(proc, page, lang, "2026-12-07", "current")
    assert MARK.search(copy) and not unmarked(copy)
    checklist = printable.checklist_html(library.roles["clerk"], [d for d in library.duties("clerk") if not d.is_empty],
                                         lang, "2026-12-07")
    assert MARK.search(checklist) and not unmarked(checklist)
    if lang == "zh":  # the PDF's metadata title stays plain text
        assert re.search(r"<title>(.*?)</title>", copy, re.S)[1] == "QP-T-01 A/1 某某集团测试程序"
        assert "××公司" in {text for _, _, text in MARK.findall(checklist)}
