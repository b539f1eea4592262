"""Every text field of a procedure filled with hostile payloads: the site builds, shows them as
text, and no injected script runs, no dialog opens and no request leaves the site (Chromium)."""
from __future__ import annotations

import json
from urllib.parse import urlparse

import pytest
import yaml

from conftest import FIXTURES, PUBLISHED, build_site, copy_project, run_cli, serving
from test_browser import CHROMIUM, CHROMIUM_ARGS

PAYLOAD = ('</title></textarea></style><script>window.__pwned=0</script> <script>window.__pwned=1</script> <img src=x onerror="window.__pwned=2"> <svg onload="window.__pwned=3"> '
           '" onmouseover="window.__pwned=4" \' [click](javascript:window.__pwned=5) ![x](http://evil.example/x.png) '
           '<a href="javascript:window.__pwned=6">a</a> <style>body{display:none}</style> <iframe src="http://evil.example/"></iframe> '
           '{{ 7*7 }} {% raw %} {#x#} **b** | c | `d` \\N \\G ]]> & &amp; <!-- --8<-- "/etc/passwd" :material-alert: {: .x } '
           '<meta http-equiv="refresh" content="0;url=http://evil.example/"> ../../etc ..\\..\\x '
           # DOT and HTML-like label syntax for the charts, and characters check only warns about
           '"], URL="javascript:window.__pwned=7", x=[" >, URL=<javascript:window.__pwned=8>, target=<_top>] // !-- --> '
           '<TABLE> <BR/> \\L \\E -> ; \u202eevil\u202c zero\u200bwidth')


# Texts drawn in the flowchart are limited to 100 characters and 30-column words (check's
# limits): they get one of these shorter payloads each, in turn; every other text the whole one.
LABEL_PAYLOADS = ['<script>__pwned=1</script> <b>x</b> \\N \\G',
                  '"], URL="javascript:__pwned=7", x=["',
                  '>, URL=<javascript:__pwned=8>, target=<_top>] // !-- -->',
                  '<img src=x onerror="__pwned=2"> {{ 7*7 }} **b** | c |',
                  '<TABLE> <BR/> & &amp; \u202eevil\u202c zero\u200bwidth']
LABEL_KEYS = {"name", "title", "decision", "when"}
# The whole payload goes into this many texts (then the short ones), so that the poisoned procedure
# stays under check's limit of characters per page (rules/limits.py MAX_PAGE_CHARS), as check accepts it.
FULL_PAYLOAD_TEXTS = 80
NAME_PAYLOAD = PAYLOAD.replace("\u202eevil\u202c", "evil").replace("zero\u200bwidth", "zerowidth")


def _poison(node, key=None, depth=0, turn=[0]):
    """Append the payload to every bilingual text and every free-text name."""
    if isinstance(node, dict):
        if set(node) == {"zh", "en"} and all(isinstance(v, str) for v in node.values()):
            if key in LABEL_KEYS and depth > 1:  # a chart label (not the procedure's own title)
                turn[0] += 1
                longest = max(len(node["zh"]), len(node["en"]))
                # In turn, the next payload the label's 100-character limit leaves room for.
                fitting = [LABEL_PAYLOADS[(turn[0] + i) % len(LABEL_PAYLOADS)] for i in range(len(LABEL_PAYLOADS))]
                payload = next((p for p in fitting if longest + 1 + len(p) <= 100), "<b>x</b>")
            elif turn[0] >= FULL_PAYLOAD_TEXTS:  # check's page-size limit: the rest get the short ones
                turn[0] += 1
                payload = LABEL_PAYLOADS[turn[0] % len(LABEL_PAYLOADS)]
            else:
                turn[0] += 1
                payload = PAYLOAD
            return {"zh": f"{node['zh']} {payload}", "en": f"{node['en']} {payload}"}
        # A gap marker stands for the text it is under (a gap title is drawn as the title is).
        # A signature name with an invisible character is an error of check (name-invisible): names get
        # the payload without them, as check lets it through.
        return {k: (f"{v} {NAME_PAYLOAD}" if k in ("name", "changed_by", "reviewed_by", "approved_by") and isinstance(v, str)
                    else _poison(v, key if k == "gap" else k, depth + (0 if k == "gap" else 1))) for k, v in node.items()}
    if isinstance(node, list):
        return [_poison(v, key, depth + 1) for v in node]
    return node


def _evaluate_once_loaded(page, expression: str):
    """``page.evaluate(expression)`` once the navigation under way (if any) has loaded; a navigation
    that lands while asking (a click's, on a loaded machine) means asking again."""
    from playwright.sync_api import Error

    for _ in range(50):  # navigations, not seconds: a page that keeps navigating fails the test
        page.wait_for_load_state()
        try:
            return page.evaluate(expression)
        except Error as failure:
            if "Execution context was destroyed" not in str(failure):
                raise
    raise AssertionError(f"{page.url} kept navigating")


def _script_ran_after_navigation(page) -> bool:
    """Whether the injected script ran on the page a click led to."""
    return _evaluate_once_loaded(page, "typeof window.__pwned") != "undefined"


def _goto(page, url: str) -> None:
    """Open ``url``; a navigation a chart click started (a fragment link handled by the page's script)
    can still land and interrupt it on a loaded machine, so it is opened again once that has landed."""
    from playwright.sync_api import Error

    for _ in range(10):  # navigations, not seconds
        try:
            page.goto(url, wait_until="load")
            return
        except Error as failure:
            if "interrupted by another navigation" not in str(failure):
                raise
    raise AssertionError(f"opening {url} kept being interrupted by other navigations")


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    procedures = root / "procedure"
    procedures.mkdir()
    data = _poison(yaml.safe_load(PUBLISHED.read_text(encoding="utf-8")))
    (procedures / PUBLISHED.name).write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    shared = _poison(yaml.safe_load((PUBLISHED.parent / "_shared.yaml").read_text(encoding="utf-8")))
    (procedures / "_shared.yaml").write_text(yaml.safe_dump(shared, allow_unicode=True, sort_keys=False), encoding="utf-8")
    project = copy_project(root / "project", procedures)
    build_site(project)
    return project / "site"


def test_payloads_show_as_text_on_the_procedure_page(hostile_site):
    from test_site import _Page

    for prefix in ("", "en/"):
        seen = _Page()
        seen.feed((hostile_site / prefix / "library" / "sales-process-control" / "index.html").read_text(encoding="utf-8"))
        assert "<script>window.__pwned=1</script>" in seen.text
        assert not any("__pwned" in script for script in seen.scripts)
        assert not any(tag in ("iframe", "meta") and "evil.example" in str(attrs) for tag, attrs in seen.tags)
        assert not any(any(str(v).startswith("javascript:") for v in attrs.values()) for tag, attrs in seen.tags)
        assert not any(k.startswith("on") and "__pwned" in str(v) for tag, attrs in seen.tags for k, v in attrs.items())


def test_no_injected_script_runs_on_any_page(hostile_site):
    from playwright.sync_api import sync_playwright

    pages = sorted(p.relative_to(hostile_site).as_posix() for p in hostile_site.rglob("index.html"))
    dialogs, leaks, pwned = [], [], []
    with serving(hostile_site) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))

        def route(r):
            if urlparse(r.request.url).hostname not in ("127.0.0.1", None):
                leaks.append(r.request.url)
                return r.abort()
            return r.continue_()

        page.route("**/*", route)
        navigations, clicked = [], set()
        page.on("framenavigated", lambda frame: navigations.append(frame.url))
        for path in pages:
            _goto(page, f"{base}/{path}")
            page.mouse.move(200, 300)
            page.mouse.move(600, 500)
            if page.locator("svg a").count() and path.count("/") == 3:  # a procedure page: click its chart
                hrefs = page.locator("svg a").evaluate_all(
                    "links => links.map(a => a.getAttribute('href') ?? a.getAttribute('xlink:href'))")
                for index, href in enumerate(hrefs):
                    if href in clicked:  # the same link on another page (the other language, an archive)
                        continue
                    clicked.add(href)
                    _goto(page, f"{base}/{path}")
                    # A click event dispatched on the link itself: it follows the link as a click does,
                    # wherever the chart's scroll box has the node (a node scrolled out of the box, or in
                    # a copy hidden at this width, cannot take a pointer click).
                    page.locator("svg a").nth(index).dispatch_event("click")
                    if _script_ran_after_navigation(page):
                        pwned.append(f"{path} chart link {index}")
                _goto(page, f"{base}/{path}")  # the page itself again, not where its last chart link led
            script_links = _evaluate_once_loaded(page, """() => Array.from(document.querySelectorAll('*')).flatMap(e =>
                Array.from(e.attributes).filter(a => /^\\s*javascript:/i.test(a.value)).map(a => e.tagName + ' ' + a.name))""")
            if _script_ran_after_navigation(page) or script_links:
                pwned.append(f"{path} {script_links}")
        leaks += [url for url in navigations if not url.startswith(base)]
        browser.close()
    assert len(pages) > 50
    assert not dialogs and not leaks and not pwned, (dialogs[:3], leaks[:3], pwned[:3])


def test_footer_links_name_the_neighbouring_page_once_escaped(hostile_site):
    """The previous/next links' aria-label reads as the visible title, not as escaped entities
    (Material escaped titles that already hold entities a second time)."""
    from html.parser import HTMLParser

    class Footer(HTMLParser):
        def __init__(self):
            super().__init__(convert_charrefs=True)
            self.links, self._link, self._in_title = [], None, 0

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if tag == "a" and "md-footer__link" in (attrs.get("class") or ""):
                self._link = [attrs["aria-label"], ""]
                self.links.append(self._link)
            if self._link and tag == "div" and "md-ellipsis" in (attrs.get("class") or ""):
                self._in_title = 1

        def handle_endtag(self, tag):
            if tag == "div" and self._in_title:
                self._in_title = 0
            if tag == "a":
                self._link = None

        def handle_data(self, data):
            if self._in_title:
                self._link[1] += data

    checked = 0
    for page in hostile_site.rglob("index.html"):
        footer = Footer()
        footer.feed(page.read_text(encoding="utf-8"))
        for label, title in footer.links:
            assert label.split(": ", 1)[1] == " ".join(title.split()), page
            checked += "__pwned" in label
    assert checked, "no footer link named a hostile title"


# --- the flowchart: every text field through real Graphviz --------------------------------------

# Control characters (refused by check, scrubbed by the renderer as a second line of defence),
# DOT and HTML-like label syntax, escString sequences and link attempts.
DOT_PAYLOAD = ('\x00 \x01 \x08 \x1b[31m \x7f \x85 \x9f \u2028 \u2029 \u202e \ufffe " \' \\ \\\\ \\" \\N \\G \\L \\E \\T \\H '
               '\\n \\l \\r < > & &amp; &#60; ] [ } { ; , = -> -- // /* */ # <TABLE> <B>b</B> <BR/> '
               '"], URL="javascript:alert(1)", x=[" >, URL=<javascript:alert(2)>, target=<_top>] // '
               'href="javascript:alert(3)" <a xlink:href="javascript:alert(4)">a</a> !-- --> <!-- ]]>')


def _chart_procedure(tmp_path, poison: bool):
    """A procedure whose every chart text (role names, step titles, descriptions, sub-steps,
    decisions, branch labels, document and form titles) carries ``DOT_PAYLOAD``; loaded without
    check, as a build that somehow skipped it would see it."""
    from synthetic import procedure
    from generators.source.loader import load_bytes

    data = procedure(7, steps=4, roles=2, documents=2, forms=1)
    data["steps"][1]["description"] = {"zh": "说明", "en": "Description"}
    if poison:
        data = _poison_all(data)
    source = yaml.safe_dump(data, allow_unicode=True, sort_keys=False).encode("utf-8")
    proc, diags = load_bytes("chart.yaml", source, "chart")
    assert proc is not None
    assert any(d.rule == "control-character" for d in diags) == poison  # check would stop this build
    return proc


def _poison_all(node):
    if isinstance(node, dict):
        if set(node) == {"zh", "en"}:
            return {lang: f"{text} {DOT_PAYLOAD}" for lang, text in node.items()}
        return {k: _poison_all(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_poison_all(v) for v in node]
    return node


def _svg(proc, lang, tmp_path):
    from generators.render.graphviz import Graphviz
    from generators.source import paths
    from generators.render.flowchart import flowchart_dot

    return Graphviz(cache_dir=tmp_path / "cache").svg(flowchart_dot(proc, lang, paths.output_url_from_procedure))


def _structure(svg: str):
    """The element kinds (tag and attribute names) of an SVG, and the values of its link,
    id, class and target attributes: everything the chart template decides."""
    import xml.etree.ElementTree as ET

    root = ET.fromstring(svg.encode("utf-8"))
    kinds, values, links = set(), set(), 0
    for element in root.iter():
        kinds.add((element.tag, tuple(sorted(element.attrib))))
        for name, value in element.attrib.items():
            local = name.rsplit("}", 1)[-1]
            if local in ("href", "id", "class", "target"):
                values.add((local, value))
        links += element.tag.endswith("}a")
    return kinds, values, links


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_chart_texts_with_control_and_dot_metacharacters_add_no_element_attribute_or_link(lang, tmp_path):
    benign = _structure(_svg(_chart_procedure(tmp_path, poison=False), lang, tmp_path))
    proc = _chart_procedure(tmp_path, poison=True)
    svg = _svg(proc, lang, tmp_path)
    kinds, values, links = _structure(svg)
    assert kinds <= benign[0], kinds - benign[0]
    assert values == benign[1], values ^ benign[1]
    assert links == benign[2]
    assert "javascript" not in "".join(v for k, v in values)
    # The payload arrives as text, whole (a NUL would cut it): each label's words, in order.
    import re
    import xml.etree.ElementTree as ET

    texts = [e.text or "" for e in ET.fromstring(svg.encode("utf-8")).iter("{http://www.w3.org/2000/svg}text")]
    shown = re.sub(r"\s+", "", "".join(texts))
    visible = re.sub(r"\s+", "", DOT_PAYLOAD.translate({c: "\ufffd" for c in (0, 1, 8, 0x1b, 0x7f, 0x9f, 0xfffe)}))
    assert shown.count(visible) >= len(proc.steps), "a step title lost part of its text in the chart"


def _issue_13_source() -> str:
    """The stored XSS of issue 13: a NUL written as an escape in a step title cut the title's
    HTML-like label short, so the label swallowed the following lines, and a description
    closed it and added a javascript: URL to the step's node."""
    text = (FIXTURES / "minimal.yaml").read_text(encoding="utf-8")
    text = text.replace("    title: {zh: 登记, en: Record}",
                        '    title: {zh: "登记\\0x", en: "Record\\0x"}\n'
                        '    decision: {zh: "!--", en: "!--"}\n'
                        '    next: [{to: report, when: {zh: 是, en: "yes"}}, {to: end, when: {zh: 否, en: "no"}}]')
    description = "< --> >, URL=<javascript:alert(document.domain)>, target=<_top>] //"
    text = text.replace("    title: {zh: 报告, en: Report}",
                        f'    title: {{zh: 报告, en: Report}}\n    description: {{zh: "{description}", en: "{description}"}}')
    return text


def test_issue_13_stored_xss_source_fails_check_at_the_escapes(tmp_path):
    source = tmp_path / "xss.yaml"
    source.write_text(_issue_13_source(), encoding="utf-8")
    result = run_cli("check", str(source))
    assert result.returncode == 1
    errors = [l for l in result.stdout.splitlines() if "[control-character]" in l]
    assert errors == [f"{source}:43:20: error: control character U+0000 (NUL), written as \\0, is not allowed [control-character]",
                      f"{source}:43:37: error: control character U+0000 (NUL), written as \\0, is not allowed [control-character]"]


def test_issue_13_stored_xss_chart_runs_no_script_in_chromium_even_without_check(tmp_path):
    from playwright.sync_api import sync_playwright

    from generators.render.graphviz import inline_svg
    from generators.source.loader import load_bytes

    proc, _ = load_bytes("xss.yaml", _issue_13_source().encode("utf-8"), "xss")
    html = "".join(f"<h2>{lang}</h2>{inline_svg(_svg(proc, lang, tmp_path))}" for lang in ("zh", "en"))
    page_file = tmp_path / "chart.html"
    page_file.write_text(f"<!doctype html><meta charset=utf-8><body>{html}</body>", encoding="utf-8")
    dialogs, navigations = [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)

        def opened():
            page = browser.new_page()
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.on("framenavigated", lambda frame: navigations.append(frame.url))
            page.goto(page_file.as_uri())
            return page

        page = opened()
        links = page.evaluate("""() => Array.from(document.querySelectorAll('a')).map(a =>
            a.getAttribute('href') || a.getAttribute('xlink:href') || a.getAttributeNS('http://www.w3.org/1999/xlink', 'href'))""")
        page.close()
        # Click every link of both charts, each in a tab of its own: a click's late navigation (to a
        # missing file: an error page) cannot interrupt the next link's page.
        for index in range(len(links)):
            page = opened()
            page.locator("svg a").nth(index).click(force=True)
            page.wait_for_load_state()  # the click's navigation, if any, has loaded
            page.close()
        browser.close()
    assert not dialogs, dialogs
    assert not any(url.startswith("javascript:") for url in navigations + links), (navigations, links)
    assert sorted(set(links)) == ["./#doc-monthly-report", "./#step-record", "./#step-report", "form-log/"]


# --- sizes: check's limits keep every chart drawable; a chart Graphviz fails on is located -------

def _largest_accepted_procedure() -> dict:
    """A procedure at every limit check enforces: lanes, steps, chart label length, longest word."""
    from synthetic import procedure
    from generators.rules import limits

    data = procedure(0, steps=limits.MAX_STEPS, roles=limits.MAX_ROLES, documents=40, forms=10)
    word = "w" * limits.MAX_WORD_COLUMNS
    label = {"zh": ("审" * 20 + "核") * 4 + "审" * 16, "en": f"{word} {word} {word} xxxxxxx"}
    assert max(len(t) for t in label.values()) == limits.MAX_LABEL_CHARS
    for index, step in enumerate(data["steps"]):
        step["title"], step["owner"] = dict(label), data["roles"][index % limits.MAX_ROLES]["id"]
    for role in data["roles"]:
        role["name"] = dict(label)
    return data


def test_the_largest_chart_check_accepts_is_drawn_within_the_graphviz_limits(tmp_path):
    from synthetic import dump
    from generators.source.loader import load_bytes
    from generators.rules import check_procedure

    proc, diags = load_bytes("largest.yaml", dump(_largest_accepted_procedure()).encode("utf-8"), "largest")
    assert not [d for d in diags + check_procedure(proc, "2026-12-01") if d.rule == "limit-exceeded"]
    svg = _svg(proc, "en", tmp_path)
    assert svg.count('class="node step"') == len(proc.steps)


def test_one_step_or_lane_more_than_the_limits_is_a_check_error(tmp_path):
    from synthetic import dump
    from generators.rules import limits

    data = _largest_accepted_procedure()
    data["steps"].append(dict(data["steps"][-1], id="one-more"))
    data["roles"].append({"id": "one-more-role", "name": {"zh": "多一个", "en": "One more"}})
    source = tmp_path / "too-big.yaml"
    source.write_text(dump(json.loads(json.dumps(data))), encoding="utf-8")  # no shared objects: no YAML aliases
    result = run_cli("check", str(source))
    assert result.returncode == 1
    assert f"error: {limits.MAX_STEPS + 1} steps, over the limit of {limits.MAX_STEPS} [limit-exceeded]" in result.stdout
    assert f"error: {limits.MAX_ROLES + 1} roles (chart lanes), over the limit of {limits.MAX_ROLES} [limit-exceeded]" in result.stdout


@pytest.mark.parametrize("limit", ["cpu", "memory"])
def test_a_chart_graphviz_fails_on_is_a_located_error_naming_the_procedure(tmp_path, monkeypatch, limit):
    """Past check (hundreds of steps in 50+ lanes, far over its limits), with the build's limits lowered
    so that real dot hits them: each chart is a located error, never a traceback."""
    from synthetic import dump, procedure
    from generators.render import graphviz
    from generators.render.site import render_charts
    from generators.source.library import Library
    from generators.source.loader import load_bytes

    if limit == "cpu":
        monkeypatch.setattr(graphviz, "LAYOUT_CPU_SECONDS", 1)
    else:
        monkeypatch.setattr(graphviz, "MEMORY_BYTES", 16 << 20)
    # The CPU case needs a chart no machine lays out in 1 s of CPU: 150 steps did on a fast CI runner.
    size = dict(steps=600, roles=150, documents=40) if limit == "cpu" else dict(steps=150, roles=50, documents=40)
    proc, _ = load_bytes("huge.yaml", dump(procedure(0, **size)).encode("utf-8"), "huge")
    with pytest.raises(graphviz.ChartFailures) as failures:
        render_charts(Library([proc]), graphviz.Graphviz(cache_dir=tmp_path / "cache"))
    lines = [d.format().splitlines()[0] for d in failures.value.diagnostics]
    steps_line = proc.key_pos["steps"].line
    assert [l.split(": error: ")[0] for l in lines] == [f"huge.yaml:{steps_line}:1"] * 2
    assert all(f"the flowchart of QP-SYN-000 A/2 (" in l and l.endswith("[chart]") for l in lines)
    assert all(("used up its 1 s of CPU time" if limit == "cpu" else "dot failed") in l for l in lines), lines


@pytest.mark.parametrize("limit", ["cpu", "memory"])
def test_weasyprint_over_its_limits_is_an_error_not_a_traceback_or_a_hang(tmp_path, monkeypatch, limit):
    from generators.render import pdf

    monkeypatch.setattr(pdf, *(("PDF_CPU_SECONDS", 0) if limit == "cpu" else ("PDF_MEMORY_BYTES", 64 << 20)))
    with pytest.raises(pdf.PdfError, match="WeasyPrint stopped, within its limits"):
        pdf.PdfRenderer(cache_dir=tmp_path).render_many(["<p>x</p>"])
    monkeypatch.undo()
    assert pdf.PdfRenderer(cache_dir=tmp_path).render_many(["<p>x</p>"])[0].startswith(b"%PDF")


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "http://evil.example/", "//evil/x",
                                 ".//evil/x", "/etc/passwd", "data:text/html,x", 'doc-x/" onclick="x', "doc x/",
                                 "doc-x/\\..", "doc-x/\x00", ""])
def test_a_chart_link_not_built_from_ids_is_refused(url):
    from generators.render.escape import chart_url, dot_html_url, dot_url

    for build in (chart_url, dot_url, dot_html_url):
        with pytest.raises(ValueError):
            build(url)


@pytest.mark.parametrize("url", ["./#step-a-1", "#step-a", "doc-x/", "form-log/", "../other-procedure/", "../../a/#step-b"])
def test_chart_links_built_from_ids_pass_unchanged(url):
    from generators.render.escape import chart_url

    assert chart_url(url) == url
