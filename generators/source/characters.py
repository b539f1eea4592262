"""Which characters a procedure source may hold: the one policy, applied by ``yamltree.parse``.

Refused (error ``control-character``): C0 controls other than tab and newline (a carriage
return only as part of a CRLF line end), DEL, C1 controls, lone surrogates, the Unicode line
and paragraph separators (U+2028/U+2029: line breaks to YAML and JavaScript, not to HTML or
DOT) and the noncharacters U+FFFE/U+FFFF. None of them is ever needed in a procedure, and
each has broken an output: a NUL makes Graphviz drop the rest of a line.

Warned (``invisible-character``): bidirectional overrides and isolates (U+202A-U+202E,
U+2066-U+2069), which can make text display in another order than it is stored, and
zero-width characters (U+200B-U+200D, U+2060, U+FEFF) unless they sit between two CJK
characters (where a zero-width space marks a word boundary for line breaking).
"""
from __future__ import annotations

import re
import unicodedata

# Everything either refused or warned about; one regular expression, so clean text costs one scan.
SUSPECT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200d\u2028-\u202e\u2060\u2066-\u2069"
                     "\ufeff\ufffe\uffff\ud800-\udfff]")
# Refused outright (a carriage return is refused except before a newline, which callers check).
REFUSED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff\ud800-\udfff]")

BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff")

_C0_NAMES = ("NUL SOH STX ETX EOT ENQ ACK BEL BS HT LF VT FF CR SO SI DLE DC1 DC2 DC3 DC4 NAK SYN ETB CAN EM SUB "
             "ESC FS GS RS US").split()


def describe(ch: str) -> str:
    """``U+0000 (NUL)``: a reader's name for a character that cannot be shown."""
    code = ord(ch)
    if code < 0x20:
        name = _C0_NAMES[code]
    elif code == 0x7F:
        name = "DEL"
    elif 0x80 <= code <= 0x9F:
        name = "C1 control"
    elif 0xD800 <= code <= 0xDFFF:
        name = "lone surrogate"
    elif code in (0xFFFE, 0xFFFF):
        name = "noncharacter"
    else:
        name = unicodedata.name(ch, "unnamed")
    return f"U+{code:04X} ({name})"


def is_cjk(ch: str) -> bool:
    return bool(ch) and unicodedata.east_asian_width(ch) in "WF"


def kind(ch: str, before: str = "", after: str = "") -> str | None:
    """``"refused"``, ``"bidi"``, ``"zero-width"`` or None (allowed) for one character in context."""
    if ch == "\r":
        return None if after == "\n" else "refused"
    if REFUSED.match(ch):
        return "refused"
    if ch in BIDI:
        return "bidi"
    if ch in ZERO_WIDTH:
        return None if is_cjk(before) and is_cjk(after) else "zero-width"
    return None


def scrub(text: str) -> str:
    """Text with every refused character replaced by U+FFFD: for outputs, as a second line of defence."""
    return REFUSED.sub("\ufffd", text)
