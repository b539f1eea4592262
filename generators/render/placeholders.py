"""A source's placeholder shown to readers as a placeholder, not as a name (issue 30, item 4).

Every occurrence of one (source/placeholders.py says what one is: 某某集团, ××公司, XXXERP, XXXX-…), quoted
or not, in a page's text is wrapped in ``<span class="placeholder">`` with the page language's label
(占位符 / placeholder) drawn after it by the stylesheets (site, print and PDF) and a tooltip saying what
it is. The procedure PDF is the page's Markdown, so it carries the same mark.

Pure: escaped text in, markup out. The text is escaped first (render/escape.py ``md``) and marked after:
a placeholder is made of characters escaping leaves alone (X, ×, Chinese, digits, "-", "."), so no
entity is ever split, and only text that was plain is marked (never markup built elsewhere).
"""
from __future__ import annotations

import functools
import html

from markupsafe import Markup

from ..source.labels import label
from ..source.placeholders import SHOWN_PLACEHOLDER
from .escape import md


def _attribute(text) -> str:
    return html.escape(str(text), quote=True)


def span(text: str, lang: str) -> str:
    """One placeholder, already escaped, marked in ``lang``."""
    return (f'<span class="placeholder" data-label="{_attribute(label("placeholder", lang))}" '
            f'title="{_attribute(label("placeholder_note", lang))}">{text}</span>')


def mark(escaped: str, lang: str) -> Markup:
    """``escaped`` (text ``md`` made safe) with each placeholder marked."""
    return Markup(SHOWN_PLACEHOLDER.sub(lambda m: span(m.group(0), lang), str(escaped)))


def md_marked(text, lang: str) -> Markup:
    """Text escaped for Markdown and HTML (``md``), its placeholders marked; markup stays as it is."""
    if isinstance(text, Markup):
        return text
    if type(text) is str:  # the same names (roles, procedures, forms) are written on page after page
        return _str_marked(text, lang)
    return mark(md(text), lang)


@functools.lru_cache(maxsize=1 << 16)
def _str_marked(text: str, lang: str) -> Markup:
    return mark(md(text), lang)
