"""How wide a text is drawn: a CJK character takes two columns, and where a line may break."""
from __future__ import annotations

import unicodedata


def columns(ch: str) -> int:
    return 2 if unicodedata.east_asian_width(ch) in "WF" else 1


def tokens(text: str):
    """Latin words (with their leading space) stay together; each CJK character stands alone."""
    word = ""
    for ch in text:
        if columns(ch) == 2:
            if word:
                yield word
                word = ""
            yield ch
        elif ch == " ":
            if word:
                yield word
            word = " "
        else:
            word += ch
    if word:
        yield word
