"""Chinese page titles break between words, never inside one ("受控文件清 / 单"): on a Chinese page each
``<h1>``'s Chinese text gets a ``<wbr>`` between its words (jieba, source/phrases.py), and the stylesheet
sets ``word-break: keep-all`` on it, so a line may end only there. Pure: page HTML in, page HTML out;
only the text of ``<h1>`` changes, never a tag or an attribute."""
from __future__ import annotations

import re

from generators.source.phrases import HAN_RUN, words

_H1 = re.compile(r"(<h1\b[^>]*>)(.*?)(</h1>)", re.S | re.I)
_TEXT = re.compile(r"(?:^|(?<=>))[^<]+")


def _between_words(run: re.Match) -> str:
    return "<wbr>".join(words(run[0]))


def titles_break_between_words(html: str) -> str:
    """``html`` with a break opportunity (<wbr>) between the Chinese words of each <h1>."""
    def title(match: re.Match) -> str:
        return match[1] + _TEXT.sub(lambda text: HAN_RUN.sub(_between_words, text[0]), match[2]) + match[3]
    return _H1.sub(title, html)
