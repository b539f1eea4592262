"""Property-based fuzzing of the loader and validator (Hypothesis).

Structure-aware: valid procedures with fields removed, retyped, duplicated, swapped, filled
with odd Unicode, or their bytes truncated. Every case must end in diagnostics that carry a
location, never in an exception (no stopwatch: hypothesis runs with deadline=None on a shared machine;
the parser's size, depth and node limits are proved in test_check). `make test` runs a few hundred cases;
set FUZZ_EXAMPLES=20000 for a nightly-size run.
"""
from __future__ import annotations

import copy
import os

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import FIXTURES, PUBLISHED
from generators.loader import load_bytes
from generators.rules import check_procedure

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "300"))
SEEDS = [yaml.safe_load(PUBLISHED.read_text(encoding="utf-8")), yaml.safe_load((FIXTURES / "minimal.yaml").read_text(encoding="utf-8"))]
ODD_TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=40) | st.sampled_from(
    ["", " ", "\u200b", "\ufeff", "\u202e反转", "𠜎𠜱", "e\u0301", "\x00", "null", "~", "- x", "{a: b}", "&a", "*a", "!!str x",
     "0x1F", "1e999", "2026-02-30", "../../etc/passwd", "<script>", "{{ 7*7 }}"])
ANY_VALUE = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | ODD_TEXT,
                         lambda inner: st.lists(inner, max_size=3) | st.dictionaries(ODD_TEXT, inner, max_size=3), max_leaves=6)


def _paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, prefix + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _paths(value, prefix + (index,))


def _parent(doc, path):
    node = doc
    for part in path[:-1]:
        node = node[part]
    return node


@st.composite
def mutated_source(draw) -> bytes:
    doc = copy.deepcopy(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(1, 4))):
        paths = [p for p in _paths(doc) if p]
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent, key = _parent(doc, path), path[-1]
        action = draw(st.sampled_from(["remove", "retype", "duplicate", "swap", "odd-text"]))
        if action == "remove":
            del parent[key]
        elif action == "retype":
            parent[key] = draw(ANY_VALUE)
        elif action == "duplicate" and isinstance(parent, list):
            parent.append(copy.deepcopy(parent[key]))
        elif action == "swap":
            other = draw(st.sampled_from(paths))
            if other[: len(path)] != path and path[: len(other)] != other:
                other_parent = _parent(doc, other)
                parent[key], other_parent[other[-1]] = other_parent[other[-1]], parent[key]
        elif action == "odd-text":
            parent[key] = draw(ODD_TEXT)
    data = yaml.safe_dump(doc, allow_unicode=True, sort_keys=False).encode("utf-8")
    if draw(st.booleans()):
        data = data[: draw(st.integers(0, len(data)))]
    if draw(st.integers(0, 9)) == 0:  # a duplicated line: duplicate keys, stray indentation
        lines = data.split(b"\n")
        if lines:
            index = draw(st.integers(0, len(lines) - 1))
            lines.insert(index, lines[index])
            data = b"\n".join(lines)
    return data


def check_bytes(data: bytes):
    proc, diags = load_bytes("fuzz.yaml", data, "fuzz")
    if proc is not None:
        diags += check_procedure(proc)
    return proc, diags


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(mutated_source())
def test_any_mutated_procedure_yields_located_diagnostics_never_an_exception(data):
    proc, diags = check_bytes(data)
    for diag in diags:
        assert diag.pos.path == "fuzz.yaml" and diag.pos.line >= 1 and diag.pos.col >= 1
        assert diag.message and diag.rule
    if proc is None:
        assert diags, "an unreadable file must say why"


@settings(max_examples=max(EXAMPLES // 3, 50), deadline=None)
@given(st.binary(max_size=2000))
def test_random_bytes_never_raise(data):
    check_bytes(data)
