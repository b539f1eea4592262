"""Versions of a controlled document: A/3 = edition A, amendment 3."""
from __future__ import annotations

import re

# ASCII digits, at most 9: \d would take other scripts' digits, and int() refuses a text of
# over 4,300 digits with a ValueError (a pull request may write one); the schema allows two.
_VERSION = re.compile(r"^([A-Z])/([0-9]{1,9})$")


def version_key(version: str) -> tuple[int, int] | None:
    """Sort key of a version 'A/3' -> (0, 3); None when malformed."""
    match = _VERSION.match(version or "")
    return (ord(match[1]) - ord("A"), int(match[2])) if match else None
