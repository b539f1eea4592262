"""Interface labels: every key in both languages, Chinese with full-width punctuation (GB/T 15834)."""
from __future__ import annotations

import re

from generators.source.labels import LABELS

CJK = r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]"
# Half-width , ; : ( ) " ? ! touching a Chinese character (codes such as "QP-XS-01" or "A/2" stay half-width).
HALF_WIDTH_BESIDE_CJK = re.compile(rf"(?<={CJK})\s*[,;:()\"?!]|[,;:()\"?!]\s*(?={CJK})")


def test_every_label_has_chinese_and_english():
    missing = [key for key, text in LABELS.items() if not (text.get("zh") and text.get("en"))]
    assert not missing


def test_chinese_labels_use_full_width_punctuation_beside_chinese_characters():
    wrong = {key: text["zh"] for key, text in LABELS.items() if HALF_WIDTH_BESIDE_CJK.search(text["zh"])}
    assert not wrong


def test_the_punctuation_check_itself_flags_half_width_and_passes_codes():
    assert HALF_WIDTH_BESIDE_CJK.search("本程序以中文版为准;英文版为译文")
    assert HALF_WIDTH_BESIDE_CJK.search("A(数量)")
    assert not HALF_WIDTH_BESIDE_CJK.search("编号 QP-XS-01，版号 A/2（现行）")


# --- Generated Chinese pages: the labels and templates around the sources' texts -----------------
# The golden library (tests/test_pages.py) renders every page kind from a procedure committed at two
# versions, so the history's change list, the comparison and the form's version history are there too.
# Every text of the sources is replaced by a Chinese stand-in before the scan: what is left beside it
# is what the generator wrote, and the punctuation it puts beside Chinese must be full-width.

import html  # noqa: E402

import pytest  # noqa: E402
import yaml  # noqa: E402

from conftest import FIXTURES, ROOT  # noqa: E402
from test_pages import rendered  # noqa: E402,F401  (module-scoped fixture: every golden page)

SOURCE_STAND_IN = "〇"
ENGLISH_STAND_IN = "Abc"
_STYLE = re.compile(r"<style\b.*?</style>", re.S)
_TAG = re.compile(r"</?[a-zA-Z][^<>]*>")
_ICON = re.compile(r":(?:material|octicons|fontawesome)-[a-z0-9-]+:")
_ATTR_LIST = re.compile(r"\{\s*[#.][^{}]*\}")
_ADMONITION = re.compile(r'^(\s*)(?:!!!|\?\?\?)\+?\s+[\w-]+(?:\s+[\w-]+)*\s+"(.*)"\s*$', re.M)
_FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.S)
_LINK_TARGET = re.compile(r"(?<=\])\([^()\s]*\)")


def _strings(node):
    if isinstance(node, dict):
        for value in node.values():
            yield from _strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value)
    elif isinstance(node, str):
        yield node


GOLDEN_SOURCE_TEXTS = sorted(
    {s for name in ("escaping.a0.yaml", "escaping.a1.yaml")
     for s in _strings(yaml.safe_load((FIXTURES / "golden" / name).read_text(encoding="utf-8")))
     if re.search(CJK, s) or " " in s},  # Chinese texts, and English ones (printed forms show both)
    key=len, reverse=True)


def generated_text(markdown: str, source_texts=GOLDEN_SOURCE_TEXTS) -> str:
    """The words a reader sees on a generated page, each source text replaced by a Chinese stand-in."""
    text = _FRONT_MATTER.sub("", markdown)
    text = _TAG.sub(" ", _STYLE.sub("", text))
    text = _ADMONITION.sub(r"\1\2", _ATTR_LIST.sub("", _ICON.sub("", _LINK_TARGET.sub("", text))))
    text = html.unescape(text)
    for source in source_texts:
        text = text.replace(source, SOURCE_STAND_IN if re.search(CJK, source) else ENGLISH_STAND_IN)
    return text


def half_width_beside_chinese(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if HALF_WIDTH_BESIDE_CJK.search(line)]


def test_generated_chinese_pages_use_full_width_punctuation_around_labels(rendered):
    scanned = [path for path in rendered if path.endswith(".zh.md")]
    assert len(scanned) >= 10, scanned
    wrong = {path: half_width_beside_chinese(generated_text(rendered[path])) for path in scanned}
    wrong = {path: lines for path, lines in wrong.items() if lines}
    assert not wrong


def test_the_page_scan_finds_a_half_width_colon_after_a_label_but_not_markup_or_source_text():
    assert half_width_beside_chinese(generated_text("行数: 5\n")) == ["行数: 5"]
    assert half_width_beside_chinese(generated_text("# 修订历史: 测试&#60;程序&#62;&#38;“引号”\n")) == ["# 修订历史: 〇"]
    assert half_width_beside_chinese(generated_text("- 文档 月报&#60;汇总&#62; 编制:文员&#60;甲&#62;\n")) == ["- 文档 〇 编制:〇"]
    clean = ('---\ntitle: 测试\n---\n!!! danger "作废：说明"\n[:material-history: 查看修订历史](history.md){ .md-button }\n'
             '<span class="doc-control__date">（状态截至 2027-01-01）</span>\n另见：[最近修订](library/changes.md)、[术语表](glossary.md)。\n')
    assert half_width_beside_chinese(generated_text(clean)) == []


@pytest.mark.parametrize("page", sorted((ROOT / "docs").glob("*.zh.md")), ids=lambda p: p.name)
def test_hand_written_chinese_pages_use_full_width_punctuation(page):
    assert half_width_beside_chinese(generated_text(page.read_text(encoding="utf-8"), ())) == []


def test_printed_chinese_checklists_and_forms_use_full_width_punctuation():
    from generators.source.library import Library
    from generators.source.loader import load_bytes
    from generators.render import printable

    proc = load_bytes("escaping.yaml", (FIXTURES / "golden" / "escaping.a1.yaml").read_bytes(), "escaping")[0]
    library = Library([proc])
    printed = [printable.form_html(proc, form, "zh", "2027-01-01") for form in proc.forms]
    for role_id, role in library.roles.items():
        printed.append(printable.checklist_html(role, list(library.duties(role_id)), "zh", "2027-01-01"))
    wrong = [line for html_text in printed for line in half_width_beside_chinese(generated_text(html_text))]
    assert len(printed) == 3 and not wrong, wrong
