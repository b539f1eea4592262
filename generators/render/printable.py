"""Print HTML for the PDFs (procedures, checklists and blank forms): pure functions, autoescaped templates.

A procedure's PDF is its site page: the same Markdown (``pages.procedure_page``), converted to
HTML here with the site's Markdown extensions, so every section the page gains is printed too.
Web-only parts (download buttons) are hidden by pdf.css; links to other pages become plain text.
"""
from __future__ import annotations

import posixpath
import re
import xml.etree.ElementTree as etree
from functools import lru_cache
from pathlib import Path

from markupsafe import Markup, escape
from jinja2 import Environment, FileSystemLoader, StrictUndefined, pass_context, select_autoescape

from .fonts import font_faces
from .pdf import dated_style
from . import chart_print, outline as outlines
from ..source import phrases
from ..source.deadlines import condition_text, deadline_text
from ..source.labels import label
from ..source.library import RoleDuties
from ..source.model import Form, Procedure, Role
from . import placeholders, preview

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
PDF_CSS = Path(__file__).resolve().parents[2] / "overrides" / "assets" / "stylesheets" / "pdf.css"


@pass_context
def _finalize(context, value):
    """Text escaped (autoescape would) with a source's placeholder marked in the page's language."""
    if value is None or isinstance(value, Markup) or not isinstance(value, str) or "lang" not in context:
        return value
    return placeholders.mark(escape(value), context["lang"])


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape(default=True),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, finalize=_finalize)
    env.globals.update(deadline=deadline_text, condition=condition_text)  # a step's time limit, a part's condition
    env.filters["plain"] = escape  # text where no markup may go (<title>): escaped, never marked
    return env


@lru_cache(maxsize=1)
def stylesheet() -> Markup:
    """The PDF stylesheet: trusted project file, so not escaped (entities would break CSS in <style>)."""
    return Markup(PDF_CSS.read_text(encoding="utf-8"))


def form_rows(form: Form) -> list[list[tuple]]:
    """The form's boxed fields (above its table, if it has one) in rows of a 12-column grid."""
    return field_rows(form.header_fields)


def field_rows(fields) -> list[list[tuple]]:
    """Pack fields into rows of a 12-column grid, in order; the last cell of a row is widened to fill it."""
    rows: list[list[tuple]] = []
    current: list[tuple] = []
    used = 0
    for field in fields:
        width = min(max(field.width, 1), 12)
        if used + width > 12 and current:
            last_field, last_width = current[-1]
            current[-1] = (last_field, last_width + 12 - used)
            rows.append(current)
            current, used = [], 0
        current.append((field, width))
        used += width
    if current:
        last_field, last_width = current[-1]
        current[-1] = (last_field, last_width + 12 - used)
        rows.append(current)
    return rows


def _css_string(text: str) -> str:
    """A CSS string literal of any text: safe inside a <style> element too (no "</style>" can form)."""
    escaped = "".join(f"\\{ord(c):x} " if c in '\\"<>&\'' or ord(c) < 0x20 or ord(c) == 0x7F else c for c in str(text))
    return f'"{escaped}"'


def _both(key: str) -> str:
    """A label in both languages, Chinese first: footers read the same in either language's copy."""
    return f"{label(key, 'zh')} / {label(key, 'en')}"


def _footer_css(control_note: str = "uncontrolled") -> str:
    """Footer text of every page but the date: the control note.

    A blank form is not a controlled copy of a document but the paper a record is made on, so it
    says "blank form" where other PDFs say "uncontrolled when printed"."""
    return f"@page {{ @bottom-left {{ content: {_css_string(_both(control_note))}; }} }}"


def _generated_style(printed: str, dated_css: str = "") -> Markup:
    """The date the file was generated, in the footer of every page, as the head's dated style
    (render/pdf.py: the PDF cache leaves it out, so a cached PDF keeps the date it was made on).
    ``dated_css``: other dates of the day the file is made on (a procedure's "status as of").

    Not a print date: the file is made when the site is built and may be printed any day after."""
    generated = f"{_both('generated')} {printed}"
    return Markup(dated_style(f"@page {{ @bottom-right {{ content: {_css_string(generated)}; }} }}"
                              + (f"\n{dated_css}" if dated_css else "")))


def _draft_css() -> str:
    """The preview stamp across every page: a fixed box repeats on each page in WeasyPrint."""
    return (f"html::after {{ content: {_css_string(preview.stamp())}; position: fixed; top: 105mm; left: -20mm; "
            "width: 220mm; text-align: center; transform: rotate(-35deg); font-size: 26pt; font-weight: 700; "
            "color: rgba(198, 40, 40, .28); z-index: 100; }")


def _render(template: str, lang: str, printed: str, control_note: str = "uncontrolled", *, draft: bool = False,
            extra_css: str = "", dated_css: str = "", **context) -> str:
    """``draft``: a pull-request preview (PREVIEW=1): every page is stamped 草稿 / DRAFT — not for use,
    and templates get ``draft`` to say so wherever else they wish (e.g. in their header)."""
    css = "\n".join([stylesheet(), font_faces(), _footer_css(control_note)] + ([_draft_css()] if draft else [])
                    + ([extra_css] if extra_css else []))
    return cjk_words_kept_whole_in_cells(environment().get_template(template).render(
        lang=lang, other="en" if lang == "zh" else "zh", t=lambda key: label(key, lang), css=Markup(css),
        printed=printed, generated=_generated_style(printed, dated_css), draft=draft, outlines=outlines, **context))


# --- Chinese words kept whole in table cells ------------------------------------------------------
# WeasyPrint breaks Chinese between any two characters (word-break: keep-all has no effect on it), so a
# narrow cell splits words ("纠正措 / 施"). jieba finds the words; each word of two or more characters
# becomes a nowrap span (pdf.css .cjk-word): lines break between words, never inside one.

_CELL = re.compile(r"(<t[dh]\b[^>]*>)(.*?)(</t[dh]>)", re.S)
_TEXT = re.compile(r"(?<=>)[^<]+|^[^<]+")


def _words(run: re.Match) -> str:
    return "".join(f'<span class="cjk-word">{word}</span>' if len(word) > 1 else word for word in phrases.words(run[0]))


def cjk_words_kept_whole_in_cells(html_text: str) -> str:
    """``html_text`` with every Chinese word inside a table cell wrapped so it never breaks."""
    def cell(match: re.Match) -> str:
        inner = _TEXT.sub(lambda text: phrases.HAN_RUN.sub(_words, text[0]), match[2])
        return match[1] + inner + match[3]
    return _CELL.sub(cell, html_text)


# The schema's maximum of ruled rows. A form version from main's history was never checked: its
# rows: 100000000 would make the build render (and hold in memory) a hundred million table rows.
MAX_TABLE_ROWS = 40


def form_html(proc: Procedure, form: Form, lang: str, printed: str, draft: bool = False) -> str:
    """A blank, fill-by-hand form: one document for both languages (``lang`` is not used). A record is
    made on one paper per form number and version: Chinese governs, English stands beside each text
    (its fields' labels were bilingual already), so the zh and en addresses give the same PDF, rendered once."""
    lang = "zh"
    return _render("print-form.html.j2", lang, printed, control_note="blank_form", draft=draft, proc=proc, form=form,
                   t_other=lambda key: label(key, "en"),
                   rows=form_rows(form), footer_rows=field_rows(form.footer),
                   sections=[(section.title, field_rows(section.fields)) for section in form.sections],
                   row_labels=form.row_labels[:MAX_TABLE_ROWS],
                   table_rows=min(max(form.rows or 0, 0), max(MAX_TABLE_ROWS - len(form.row_labels), 0)),
                   extra_css=LANDSCAPE_CSS if form.landscape else "")


LANDSCAPE_CSS = "@page { size: A4 landscape; }"


def checklist_html(role: Role, duties: list[RoleDuties], lang: str, printed: str, draft: bool = False) -> str:
    """A role's checklist over the given procedures, ending with signature and date lines."""
    procs = [d.procedure for d in duties]
    header = {
        "title": f"{label('checklist', lang)}{label('colon', lang)}{role.name[lang]}",
        "number": ", ".join(p.number for p in procs),
        "version": ", ".join(p.version for p in procs),
        "effective": max((p.effective_date or "" for p in procs), default=""),
    }
    return _render("print-checklist.html.j2", lang, printed, draft=draft, role=role, duties=duties, header=header)


# --- procedures: the site page's Markdown, printed -----------------------------------------

# The chart's text names the system font; the compact PDF font first keeps the file small (390 → 160 KB).
_CHART_FONT = re.compile(r'font-family="(Noto Sans CJK[^"]*)"')
_BROWSER_HEADER = re.compile(r"<style data-print-header>.*?</style>\n?", re.S)


def running_header_text(proc: Procedure, lang: str, status: str) -> str:
    """Number, version, effective date and status on one line, as the top margin of a printout shows them."""
    parts = [(label("number", lang), proc.number), (label("version", lang), proc.version),
             (label("effective_date", lang), proc.effective_date or "—"), (label("revision_state", lang),
                                                                            label(f"state_{status}", lang))]
    return "　".join(f"{name} {value}" for name, value in parts) if lang == "zh" else \
        " · ".join(f"{name} {value}" for name, value in parts)


def browser_running_header(proc: Procedure, lang: str, status: str, generated: str) -> Markup:
    """A <style> for the procedure page: when a reader prints it from the browser (Chromium honours
    @page margin boxes), every page carries the title, number, version, effective date and status,
    page x of y, the control note and the date the page was generated. The PDF has its own header."""
    rules = (f"@top-left {{ content: {_css_string(proc.title[lang])}; }} "
             f"@top-right {{ content: {_css_string(running_header_text(proc, lang, status))}; }} "
             f"@bottom-right {{ content: {_css_string(_both('generated') + ' ' + generated)}; }}")
    return Markup(f"<style data-print-header>@media print {{ @page {{ {rules} }} }}</style>")


# Markdown extensions of the site (mkdocs.yml) that the procedure page uses; icons are left out.
PRINT_EXTENSIONS = ["admonition", "attr_list", "md_in_html", "tables", "toc", "pymdownx.superfences"]
_ICON = re.compile(r":(?:material|octicons|fontawesome)-[a-z0-9-]+:[ \t]?")


def _print_links(page_file: str):
    """A Markdown tree step: links within the page keep working as in-PDF anchors; links to other
    pages or files become plain text (a printed copy cannot follow them)."""
    from markdown.treeprocessors import Treeprocessor

    class PrintLinks(Treeprocessor):
        def run(self, root: etree.Element) -> None:
            for anchor in root.iter("a"):
                target = anchor.get("href", "")
                path, _, fragment = target.partition("#")
                if target.startswith("#") or (fragment and posixpath.normpath(path) == page_file):
                    anchor.set("href", f"#{fragment}")
                elif "href" in anchor.attrib:
                    del anchor.attrib["href"]

    return PrintLinks


# The YAML front matter block MkDocs reads (mkdocs.utils.meta.YAML_RE): only at the very start.
_FRONT_MATTER = re.compile(r"\A-{3}[ \t]*\n.*?\n(?:\.{3}|-{3})[ \t]*\n", re.S)


def page_html(markdown_text: str, page_file: str = "index.md") -> Markup:
    """HTML of a generated page's Markdown, as the site renders it (YAML text in it is already escaped)."""
    import markdown
    from markdown.extensions import Extension

    links = _print_links(page_file)

    class PrintOnly(Extension):
        def extendMarkdown(self, md) -> None:
            md.treeprocessors.register(links(md), "print_links", 0)

    # Front matter (title, search boost) is MkDocs' page metadata, not content: stripped as MkDocs does.
    text = _ICON.sub("", _BROWSER_HEADER.sub("", _FRONT_MATTER.sub("", markdown_text, count=1)))  # the PDF's header is its own
    html = markdown.markdown(text, extensions=[*PRINT_EXTENSIONS, PrintOnly()])
    return Markup(html)


def procedure_html(proc: Procedure, page_markdown: str, lang: str, printed: str, status: str,
                   draft: bool = False) -> str:
    """A procedure's controlled copy: its page, under a running header on every page.

    ``page_markdown``: the procedure page as the site renders it (``pages.procedure_page``);
    ``status``: the revision's state on the build date (a ``control.lifecycle.State`` value:
    draft, pending, current, superseded, withdrawn), shown in the running header."""
    body = _CHART_FONT.sub(r'font-family="PDF Sans, \1"', str(page_html(page_markdown, "index.md")))  # str: Markup.sub would escape
    body = chart_print.inline_sheets(body)  # WeasyPrint draws each sheet's SVG on its own
    body, as_of = _status_date_out(body, lang)
    return _render("print-procedure.html.j2", lang, printed, draft=draft, proc=proc, status=status, body=Markup(body),
                   dated_css=as_of)


def _status_date_out(body: str, lang: str) -> tuple[str, str]:
    """The page's "(status as of <day>)" moved from the body to the dated style (render/pdf.py).

    Like the generation date, the day is when the copy was made, not what it says: the state beside
    it is content (a revision coming into force renders its copy again), and a copy cached on an earlier
    day keeps that day (its state was true on it, and still is). Kept in the body, the day would make
    every procedure copy new each day. The span is the page template's (procedure.md.j2): text from
    a procedure is escaped and cannot form it."""
    opening = '<span class="doc-control__date">'
    words = {key: str(label(key, lang)) for key in ("lparen", "status_as_of", "rparen")}  # str: Markup + str escapes
    pattern = re.compile(re.escape(opening + words["lparen"] + words["status_as_of"] + " ") + r"\d{4}-\d{2}-\d{2}"
                         + re.escape(words["rparen"] + "</span>"))
    found = pattern.search(body)
    if found is None:
        return body, ""
    text = found[0][len(opening):-len("</span>")]
    body = body[:found.start()] + '<span class="doc-control__date status-as-of"></span>' + body[found.end():]
    return body, f".status-as-of::after {{ content: {_css_string(text)}; }}"
