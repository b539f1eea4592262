"""Redirect pages: where a published URL now lives elsewhere (a page folded into a fuller one)."""
from __future__ import annotations

import html
import posixpath

from ..source.labels import label

# Redirect pages this process has written, by (site folder, site URL, language, redirects): see
# mkdocs_hooks.on_post_build (MkDocs loads the hooks file afresh for every build, not this module).
WRITTEN: set[tuple[str, str, str, str]] = set()


def relative_url(target: str, source: str) -> str:
    """Link from the directory URL ``source`` to ``target`` (both relative to one root; ``target``
    may carry a #fragment)."""
    path, _, fragment = target.partition("#")
    href = posixpath.relpath(path.rstrip("/") or ".", source.rstrip("/") or ".")
    href = "./" if href == "." else href + "/"
    return href + (f"#{fragment}" if fragment else "")


def redirect_html(href: str, canonical: str, lang: str) -> str:
    """A minimal page that sends the reader on at once (meta refresh, with a link for those without),
    naming the new address as canonical so search engines move with it. Its icon is empty data: the
    browser would otherwise ask the server for /favicon.ico (a 404) before it moves on."""
    href, canonical = html.escape(href, quote=True), html.escape(canonical, quote=True)
    text = label("moved_to", lang)
    return (f'<!doctype html>\n<html lang="{html.escape(lang)}">\n<head>\n<meta charset="utf-8">\n'
            f'<title>{text}</title>\n<link rel="canonical" href="{canonical}">\n<link rel="icon" href="data:,">\n'
            f'<meta name="robots" content="noindex">\n<meta http-equiv="refresh" content="0; url={href}">\n</head>\n'
            f'<body><p><a href="{href}">{text}</a></p></body>\n</html>\n')
