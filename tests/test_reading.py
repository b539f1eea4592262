"""Reading on real devices: the controlled header and the revision log fit the viewport (Chromium)."""
from __future__ import annotations

import re

import pytest

from conftest import ROOT
from generators.source.loader import load_file, load_shared
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


# --- Charts: readable at the size the page shows them, pannable on a phone, named on hover -----------

DESKTOP_WIDE = {"width": 1366, "height": 900}
# The widest chart of the shipped library (9 lanes), and the one of the published procedure.
CHART_PAGES = ["library/sales-office-management/", "en/library/sales-office-management/",
               "library/sales-process-control/", "en/library/sales-process-control/"]

SMALLEST_CHART_TEXT = """svg => Math.min(...[...svg.querySelectorAll('text')].map(
    t => parseFloat(t.getAttribute('font-size')) * t.getScreenCTM().a))"""


@pytest.mark.parametrize("lang_prefix", ["", "en/"])
def test_chart_text_is_at_least_10_px_on_a_desktop_in_every_procedure(server, browser, built_site, lang_prefix):
    context = browser.new_context(viewport=DESKTOP_WIDE)
    page = context.new_page()
    sizes = {}
    for source in sorted((built_site / "procedure").glob("[!_]*.yaml")):
        page.goto(f"{server}/{lang_prefix}library/{source.stem}/")
        if page.locator(".flowchart svg").count():
            sizes[source.stem] = page.eval_on_selector(".flowchart svg", SMALLEST_CHART_TEXT)
    context.close()
    assert "sales-office-management" in sizes, "the widest chart (9 lanes) is not among those measured"
    small = {name: round(size, 1) for name, size in sizes.items() if size < 10}
    assert not small, f"chart text below 10 px: {small}"


@pytest.mark.parametrize("path", CHART_PAGES[:2])
def test_a_wide_chart_pans_inside_its_box_on_a_phone_and_the_page_stays_put(server, browser, path):
    context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True)
    page = context.new_page()
    page.goto(f"{server}/{path}")
    box = page.locator(".flowchart")
    sizes = box.evaluate("b => [b.scrollWidth, b.clientWidth, b.scrollHeight, b.clientHeight]")
    moved = box.evaluate("b => { b.scrollLeft = 300; b.scrollTop = 200; return [b.scrollLeft, b.scrollTop]; }")
    page_width = page.evaluate("document.documentElement.scrollWidth")
    smallest = page.eval_on_selector(".flowchart svg", SMALLEST_CHART_TEXT)
    full_size = page.locator(".flowchart ~ p a[href$='.svg']").first.get_attribute("href")
    opened = page.goto(page.url.split("#")[0] + full_size) if full_size else None
    context.close()
    assert sizes[0] > sizes[1] and moved[0] == 300 and moved[1] == 200, (sizes, moved)
    assert page_width <= PHONE["width"], f"the page itself scrolls sideways ({page_width} px)"
    assert smallest >= 10, f"chart text drawn at {smallest:.1f} px"
    assert opened is not None and opened.ok, "no full-size view of the chart"


@pytest.mark.parametrize("path", CHART_PAGES)
def test_chart_hover_text_is_names_never_ids(server, browser, path):
    context = browser.new_context(viewport=DESKTOP_WIDE)
    page = context.new_page()
    page.goto(f"{server}/{path}")
    titles = page.eval_on_selector_all(".flowchart svg title", "ts => ts.map(t => t.textContent)")
    tooltips = page.eval_on_selector_all(".flowchart svg a", "as => as.map(a => a.getAttribute('xlink:title') || '')")
    context.close()
    assert titles, "the chart has no hover text"
    proc = load_file(ROOT / "procedure" / f"{path.rstrip('/').split('/')[-1]}.yaml", load_shared(ROOT / "procedure")[0])[0]
    ids = {item.id for item in (*proc.roles, *proc.steps, *proc.documents, *proc.forms)}
    dot_names = re.compile(r"cluster_|step_|ext_|part_|->|_outputs|_decision")
    wrong = [t for t in titles + tooltips if dot_names.search(t) or t.strip() in ids]
    assert not wrong, wrong[:5]


@pytest.mark.parametrize("lang_prefix", ["", "en/"])
def test_links_in_a_downloaded_chart_open_pages_of_its_own_language(server, browser, built_site, lang_prefix):
    from urllib.parse import urljoin

    context = browser.new_context(viewport=DESKTOP_WIDE)
    page = context.new_page()
    page.goto(f"{server}/{lang_prefix}library/sales-process-control/")
    chart_url = urljoin(page.url, page.locator(".flowchart ~ p a[href$='.svg']").first.get_attribute("href"))
    context.close()
    svg = (built_site / "site" / chart_url.removeprefix(server + "/")).read_text(encoding="utf-8")
    targets = {urljoin(chart_url, href).split("#")[0] for href in re.findall(r'xlink:href="([^"]+)"', svg)}
    assert targets, "the chart links nothing"
    for target in targets:
        inside = target.removeprefix(server + "/")
        assert inside.startswith(f"{lang_prefix}library/"), f"{target} is not a page of the chart's language"
        if lang_prefix == "":
            assert not inside.startswith("en/")
        assert (built_site / "site" / inside / "index.html").exists(), target


@pytest.mark.parametrize("path, fit, zoom_in, actual", [
    ("library/sales-office-management/", "适合宽度", "放大", "原始大小"),
    ("en/library/sales-office-management/", "Fit to width", "Zoom in", "Actual size")])
def test_the_chart_zooms_out_to_the_whole_flow_and_back_on_a_phone(server, browser, path, fit, zoom_in, actual):
    context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True)
    page = context.new_page()
    page.goto(f"{server}/{path}")
    width = lambda: page.eval_on_selector(".flowchart svg", "svg => svg.getBoundingClientRect().width")
    natural = width()
    page.get_by_role("button", name=fit).click()
    fitted = width()
    page.get_by_role("button", name=zoom_in).click()
    enlarged = width()
    page.get_by_role("button", name=actual).click()
    restored = width()
    context.close()
    assert natural > fitted and fitted <= PHONE["width"], (natural, fitted)
    assert fitted < enlarged < natural and abs(restored - natural) < 1, (fitted, enlarged, restored, natural)
