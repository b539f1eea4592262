"""`make serve`: a failed rebuild shows in the browser, not only in the terminal.

The worker (``python -m generators watch``) writes ``docs/library/serve-status.json`` with the
check's errors when an edit breaks the library, and removes it when the library builds again. MkDocs
copies the file to the served site and reloads the browser; ``serve-status.js`` (added to the pages by
the hook only while serving) shows its message as a banner at the top of every page. The hook drops
the file from any other build, so a leftover one is never published.
"""
from __future__ import annotations

import json
from pathlib import Path

STATUS_FILE = "library/serve-status.json"
SCRIPT = "assets/javascripts/serve-status.js"


def write_failure(docs_dir: Path, lines: list[str]) -> None:
    """Tell the browser the last rebuild failed, and why (the lines the terminal shows)."""
    path = docs_dir / STATUS_FILE
    text = json.dumps({"failed": True, "lines": lines}, ensure_ascii=False, indent=1)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name("." + path.name + ".tmp")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(path)


def clear(docs_dir: Path) -> None:
    """The library builds again: no banner."""
    (docs_dir / STATUS_FILE).unlink(missing_ok=True)
