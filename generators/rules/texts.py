"""Text rules: English is a translation (not a copy, no Chinese in it), no placeholder is published
(an author's is an error; a source's own, such as 某某集团, a warning until quoted as such), and
Chinese uses full-width punctuation between Chinese characters and the quotation marks “…”, not
straight ones.

Every bilingual text of a procedure is visited once, with a reader's name for where it is; a marked
gap is checked by its note (the note is what gets published).
"""
from __future__ import annotations

import dataclasses
import re

from ..source.diagnostics import error, warning
from ..source.model import Gap, Procedure, Section, Text
from ..source.placeholders import find as source_placeholder
from .registry import rule
from .gaps import is_item, item_name

_SKIP = {"pos", "owner_pos", "outputs_pos", "key_pos", "shared", "missing"}

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_HAS_CJK = re.compile(f"[{CJK}]")


def walk_texts(value, where: str = "", field: str = ""):
    """Every bilingual text in a model value: (text, where, field). A gap yields its note."""
    if isinstance(value, Gap):
        yield value.note, where, field
    elif isinstance(value, Text):
        yield value, where, field
    elif isinstance(value, Section):
        if value.gap is not None:
            yield value.gap.note, where, field
        for item in value.items:
            yield from walk_texts(item, where, field)
    elif dataclasses.is_dataclass(value):
        inner = where if isinstance(value, Procedure) else (item_name(value) if not where or is_item(value) else where)
        for f in dataclasses.fields(value):
            if f.name in _SKIP:
                continue
            child = getattr(value, f.name)
            yield from walk_texts(child, inner, f.name if not is_item(child) else field)
    elif isinstance(value, (tuple, list)):
        for item in value:
            yield from walk_texts(item, where, field)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from walk_texts(item, where, str(key))


def _place(where: str, field: str) -> str:
    return ": ".join(p for p in (where, field.replace("_", " ")) if p)


# Quoted words are the source's own, cited (a revision entry says what the original wrote): allowed.
_QUOTED = re.compile(r'"[^"]*"|“[^”]*”|‘[^’]*’|《[^》]*》|「[^」]*」|\'[^\']*\'')


def unquoted(text: str) -> str:
    return _QUOTED.sub("", text)


def _in_log(where: str) -> bool:
    """A revision-log entry: it reports what the Chinese original wrote, so it may cite it."""
    return where.startswith("revision ")


# The English a Word import (python -m generators import) leaves for the translator: the Chinese is
# transcribed as written, the English is this marker until someone translates it.
UNTRANSLATED = "[untranslated]"


def untranslated(proc: Procedure):
    for text, where, field in walk_texts(proc):
        if not text.zh or not text.en:
            continue  # text-bilingual reports a missing language
        if text.en.strip() == UNTRANSLATED:
            yield error(text.pos, "untranslated", f"{_place(where, field)}: not translated yet: '{text.zh[:40]}'",
                        f"write the English translation of the Chinese in 'en' in place of {UNTRANSLATED}")
        elif text.en == text.zh and _HAS_CJK.search(text.zh):
            yield error(text.pos, "untranslated", f"{_place(where, field)}: the English is a copy of the Chinese '{text.zh}'",
                        "write the English translation in 'en'")
        elif not _in_log(where) and _HAS_CJK.search(unquoted(text.en)):
            found = "".join(_HAS_CJK.findall(unquoted(text.en)))[:12]
            yield error(text.pos, "untranslated", f"{_place(where, field)}: the English text contains Chinese characters ('{found}')",
                        "translate every word into English; the Chinese text is in 'zh'")


# What an author leaves to fill in later: prompts in angle brackets, to-do markers, xxx, blanks.
PLACEHOLDERS = re.compile(
    r"<\s*(?:enter|insert|fill|add|填写|输入|请)[^<>]{0,40}>"  # <enter KPIs>, <填写目标>
    r"|\b(?:TODO|FIXME|TBD|TBC)\b"
    r"|(?<![A-Za-z])[xX]{3,}(?![A-Za-z])"  # xxx, but not a name such as XXXERP in the source
    r"|_{3,}"
    r"|待补充|待填写|请填写|此处填写|(?<![^\s，。：；、（）])待定(?![^\s，。：；、（）])",
    re.IGNORECASE)


def placeholders(proc: Procedure):
    for text, where, field in walk_texts(proc):
        if _in_log(where):
            continue  # an entry may cite the original's own placeholder ("XXXX" in its number)
        for lang in ("zh", "en"):
            match = PLACEHOLDERS.search(unquoted(getattr(text, lang)))
            if match:
                yield error(text.pos, "placeholder", f"{_place(where, field)}: placeholder '{match.group(0)}' in the {'Chinese' if lang == 'zh' else 'English'} text",
                            "write what the source says; where it says nothing, mark the gap: {gap: {zh: …, en: …}}")
                break


# A file of the library's sources (shared.yaml, a procedure's .yml) named in a text readers see.
# ASCII only: a Chinese character is a word character to re, and "声明_shared.yaml中" names the file too.
SOURCE_FILE_NAME = re.compile(r"(?<![A-Za-z0-9_.-])[A-Za-z0-9_.-]*[A-Za-z0-9_]\.ya?ml(?![A-Za-z0-9_])", re.IGNORECASE)


def source_file_names(proc: Procedure):
    """Readers see names, never file names: in every text, revision entries included (an entry is
    published as it is; a file name in an approved one is corrected with a deviation record)."""
    for text, where, field in walk_texts(proc):
        for lang in ("zh", "en"):
            match = SOURCE_FILE_NAME.search(getattr(text, lang))
            if match:
                yield error(text.pos, "file-name-in-text",
                            f"{_place(where, field)}: the {'Chinese' if lang == 'zh' else 'English'} text names the "
                            f"source file '{match.group(0)}', which readers do not know",
                            "say in words readers know what the file holds (the shared declarations; a procedure by its "
                            "number and title)")
                break


def source_placeholders(proc: Procedure):
    for text, where, field in walk_texts(proc):
        if _in_log(where):
            continue  # an entry cites the original's placeholder to say what was decided about it
        for lang in ("zh", "en"):
            match = source_placeholder(unquoted(getattr(text, lang)))
            if match:
                yield warning(text.pos, "source-placeholder",
                              f"{_place(where, field)}: '{match.group(0)}' stands in for a name the source does not give; "
                              f"published as it is, it reads as a real name",
                              "in a new revision, quote it as the source's placeholder (原文作“某某集团”，名称未写明) "
                              "and record the decision in the revision entry")
                break


_HALF = ",.:;!?()"
_FULL = {",": "，", ".": "。", ":": "：", ";": "；", "!": "！", "?": "？", "(": "（", ")": "）"}
_CJK_SIDE = f"{CJK}\u3000-\u303f\uff00-\uffef"  # Chinese characters and full-width punctuation
_BETWEEN = re.compile(f"(?<=[{_CJK_SIDE}])[ ]*([{re.escape(_HALF)}])[ ]*(?=[{_CJK_SIDE}])")
# Parentheses round Chinese text are full-width, both of them, whatever stands outside them: one
# made full-width alone would leave a mixed pair such as "（见附件A)". A lone ")" after Chinese
# (an item number such as "一)") is full-width too.
_PAIR = re.compile(f"\\(([^()]*[{CJK}][^()]*)\\)")
_CLOSE = re.compile(f"(?<=[{CJK}])\\)")


# Straight double quotes in a Chinese text are the quotation marks “…” (GB/T 15834), whatever they
# enclose ("XXXX" in a cited number too). They pair in order, first with second, third with fourth;
# an odd count is left as it is: which one is unpaired (an opening quote never closed, an inch mark)
# cannot be told, so a rewrite could pair the wrong ones.
_STRAIGHT = re.compile(r'"([^"]*)"')


def straight_quotes(text: str) -> tuple[int, int]:
    """(position of the first straight double quote, how many) in a Chinese text; (-1, 0) if none."""
    if '"' not in text or not _HAS_CJK.search(text):
        return -1, 0
    return text.index('"'), text.count('"')


def curly_quotes(text: str) -> str:
    """Each pair of straight double quotes in a Chinese text made “…”; an odd count is left alone."""
    first, count = straight_quotes(text)
    if count == 0 or count % 2:
        return text
    return _STRAIGHT.sub("“\\1”", text)


def _half_width(text: str) -> str:
    while True:  # each pass can make a neighbour Chinese: "(含定金):按" needs the ")" first, then the ":"
        fixed = _CLOSE.sub("）", _BETWEEN.sub(lambda m: _FULL[m.group(1)], _PAIR.sub(r"（\1）", text)))
        if fixed == text:
            return text
        text = fixed


def full_width(text: str) -> str:
    """Half-width punctuation between Chinese characters made full-width, and paired straight quotes
    in Chinese text made “…” (the `fix` command's rewrite)."""
    return _half_width(curly_quotes(text))


def chinese_punctuation(proc: Procedure):
    for text, where, field in walk_texts(proc):
        if _in_log(where):
            continue  # an approved entry is never rewritten (change control): only new text is held to it
        fixed = _half_width(text.zh)
        if fixed != text.zh:
            first = next(i for i, (a, b) in enumerate(zip(text.zh, fixed)) if a != b)
            excerpt = text.zh[max(0, first - 4): first + 5]
            yield warning(text.pos, "cjk-punctuation",
                          f"{_place(where, field)}: half-width punctuation in Chinese text ('{excerpt}')",
                          "Chinese uses full-width punctuation (，。：；（）): run 'make fix FILE=" + text.pos.path + "' to rewrite it")
        first, count = straight_quotes(text.zh)
        if count:
            excerpt = text.zh[max(0, first - 4): first + 9]
            if count % 2:
                yield warning(text.pos, "cjk-punctuation",
                              f"{_place(where, field)}: unpaired straight quote in Chinese text ('{excerpt}')",
                              "Chinese uses the quotation marks “…”: write them by hand ('make fix FILE="
                              + text.pos.path + "' rewrites only quotes that pair)")
            else:
                yield warning(text.pos, "cjk-punctuation",
                              f"{_place(where, field)}: straight quotes in Chinese text ('{excerpt}')",
                              "Chinese uses the quotation marks “…”: run 'make fix FILE=" + text.pos.path + "' to rewrite them")


# Registered here rather than with @rule: mutation testing (make mutants) cannot mutate a decorated function.
rule(untranslated, placeholders, source_file_names, source_placeholders, chinese_punctuation)
