"""Terminology across the library: a glossary term is translated as the glossary says, everywhere.

The glossary is the project's hand-written one (docs/glossary.zh.md: | 中文 | English |), which
follows GB/T 19001 ↔ ISO 9001. A Chinese term whose English somewhere lacks the glossary's
translation is a warning that names the place and, when there is one, a place that follows the
glossary: the same term translated two ways is what readers and auditors trip over.
"""
from __future__ import annotations

import re
import weakref
from functools import lru_cache
from pathlib import Path

from ..source.diagnostics import Diagnostic, warning
from ..source.model import Procedure
from .texts import walk_texts

GLOSSARY = Path(__file__).resolve().parents[2] / "docs" / "glossary.zh.md"

# Two-character words also in everyday use (保持 "keep", 记录 "note down", 程序 "program"…): only
# longer terms, and 评审 (review, not audit), are held to the glossary.
_ALWAYS = {"评审"}
# Terms the glossary defines for one context only (负责人: the owner column of a step table; in running
# text it is whoever is in charge, e.g. 销售部负责人 Head of Sales).
_CONTEXTUAL = {"负责人"}
_PAREN = re.compile(r"\s*[（(][^）)]*[）)]")


def read_glossary(path: Path = GLOSSARY) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(Chinese term, accepted English renderings) for each term the rule checks."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return ()
    terms: dict[str, list[str]] = {}
    for line in lines:
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 2 or not re.search(r"[\u4e00-\u9fff]", cells[0]):  # the header's rule, a note
            continue
        zh_parts = [_PAREN.sub("", p).strip() for p in re.split(r"\s*/\s*", cells[0])]
        en_parts = [_PAREN.sub("", p).strip().lower() for p in re.split(r"\s*/\s*", cells[1])]
        pairs = zip(zh_parts, en_parts) if len(zh_parts) == len(en_parts) else ((z, e) for z in zh_parts for e in en_parts)
        for zh, en in pairs:
            if zh and en and (len(zh) >= 3 or zh in _ALWAYS) and zh not in _CONTEXTUAL:
                terms.setdefault(zh, []).append(en)
    return tuple((zh, tuple(dict.fromkeys(en))) for zh, en in terms.items())


# Cached by call, not with @lru_cache: mutation testing skips decorated functions.
glossary = lru_cache(maxsize=4)(read_glossary)


def _follows(english: str, renderings: tuple[str, ...]) -> bool:
    text = english.lower()
    # "review" also matches "reviews", "reviewed"; a plural of the last word is the same term.
    return any(r in text or r.rstrip("s") in text for r in renderings)


def _without(text: str, terms: list[str]) -> str:
    for term in sorted(terms, key=len, reverse=True):
        text = text.replace(term, "\0")
    return text


# The texts of each procedure, by the procedure object: `make serve`'s worker checks the library
# after every edit with the unchanged procedures' objects kept (generators/incremental.py). By
# identity (a procedure's hash walks all of it); an entry goes when its procedure does.
_TEXTS: dict[int, tuple["weakref.ref", list]] = {}


def _bilingual_texts(proc: Procedure) -> list:
    """(text, where it is) of every text of ``proc`` in both languages, the revision log left out."""
    kept = _TEXTS.get(id(proc))
    if kept is not None and kept[0]() is proc:
        return kept[1]
    # The revision log is left out: its entries cite the original's own words.
    texts = [(text, ": ".join(p for p in (where, field.replace("_", " ")) if p))
             for text, where, field in walk_texts(proc) if text.zh and text.en and not where.startswith("revision ")]
    key = id(proc)
    _TEXTS[key] = (weakref.ref(proc, lambda _, key=key: _TEXTS.pop(key, None)), texts)
    return texts


def check(procedures: list[Procedure], path: Path = GLOSSARY) -> list[Diagnostic]:
    terms = glossary(path)
    if not terms:
        return []
    diags: list[Diagnostic] = []
    texts = [item for proc in procedures for item in _bilingual_texts(proc)]
    for zh, renderings in terms:
        # A term met only inside a longer glossary term (评审 in 合同评审) is that term's business.
        longer = [other for other, _ in terms if zh in other and other != zh]
        using = [(t, w) for t, w in texts if zh in t.zh and zh in _without(t.zh, longer)]  # the first test is only fast
        good = next(((t, w) for t, w in using if _follows(t.en, renderings)), None)
        for text, where in using:
            if _follows(text.en, renderings):
                continue
            also = f"; it is '{renderings[0]}' at {good[0].pos}" if good else ""
            diags.append(warning(text.pos, "terminology",
                                 f"{where + ': ' if where else ''}'{zh}' is not translated as the glossary's '{renderings[0]}'{also}",
                                 f"use '{renderings[0]}' (docs/glossary.zh.md); if the glossary is wrong for this use, "
                                 "correct the glossary"))
    return diags
