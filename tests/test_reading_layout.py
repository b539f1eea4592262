"""Reading the built site like a finished product (issue 31): wide tables fit, phones get cards and the
content first, titles break between words, a reader finds their role. Geometry measured in Chromium at a
desktop's (1366 × 900) and a phone's (390 × 844) size, on the session's built site."""
from __future__ import annotations

import pytest

from conftest import FIXTURES, replaced
from generators.render.pages import role_page
from generators.render.role_changes import PendingForRole, changes_for_role
from generators.source.library import Library
from generators.source.loader import load_bytes
from test_browser import browser, server  # noqa: F401  (module-scoped fixtures)

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
WIDE_PAGES = ["library/", "en/library/", "library/records/", "en/library/records/"]


def open_page(browser, server, path, viewport, scheme="light"):
    phone = viewport["width"] < 500
    context = browser.new_context(viewport=viewport, color_scheme=scheme, is_mobile=phone, has_touch=phone)
    page = context.new_page()
    page.goto(f"{server}/{path}")
    page.wait_for_function("document.querySelector('.sortable table, article') !== null")
    return context, page


@pytest.mark.parametrize("path", WIDE_PAGES)
def test_a_wide_library_table_is_read_whole_at_1366_px_without_scrolling_sideways(server, browser, path):
    context, page = open_page(browser, server, path, DESKTOP)
    table = page.eval_on_selector(".sortable table", "t => [t.scrollWidth, t.clientWidth, t.getBoundingClientRect().right]")
    toc_shown = page.eval_on_selector(".md-sidebar--secondary", "s => getComputedStyle(s).display !== 'none'")
    context.close()
    assert table[0] <= table[1] + 1, f"the table needs {table[0]} px and shows {table[1]} px"
    assert table[2] <= DESKTOP["width"], table
    assert not toc_shown, "the empty contents sidebar still takes the table's room"


@pytest.mark.parametrize("path", WIDE_PAGES)
def test_on_a_phone_every_column_of_a_library_table_shows_as_a_card_with_its_name(server, browser, path):
    context, page = open_page(browser, server, path, PHONE)
    page.wait_for_selector(".sortable td[data-label]")
    columns = page.eval_on_selector_all(".sortable thead th", "ths => ths.length")
    first_card = page.eval_on_selector_all(
        ".sortable tbody tr:first-child td",
        "tds => tds.filter(td => td.textContent.trim()).map(td => [td.getAttribute('data-label'),"
        " td.getBoundingClientRect().left, td.getBoundingClientRect().right, getComputedStyle(td, '::before').content])")
    page_width = page.evaluate("document.documentElement.scrollWidth")
    context.close()
    assert page_width <= PHONE["width"], f"the page scrolls sideways ({page_width} px)"
    assert len(first_card) >= columns - 2, f"{len(first_card)} of {columns} values shown"  # empty cells are hidden
    for name, left, right, before in first_card:
        assert 0 <= left and right <= PHONE["width"], (name, left, right)
        assert name and name in before, (name, before)


@pytest.mark.parametrize("path", ["library/", "en/library/records/"])
def test_a_sortable_header_lines_up_with_its_column(server, browser, path):
    context, page = open_page(browser, server, path, DESKTOP)
    page.wait_for_selector(".sortable .sort-button")
    offsets = page.evaluate("""() => {
        const table = document.querySelector('.sortable table');
        const rows = [...table.tBodies[0].rows];
        return [...table.tHead.rows[0].cells].map((th, i) => {
            const filled = rows.find(r => r.cells[i] && r.cells[i].textContent.trim());
            const text = document.createRange(); text.selectNodeContents(th.querySelector('.sort-button'));
            const cell = document.createRange(); cell.selectNodeContents(filled.cells[i]);
            return text.getBoundingClientRect().left - cell.getBoundingClientRect().left;
        });
    }""")
    context.close()
    assert all(abs(offset) <= 2 for offset in offsets), offsets


@pytest.mark.parametrize("path", ["library/sales-process-control/", "en/library/sales-process-control/"])
def test_on_a_phone_the_content_comes_before_the_revision_log_and_a_link_at_the_top_leads_to_it(server, browser, path):
    context, page = open_page(browser, server, path, PHONE)
    log_top = page.eval_on_selector("h2#revision-log", "h => h.getBoundingClientRect().top")
    first_section = page.evaluate("""() => Math.min(...[...document.querySelectorAll('article h2')]
        .filter(h => h.id !== 'revision-log').map(h => h.getBoundingClientRect().top))""")
    control_block = page.eval_on_selector(".doc-control", "t => t.getBoundingClientRect().top")
    link = page.eval_on_selector("a.revision-log-link", "a => a.getBoundingClientRect().bottom")
    context.close()
    assert control_block < first_section < log_top, (control_block, first_section, log_top)
    assert first_section < 2 * PHONE["height"], f"the first section starts {first_section / PHONE['height']:.1f} screens down"
    assert link < 1.5 * PHONE["height"], "the revision log's link is not near the top"


@pytest.mark.parametrize("path", ["en/library/", "en/library/records/", "en/library/roles/", "library/"])
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP])
def test_the_title_stands_alone_above_the_status_line_and_breaks_only_between_words(server, browser, path, viewport):
    context, page = open_page(browser, server, path, viewport)
    status = page.eval_on_selector(".status-as-of", "p => p.getBoundingClientRect().bottom")
    title = page.eval_on_selector("article h1", "h => h.getBoundingClientRect().top")
    broken = page.evaluate("""() => {
        const h1 = document.querySelector('article h1');
        const text = h1.firstChild;
        const words = [];
        let start = 0;
        for (const word of text.textContent.split(/(\\s+)/)) {
            if (word.trim()) {
                const range = document.createRange();
                range.setStart(text, start); range.setEnd(text, start + word.length);
                const lines = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
                if (lines.size > 1) words.push(word);
            }
            start += word.length;
        }
        return words;
    }""")
    context.close()
    assert status <= title + 1, "the status line floats beside the title"
    assert not broken, f"words broken across lines: {broken}"


def test_the_home_page_leads_to_my_role_and_the_role_index_has_a_filter_and_departments(server, browser):
    context, page = open_page(browser, server, "en/", PHONE)
    page.click("a.role-entry")  # the home page's button (the navigation is in the drawer on a phone)
    page.wait_for_selector(".sortable .table-filter")
    headers = page.eval_on_selector_all(".sortable thead th", "ths => ths.map(th => th.textContent.trim())")
    rows = page.locator(".sortable tbody tr")
    total = rows.count()
    page.fill(".table-filter", "finance")
    shown = page.eval_on_selector_all(".sortable tbody tr", "rs => rs.filter(r => !r.hidden).length")
    context.close()
    assert "Department" in headers and "Procedure" in headers
    assert 0 < shown < total


def test_a_role_page_says_what_a_pending_revision_changes_for_the_role_and_from_when():
    text = (FIXTURES / "minimal.yaml").read_text(encoding="utf-8")
    shown = load_bytes("qp-t-01.yaml", text.encode(), "qp-t-01")[0]
    changed = replaced(replaced(text, "version: A/1\ntitle", "version: A/2\ntitle"), "    title: {zh: 报告, en: Report}\n    owner: clerk",
                       "    title: {zh: 报告, en: Report}\n    owner: manager")
    pending = load_bytes("qp-t-01.yaml", changed.encode(), "qp-t-01")[0]
    library = Library([shown])
    changes = changes_for_role("clerk", shown, library, pending)
    assert [(c.kind, c.added, c.title.en) for c in changes if c.kind == "owns"] == [("owns", False, "Report")]
    notice = {shown.slug: [PendingForRole("A/2", "2027-03-01", "../qp-t-01/history/a-2.md", changes)]}
    for lang, words in (("zh", ["待生效版本 A/2（自 2027-03-01 起生效）", "不再负责的步骤", "报告"]),
                        ("en", ["pending revision A/2 changes for this role from 2027-03-01", "Step no longer owned", "Report"])):
        page = role_page(library, "clerk", lang, pending=notice)
        assert all(word in page for word in words), (lang, page[:800])


def test_a_deviation_record_is_shown_once_however_many_findings_its_commit_gave():
    from types import SimpleNamespace

    from conftest import published_procedure
    from generators.control.approvals import Commit
    from generators.control.deviations import Deviation
    from generators.control.history_check import Finding
    from generators.render.pages import history_page
    from generators.source.model import Text

    proc = published_procedure()
    record = Deviation("DEV-2026-006", proc.number, "d611139", Text("标点", "Punctuation", proc.pos), Text("接受", "Accepted", proc.pos),
                       "王强", "2026-11-27", None, proc.pos)
    commit = Commit("d611139" + "0" * 33, "2026-11-27", "maintainer")
    findings = tuple(Finding(proc.slug, proc.number, version, commit, "modified-after-approval", "", deviation=record)
                     for version in ("A/1", "A/3"))
    history = SimpleNamespace(findings=findings, warning=None, available=True, revisions=())
    for lang in ("zh", "en"):
        page = history_page(Library([proc]), proc, history, [], lang)
        assert page.count("### DEV-2026-006") == 1, page[page.find("DEV-2026"):][:600]
        assert "A/1" in page and "A/3" in page and "maintainer" not in page


@pytest.mark.parametrize("path", ["library/sales-office-management/", "en/library/sales-office-management/"])
def test_scrolling_down_a_tall_chart_on_a_phone_keeps_the_lane_names_in_view(server, browser, path):
    context, page = open_page(browser, server, path, PHONE)
    page.wait_for_selector(".flowchart-lanes span", state="attached")
    lanes = page.eval_on_selector_all(".flowchart svg g.lane > title", "ts => ts.map(t => t.textContent)")
    hidden_at_top = page.eval_on_selector(".flowchart-lanes", "s => getComputedStyle(s).visibility")
    page.eval_on_selector(".flowchart", "b => { window.scrollTo(0, b.getBoundingClientRect().top + scrollY - 100);"
                                        " b.scrollTop = b.scrollHeight / 2; }")
    page.wait_for_function("getComputedStyle(document.querySelector('.flowchart-lanes')).visibility === 'visible'")
    strip = page.evaluate("""() => {
        const box = document.querySelector('.flowchart').getBoundingClientRect();
        return [...document.querySelectorAll('.flowchart-lanes span')].map(s => {
            const r = s.getBoundingClientRect();
            return [s.textContent, r.top - box.top, parseFloat(getComputedStyle(s).fontSize)];
        });
    }""")
    context.close()
    assert hidden_at_top == "hidden", "at the top the chart names its lanes itself"
    names = [name for name, _, _ in strip]
    assert all(any(lane.replace(" ", "") in name.replace(" ", "") or name.replace(" ", "") in lane.replace(" ", "")
                   for name in names) for lane in lanes), (lanes, names)
    assert all(abs(top) <= 2 and size >= 10 for _, top, size in strip), strip


@pytest.mark.parametrize("path, zoom_out", [("library/sales-office-management/", "缩小"),
                                            ("en/library/sales-office-management/", "Zoom out")])
def test_zooming_the_chart_out_on_a_phone_stops_where_its_text_would_fall_under_10_px(server, browser, path, zoom_out):
    context, page = open_page(browser, server, path, PHONE)
    before = page.eval_on_selector(".flowchart svg", "svg => svg.getBoundingClientRect().width")
    for _ in range(5):
        page.get_by_role("button", name=zoom_out).click()
    after = page.eval_on_selector(".flowchart svg", "svg => svg.getBoundingClientRect().width")
    smallest = page.eval_on_selector(".flowchart svg", """svg => Math.min(...[...svg.querySelectorAll('text')].map(
        t => parseFloat(t.getAttribute('font-size')) * t.getScreenCTM().a))""")
    context.close()
    assert after <= before and smallest >= 10 - 0.05, (before, after, smallest)


def test_readers_never_see_an_id_a_role_not_declared_is_named_so_and_nothing_recorded_shows_nothing():
    from generators.render.pages import Linker

    shown = load_bytes("qp-t-01.yaml", (FIXTURES / "minimal.yaml").read_bytes(), "qp-t-01")[0]
    for lang, words in (("zh", "未声明的岗位"), ("en", "undeclared role")):
        link = Linker(Library([shown]), "library/index.md", lang)
        assert link.role("project-sales-supervisor") == words and link.role("") == "" and link.role(None) == ""
        assert "clerk" not in link.role("clerk").split("](")[0]  # a declared role: its name, linked
