"""A sitemap at each language's root.

mkdocs-static-i18n writes one sitemap.xml, at the site's root, holding every language. Material
reads ``<language root>/sitemap.xml`` for each language named in the page head (to keep readers
on the same page when they switch language), so /en/sitemap.xml must exist too, or every page
logs a 404. It holds the English pages only: a sitemap lists URLs under its own folder.
When each language is built in its own process (generators/publish/sitebuild.py), each writes the sitemap of
its own pages; the root one then gets the other languages' entries too, so that it lists the whole
site, as a single build's does.
"""
from __future__ import annotations

import gzip
import re
from pathlib import Path

from ..source.writer import atomic_write

_URL = re.compile(r"\s*<url>.*?</url>", re.S)
_LOC = re.compile(r"<loc>(.*?)</loc>", re.S)


def language_sitemap(sitemap: str, root_url: str) -> str:
    """The sitemap restricted to the <url> entries whose location lies under ``root_url``."""
    head, _, _ = sitemap.partition("<url>")
    head = head.rstrip()
    kept = [m.group(0) for m in _URL.finditer(sitemap)
            if (loc := _LOC.search(m.group(0))) and loc.group(1).strip().startswith(root_url)]
    return head + "".join(kept) + "\n</urlset>\n"


def merged_sitemap(root: str, others: list[str]) -> str:
    """The root sitemap with the <url> entries of the others appended (each location once)."""
    head = root[:min(i for i in (root.find("<url>"), root.find("</urlset>"), len(root)) if i >= 0)].rstrip()
    entries, seen = [], set()
    for text in [root, *others]:
        for match in _URL.finditer(text):
            loc = _LOC.search(match.group(0))
            key = loc.group(1).strip() if loc else match.group(0)
            if key not in seen:
                seen.add(key)
                entries.append(match.group(0))
    return head + "".join(entries) + "\n</urlset>\n"


def merge_language_sitemaps(site_dir: Path, prefixes: list[str]) -> bool:
    """Add the entries of <prefix>/sitemap.xml, for each language built apart, to the root sitemap.xml
    (and its .gz twin); False when there is no root sitemap (no site_url)."""
    source = site_dir / "sitemap.xml"
    if not source.is_file():
        return False
    others = [(site_dir / prefix / "sitemap.xml").read_text(encoding="utf-8") for prefix in prefixes
              if (site_dir / prefix / "sitemap.xml").is_file()]
    merged = merged_sitemap(source.read_text(encoding="utf-8"), others).encode("utf-8")
    atomic_write(source, merged)
    if (site_dir / "sitemap.xml.gz").is_file():
        atomic_write(site_dir / "sitemap.xml.gz", gzip.compress(merged, mtime=0))
    return True


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
