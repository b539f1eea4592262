"""The built site: a real `mkdocs build --strict` per language (as `make site` runs it), checked on its HTML."""
from __future__ import annotations

import html
import os
import subprocess
import sys
import json
import shutil
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urldefrag, urlparse

import pytest

from conftest import PUBLISHED, ROOT, build_site, copy_project, published_procedure, run_cli, write_procedures_sharing_a_role

PROC = published_procedure()


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        for key in ("href", "xlink:href", "src"):
            if attrs.get(key):
                self.hrefs.append(attrs[key])


def parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def page(site: Path, url: str) -> Path:
    return site / url.strip("/") / "index.html" if not url.endswith(".html") else site / url


def test_strict_build_has_no_warning(built_site):
    log = (built_site / "mkdocs-build.log").read_text(encoding="utf-8")
    assert "WARNING" not in log


@pytest.mark.parametrize("lang,url", [("zh", "library/sales-process-control/"), ("en", "en/library/sales-process-control/")])
def test_procedure_page_holds_number_version_and_every_step_title_in_its_language(built_site, lang, url):
    html = page(built_site / "site", url).read_text(encoding="utf-8")
    assert PROC.number in html and PROC.version in html
    for step in PROC.steps:
        assert f'id="step-{step.id}"' in html
        assert step.title[lang] in html, step.title[lang]
    other = "en" if lang == "zh" else "zh"
    # The revision log may quote the governing Chinese text in an English entry: the rest of the page may not.
    body = re.sub(r'<(nav|header|script)[\s\S]*?</\1>|<div class="revision-log">[\s\S]*?</table>', "", html)
    assert PROC.steps[1].title[other] not in body


def test_language_switch_lands_on_the_same_page_in_the_other_language(built_site):
    site = built_site / "site"
    for url, other in [("library/sales-process-control/", "en/library/sales-process-control/"),
                       ("en/library/sales-process-control/", "library/sales-process-control/")]:
        html = page(site, url).read_text(encoding="utf-8")
        switch = re.search(r'<div class="md-select__inner">([\s\S]*?)</div>', html)[1]
        targets = {(page(site, url).parent / h).resolve() for h in re.findall(r'href="([^"]+)"', switch)}
        assert (site / other).resolve() in targets


def test_no_internal_link_is_broken(built_site):
    site = built_site / "site"
    broken = []
    parsed: dict[Path, _Links] = {}  # each page parsed once, however many links point into it

    def links(path: Path) -> _Links:
        if path not in parsed:
            parsed[path] = parse(path)
        return parsed[path]

    for html in site.rglob("*.html"):
        if html.name == "404.html":
            continue
        for href in links(html).hrefs:
            parts = urlparse(href)
            if parts.scheme or href.startswith(("mailto:", "//", "data:")):
                continue
            target_path, fragment = urldefrag(href)
            base = site if target_path.startswith("/") else html.parent
            target = html if not target_path else (base / unquote(target_path.lstrip("/"))).resolve()
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{html.relative_to(site)} -> {href}")
            elif fragment and target.suffix == ".html" and fragment not in links(target).ids:
                broken.append(f"{html.relative_to(site)} -> {href} (no anchor)")
    assert len(parsed) > 100, "the built site has (almost) no pages"
    assert not broken, broken[:20]


def _search_index(site: Path) -> dict:
    return json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))


def test_each_language_has_its_own_search_index_with_chinese_segmented_by_jieba(built_site):
    zh = _search_index(built_site / "site")
    en = _search_index(built_site / "site" / "en")
    entries = {d["location"]: d for d in zh["docs"]}
    step = entries["library/sales-process-control/#step-sell"]
    assert "\u200b客户\u200b" in step["text"]  # jieba's word boundaries around 客户
    assert not any(d["location"].startswith("en/") for d in zh["docs"])  # no English page in the Chinese index
    english = {d["location"]: d for d in en["docs"]}  # locations are relative to /en/
    assert PROC.steps[0].title["en"] in english[f"library/sales-process-control/#step-{PROC.steps[0].id}"]["title"]
    assert "zh" in zh["config"]["lang"] and en["config"]["lang"] == ["en"]


def test_every_step_has_a_chart_node_in_its_owners_lane_linking_to_its_anchor(built_site):
    for url, lang in [("library/sales-process-control/", "zh"), ("en/library/sales-process-control/", "en")]:
        html = page(built_site / "site", url).read_text(encoding="utf-8")
        chart = html.index('<div class="flowchart"')
        svg = html[chart:html.index("</svg>", chart)]
        for step in PROC.steps:
            node = re.search(r'<g id="chart&#45;step&#45;' + step.id.replace("-", "&#45;") + r'"[\s\S]*?</g>\s*</g>', svg)
            assert node, step.id
            assert f'xlink:href="./#step-{step.id}"' in node[0]
            label = "".join(re.findall(r">([^<]*)</text>", node[0])).replace(" ", "")
            assert label == f"{step.number}.{step.title[lang]}".replace(" ", "")
            assert f'id="step-{step.id}"' in html
        for step in PROC.steps:
            for link in PROC.successors(step):
                assert f'id="flow&#45;{step.id.replace("-", "&#45;")}&#45;{link.target.replace("-", "&#45;")}"' in svg


def test_rebuild_without_change_runs_no_graphviz_and_rewrites_nothing(small_built_site):
    result = run_cli("build", cwd=small_built_site)
    assert result.returncode == 0
    assert result.stdout.startswith("up to date"), result.stdout
    forced = run_cli("build", "--force", cwd=small_built_site)  # past the stamp: every cache must still hit
    assert "0 written" in forced.stdout and "0 drawn by dot" in forced.stdout and "0 rendered by WeasyPrint" in forced.stdout


def test_hand_written_pages_survive_generation(built_site):
    assert (built_site / "docs" / "index.zh.md").read_text(encoding="utf-8").startswith("# 程序文件库")
    assert (built_site / "site" / "glossary" / "index.html").exists()
    assert (built_site / "site" / "en" / "how-to-read" / "index.html").exists()


class _Page(HTMLParser):
    """Visible text (entities decoded), start tags and script bodies of a page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text, self.tags, self.scripts, self._in_script = "", [], [], False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts.append(data)
        else:
            self.text += data


PAYLOADS = ['<script>alert(1)</script>', '**bold**', 'a | b', '{{ 7*7 }}', '{% raw %}', '[x](javascript:alert(1))',
            '<img src=x onerror=alert(1)>', ':material-alert:', '{ #evil }', '# heading', '1. list']


def test_yaml_text_with_markup_shows_as_text_and_breaks_nothing(tmp_path):
    text = PUBLISHED.read_text(encoding="utf-8")
    payload = " ".join(PAYLOADS)
    # A step title is a chart label, held to check's label length: it carries half the payloads.
    label_payload = " ".join(PAYLOADS[:len(PAYLOADS) // 2])
    assert len(label_payload) < 90
    text = text.replace("title: {zh: 销售, en: Sales}", f"title: {{zh: '销售 {label_payload}', en: 'Sales {label_payload}'}}")
    text = text.replace("content: {zh: 销售进程、节奏, en: Sales progress and pace}",
                        f"content: {{zh: '{payload}', en: '{payload}'}}")
    procedures = tmp_path / "procedure"
    procedures.mkdir()
    (procedures / PUBLISHED.name).write_text(text, encoding="utf-8")
    shutil.copy(PUBLISHED.parent / "_shared.yaml", procedures / "_shared.yaml")
    project = copy_project(tmp_path / "project", procedures)
    build_site(project, pdf=False)  # the pages (PDFs with payloads: test_injection's hostile site)
    for lang, prefix in (("zh", ""), ("en", "en/")):
        path = project / "site" / prefix / "library" / "sales-process-control" / "index.html"
        seen = _Page()
        seen.feed(path.read_text(encoding="utf-8"))
        assert payload in seen.text, f"payload not shown as text on the {lang} page"
        assert label_payload in seen.text, f"step-title payload not shown as text on the {lang} page"
        assert not any(tag == "img" and attrs.get("src") == "x" for tag, attrs in seen.tags)
        assert not any(str(attrs.get("href", "")).startswith("javascript:") for tag, attrs in seen.tags)
        assert not any("alert(1)" in script for script in seen.scripts)
        assert not any(attrs.get("id") == "evil" for tag, attrs in seen.tags)
    html = (project / "site" / "library" / "sales-process-control" / "index.html").read_text(encoding="utf-8")
    # the document-flow table keeps its five columns despite the '|'
    table = re.search(r'<h2 id="document-flow"[\s\S]*?<table>([\s\S]*?)</table>', html)[1]
    for row in re.findall(r"<tr>([\s\S]*?)</tr>", table):
        assert len(re.findall(r"<t[dh]", row)) == 5


def test_library_views_agree_with_the_sources(built_site):
    from generators.check import check_paths
    from generators.source.library import Library

    library = Library(check_paths([str(built_site / "procedure")]).procedures)
    site = built_site / "site"
    assert len(library.procedures) >= 3
    for prefix, lang in (("", "zh"), ("en/", "en")):
        master = (site / prefix / "library" / "index.html").read_text(encoding="utf-8")
        for proc in library.procedures:
            assert proc.number in master and proc.version in master and proc.title[lang] in master
        for proc, ref in library.unpublished_references():
            assert ref.title[lang] in master.split('id="referenced-not-published"')[1] if lang == "en" else ref.title[lang] in master
        records = html.unescape(re.sub(r"<[^>]+>", "", (site / prefix / "library" / "records" / "index.html").read_text(encoding="utf-8")))  # a gap is marked up: 待定 in bold
        for proc, form in library.forms():
            assert form.number in records and form.retention[lang] in records
        matrix = (site / prefix / "library" / "flow-matrix" / "index.html").read_text(encoding="utf-8")
        for proc in library.procedures:
            for doc in proc.documents:
                assert f"/#doc-{doc.id}" in matrix
        roles = html.unescape((site / prefix / "library" / "roles" / "index.html").read_text(encoding="utf-8"))  # Subsidiary&#39;s
        for role_id, role in library.roles.items():
            assert role.name[lang] in roles


def test_document_urls_published_before_lead_to_the_documents_row(built_site):
    site = built_site / "site"
    for prefix in ("", "en/"):
        for doc in PROC.documents:
            moved = (site / prefix / "library" / PROC.slug / f"doc-{doc.id}" / "index.html").read_text(encoding="utf-8")
            assert f'url=../#doc-{doc.id}"' in moved  # the link checker above proves the anchor exists
            procedure = (site / prefix / "library" / PROC.slug / "index.html").read_text(encoding="utf-8")
            assert f'id="doc-{doc.id}"' in procedure


def test_shared_role_is_one_page_across_procedures(tmp_path):
    # The shipped sources share no role (README: one namespace per source), so two procedures that do
    # share one are made here: the role declared once in _shared.yaml, named by {ref:} in both.
    from generators.check import check_paths
    from generators.source.library import Library
    from generators.render import pages

    write_procedures_sharing_a_role(tmp_path)
    result = check_paths([str(tmp_path)])
    library = Library(result.procedures)
    assert [d.procedure.number for d in library.duties("clerk")] == ["QP-T-01", "QP-T-02"]
    for lang in ("zh", "en"):
        page = pages.role_page(library, "clerk", lang)
        assert "QP-T-01" in page and "QP-T-02" in page


def test_cross_reference_links_when_published_and_is_listed_when_not(tmp_path):
    # No shipped procedure names another published one (each seed document cites only procedures the
    # seed does not contain), so a pair is made: QP-T-01 names QP-T-02 (published) and one that is not.
    from generators.check import check_paths
    from generators.source.library import Library
    from generators.render import pages

    minimal = (ROOT / "tests" / "fixtures" / "minimal.yaml").read_text(encoding="utf-8")
    references = ("references:\n  - {number: QP-T-02, title: {zh: 测试程序, en: Test procedure}}\n"
                  "  - {title: {zh: 顾客满意度控制程序, en: Customer Satisfaction Control Procedure}}\n")
    (tmp_path / "qp-t-01.yaml").write_text(minimal.rstrip("\n") + "\n" + references, encoding="utf-8")
    (tmp_path / "qp-t-02.yaml").write_text(minimal.replace("number: QP-T-01", "number: QP-T-02"), encoding="utf-8")
    library = Library(check_paths([str(tmp_path)]).procedures)
    citing = next(p for p in library.procedures if p.number == "QP-T-01")
    refs = pages.procedure_page(library, citing, "zh").split("{ #references }")[1]
    assert "qp-t-02" in refs
    assert "顾客满意度控制程序" in refs and "已引用，未发布" in refs


def test_site_build_with_no_input_changed_runs_no_mkdocs_and_any_change_rebuilds(small_built_site):
    env = dict(os.environ, PYTHONPATH=str(small_built_site), NO_MKDOCS_2_WARNING="1")

    def sitebuild() -> str:
        result = subprocess.run([sys.executable, "-m", "generators.publish.sitebuild"], cwd=small_built_site, env=env,
                                capture_output=True, text=True, timeout=900)
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    home = small_built_site / "site" / "index.html"
    before = home.stat().st_mtime_ns
    assert sitebuild().startswith("site up to date")
    assert home.stat().st_mtime_ns == before  # site/ kept as it was
    page = small_built_site / "docs" / "glossary.zh.md"
    os.utime(page, ns=(page.stat().st_atime_ns, page.stat().st_mtime_ns + 1_000_000_000))  # "edited", same text
    assert "building the site with MkDocs" in sitebuild()
    assert home.stat().st_mtime_ns != before and (small_built_site / "site" / "en" / "index.html").is_file()


def test_compiled_templates_are_kept_between_builds_and_an_edited_template_is_compiled_again(small_built_site):
    cache = small_built_site / ".cache" / "jinja"
    kept = {path.name: path.stat().st_mtime_ns for path in cache.glob("__jinja2_*.cache")}
    assert len(kept) > 10, "the first build kept no compiled templates"
    template = small_built_site / "overrides" / "main.html"
    original = template.read_text(encoding="utf-8")
    template.write_text(original.replace("{% block extrahead %}", "{% block extrahead %}<meta name=\"edited-template\">", 1),
                        encoding="utf-8")
    try:
        env = dict(os.environ, PYTHONPATH=str(small_built_site), NO_MKDOCS_2_WARNING="1")
        result = subprocess.run([sys.executable, "-m", "generators.publish.sitebuild"], cwd=small_built_site, env=env,
                                capture_output=True, text=True, timeout=900)
        assert result.returncode == 0, result.stdout + result.stderr
        for home in ("index.html", "en/index.html"):
            assert '<meta name="edited-template">' in (small_built_site / "site" / home).read_text(encoding="utf-8")
        # Only the edited template was compiled again; Material's came from the cache.
        again = {path.name for path in cache.glob("__jinja2_*.cache") if path.stat().st_mtime_ns != kept.get(path.name)}
        assert len(again) == 1, again
    finally:
        template.write_text(original, encoding="utf-8")


def test_plain_mkdocs_build_of_both_languages_in_one_process_still_works(built_site, tmp_path):
    """The engine stays replaceable: the generated docs/ need nothing but MkDocs, Material, static-i18n
    and the hook; one `mkdocs build --strict` builds both languages (with one combined search index)."""
    env = dict(os.environ, PYTHONPATH=str(built_site), NO_MKDOCS_2_WARNING="1")
    env.pop("PROCEDURES_SITE_LOCALE", None)
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site")],
                            cwd=built_site, env=env, capture_output=True, text=True, timeout=1800)
    assert result.returncode == 0, result.stdout + result.stderr
    site = tmp_path / "site"
    english = (site / "en" / "library" / PROC.slug / "index.html").read_text(encoding="utf-8")
    switch = re.search(r'<div class="md-select__inner">([\s\S]*?)</div>', english)[1]
    assert 'href="../../../library/' + PROC.slug + '/"' in switch
    assert f'url=../#doc-{PROC.documents[0].id}"' in (site / "en" / "library" / PROC.slug / f"doc-{PROC.documents[0].id}"
                                                     / "index.html").read_text(encoding="utf-8")
    locations = [d["location"] for d in _search_index(site)["docs"]]
    assert any(l.startswith("en/") for l in locations) and any(l.startswith("library/") for l in locations)



def test_a_chart_copied_into_a_language_folder_opens_the_same_pages_as_the_root_copy(tmp_path):
    from generators.publish.sitebuild import rebase_copied_charts

    english = '<svg><a xlink:href="../../en/library/s/#step-x"/><a xlink:href="https://x.example/"/><a xlink:href="#c"/></svg>'
    chinese = '<svg><a xlink:href="./#step-x"/><a xlink:href="form-log/"/></svg>'
    for folder in (tmp_path, tmp_path / "en"):
        (folder / "library" / "s").mkdir(parents=True)
        (folder / "library" / "s" / "s_flowchart_en.svg").write_text(english, encoding="utf-8")
        (folder / "library" / "s" / "s_flowchart_zh.svg").write_text(chinese, encoding="utf-8")
    assert rebase_copied_charts(tmp_path, "en/") == 2
    assert (tmp_path / "library" / "s" / "s_flowchart_en.svg").read_text(encoding="utf-8") == english  # root copy kept
    assert (tmp_path / "en" / "library" / "s" / "s_flowchart_en.svg").read_text(encoding="utf-8") == (
        '<svg><a xlink:href="./#step-x"/><a xlink:href="https://x.example/"/><a xlink:href="#c"/></svg>')
    assert (tmp_path / "en" / "library" / "s" / "s_flowchart_zh.svg").read_text(encoding="utf-8") == (
        '<svg><a xlink:href="../../../library/s/#step-x"/><a xlink:href="../../../library/s/form-log/"/></svg>')
