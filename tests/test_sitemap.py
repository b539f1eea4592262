"""site_url from the environment, a correct sitemap, and a sitemap at each language's root."""
from __future__ import annotations

import os
import re
import subprocess
import sys

from conftest import ROOT
from generators.publish.sitemap import language_sitemap, merged_sitemap

DEFAULT_SITE_URL = "http://127.0.0.1:8000/"  # mkdocs.yml, when SITE_URL is not set (make serve's address)


def _site_url_with(env_value: str | None) -> str:
    env = {k: v for k, v in os.environ.items() if k != "SITE_URL"}
    if env_value is not None:
        env["SITE_URL"] = env_value
    code = "from mkdocs.config import load_config; print(load_config('mkdocs.yml')['site_url'])"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=dict(env, PYTHONPATH=str(ROOT)),
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_site_url_comes_from_the_environment_with_a_local_default():
    assert _site_url_with("https://qa.example.com/procedures/") == "https://qa.example.com/procedures/"
    assert _site_url_with(None) == DEFAULT_SITE_URL


def test_language_sitemap_keeps_only_the_urls_under_the_language_root():
    sitemap = """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
    <url>
        <loc>https://x.example/docs/a/</loc>
    </url>
    <url>
        <loc>https://x.example/docs/en/a/</loc>
    </url>
    <url>
        <loc>https://x.example/docs/english/</loc>
    </url>
</urlset>
"""
    english = language_sitemap(sitemap, "https://x.example/docs/en/")
    assert re.findall(r"<loc>(.*?)</loc>", english) == ["https://x.example/docs/en/a/"]
    assert english.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<urlset') and english.endswith("</urlset>\n")


def test_root_sitemap_gets_every_entry_of_the_languages_built_apart_once():
    head = '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
    chinese = head + "\n    <url>\n        <loc>https://x.example/a/</loc>\n    </url>\n</urlset>\n"
    english = head + ("\n    <url>\n        <loc>https://x.example/en/a/</loc>\n    </url>"
                      "\n    <url>\n        <loc>https://x.example/a/</loc>\n    </url>\n</urlset>\n")
    merged = merged_sitemap(chinese, [english])
    assert re.findall(r"<loc>(.*?)</loc>", merged) == ["https://x.example/a/", "https://x.example/en/a/"]
    assert merged.startswith(head) and merged.endswith("</urlset>\n") and merged.count("<urlset") == 1
    assert merged_sitemap(head + "\n</urlset>\n", [english]).count("</urlset>") == 1


def test_sitemap_lists_every_page_at_its_full_address_in_both_languages(built_site):
    site = built_site / "site"
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    locations = re.findall(r"<loc>(.*?)</loc>", sitemap)
    addresses = locations + re.findall(r'hreflang="\w+" href="([^"]*)"', sitemap)
    assert "None" not in sitemap
    assert all(a.startswith(DEFAULT_SITE_URL) and "/./" not in a for a in addresses), \
        [a for a in addresses if not a.startswith(DEFAULT_SITE_URL) or "/./" in a][:5]
    # Redirect pages (addresses published before, now rows of fuller pages) are not pages to index, nor
    # pages that ask search engines not to (archived, pending, withdrawn revisions: not what is in force).
    texts = {DEFAULT_SITE_URL + html.relative_to(site).as_posix().removesuffix("index.html"): html.read_text(encoding="utf-8")
             for html in site.rglob("index.html")}
    pages = {address for address, text in texts.items()
             if 'http-equiv="refresh"' not in text[:1000] and '<meta name="robots" content="noindex' not in text}
    assert len(pages) < len(texts) and any("/history/" in address for address in pages)  # both kinds exist
    assert set(locations) == pages
    english = re.findall(r"<loc>(.*?)</loc>", (site / "en" / "sitemap.xml").read_text(encoding="utf-8"))
    assert set(english) == {p for p in pages if p.startswith(DEFAULT_SITE_URL + "en/")} and english


def test_pages_name_the_language_roots_as_alternates(built_site):
    """Material fetches <alternate>/sitemap.xml: alternates must be folders that hold one."""
    site = built_site / "site"
    for html in [site / "library" / "sales-process-control" / "index.html", site / "en" / "glossary" / "index.html",
                 site / "404.html"]:
        text = html.read_text(encoding="utf-8")
        alternates = re.findall(r'<link rel="alternate" href="([^"]*)" hreflang="(\w+)">', text)
        assert {lang for _, lang in alternates} == {"zh", "en"}, html
        for href, lang in alternates:
            base = site if href.startswith("/") else html.parent
            assert (base / href.lstrip("/") / "sitemap.xml").resolve() == (
                site / ("" if lang == "zh" else lang) / "sitemap.xml").resolve(), (html, href)


def test_the_address_of_the_revision_a_procedure_page_shows_sends_readers_to_that_page_at_once(built_site):
    """That revision has no second copy of the procedure page (render/site.py): its permanent address
    is a page whose head moves the browser on before it loads anything, out of search engines."""
    from generators.source.paths import version_slug

    site = built_site / "site"
    for folder in ("", "en/"):
        procedure = (site / folder / "library" / "sales-process-control" / "index.html").read_text(encoding="utf-8")
        shown = re.search(r"<th>(?:版号|Version)</th><td>(A/\d+)</td>", procedure)[1]
        address = site / folder / "library" / "sales-process-control" / "history" / version_slug(shown) / "index.html"
        text = address.read_text(encoding="utf-8")
        head = text.split("</head>", 1)[0]
        assert '<meta http-equiv="refresh" content="0; url=../../">' in head and 'content="noindex"' in head
        assert "<script" not in text and "stylesheet" not in text
        assert 'href="../../"' in text.split("<body>", 1)[1]  # for a browser that does not move on
