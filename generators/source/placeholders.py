"""A source's own placeholder: what a source document writes instead of a name it does not give.

某某集团 (such-and-such group), ××公司, XXXERP (the XXX ERP system), XXXX-QP7.5.1-2015 (a number whose
company code is left out). A transcription keeps it as the source wrote it; a revision quotes it as the
source's (原文作“XXXERP”，系统名称未写明). Published unquoted, it would read as a real name: the rule
``source-placeholder`` (rules/texts.py) warns of that, and readers see every occurrence marked as a
placeholder, quoted or not (render/placeholders.py). This module is the one place that says what one is.
"""
from __future__ import annotations

import re

# 某某 + up to two Chinese characters (某某集团, 某某公司); two or more × (××公司); XXX… joined to a name
# (XXXERP), a number (XXXX-QP7.5.1-2015) or Chinese text (XXX系统). A bare "xxx" is an author's
# placeholder, an error of its own (rules/texts.py PLACEHOLDERS), not a source's.
SOURCE_PLACEHOLDER = re.compile(
    r"某某[\u4e00-\u9fff]{0,2}"
    r"|[×Ｘ]{2,}[\u4e00-\u9fffA-Za-z]{0,2}"
    r"|(?<![A-Za-z])X{3,}(?:[A-Z]+(?![A-Za-z])|-[A-Z0-9.\-]+|(?=[\u4e00-\u9fff]))")

# What readers see marked: the source's placeholders, and also one cited on its own in a revision entry
# ("XXXX" of the original number), which only an entry may publish.
SHOWN_PLACEHOLDER = re.compile(SOURCE_PLACEHOLDER.pattern + r"|(?<![A-Za-z0-9])X{3,}(?![A-Za-z0-9])")


def find(text: str) -> re.Match | None:
    """The first source placeholder in ``text`` (None: there is none)."""
    return SOURCE_PLACEHOLDER.search(text)
