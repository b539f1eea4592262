"""Texts as a QA manager writes them: folded Chinese, plurals of glossary terms (issue 29)."""
from __future__ import annotations

from generators.rules.terminology import _follows
from generators.source.yamltree import parse, to_python


def _read(text: str) -> dict:
    tree, diags = parse("t.yaml", text.encode("utf-8"))
    assert diags == []
    return to_python(tree)


def test_a_folded_block_puts_no_space_between_chinese_characters():
    data = _read("a: >-\n  不合格品由质检员标识，\n  隔离并记录。\n")
    assert data["a"] == "不合格品由质检员标识，隔离并记录。"


def test_a_plain_text_over_two_lines_joins_chinese_without_a_space_and_keeps_english_words_apart():
    data = _read("b: 两行\n  文字 and English\n  words\n")
    assert data["b"] == "两行文字 and English words"


def test_a_literal_block_and_a_one_line_text_are_kept_as_written():
    data = _read("c: |\n  保留\n  换行\nd: 同一行 有空格\n")
    assert data == {"c": "保留\n换行\n", "d": "同一行 有空格"}


def test_a_plural_of_a_glossary_term_follows_the_glossary():
    assert _follows("Issue controlled copies", ("controlled copy",))
    assert _follows("Nonconforming products are held", ("nonconforming product",))
    assert _follows("Both processes", ("process",))
    assert not _follows("The copy is kept", ("controlled copy",))
