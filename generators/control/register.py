"""Reading a register file (``procedure/_deviations.yaml``, ``procedure/_withdrawn.yaml``): positioned
entries whose missing or malformed fields are diagnostics, never exceptions."""
from __future__ import annotations

import re
from pathlib import Path

from ..source.clock import parse as parse_date
from ..source.diagnostics import Diagnostic, Position, error
from ..source.model import Text
from ..source.yamltree import Mapping, Scalar, Sequence, parse

# ASCII digits: \d would also take ٢٠٢٦-١١-٢٠, which compares after every date written in ASCII,
# so a withdrawal dated so would never take effect.
DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


def entries(path: Path, key: str, rule: str) -> tuple[list[Mapping], list[Diagnostic]]:
    """The mappings listed under ``key`` in the register at ``path`` (none when the file is absent)."""
    if not path.is_file() or path.is_symlink() or path.parent.is_symlink():  # never read through a link
        return [], []
    tree, diags = parse(str(path), path.read_bytes())
    if tree is None:
        return [], diags
    items = tree.entries.get(key) if isinstance(tree, Mapping) else None
    if not isinstance(items, Sequence):
        return [], diags + [error(tree.pos, rule, f"a register must be a mapping with a list under '{key}:'",
                                  f"start the file with '{key}:' and list one entry per item")]
    found = [i for i in items.items if isinstance(i, Mapping)]
    diags += [error(i.pos, rule, "each entry must be a mapping of keys",
                    "write the entry as 'key: value' lines under its '- ', as the other entries are")
              for i in items.items if not isinstance(i, Mapping)]
    return found, diags


def text(node: Mapping, key: str) -> str | None:
    value = node.entries.get(key)
    if isinstance(value, Scalar) and value.value is not None and not isinstance(value.value, bool):
        return str(value.value).strip() or None
    return None


def bilingual(node: Mapping, key: str) -> Text | None:
    value = node.entries.get(key)
    if not isinstance(value, Mapping):
        return None
    zh, en = text(value, "zh"), text(value, "en")
    return Text(zh, en, value.pos) if zh and en else None


def position(node: Mapping, key: str) -> Position:
    return node.keys.get(key, node.pos)


def require(node: Mapping, rule: str, what: str, fields: dict) -> list[Diagnostic]:
    """Diagnostics for each missing field; ``fields``: key -> (value, hint)."""
    return [error(node.pos, rule, f"{what}: no {key}", hint) for key, (value, hint) in fields.items() if not value]


def date_errors(node: Mapping, key: str, rule: str, what: str) -> list[Diagnostic]:
    value = text(node, key)
    if not value:
        return []
    if not DATE.match(value):
        return [error(position(node, key), rule, f"{what}: {key} '{value}' is not a date of the form YYYY-MM-DD",
                      "write the year, month and day in that order, with four, two and two digits")]
    try:
        parse_date(value)
    except ValueError:
        return [error(position(node, key), rule, f"{what}: {key} '{value}' is not a calendar date",
                      "that day does not exist: check the month and the day against the signed record")]
    return []


