"""The draft preview of a pull request: ``make site PREVIEW=1`` (environment variable PREVIEW).

A preview shows content nobody has approved yet, so every page and every PDF carries the same
stamp, and search engines are told not to index it. A normal build carries none of it.
"""
from __future__ import annotations

import os
from typing import Mapping

from ..source.labels import label

ENV = "PREVIEW"
_FALSE = {"", "0", "false", "no", "off"}


def requested(environ: Mapping[str, str] = os.environ) -> bool:
    """True when the environment asks for a preview build (PREVIEW=1, true, yes)."""
    return environ.get(ENV, "").strip().lower() not in _FALSE


def stamp() -> str:
    """The stamp on every page and PDF of a preview, in both languages: a printout may reach anyone."""
    return (f"{label('draft', 'zh')} / {label('draft', 'en')} — "
            f"{label('not_for_use', 'zh')} / {label('not_for_use', 'en')}")


def banner(lang: str) -> str:
    """The sentence under the stamp on the site's pages, in the page's language."""
    return str(label("draft_banner", lang))
