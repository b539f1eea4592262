"""Every text field of a procedure filled with hostile payloads: the site builds, shows them as
text, and no injected script runs, no dialog opens and no request leaves the site (Chromium)."""
from __future__ import annotations

import functools
import http.server
import threading
from urllib.parse import urlparse

import pytest
import yaml

from conftest import PUBLISHED, build_site, copy_project
from test_browser import CHROMIUM, CHROMIUM_ARGS

PAYLOAD = ('</title></textarea></style><script>window.__pwned=0</script> <script>window.__pwned=1</script> <img src=x onerror="window.__pwned=2"> <svg onload="window.__pwned=3"> '
           '" onmouseover="window.__pwned=4" \' [click](javascript:window.__pwned=5) ![x](http://evil.example/x.png) '
           '<a href="javascript:window.__pwned=6">a</a> <style>body{display:none}</style> <iframe src="http://evil.example/"></iframe> '
           '{{ 7*7 }} {% raw %} {#x#} **b** | c | `d` \\N \\G ]]> & &amp; <!-- --8<-- "/etc/passwd" :material-alert: {: .x } '
           '<meta http-equiv="refresh" content="0;url=http://evil.example/"> ../../etc ..\\..\\x')


def _poison(node):
    """Append the payload to every bilingual text and every free-text name."""
    if isinstance(node, dict):
        if set(node) == {"zh", "en"} and all(isinstance(v, str) for v in node.values()):
            return {"zh": f"{node['zh']} {PAYLOAD}", "en": f"{node['en']} {PAYLOAD}"}
        return {k: (f"{v} {PAYLOAD}" if k in ("name", "changed_by", "reviewed_by", "approved_by") and isinstance(v, str)
                    else _poison(v)) for k, v in node.items()}
    if isinstance(node, list):
        return [_poison(v) for v in node]
    return node


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

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(hostile_site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    pages = sorted(p.relative_to(hostile_site).as_posix() for p in hostile_site.rglob("index.html"))
    dialogs, leaks, pwned = [], [], []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))

            def route(r):
                if urlparse(r.request.url).hostname not in ("127.0.0.1", None):
                    leaks.append(r.request.url)
                    return r.abort()
                return r.continue_()

            page.route("**/*", route)
            for path in pages:
                page.goto(f"{base}/{path}", wait_until="load")
                page.mouse.move(200, 300)
                page.mouse.move(600, 500)
                if page.evaluate("typeof window.__pwned") != "undefined":
                    pwned.append(path)
            browser.close()
    finally:
        httpd.shutdown()
    assert len(pages) > 50
    assert not dialogs and not leaks and not pwned, (dialogs[:3], leaks[:3], pwned[:3])
