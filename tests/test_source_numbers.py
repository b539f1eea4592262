"""Clause numbers are the source's, exactly: never one of ours beside them, and on an English page the
source's Chinese ordinals in the English way (一、 → 1.). The shipped procedures, rendered by the build's
own page function."""
from __future__ import annotations

import re

import pytest
from markupsafe import Markup

from conftest import ROOT
from generators.render import pages
from generators.render.outline import clauses, shown_number
from generators.source.library import Library
from generators.source.loader import load_file, load_shared

FOLDER = ROOT / "procedure"
SHARED = load_shared(FOLDER)[0]
LIBRARY = Library([p for p in (load_file(f, SHARED)[0] for f in sorted(FOLDER.glob("[!_]*.yaml"))) if p is not None])


def procedure(number: str):
    return next(p for p in LIBRARY.procedures if p.number == number)


def page(number: str, lang: str) -> str:
    return pages.procedure_page(LIBRARY, procedure(number), lang, chart=Markup("<svg></svg>")).replace("&#46;", ".")


def source_numbers(items) -> list[str]:
    found = []
    for item in items:
        if item.number:
            found.append(item.number)
        found += source_numbers(item.items)
    return found


def test_every_printed_clause_number_of_every_procedure_is_one_the_source_gives():
    for proc in LIBRARY.procedures:
        given = set(source_numbers(proc.clauses))
        shown = [item.number for item in clauses(proc.clauses, "3") if item.number]
        assert set(shown) <= given, (proc.number, sorted(set(shown) - given))
        assert len(shown) == len(source_numbers(proc.clauses)), proc.number  # none lost either


def test_an_unnumbered_item_under_a_numbered_clause_gets_no_invented_number():
    text = page("QP-XS-02", "zh")
    assert "1.2.1" not in text and "1.1.1" not in text
    assert "1.2" in text and "1.3" in text


def test_an_english_page_shows_the_sources_chinese_ordinals_the_english_way():
    english, chinese = page("SD-11", "en"), page("SD-11", "zh")
    body = english[english.index("{ #revision-log }"):]  # the log's own words may cite the original
    body = body[body.index("\n## "):]
    assert not re.search(r"^#+ [^\n]*[一二三]、", body, re.M) and 'clause__no">一' not in body
    assert re.search(r"^### 1\. ", english, re.M) and "3.一、" not in english and "3.一、" not in chinese
    assert re.search(r"^### 一、 ", chinese, re.M)
    assert "Clause 1.1." in english and "Clause 一、" not in english


def test_a_group_with_no_number_title_or_text_prints_nothing_of_its_own():
    text = page("SD-14", "zh")
    assert not re.search(r"^### 3\.1\s*$", text, re.M) and "3.1.1" not in text


@pytest.mark.parametrize("number, english", [("一、", "1."), ("（二）", "(2)"), ("第十七条", "Article 17"),
                                             ("第一章", "Chapter 1"), ("一、3.", "1.3."), ("4.2.1", "4.2.1"), ("a)", "a)")])
def test_chinese_ordinals_read_the_english_way_and_others_stay_as_written(number, english):
    assert shown_number(number, "en") == english and shown_number(number, "zh") == number
