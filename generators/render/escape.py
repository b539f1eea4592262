"""Escaping of YAML text for every output: Markdown/HTML, DOT. YAML text is data, never markup."""
from __future__ import annotations

import re

from markupsafe import Markup

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
    value = " ".join(str(text).split())
    value = value.translate(_MD_TABLE)
    value = _LEADING.sub(lambda m: (m[1] or "") + f"&#{ord(m[2] or m[3])};", value)
    return Markup(value)


def md_lines(text) -> Markup:
    """Like ``md`` but keeps line breaks as <br> (for multi-line cells)."""
    return Markup("<br>".join(md(line) for line in str(text).splitlines() if line.strip()))


def dot_html(text) -> str:
    """Escape text for a Graphviz HTML-like label (the only label kind we emit)."""
    value = " ".join(str(text).split())
    return (value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;").replace("]", "&#93;").replace("[", "&#91;"))


def dot_string(text) -> str:
    """Escape text for a double-quoted DOT attribute (tooltip, URL): no escape sequence survives."""
    value = " ".join(str(text).split())
    # Backslash starts DOT escapes (\N, \G, \l...): replace it with a look-alike rather than risk one.
    return value.replace("\\", "\u29f5").replace('"', "\u201d")
