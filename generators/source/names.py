"""People's names as the record compares them: one person, one name, whatever way it was typed.

A name is compared after NFKC normalisation (full-width letters, CJK compatibility ideographs and
other look-alike forms become their plain form), case folding and removal of spaces, so "刘洋",
"刘 洋" and "刘洋" with a compatibility ideograph are one person. Invisible code points are
never part of a name: a zero-width space, a soft hyphen, a word joiner or a variation selector
makes two names that look the same differ, which is how a person could pass for someone else,
so they are refused (``invisible_in_name``), not silently removed.
"""
from __future__ import annotations

import re
import unicodedata

# Default-ignorable and invisible code points (Unicode's Default_Ignorable_Code_Point, plus the
# bidirectional controls and the Hangul and Mongolian fillers that render as nothing).
_INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f"
    "\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U000e0000-\U000e0fff]")


def invisible_in_name(name: str) -> list[str]:
    """The invisible code points in ``name``, as U+XXXX (empty when there are none)."""
    return [f"U+{ord(ch):04X}" for ch in _INVISIBLE.findall(name or "")]


def canonical(name: str | None) -> str:
    """The form two names are compared in: NFKC, case-folded, without spaces or invisible code points."""
    if not name:
        return ""
    text = unicodedata.normalize("NFKC", name)
    text = _INVISIBLE.sub("", text)
    return re.sub(r"\s+", "", text).casefold()


def same_person(a: str | None, b: str | None) -> bool:
    """Both names given and, compared as ``canonical`` forms, equal."""
    return bool(canonical(a)) and canonical(a) == canonical(b)
