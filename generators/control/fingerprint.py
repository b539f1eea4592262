"""The content an approval covers, as one SHA-256: canonical procedure data with shared declarations resolved.

Content is everything in the file except what a revision itself updates (version, revision log,
dates, approval block). Roles and forms named with ``{ref: id}`` are replaced by their declaration
in ``_shared.yaml`` as it stood at the same commit, so a change to a shared role or form changes
the fingerprint of every procedure that uses it. Comments, key order and layout do not count.
A fingerprint is ``digest(resolved_content(data, shared_declarations(shared_bytes)))``
(``approvals`` computes it once per procedure and commit, with the forms' own digests).
"""
from __future__ import annotations

import hashlib
import json

from ..source.loader import load_tree
from ..source.yamltree import Mapping, parse, to_python

# Header fields a revision itself updates; everything else is content.
ADMIN_KEYS = frozenset({"version", "revisions", "effective_date", "review_due", "approval"})
SHARED_KINDS = ("roles", "forms")


def shared_declarations(data: bytes | None) -> dict:
    """kind -> id -> declaration (plain data) from the bytes of ``_shared.yaml`` (empty when absent or unreadable)."""
    if not data:
        return {}
    tree, _ = parse("_shared.yaml", data)
    if not isinstance(tree, Mapping):
        return {}
    plain = to_python(tree)
    return {kind: {item["id"]: item for item in plain.get(kind) or [] if isinstance(item, dict) and isinstance(item.get("id"), str)}
            for kind in SHARED_KINDS if isinstance(plain.get(kind), list)}


def resolved_content(data: bytes, shared: dict) -> dict | None:
    """The procedure's content as plain data, shared declarations resolved (None when unreadable)."""
    tree, _ = load_tree("procedure", data)
    if tree is None:
        return None
    content = {k: v for k, v in to_python(tree).items() if k not in ADMIN_KEYS}
    for kind in SHARED_KINDS:
        items = content.get(kind)
        if isinstance(items, list):
            content[kind] = [_resolve(item, shared.get(kind, {})) for item in items]
    return content


def _resolve(item, declared: dict):
    if isinstance(item, dict) and set(item) == {"ref"} and isinstance(item["ref"], str):
        return declared.get(item["ref"], item)
    return item


def digest(value) -> str:
    """SHA-256 of the canonical JSON of plain data (sorted keys, no whitespace, UTF-8)."""
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
