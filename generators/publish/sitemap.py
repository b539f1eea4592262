"""A sitemap at each language's root.

mkdocs-static-i18n writes one sitemap.xml, at the site's root, holding every language. Material
reads ``<language root>/sitemap.xml`` for each language named in the page head (to keep readers
on the same page when they switch language), so /en/sitemap.xml must exist too, or every page
logs a 404. It holds the English pages only: a sitemap lists URLs under its own folder.
"""
from __future__ import annotations

import re
from pathlib import Path

from ..writer import atomic_write

_URL = re.compile(r"\s*<url>.*?</url>", re.S)
_LOC = re.compile(r"<loc>(.*?)</loc>", re.S)


def language_sitemap(sitemap: str, root_url: str) -> str:
    """The sitemap restricted to the <url> entries whose location lies under ``root_url``."""
    head, _, _ = sitemap.partition("<url>")
    head = head.rstrip()
    kept = [m.group(0) for m in _URL.finditer(sitemap)
            if (loc := _LOC.search(m.group(0))) and loc.group(1).strip().startswith(root_url)]
    return head + "".join(kept) + "\n</urlset>\n"


def write_language_sitemaps(site_dir: Path, site_url: str, prefixes: list[str]) -> list[Path]:
    """Write <prefix>/sitemap.xml for each language served under site_url + prefix (e.g. "en/")."""
    source = site_dir / "sitemap.xml"
    if not source.is_file() or not site_url:
        return []
    text = source.read_text(encoding="utf-8")
    written = []
    for prefix in prefixes:
        target = site_dir / prefix / "sitemap.xml"
        if target.parent.is_dir():
            atomic_write(target, language_sitemap(text, site_url.rstrip("/") + "/" + prefix).encode("utf-8"))
            written.append(target)
    return written
