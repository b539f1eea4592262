"""Generated Markdown, compared with golden files (refresh: pytest --update-golden, then review the diff)."""
from __future__ import annotations

import pytest

from conftest import FIXTURES, ROOT
from generators.library import Library
from generators.loader import load_file
from generators.render import pages

GOLDEN = ROOT / "tests" / "golden"
PROC = load_file(FIXTURES / "minimal.yaml")[0]
LIBRARY = Library([PROC])

PAGES = {
    "procedure": lambda lang: pages.procedure_page(LIBRARY, PROC, lang),
    "form": lambda lang: pages.form_page(LIBRARY, PROC, PROC.forms[0], lang),
    "role": lambda lang: pages.role_page(LIBRARY, "clerk", lang),
    "master-list": lambda lang: pages.master_list(LIBRARY, lang),
}


@pytest.mark.parametrize("kind", list(PAGES))
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_generated_markdown_matches_golden(kind, lang, update_golden):
    text = PAGES[kind](lang)
    golden = GOLDEN / f"minimal.{kind}.{lang}.md"
    if update_golden:
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


def test_every_step_is_on_the_page_with_its_owner_linked():
    text = pages.procedure_page(LIBRARY, PROC, "en")
    for step in PROC.steps:
        assert f"### {step.number}. {step.title.en} {{ #step-{step.id} }}" in text
    assert "[Clerk](../roles/clerk.md)" in text


def test_a_stated_self_approval_reason_is_shown_beside_the_approval_block():
    from dataclasses import replace

    from generators.model import Text

    proc = replace(PROC, self_approval_reason=Text("本部门仅一名人员。", "The department has one person.", PROC.pos))
    for lang, reason in (("zh", "本部门仅一名人员。"), ("en", "The department has one person.")):
        text = pages.procedure_page(Library([proc]), proc, lang)
        header = text[text.index('<table class="doc-control">'):text.index("</table>")]
        assert reason in header
    assert "Why one person drafts and approves" not in pages.procedure_page(LIBRARY, PROC, "en")
