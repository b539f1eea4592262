"""Tests written to kill surviving mutants (make mutants; tests/mutants-report.md) and to pin the
audit list of issue 19 (tests/audit_breaks.py breaks each of those lines and expects a failure here
or in the test it names). Exact expected values: a test that only checks "something came out"
lets a mutant through."""
from __future__ import annotations

from pathlib import Path

import pytest
from markupsafe import Markup

from conftest import FIXTURES
from generators.changes import compare
from generators.loader import load_bytes
from generators.render import escape
from generators.render.printable import form_rows

GOLDEN_SOURCES = FIXTURES / "golden"


def _load(name: str):
    return load_bytes("escaping.yaml", (GOLDEN_SOURCES / name).read_bytes(), "escaping")[0]


A0, A1 = _load("escaping.a0.yaml"), _load("escaping.a1.yaml")


def test_history_change_list_names_producer_and_recipient_changes():
    assert [c.summary for c in compare(A0, A1)] == [
        {"zh": "生效日期: 2026-01-15 → 2026-12-01", "en": "effective date: 2026-01-15 → 2026-12-01"},
        {"zh": "步骤2 报告 # 1 负责人:文员<甲> → 经理 | 乙",
         "en": 'step 2 (Report # 1 & <sum>) owner: Clerk <A> & "B" → Manager | {B} \\ C'},
        {"zh": "文档 月报<汇总> 编制:文员<甲> → 经理 | 乙",
         "en": 'document Monthly <report> & "summary" producer: Clerk <A> & "B" → Manager | {B} \\ C'},
        {"zh": "文档 月报<汇总> 提交对象:经理 | 乙 → 文员<甲>",
         "en": 'document Monthly <report> & "summary" recipient: Manager | {B} \\ C → Clerk <A> & "B"'},
    ]


def test_no_change_between_a_revision_and_itself():
    assert compare(A1, A1) == []


# --- form_rows: a 12-column grid, the last cell of each row widened to fill it -------------------

class _Field:
    def __init__(self, name: str, width: int):
        self.name, self.width = name, width


class _Form:
    def __init__(self, *widths: int):
        self.fields = [_Field(f"f{i}", w) for i, w in enumerate(widths)]


def _widths(*widths: int) -> list[list[tuple[str, int]]]:
    return [[(field.name, width) for field, width in row] for row in form_rows(_Form(*widths))]


@pytest.mark.parametrize("widths, rows", [
    ((4, 4), [[("f0", 4), ("f1", 8)]]),
    ((6, 8), [[("f0", 12)], [("f1", 12)]]),
    ((6, 6, 3), [[("f0", 6), ("f1", 6)], [("f2", 12)]]),
    ((12,), [[("f0", 12)]]),
    ((0, 20), [[("f0", 12)], [("f1", 12)]]),  # widths clamped to 1..12: 1 + 12 > 12 starts a new row
    ((0, 11), [[("f0", 1), ("f1", 11)]]),
])
def test_form_rows_widen_the_last_cell_of_each_row_to_twelve_columns(widths, rows):
    assert _widths(*widths) == rows


def test_form_rows_of_a_form_without_fields_is_empty():
    assert _widths() == []


# --- escaping: exact output for every special character ------------------------------------------

SPECIALS = "a\\b <c> & \"d\" 'e' [f] {g} |h| `i` *j* _k_ #l !m :n ~o ^p"


def test_md_turns_every_markdown_and_html_special_into_a_numeric_entity():
    assert escape.md(SPECIALS) == Markup("a&#92;b &#60;c&#62; &#38; &#34;d&#34; &#39;e&#39; &#91;f&#93; &#123;g&#125; "
                                         "&#124;h&#124; &#96;i&#96; &#42;j&#42; &#95;k&#95; &#35;l &#33;m &#58;n &#126;o &#94;p")


@pytest.mark.parametrize("text, expected", [
    ("1. x", "1&#46; x"), ("12) y", "12&#41; y"), ("- z", "&#45; z"), ("+ z", "&#43; z"), ("= z", "&#61; z"),
    ("a - b", "a - b"), ("x 1. y", "x 1. y"), ("a\nb  \tc", "a b c"), ("  lead", "lead"),
])
def test_md_escapes_block_starts_only_at_the_start_and_joins_lines(text, expected):
    assert escape.md(text) == Markup(expected)


def test_md_leaves_markup_built_by_the_generator_alone():
    link = Markup('<a href="x">y</a>')
    assert escape.md(link) is link


def test_md_lines_keeps_non_blank_lines_apart_with_br():
    assert escape.md_lines("a<\n\n  \nb&") == Markup("a&#60;<br>b&#38;")
    assert escape.md_lines("") == Markup("")


def test_dot_html_escapes_for_html_like_labels_and_doubles_backslashes():
    assert escape.dot_html(SPECIALS) == ("a\\\\b &lt;c&gt; &amp; &quot;d&quot; &#39;e&#39; &#91;f&#93; {g} |h| `i` *j* "
                                         "_k_ #l !m :n ~o ^p")
    assert escape.dot_html("a\nb  c") == "a b c"


def test_dot_quoted_and_tooltip_quote_for_dot_strings():
    assert escape.dot_quoted(SPECIALS) == '"a\\\\b <c> & \\"d\\" \'e\' [f] {g} |h| `i` *j* _k_ #l !m :n ~o ^p"'
    assert escape.dot_tooltip(SPECIALS) == '"a\u29f5b <c> & \\"d\\" \'e\' [f] {g} |h| `i` *j* _k_ #l !m :n ~o ^p"'
    assert escape.dot_tooltip("a\nb") == '"a b"'


@pytest.mark.parametrize("url", ["./#step-a", "x/y-z/", "#a-b", "doc-x/", "a_b/"])
def test_chart_urls_built_from_ids_pass(url):
    assert escape.chart_url(url) == url and escape.dot_html_url(url) == url
    assert escape.dot_url(url) == f'"{url}"'


@pytest.mark.parametrize("url", ["", "javascript:alert(1)", "http://x", "a b", 'a"b', "../x", "A/", "x#Y"])
def test_chart_urls_from_anything_else_are_refused(url):
    with pytest.raises(ValueError):
        escape.chart_url(url)
    with pytest.raises(ValueError):
        escape.dot_url(url)
