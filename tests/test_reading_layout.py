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
WIDE_PAGES = ["library/", "en/library/", "library/records/", "en/library/records/", "library/deviations/",
              "en/library/deviations/"]


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
    # the revision log's decisions on records and distribution (a long table) follow the log, after the content
    decisions = page.eval_on_selector("h3#decisions", "h => h.getBoundingClientRect().top")
    context.close()
    assert control_block < first_section < log_top < decisions, (control_block, first_section, log_top, decisions)
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


# Chinese titles long enough to take two lines on a phone: each line ends between two words (jieba), never
# inside one ("集团销售过程及后续管理流 / 程").
LONG_CHINESE_TITLES = ["library/sales-office-management/", "library/sales-service-process-management/",
                       "library/sales-flow-and-management-rules/"]


@pytest.mark.parametrize("path", LONG_CHINESE_TITLES)
def test_a_chinese_title_breaks_between_words_on_a_phone(server, browser, path):
    from generators.source.phrases import HAN_RUN, words

    context, page = open_page(browser, server, path, PHONE)
    text, line_of = page.evaluate("""() => {
        const h1 = document.querySelector('article h1');
        const walker = document.createTreeWalker(h1, NodeFilter.SHOW_TEXT);
        let text = '', tops = [];
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            if (node.parentElement.closest('.headerlink')) continue;
            for (let i = 0; i < node.length; i++) {
                const r = document.createRange(); r.setStart(node, i); r.setEnd(node, i + 1);
                const box = r.getClientRects()[0];
                text += node.textContent[i]; tops.push(box ? Math.round(box.top) : null);
            }
        }
        return [text, tops];
    }""")
    context.close()
    breaks = [i for i in range(1, len(text)) if line_of[i] is not None and line_of[i - 1] is not None
              and line_of[i] > line_of[i - 1]]
    assert breaks, f"the title {text!r} fits one line on a phone: pick a longer one"
    boundaries = set()
    for run in HAN_RUN.finditer(text):
        position = run.start()
        for word in words(run[0]):
            boundaries.add(position)
            position += len(word)
        boundaries.add(position)
    inside = [text[:b] + " / " + text[b:] for b in breaks if HAN_RUN.fullmatch(text[b - 1:b + 1]) and b not in boundaries]
    assert not inside, f"broken inside a word: {inside}"


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


# --- a decision's branch labels beside their own lines (issue 31) ---------------------------------------

LABEL_GEOMETRY = """() => {
    const svg = document.querySelector('svg');
    const lines = [...svg.querySelectorAll('g.edge')].map(g => {
        const path = g.querySelector('path'), length = path.getTotalLength(), points = [];
        for (let d = 0; d <= length; d += 1) { const p = path.getPointAtLength(d); points.push([p.x, p.y, d]); }
        return {id: g.id, points, length, texts: [...g.querySelectorAll('text')]};
    });
    const nodes = [...svg.querySelectorAll('g.node')].map(n => n.getBBox());
    const distance = (box, [x, y]) => Math.hypot(Math.max(box.x - x, 0, x - box.x - box.width),
                                                 Math.max(box.y - y, 0, y - box.y - box.height));
    return lines.filter(l => l.id.startsWith('flow-') && l.texts.length).map(l => {
        const boxes = l.texts.map(t => t.getBBox());
        const box = {x: Math.min(...boxes.map(b => b.x)), y: Math.min(...boxes.map(b => b.y))};
        box.width = Math.max(...boxes.map(b => b.x + b.width)) - box.x;
        box.height = Math.max(...boxes.map(b => b.y + b.height)) - box.y;
        const own = l.points.reduce((best, p) => distance(box, p) < best[0] ? [distance(box, p), p[2]] : best, [1e9, 0]);
        const other = Math.min(...lines.filter(o => o !== l).flatMap(o => o.points.map(p => distance(box, p))));
        const onNode = nodes.some(n => box.x < n.x + n.width && n.x < box.x + box.width && box.y < n.y + n.height && n.y < box.y + box.height);
        return {label: l.texts.map(t => t.textContent).join(''), own: own[0], along: own[1], length: l.length, other, onNode};
    });
}"""


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_each_branch_label_of_a_four_way_decision_sits_beside_its_own_line_near_the_decision(browser, tmp_path, lang):
    import re
    import shutil

    from generators.render.flowchart import flowchart_dot, readable_titles
    from generators.render.graphviz import Graphviz
    from generators.source.loader import load_file, load_shared

    folder = tmp_path / "procedures"
    shutil.copytree(FIXTURES / "outside", folder)
    source = folder / "nonconforming-product-control.yaml"
    source.write_text(replaced(source.read_text(encoding="utf-8"), "      - {to: scrap, when: {zh: 报废, en: Scrap}}\n",
                               "      - {to: scrap, when: {zh: 报废, en: Scrap}}\n"
                               "      - {to: corrective-action, when: {zh: 退回供方, en: Return to supplier}}\n"), encoding="utf-8")
    proc = load_file(source, load_shared(folder)[0])[0]
    assert len([link for link in proc.successors(proc.step("review")) if link.when]) == 4
    chart = flowchart_dot(proc, lang, lambda p, o: None)
    svg = readable_titles(Graphviz(cache_dir=tmp_path / "graphviz").svg(chart), chart.titles)
    page = browser.new_page(viewport=DESKTOP)
    page.set_content("<!doctype html><html><body>" + re.sub(r"<\?xml[^>]*\?>|<!DOCTYPE[^>]*>", "", svg) + "</body></html>")
    labels = page.evaluate(LABEL_GEOMETRY)
    page.close()
    assert len(labels) >= 6, labels  # the four branches and the yes/no of the customer question
    for found in labels:
        assert found["own"] <= 4, found  # beside its own line (2 pt from it) ...
        assert found["other"] > found["own"] + 1, found  # ... which is the nearest line to it
        assert not found["onNode"], found
    review = [found for found in labels if found["label"] in {"让步接收", "返工", "报废", "退回供方"} | {"Concession", "Rework", "Scrap", "Return to supplier"}]
    # near the decision it leaves: where the line leaves it, unless lines run there too close together for a label
    assert len(review) == 4 and all(found["along"] <= found["length"] / 2 for found in review), review
    assert sum(found["along"] <= 60 for found in review) >= 3, review


# --- the step list under the chart, in step with it on a phone (issue 31) -------------------------------

@pytest.mark.parametrize("path", [f"library/sales-office-management/", "en/library/sales-process-control/"])
def test_on_a_phone_choosing_a_step_in_the_list_brings_its_node_into_the_charts_box_and_marks_both(server, browser, path):
    context, page = open_page(browser, server, path, PHONE)
    page.locator(".chart-steps summary").click()
    links = page.locator(".chart-steps a")
    steps = page.eval_on_selector_all(".flowchart svg g.node.step", "gs => gs.length")
    assert links.count() == steps > 5
    last = links.nth(steps - 1)  # the last step: at the chart's bottom, out of the box's view at first
    node = last.get_attribute("href")[1:]
    outside_before = page.evaluate("""id => { const b = document.querySelector('.flowchart').getBoundingClientRect();
        const n = document.getElementById(id).getBoundingClientRect(); return n.top > b.bottom || n.left > b.right; }""", node)
    last.click()
    page.wait_for_function("id => document.getElementById(id).classList.contains('is-current')", arg=node)
    shown = page.evaluate("""id => { const b = document.querySelector('.flowchart').getBoundingClientRect();
        const n = document.getElementById(id).getBoundingClientRect();
        return {x: n.left + n.width / 2 - b.left, y: n.top + n.height / 2 - b.top, width: b.width, height: b.height,
                top: b.top, bottom: b.bottom, screen: innerHeight,
                ring: getComputedStyle(document.getElementById(id).querySelector('path')).strokeWidth}; }""", node)
    current = page.eval_on_selector_all(".chart-steps a[aria-current='step']", "as => as.map(a => a.getAttribute('href'))")
    context.close()
    assert outside_before, "pick a step the box does not show at first"
    assert 0 < shown["x"] < shown["width"] and 0 < shown["y"] < shown["height"], shown  # the node inside the box's view
    assert shown["top"] < shown["screen"] and shown["bottom"] > 0, shown  # and the box on the screen
    assert current == ["#" + node] and shown["ring"] == "3px", (current, shown)


def test_on_a_desktop_the_chart_shows_whole_enough_and_the_step_list_is_not_shown(server, browser):
    context, page = open_page(browser, server, "library/sales-office-management/", DESKTOP)
    shown = page.eval_on_selector(".chart-steps", "d => getComputedStyle(d).display")
    context.close()
    assert shown == "none"


def test_the_signatures_of_a_version_on_its_history_page_are_a_list_not_one_run_on_paragraph():
    """'Signatures: - Review: … - Approval: …' ran on as one paragraph (the list had no blank line before it)."""
    from types import SimpleNamespace as NS

    import markdown

    from conftest import published_procedure
    from generators.render.pages import history_page
    from generators.source.model import Text

    proc = published_procedure()
    person = NS(name=Text("陈静", "Chen Jing", proc.pos), function=None, sample=False)
    signed = NS(verified=True, person=person, statement=NS(commit="a" * 40, date="2026-12-07"))
    entry = dict(procedure=proc, version=proc.version, state=None, anchor="a-6", revision=None, page="a-6.md",
                 ledger_date=None, sign_off=NS(required=True, legacy=False, review=signed, approve=signed),
                 modifications=(), next_version=None, changes=())
    history = NS(findings=(), warning=None, available=True, revisions=())
    for lang, word in (("zh", "签署"), ("en", "Signatures")):
        page = history_page(Library([proc]), proc, history, [entry], lang)
        html = markdown.markdown(page, extensions=["tables", "attr_list", "md_in_html"])
        after = html[html.index(f"<strong>{word}</strong>"):]
        assert after.index("<ul>") < after.index("</p>") + 10 and after.count("<li>", 0, after.index("</ul>")) == 2, after[:400]
