"""Comparisons of revisions (issue 33, item 2): a page for each revision and the next only, one
comparisons page per procedure (from three revisions) with a picker of any two, and every address of a
pair published before leading to that page with the pair chosen."""
from __future__ import annotations

import posixpath
import re
import xml.etree.ElementTree as ET

import pytest

from conftest import needs_repository_history, run_cli
from test_browser import browser  # noqa: F401  (module-scoped fixture: Debian's Chromium)
from test_revisions import A1, git, repository_at_a0_then_a1
from generators.control.history import procedure_revisions
from generators.render.site import redirects, render_pages
from generators.source import paths
from generators.source.library import Library

TODAY = "2026-12-07"
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def shipped(shipped_history):
    """The shipped library with its real git history: its revisions and every page, both languages."""
    procedures, histories = shipped_history
    revisions = {p.slug: procedure_revisions(p, histories[p.slug], TODAY) for p in procedures}
    library = Library([revisions[p.slug].shown for p in procedures])
    pages = render_pages(library, revisions=revisions, today=TODAY, site_url="https://qa.example.com/procedures/")
    return library, revisions, pages


def inner(page: str, lang: str) -> str:
    """docs-relative page -> its key among the rendered pages (x/compare/a-0--a-1.zh.md)."""
    return page.removeprefix(paths.OUTPUT_DIR + "/").removesuffix(".md") + f".{lang}.md"


@needs_repository_history
def test_a_comparison_page_for_each_revision_and_the_next_and_one_comparisons_page_per_procedure(shipped):
    library, revisions, pages = shipped
    longest = revisions["sales-process-control"]
    assert list(longest.models) == [f"A/{n}" for n in range(8)]  # QP-XS-01: 28 pairs, 7 of them consecutive
    for slug, rev in revisions.items():
        versions = list(rev.models)
        expected = {paths.compare_page(slug, old, new) for old, new in zip(versions, versions[1:])}
        if len(versions) >= 3:
            expected.add(paths.compare_index(slug))
        for lang in ("zh", "en"):
            made = {p for p in pages if p.startswith(f"{slug}/compare/") and p.endswith(f".{lang}.md")}
            assert made == {inner(p, lang) for p in expected}, slug
    per_language = sum(1 for p in pages if "/compare/" in p and p.endswith(".zh.md"))
    sizes = [len(r.models) for r in revisions.values()]
    assert per_language == sum(n - 1 + (n >= 3) for n in sizes if n > 1)  # was sum(n(n-1)/2): 122 on 2026-12-07
    assert sum(1 for p in pages if p.startswith("sales-process-control/compare/") and p.endswith(".zh.md")) == 8  # was 28


@needs_repository_history
def test_the_comparisons_page_lists_every_step_in_order_with_a_picker_of_any_two(shipped):
    _, revisions, pages = shipped
    versions = list(revisions["sales-process-control"].models)
    for lang in ("zh", "en"):
        page = pages[inner(paths.compare_index("sales-process-control"), lang)]
        assert "search:\n  exclude: true\nrobots: noindex" in page  # like each comparison: not the text in force
        # each step, in order, with a link to its full comparison (read without the script)
        headings = re.findall(r"^## (A/\d) → (A/\d) \{ #(a-\d--a-\d) \}$", page, re.M)
        assert headings == [(old, new, f"{paths.version_slug(old)}--{paths.version_slug(new)}")
                            for old, new in zip(versions, versions[1:])]
        for old, new in zip(versions, versions[1:]):
            assert f"]({paths.compare_anchor(old, new)}.md)" in page
        # the picker: hidden until the script shows it; "from" is any but the newest, "to" any but the oldest
        picker = page[page.index("<div class=\"compare-picker\""):page.index("</div>")]
        assert " hidden " in picker
        start, end = picker.index("data-compare-from"), picker.index("data-compare-to")
        assert re.findall(r'<option value="([^"]+)"', picker[start:end]) == [paths.version_slug(v) for v in versions[:-1]]
        assert re.findall(r'<option value="([^"]+)"', picker[end:]) == [paths.version_slug(v) for v in versions[1:]]
        assert '<option value="a-7" selected>' in picker


@needs_repository_history
def test_every_address_of_a_pair_published_before_is_a_page_or_leads_to_the_picker_with_that_pair(shipped):
    library, revisions, pages = shipped
    moved = redirects(library, revisions.values())
    for slug, rev in revisions.items():
        versions = list(rev.models)
        for i, old in enumerate(versions):
            for new in versions[i + 1:]:
                address = paths.url(paths.compare_page(slug, old, new))
                if versions.index(new) == i + 1:
                    assert address not in moved and inner(paths.compare_page(slug, old, new), "en") in pages
                else:
                    target, _, pair = moved[address].partition("#")
                    assert target == paths.url(paths.compare_index(slug)) and inner(paths.compare_index(slug), "en") in pages
                    assert pair == f"{paths.version_slug(old)}--{paths.version_slug(new)}"
                    # the fragment names an element of the page (a link checker finds its anchor)
                    assert f'<span id="{pair}"></span>' in pages[inner(paths.compare_index(slug), "zh")]
    assert "library/sales-process-control/compare/a-0--a-7/" in moved


def _links(text: str) -> list[str]:
    return re.findall(r"\]\(([^)\s]+)\)", text) + re.findall(r'href="([^"]+)"', text)


@needs_repository_history
def test_every_link_to_a_comparison_leads_to_a_page(shipped):
    """From the history pages, the comparisons pages, recent changes and the feeds."""
    library, revisions, pages = shipped
    moved = redirects(library, revisions.values())
    seen = 0
    for key, text in pages.items():
        lang = key.rsplit(".", 2)[1]
        folder = posixpath.dirname(paths.OUTPUT_DIR + "/" + key)
        for href in _links(text):
            if "compare/" not in href:
                continue
            seen += 1
            if href.startswith("https://"):  # the feed: absolute
                rel = href.removeprefix("https://qa.example.com/procedures/").removeprefix("en/")
                target = rel.partition("#")[0]
                assert target in moved or inner(target.rstrip("/") + ".md", lang) in pages, (key, href)
                continue
            target = posixpath.normpath(posixpath.join(folder, href.partition("#")[0]))
            assert inner(target, lang) in pages, (key, href)
    assert seen > 100
    for lang in ("zh", "en"):
        history = pages[f"sales-process-control/history.{lang}.md"]
        assert "](compare/index.md)" in history and "](compare/a-6--a-7.md)" in history
        assert "a-0--a-7" not in history  # every pair but through the picker
        feed = ET.tostring(ET.fromstring(pages[f"changes.{lang}.xml"]), encoding="unicode")  # (well-formed)
        assert "https://qa.example.com/procedures/" + ("en/" if lang == "en" else "") + "library/sales-process-control/compare/a-" in feed


def test_two_revisions_have_their_comparison_and_no_comparisons_page():
    from generators.render.pages import has_picker

    assert not has_picker(["A/0", "A/1"]) and has_picker(["A/0", "A/1", "A/2"])


# --- in the browser: a small site of one procedure at A/0 .. A/3, built as `make site` builds --------

def revised(text: str, version: str, change: str) -> str:
    """``text`` as its next revision ``version``: its log's entry, and one title changed."""
    entry = (f"  - version: {version}\n    date: 2026-11-03\n    changes: [{{zh: 修改{version[-1]}, en: Change {version[-1]}}}]\n"
             "    changed_by: 甲\n    reviewed_by: 乙\n    approved_by: 丙\n")
    previous = f"\nversion: A/{int(version[-1]) - 1}\n"
    assert previous in text and "\nscope:" in text
    text = text.replace(previous, f"\nversion: {version}\n").replace("\nscope:", "\n" + entry.rstrip("\n") + "\nscope:", 1)
    text, found = re.subn(r"title: \{zh: 批准\w*, en: Approve[ \w]*\}", f"title: {{zh: 批准{change}, en: Approve {change}}}", text)
    assert found == 1
    return text


@pytest.fixture(scope="module")
def small_site(tmp_path_factory):
    project = repository_at_a0_then_a1(tmp_path_factory.mktemp("compare"))
    text = A1
    for version in ("A/2", "A/3"):
        text = revised(text, version, version[-1])
        (project / "procedure" / "test.yaml").write_text(text, encoding="utf-8")
        git(project, "commit", "-qam", version)
    built = run_cli("site", "--no-pdf", "--today", "2026-12-20", cwd=project, timeout=1200)
    assert built.returncode == 0, built.stdout + built.stderr
    return project


@pytest.fixture(scope="module")
def site_server(small_site):
    from conftest import serving

    with serving(small_site / "site") as base:
        yield base


def _shown_steps(page) -> list[str]:
    return page.eval_on_selector_all("[data-compare-step]", "els => els.filter(e => !e.hidden && e.offsetParent)"
                                                            ".map(e => e.dataset.compareStep)")


def test_the_small_site_has_the_consecutive_comparisons_and_redirect_pages_for_the_other_pairs(small_site):
    compare = small_site / "site" / "en" / "library" / "test" / "compare"
    pages = {p.parent.name for p in compare.glob("*/index.html") if b'http-equiv="refresh"' not in p.read_bytes()[:2000]}
    moved = {p.parent.name: p.read_text(encoding="utf-8") for p in compare.glob("*/index.html")
             if b'http-equiv="refresh"' in p.read_bytes()[:2000]}
    assert pages == {"a-0--a-1", "a-1--a-2", "a-2--a-3"} and (compare / "index.html").is_file()
    assert sorted(moved) == ["a-0--a-2", "a-0--a-3", "a-1--a-3"]
    assert 'content="0; url=../#a-0--a-3"' in moved["a-0--a-3"]
    # like each comparison, the comparisons page is out of the sitemap (noindex); the history page is in it
    for sitemap in (small_site / "site" / "sitemap.xml", small_site / "site" / "en" / "sitemap.xml"):
        text = sitemap.read_text(encoding="utf-8")
        assert "/compare/" not in text and "library/test/history/" in text


@pytest.mark.parametrize("lang", ["", "en/"])
def test_a_former_address_of_a_pair_opens_the_picker_with_that_pair_and_only_its_steps(site_server, browser, lang):
    page = browser.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.goto(f"{site_server}/{lang}library/test/compare/a-1--a-3/")
    page.wait_for_url(re.compile(r"/compare/#a-1--a-3$"))
    page.wait_for_selector("[data-compare-picker]:not([hidden])")
    assert page.input_value("[data-compare-from]") == "a-1" and page.input_value("[data-compare-to]") == "a-3"
    assert _shown_steps(page) == ["a-1--a-2", "a-2--a-3"]
    assert "A/1 → A/3" in page.inner_text("[data-compare-range]")
    # the table of contents lists only the steps shown
    toc = page.eval_on_selector_all(".md-nav--secondary a", "as => as.filter(a => a.offsetParent).map(a => a.getAttribute('href'))")
    assert toc == ["#a-1--a-2", "#a-2--a-3"]
    # going to a step shown (its entry in the table of contents) keeps the pair chosen
    page.evaluate("() => new Promise(done => { window.addEventListener('hashchange', () => setTimeout(done, 0), {once: true});"
                  " document.querySelector(\".md-nav--secondary a[href='#a-2--a-3']\").click(); })")
    assert page.url.endswith("#a-2--a-3") and _shown_steps(page) == ["a-1--a-2", "a-2--a-3"]
    assert page.input_value("[data-compare-from]") == "a-1" and page.input_value("[data-compare-to]") == "a-3"
    # a pair in the address chooses it: a step hidden, on its own
    page.evaluate("() => new Promise(done => { window.addEventListener('hashchange', () => setTimeout(done, 0), {once: true});"
                  " window.location.hash = '#a-0--a-1'; })")
    assert _shown_steps(page) == ["a-0--a-1"]
    page.evaluate("() => new Promise(done => { window.addEventListener('hashchange', () => setTimeout(done, 0), {once: true});"
                  " window.location.hash = '#a-1--a-3'; })")
    assert _shown_steps(page) == ["a-1--a-2", "a-2--a-3"]
    # choosing another pair shows its steps and keeps the choice in the address
    page.select_option("[data-compare-from]", "a-0")
    page.select_option("[data-compare-to]", "a-1")
    assert _shown_steps(page) == ["a-0--a-1"] and page.url.endswith("#a-0--a-1")
    # "to" before "from": "from" moves back with it
    page.select_option("[data-compare-from]", "a-2")
    page.select_option("[data-compare-to]", "a-2")
    assert page.input_value("[data-compare-from]") == "a-1" and _shown_steps(page) == ["a-1--a-2"]
    # and "from" after "to": "to" moves on with it
    page.select_option("[data-compare-from]", "a-2")
    assert page.input_value("[data-compare-to]") == "a-3" and _shown_steps(page) == ["a-2--a-3"]
    # each step leads to its full comparison
    page.click("[data-compare-step='a-2--a-3'] a[href$='a-2--a-3/']")
    page.wait_for_url(re.compile(r"/compare/a-2--a-3/$"))
    assert "Approve 3" in page.inner_text("article") if lang else "批准3" in page.inner_text("article")
    assert not errors, errors
    page.close()


def test_without_javascript_the_comparisons_page_lists_every_step(site_server, browser):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 320})
    page = context.new_page()
    page.goto(f"{site_server}/en/library/test/compare/#a-1--a-3")
    assert page.is_hidden("[data-compare-picker]")
    assert _shown_steps(page) == ["a-0--a-1", "a-1--a-2", "a-2--a-3"]
    # the pair's address leads to its first step, A/1 → A/2, below the header
    top = page.eval_on_selector("#a-1--a-2", "e => e.getBoundingClientRect().top")
    header = page.eval_on_selector(".md-header", "e => e.getBoundingClientRect().bottom")
    assert header <= top < 320 and page.evaluate("window.scrollY") > 0, (top, header)
    # and nothing asks the reader to choose revisions, with no lists to choose them from
    assert "Choose" not in page.inner_text("article")
    context.close()


@pytest.mark.parametrize("lang", ["", "en/"])
def test_the_picker_a_former_address_leads_to_is_not_under_the_header(site_server, browser, lang):
    """compare-picker.js scrolls to the picker for a pair in the address; Material's header is fixed at
    the top, so the picker and its lists must land below it, where they can be seen and chosen (a short phone screen,
    so the page can scroll that far)."""
    context = browser.new_context(viewport={"width": 390, "height": 320}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(f"{site_server}/{lang}library/test/compare/a-1--a-3/")
    page.wait_for_url(re.compile(r"/compare/#a-1--a-3$"))
    page.wait_for_selector("[data-compare-picker]:not([hidden])")
    page.wait_for_function("window.scrollY > 0")  # scrolled to the picker
    header = page.eval_on_selector(".md-header", "e => e.getBoundingClientRect().bottom")
    # the whole picker, what it asks of the reader included
    assert page.eval_on_selector("[data-compare-picker]", "e => e.getBoundingClientRect().top") >= header
    for select in ("[data-compare-from]", "[data-compare-to]"):
        box = page.eval_on_selector(select, "e => { const r = e.getBoundingClientRect(); return [r.top, r.left + r.width / 2,"
                                            " r.top + r.height / 2]; }")
        assert box[0] >= header, (select, box, header)
        assert page.evaluate("([x, y, s]) => document.elementFromPoint(x, y) === document.querySelector(s)",
                             [box[1], box[2], select]), select
    context.close()


def test_each_consecutive_comparison_links_the_comparisons_page_with_its_pair_chosen(small_site):
    for lang in ("", "en/"):
        page = (small_site / "site" / lang / "library" / "test" / "compare" / "a-1--a-2" / "index.html").read_text(encoding="utf-8")
        text = "比较任意两个版本" if not lang else "Compare any two revisions"
        assert f'<a href="../#a-1--a-2">{text}</a>' in page, lang


def test_the_history_page_links_the_comparisons_page_and_each_step(site_server, browser):
    page = browser.new_page()
    page.goto(f"{site_server}/en/library/test/history/")
    hrefs = page.eval_on_selector_all("#compare ~ p a, #compare ~ ul a", "as => as.map(a => a.getAttribute('href'))")
    assert hrefs[:4] == ["../compare/", "../compare/a-0--a-1/", "../compare/a-1--a-2/", "../compare/a-2--a-3/"], hrefs
    page.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_comparisons_page_has_no_serious_accessibility_violation(site_server, browser, scheme):
    """axe-core as tests/test_accessibility.py runs it (the shipped site built there has no git history,
    so no comparisons): both languages, a desktop's and a phone's width, the picker shown."""
    from axe_playwright_python.sync_playwright import Axe

    from test_accessibility import BLOCKING, DECORATIVE, VIEWPORTS

    problems = []
    for viewport, size in VIEWPORTS.items():
        phone = viewport == "phone"
        context = browser.new_context(viewport=size, color_scheme=scheme, is_mobile=phone, has_touch=phone)
        page = context.new_page()
        for lang in ("", "en/"):
            page.goto(f"{site_server}/{lang}library/test/compare/#a-1--a-3")
            page.wait_for_selector("[data-compare-picker]:not([hidden])")
            for violation in Axe().run(page, context=DECORATIVE).response["violations"]:
                if violation["impact"] in BLOCKING:
                    problems.append(f"{viewport} {lang}: {violation['id']} at {[n['target'] for n in violation['nodes'][:3]]}")
        context.close()
    assert not problems, "\n".join(problems)
