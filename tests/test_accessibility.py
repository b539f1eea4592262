"""Accessibility: axe-core (4.12, bundled by axe-playwright-python) over every page kind, in both
languages and both colour schemes, at a desktop's and a phone's width (pairwise: four runs), in Debian's Chromium. No serious or critical violation is allowed;
colour contrast (WCAG 2 AA, 4.5:1) is one of the serious rules."""
from __future__ import annotations

from pathlib import Path

import pytest

from test_browser import browser, server  # noqa: F401  (module-scoped fixtures)

# One example page of each kind, found in the built site (the first match of each pattern).
PAGE_KINDS = {
    "home": "index.html",
    "master list": "library/index.html",
    "procedure": "library/sales-process-control/index.html",
    "history": "library/*/history/index.html",
    "archived revision": "library/*/history/*/index.html",
    "document": "library/*/doc-*/index.html",
    "form": "library/*/form-*/index.html",
    "checklist": "library/*/checklist-*/index.html",
    "role": "library/roles/*/index.html",
    "role index": "library/roles/index.html",
    "records register": "library/records/index.html",
    "flow matrix": "library/flow-matrix/index.html",
    "reading guide": "how-to-read/index.html",
    "glossary": "glossary/index.html",
}
BLOCKING = {"serious", "critical"}
# The faint 作废 / OBSOLETE watermark is decorative (aria-hidden): the status is also stated in text, in the
# banner at the top of the page, which is checked like everything else.
DECORATIVE = {"exclude": [[".obsolete-stamp"]]}


def example_pages(site: Path) -> dict[str, str]:
    """Kind -> the folder of its first real page: a redirect (a former address, the address of the
    revision a procedure page shows) leads to another page, which is checked as its own kind."""
    found = {}
    for kind, pattern in PAGE_KINDS.items():
        match = next((page for page in sorted(site.glob(pattern)) if b'http-equiv="refresh"' not in page.read_bytes()[:2000]), None)
        if match is not None:
            folder = match.relative_to(site).parent.as_posix()
            found[kind] = "" if folder == "." else folder + "/"
    return found


# Kinds the shared site has no real page of: documents and per-procedure checklists are rows of the
# procedure and role pages now (their addresses redirect there); the shared site's library has no git
# history, so each procedure's only revision is the one its page shows, and has no page of its own.
NOT_IN_THE_SHARED_SITE = {"document", "checklist", "archived revision"}


def test_every_page_kind_is_found_in_the_site(built_site):
    assert set(example_pages(built_site / "site")) == set(PAGE_KINDS) - NOT_IN_THE_SHARED_SITE


# A desktop, and a phone (where tables scroll or turn into cards, and links stack: target sizes).
VIEWPORTS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}


# Pairwise: every value of each of language, colour scheme and width meets every value of the others
# in one of these four runs (all eight took as long as the rest of the browser tests together).
PAIRWISE = [("", "light", "desktop"), ("", "dark", "phone"), ("en/", "light", "phone"), ("en/", "dark", "desktop")]


@pytest.mark.parametrize("language, scheme, viewport", PAIRWISE)
def test_no_serious_or_critical_accessibility_violation_on_any_page_kind(built_site, server, browser, scheme, language,
                                                                          viewport):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    phone = viewport == "phone"
    context = browser.new_context(viewport=VIEWPORTS[viewport], color_scheme=scheme, is_mobile=phone, has_touch=phone)
    page = context.new_page()
    problems = []
    for path in example_pages(built_site / "site").values():
        url = f"{server}/{language}{path}"
        page.goto(url)
        for violation in axe.run(page, context=DECORATIVE).response["violations"]:
            if violation["impact"] in BLOCKING:
                targets = [node["target"] for node in violation["nodes"][:3]]
                problems.append(f"{language}{path}: {violation['id']} ({violation['impact']}) at {targets}")
    context.close()
    assert not problems, "\n".join(problems)
