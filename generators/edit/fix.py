"""``python -m generators fix PATH…``: rewrite what a rule can put right by itself, keeping the file's
comments, key order and layout (ruamel.yaml round trip, as ``new-revision`` does).

Today one rewrite: half-width punctuation between Chinese characters becomes full-width, and paired
straight double quotes become “…”, in every Chinese (``zh``) text outside the revision log
[cjk-punctuation]. Nothing else in the file changes.
"""
from __future__ import annotations

import io
from pathlib import Path

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import ScalarString

from ..rules.texts import full_width
from ..source.writer import atomic_write
from .roundtrip import EditError, load_for_editing


class FixError(EditError):
    """The file cannot be edited (see roundtrip.EditError)."""


def _fix_tree(node) -> int:
    """Rewrite every ``zh:`` text under ``node`` in place; return how many changed."""
    changed = 0
    if isinstance(node, CommentedMap):
        for key in list(node):
            value = node[key]
            if key == "zh" and isinstance(value, str):
                fixed = full_width(str(value))
                if fixed != str(value):
                    # Keep the scalar's style (quoted, folded, literal): same class, new text.
                    node[key] = type(value)(fixed) if isinstance(value, ScalarString) else fixed
                    changed += 1
            else:
                changed += _fix_tree(value)
    elif isinstance(node, CommentedSeq):
        for item in node:
            changed += _fix_tree(item)
    return changed


def fix_file(path: Path) -> int:
    """Fix one file; return the number of texts rewritten (the file is written only when some were)."""
    yaml, data = load_for_editing(path, FixError)
    # The revision log is the record of what was approved: it is never rewritten.
    changed = sum(_fix_tree(value) for key, value in data.items() if key != "revisions") \
        if isinstance(data, CommentedMap) else _fix_tree(data)
    if changed:
        out = io.StringIO()
        yaml.dump(data, out)
        atomic_write(path, out.getvalue().encode("utf-8"))
    return changed
