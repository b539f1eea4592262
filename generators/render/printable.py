"""Print HTML for the PDFs (checklists and blank forms): pure functions, autoescaped templates."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from markupsafe import Markup
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from ..fonts import font_faces
from ..labels import label
from ..library import RoleDuties
from ..model import Form, Procedure, Role
from ..publish import preview

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
PDF_CSS = Path(__file__).resolve().parents[2] / "overrides" / "assets" / "stylesheets" / "pdf.css"


@lru_cache(maxsize=1)
def environment() -> Environment:
    return Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape(default=True),
                       undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)


@lru_cache(maxsize=1)
def stylesheet() -> Markup:
    """The PDF stylesheet: trusted project file, so not escaped (entities would break CSS in <style>)."""
    return Markup(PDF_CSS.read_text(encoding="utf-8"))


def form_rows(form: Form) -> list[list[tuple]]:
    """Pack fields into rows of a 12-column grid, in order; the last cell of a row is widened to fill it."""
    rows: list[list[tuple]] = []
    current: list[tuple] = []
    used = 0
    for field in form.fields:
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
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def _footer_css(lang: str, printed: str) -> str:
    """Footer texts of every page: the control status (both languages) and the print date."""
    uncontrolled = f"{label('uncontrolled', 'zh')} / {label('uncontrolled', 'en')}"
    printed_text = f"{label('printed', lang)}: {printed}"
    return (f"@page {{ @bottom-left {{ content: {_css_string(uncontrolled)}; }} "
            f"@bottom-right {{ content: {_css_string(printed_text)}; }} }}")


def _draft_css() -> str:
    """The preview stamp across every page: a fixed box repeats on each page in WeasyPrint."""
    return (f"html::after {{ content: {_css_string(preview.stamp())}; position: fixed; top: 105mm; left: -20mm; "
            "width: 220mm; text-align: center; transform: rotate(-35deg); font-size: 26pt; font-weight: 700; "
            "color: rgba(198, 40, 40, .28); z-index: 100; }")


def _render(template: str, lang: str, printed: str, *, draft: bool = False, **context) -> str:
    """``draft``: a pull-request preview (PREVIEW=1): every page is stamped 草稿 / DRAFT — not for use,
    and templates get ``draft`` to say so wherever else they wish (e.g. in their header)."""
    css = "\n".join([stylesheet(), font_faces(), _footer_css(lang, printed)] + ([_draft_css()] if draft else []))
    return environment().get_template(template).render(
        lang=lang, other="en" if lang == "zh" else "zh", t=lambda key: label(key, lang), css=Markup(css),
        printed=printed, draft=draft, **context)


def form_html(proc: Procedure, form: Form, lang: str, printed: str, draft: bool = False) -> str:
    """A blank, fill-by-hand form."""
    return _render("print-form.html.j2", lang, printed, draft=draft, proc=proc, form=form, rows=form_rows(form))


def checklist_html(role: Role, duties: list[RoleDuties], lang: str, printed: str, draft: bool = False) -> str:
    """A role's checklist over the given procedures, ending with signature and date lines."""
    procs = [d.procedure for d in duties]
    header = {
        "title": f"{label('checklist', lang)}: {role.name[lang]}",
        "number": ", ".join(p.number for p in procs),
        "version": ", ".join(p.version for p in procs),
        "effective": max((p.effective_date or "" for p in procs), default=""),
    }
    return _render("print-checklist.html.j2", lang, printed, draft=draft, role=role, duties=duties, header=header)
