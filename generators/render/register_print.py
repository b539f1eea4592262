"""Print HTML of a library page (master list, records register, a revision history, the deviations
register) for the audit package: the site's page content, with the PDFs' stylesheet and fonts, a
title, "page x of y" and the date the package was made on every page."""
from __future__ import annotations

from markupsafe import Markup, escape

from ..source.labels import label
from .fonts import font_faces
from .pdf import dated_style
from .printable import page_html, stylesheet


def _css_text(text: str) -> str:
    return '"' + "".join(f"\\{ord(c):x} " if c in '\\"<>&\'' or ord(c) < 0x20 else c for c in str(text)) + '"'


def register_html(title: str, markdown_text: str, lang: str, printed: str) -> str:
    """A standalone HTML document of a generated page's Markdown, ready for WeasyPrint: the title at
    the top of every page, page x of y (the PDF stylesheet's), the control note and the date below."""
    note = f"{label('uncontrolled', 'zh')} / {label('uncontrolled', 'en')}"
    generated = f"{label('generated', 'zh')} / {label('generated', 'en')} {printed}"
    furniture = (f"@page {{ @top-center {{ content: {_css_text(title)}; font-size: 8pt; }} "
                 f"@bottom-left {{ content: {_css_text(note)}; }} }}")
    dated = dated_style(f"@page {{ @bottom-right {{ content: {_css_text(generated)}; }} }}")  # out of the PDF cache's key
    css = "\n".join([str(stylesheet()), font_faces(), furniture])
    body = page_html(markdown_text)
    return (f'<!doctype html><html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">'
            f"<title>{escape(title)}</title><style>{Markup(css)}</style>{dated}</head>"
            f'<body class="procedure-copy"><div class="page-body">{body}</div></body></html>')


def table_markdown(headings: list[str], rows: list[list[str]]) -> str:
    """A Markdown table of plain texts (each cell escaped for Markdown and HTML)."""
    from .escape import md_lines

    lines = ["| " + " | ".join(md_lines(h) for h in headings) + " |", "|" + "---|" * len(headings)]
    lines += ["| " + " | ".join(md_lines(c) for c in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"
