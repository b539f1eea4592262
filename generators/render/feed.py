"""The Atom feed of recent changes, per language: the same notices as the recent-changes page.

Autoescaped XML (every text from a source is data). Entry ids are URNs made from the procedure
number and version, so they stay the same wherever the site is published; links are absolute
when the site's address is known (SITE_URL), else relative to the feed, which readers resolve.
"""
from __future__ import annotations

import posixpath
import uuid
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from ..source.labels import label
from ..source import paths

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
_SITE_PAGE_PREFIX = {"zh": "", "en": "en/"}


@lru_cache(maxsize=1)
def environment() -> Environment:
    return Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True, undefined=StrictUndefined,
                       trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)


def _urn(*parts: str) -> str:
    return uuid.uuid5(uuid.NAMESPACE_URL, "procedures:" + ":".join(parts)).urn


def _timestamp(date: str) -> str:
    return f"{date}T00:00:00Z"


def _url(site_url: str, lang: str, page: str, anchor: str = "") -> str:
    """Address of a docs page (library/x/index.md -> library/x/) from the feed, or absolute."""
    target = page.removesuffix(".md").removesuffix("index")
    target = target if target.endswith("/") or not target else target + "/"
    fragment = f"#{anchor}" if anchor else ""
    if site_url:
        return site_url.rstrip("/") + "/" + _SITE_PAGE_PREFIX[lang] + target + fragment
    return posixpath.relpath(target, posixpath.dirname(paths.CHANGES_FEED)) + "/" + fragment


def atom(notices: list, lang: str, today: str, site_url: str = "") -> str:
    """The feed in ``lang``: one entry per revision notice (control.recent.RevisionNotice)."""
    entries = []
    for n in notices:
        updated = n.effective_from if not n.pending else (n.approved_on or (n.entry.date if n.entry else n.effective_from))
        state = (label("feed_pending", lang) if n.pending else label("feed_in_force", lang)).format(date=n.effective_from)
        entries.append({
            "notice": n, "id": _urn(n.procedure.number, n.version, lang), "state": state,
            "updated": _timestamp(updated), "published": _timestamp(n.approved_on) if n.approved_on else None,
            "link": _url(site_url, lang, paths.archive_page(n.slug, n.version)),
            "history": _url(site_url, lang, paths.history_page(n.slug), f"version-{paths.version_slug(n.version)}"),
            "comparison": _url(site_url, lang, paths.compare_page(n.slug, n.previous, n.version)) if n.previous else None,
        })
    return environment().get_template("changes-feed.atom.j2").render(
        lang=lang, t=lambda key: str(label(key, lang)), entries=entries,
        feed_id=_urn("recent-changes", lang), updated=max((e["updated"] for e in entries), default=_timestamp(today)),
        page=_url(site_url, lang, paths.RECENT_CHANGES),
        self_url=(site_url.rstrip("/") + "/" + _SITE_PAGE_PREFIX[lang] + paths.CHANGES_FEED) if site_url else None)
