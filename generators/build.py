"""`python -m generators build`: check's result rendered into docs/library/ (publish/generate.py)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path


from .publish.generate import BuildStats, build_library
from .source.model import Procedure


def build_site(procedures: list[Procedure], docs_dir: Path = Path("docs"), pdf: bool = True,
               printed: str | None = None, today: dt.date | str | None = None, preview: bool = False,
               site_url: str = "") -> BuildStats:
    """Render the library into docs/library/, writing only what changed.

    ``today`` (default as in ``clock.resolve``: PROCEDURES_TODAY, else the calendar) decides which
    revision is in force (the site shows each procedure's current revision and announces pending
    ones: rebuild daily), review-overdue banners and the print date (unless ``printed`` is given).
    ``preview``: a pull-request draft (PREVIEW=1): every PDF is stamped 草稿 / DRAFT — not for use
    (the pages get their stamp from the site template). ``site_url``: the address the site is
    published at (SITE_URL), for the feeds' links; empty: links relative to the feed.
    """
    return build_library(procedures, docs_dir, pdf, printed, today, preview, site_url)[0]
