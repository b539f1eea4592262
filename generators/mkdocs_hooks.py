"""MkDocs hooks: the only glue between MkDocs and the generators (keep it thin).

* ``on_config`` adds the generated procedure and role pages to the nav sections, and passes the
  date the revision statuses were computed for (``extra.status_as_of``) to the templates;
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


def on_serve(server, config, builder):
    from generators.watch import start_watcher

    start_watcher(Path("procedure"), Path(config["docs_dir"]), log)
    return server
