"""How wide a text is drawn: a CJK character takes two columns, and where a line may break."""
from __future__ import annotations

import unicodedata


def columns(ch: str) -> int:
    return 2 if unicodedata.east_asian_width(ch) in "WF" else 1


# Chinese line breaking (GB/T 15834, kinsoku): a line never starts with closing punctuation (，。、)
# and never ends with opening punctuation (（《“): they stay with the character beside them.
CLOSING = set("，。、；：！？）》」』】〉”’…—·,.;:!?)")
OPENING = set("（《「『【〈“‘(")


def _pieces(text: str):
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


def tokens(text: str):
    """Where a line may break: between Latin words, between CJK characters, never before closing or
    after opening punctuation (a CJK punctuation mark stays with its neighbour)."""
    previous = None
    for piece in _pieces(text):
        if previous is not None and (piece[0] in CLOSING or previous[-1] in OPENING):
            previous += piece
            continue
        if previous is not None:
            yield previous
        previous = piece
    if previous is not None:
        yield previous
