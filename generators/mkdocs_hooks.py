"""MkDocs hooks: the only glue between MkDocs and the generators (keep it thin).

* ``on_config`` adds the generated procedure and role pages to the nav sections, passes the
  date the revision statuses were computed for (``extra.status_as_of``) to the templates, and
  for a pull-request preview (PREVIEW=1) the draft stamp (``extra.draft``);
* ``on_post_build`` writes a sitemap at each language's root (see generators.publish.sitemap);
* ``on_serve`` starts a watcher that regenerates docs/library/ when procedure/ changes.
  The watcher writes only changed files, so MkDocs sees one change and rebuilds once.
"""
from __future__ import annotations

import json
import logging
import threading
from pathlib import Path

log = logging.getLogger("mkdocs.hooks.procedures")
NAV_FILE = "library/.nav.json"
STATUS_FILE = "library/.status.json"


def on_config(config):
    from generators.publish import preview

    config["extra"]["draft"] = ({"stamp": preview.stamp(), "zh": preview.banner("zh"), "en": preview.banner("en")}
                                if preview.requested() else None)

    try:
        status = json.loads((Path(config["docs_dir"]) / STATUS_FILE).read_text(encoding="utf-8"))
        config["extra"]["status_as_of"] = str(status.get("as_of", ""))
    except (OSError, ValueError, AttributeError):
        pass
    nav_path = Path(config["docs_dir"]) / NAV_FILE
    try:
        generated = json.loads(nav_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        log.warning("no generated pages in docs/library: run 'python -m generators build' first")
        return config
    for section in config["nav"] or []:
        if not isinstance(section, dict):
            continue
        for entries in section.values():
            if isinstance(entries, list) and entries and isinstance(entries[0], str):
                extra = generated.get(entries[0], [])
                entries.extend(p for p in extra if p not in entries)
    return config


def on_post_build(config):
    # Runs after each language's build (mkdocs-static-i18n builds English last, inside its own
    # post-build step), so the last call sees the complete sitemap.
    from generators.model import LANGUAGES
    from generators.publish.sitemap import write_language_sitemaps

    write_language_sitemaps(Path(config["site_dir"]), config["site_url"] or "", [f"{lang}/" for lang in LANGUAGES[1:]])


def on_serve(server, config, builder):
    from generators.watch import start_watcher

    start_watcher(Path("procedure"), Path(config["docs_dir"]), log)
    return server
