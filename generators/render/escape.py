"""Escaping of YAML text for every output: Markdown/HTML, DOT. YAML text is data, never markup."""
from __future__ import annotations

import re

from graphviz import escape, nohtml
from graphviz.quoting import quote
from markupsafe import Markup

from ..source.characters import scrub

# Characters that Markdown, its extensions (tables, attr_list, abbr, emoji) or HTML
# could read as syntax. As numeric entities they display as themselves everywhere:
# in Markdown text, table cells and raw HTML blocks alike.
_MD_SPECIAL = {c: f"&#{ord(c)};" for c in "\\`*_{}[]<>#!|&:~^\"'"}
_MD_TABLE = str.maketrans(_MD_SPECIAL)
# Only at the start of a text do these begin a block (list item, heading underline).
_LEADING = re.compile(r"^(\d+)([.)])|^([-+=])")


def md(text) -> Markup:
    """Escape text for Markdown and HTML; newlines become spaces (it sits inline)."""
    if isinstance(text, Markup):
        return text
    value = " ".join(scrub(str(text)).split())
    value = value.translate(_MD_TABLE)
    value = _LEADING.sub(lambda m: (m[1] or "") + f"&#{ord(m[2] or m[3])};", value)
    return Markup(value)


def md_lines(text) -> Markup:
    """Like ``md`` but keeps line breaks as <br> (for multi-line cells)."""
    return Markup("<br>".join(md(line) for line in str(text).splitlines() if line.strip()))


# --- DOT: one function per context a text lands in --------------------------------------------
# Graphviz expands escString sequences (\N node name, \G graph name, \L label, \n \l \r line
# breaks...) in labels, ids, URLs and tooltips, HTML-like labels included.


def _one_line(text) -> str:
    """Text on one line, refused characters (NUL, C1, ...) replaced: a second line of defence
    behind the loader, which rejects them; a NUL would make Graphviz drop the rest of a line."""
    return " ".join(scrub(str(text)).split())


def dot_html(text) -> str:
    """Text inside a Graphviz HTML-like label: cell text and attribute values (TOOLTIP) alike."""
    value = _one_line(text).replace("\\", "\\\\")  # "\\" shows one backslash; "\N" would show the node name
    return (value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;").replace("'", "&#39;").replace("]", "&#93;").replace("[", "&#91;"))


def dot_quoted(text) -> str:
    """A DOT attribute value read as an escString (id, class): quoted by the graphviz package."""
    return quote(escape(_one_line(text)))


def dot_tooltip(text) -> str:
    """A node's tooltip attribute. Graphviz 2.43 expands escapes in tooltips twice, so no doubling
    of backslashes shows one on every version: a backslash becomes its look-alike U+29F5."""
    return quote(nohtml(_one_line(text).replace("\\", "\u29f5")))


# ./#step-x, doc-x/, ../../slug/: relative, never starting with "/" (//host would leave the site)
_RELATIVE_URL = re.compile(r"(?:\./|(?:\.\./)+)?(?:[a-z0-9_-][a-z0-9_/-]*)?(?:#[a-z0-9-]+)?")


def chart_url(url: str) -> str:
    """A link in a chart: only relative URLs built from validated ids pass (no scheme, no
    quote, no space), so text from a source can never become a link target."""
    if not _RELATIVE_URL.fullmatch(url) or not url:
        raise ValueError(f"chart links are built from ids only, not {url!r}")
    return url


def dot_url(url: str) -> str:
    """A chart link as a quoted DOT attribute value (URL=...)."""
    return quote(escape(chart_url(url)))


def dot_html_url(url: str) -> str:
    """A chart link as an HTML-like label attribute value (HREF="...")."""
    return chart_url(url)
