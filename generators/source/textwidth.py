"""How wide a text is drawn: a CJK character takes two columns, and where a line may break."""
from __future__ import annotations

import unicodedata

from .phrases import HAN_RUN, words


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


def _phrased(pieces):
    """The pieces with each run of single Han characters joined into its words."""
    run = []
    for piece in pieces:
        if len(piece) == 1 and HAN_RUN.fullmatch(piece * 2):
            run.append(piece)
            continue
        if run:
            yield from words("".join(run)) if len(run) > 1 else run
            run = []
        yield piece
    if run:
        yield from words("".join(run)) if len(run) > 1 else run


def tokens(text: str, by_phrase: bool = False):
    """Where a line may break: between Latin words, between CJK characters (with ``by_phrase``: between
    Chinese words), never before closing or after opening punctuation (a CJK punctuation mark stays
    with its neighbour)."""
    previous = None
    pieces = _pieces(text)
    for piece in _phrased(pieces) if by_phrase else pieces:
        if previous is not None and (piece[0] in CLOSING or previous[-1] in OPENING):
            previous += piece
            continue
        if previous is not None:
            yield previous
        previous = piece
    if previous is not None:
        yield previous
