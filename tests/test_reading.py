"""Reading on real devices: the controlled header and the revision log fit the viewport (Chromium)."""
from __future__ import annotations

import pytest

from test_browser import browser, server  # noqa: F401  (module-scoped fixtures)

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
PAGES = ["library/sales-process-control/", "en/library/sales-process-control/"]


def _right_edges(page, selector: str) -> list[float]:
    return page.eval_on_selector_all(selector, "cells => cells.map(c => c.getBoundingClientRect().right)")


@pytest.mark.parametrize("path", PAGES)
def test_controlled_header_has_every_cell_on_screen_on_a_phone(server, browser, path):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(f"{server}/{path}")
    edges = _right_edges(page, ".doc-control th, .doc-control td")
    context.close()
    assert len(edges) >= 10, "the header block lost its cells"
    assert max(edges) <= PHONE["width"], f"header cells reach {max(edges)} px on a {PHONE['width']} px screen"


@pytest.mark.parametrize("path", PAGES)
def test_revision_log_shows_every_column_including_the_approver_on_a_desktop(server, browser, path):
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.goto(f"{server}/{path}")
    headers = page.locator(".revision-log th")
    count = headers.count()
    content_right = page.eval_on_selector(".md-content", "e => e.getBoundingClientRect().right")
    edges = _right_edges(page, ".revision-log th")
    context.close()
    assert count == 6, "date, version, changes, changed by, reviewed by, approved by"
    assert max(edges) <= content_right + 1, f"the last column ends at {max(edges)} px, the content at {content_right} px"
