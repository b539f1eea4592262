"""Text in the other language, marked as such: on an English page each run of Chinese (a person's name,
a quoted original) is wrapped in ``<span lang="zh-CN">``, so browsers draw it with Chinese glyph forms
(without it, a page in ``lang="en"`` gets Japanese forms from the CJK font) and screen readers read it
in Chinese; on a Chinese page each run of English words (a quoted English title, a glossary's English
term) in ``<span lang="en">``, so a screen reader reads it in English, not letter by letter in Chinese. Pure: page HTML in, page HTML out; only text between tags changes, never a tag, an
attribute, or the inside of ``<script>``, ``<style>``, ``<svg>``, ``<code>``, ``<pre>`` or ``<title>``."""
from __future__ import annotations

import re

_SKIPPED = re.compile(r"(<(script|style|svg|code|pre|title|textarea)\b.*?</\2\s*>)", re.S | re.I)
_TEXT = re.compile(r"(?:^|(?<=>))[^<]+")
# Han, CJK punctuation and full-width forms, with any spaces or ASCII digits between two of them.
_CJK = "\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
_RUN = re.compile(rf"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef][{_CJK}0-9]*(?:[ ·][{_CJK}]+)*")


def _mark(text: re.Match) -> str:
    return _RUN.sub(lambda run: f'<span lang="zh-CN">{run[0]}</span>', text[0])


def mark_chinese(html: str) -> str:
    """``html`` of an English page with each run of Chinese text marked ``lang="zh-CN"``."""
    parts = _SKIPPED.split(html)  # text, skipped element, its tag name, text, ...
    return "".join(_TEXT.sub(_mark, part) if i % 3 == 0 else part for i, part in enumerate(parts) if i % 3 != 2)


# English words: letters (an apostrophe or hyphen inside), joined by spaces or commas; never the letters of
# an entity (&amp;) or of a code. Marked only when a word has lowercase letters (not a code, QP-XS-01, PDF).
_ENGLISH = re.compile(r"(?<![&#\w])[A-Za-z][A-Za-z'’-]*(?:[ ,]+[A-Za-z0-9][A-Za-z0-9'’-]*)*(?![\w;])")
_WORDY = re.compile(r"[a-z]{2,}")


def _mark_english(text: re.Match) -> str:
    return _ENGLISH.sub(lambda run: f'<span lang="en">{run[0]}</span>' if _WORDY.search(run[0]) else run[0], text[0])


def mark_english(html: str) -> str:
    """``html`` of a Chinese page with each run of English words marked ``lang="en"``."""
    parts = _SKIPPED.split(html)
    return "".join(_TEXT.sub(_mark_english, part) if i % 3 == 0 else part for i, part in enumerate(parts) if i % 3 != 2)
