"""Property-based fuzzing of the loader and validator (Hypothesis).

Structure-aware: valid procedures with fields removed, retyped, duplicated, swapped, filled
with odd Unicode, control characters (written raw or as escapes), DOT and HTML-like label
syntax, reserved ids and file names, or their bytes truncated. Every case must end in diagnostics that carry a
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
from generators.source.characters import REFUSED
from generators.source.loader import load_bytes
from generators.source.model import END
from generators.source import paths
from generators.rules import check_procedure

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "300"))
SEEDS = [yaml.safe_load(PUBLISHED.read_text(encoding="utf-8")), yaml.safe_load((FIXTURES / "minimal.yaml").read_text(encoding="utf-8"))]
ODD_TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=40) | st.sampled_from(
    ["", " ", "\u200b", "\ufeff", "\u202e反转", "𠜎𠜱", "e\u0301", "\x00", "null", "~", "- x", "{a: b}", "&a", "*a", "!!str x",
     "0x1F", "1e999", "2026-02-30", "../../etc/passwd", "<script>", "{{ 7*7 }}"])
# What issue 13 is about: characters check refuses or warns about, DOT and HTML-like label
# syntax, escString sequences, and the names the generator keeps for itself.
CONTROL = st.sampled_from([chr(c) for c in range(0x20) if c not in (9, 10)] + ["\x7f", "\x80", "\x85", "\x9f", "\u2028",
                           "\u2029", "\ud800", "\udfff", "\ufffe", "\uffff"])
INVISIBLE = st.sampled_from(["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069",
                             "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"])
DOT_META = st.sampled_from(['"', "'", "\\", "\\N", "\\G", "\\L", "\\n", "\\l", "<", ">", "&", "&amp;", "&#60;", "[", "]", "{", "}",
                            ";", ",", "=", "->", "--", "//", "/*", "#", "<TABLE>", "<B>", "<BR/>", "!--", "-->",
                            "URL=<javascript:alert(1)>", '"], URL="javascript:alert(2)", x=["', "target=<_top>]"])
RESERVED_IDS = sorted(paths.reserved_slugs() | paths.reserved_role_ids() | {END})
HOSTILE_TEXT = st.lists(CONTROL | INVISIBLE | DOT_META | st.sampled_from(["中文", "word", " "]), min_size=1, max_size=8).map("".join)
ODD_TEXT = ODD_TEXT | HOSTILE_TEXT | st.sampled_from(RESERVED_IDS)
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


def _dump(doc) -> bytes:
    """YAML text of a document: libyaml's emitter (7x quicker), PyYAML's for what libyaml refuses."""
    try:
        return yaml.dump(doc, Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=False).encode("utf-8", "surrogatepass")
    except (yaml.YAMLError, UnicodeError):
        return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False).encode("utf-8", "surrogatepass")


@st.composite
def mutated_source(draw) -> bytes:
    doc = copy.deepcopy(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(1, 4))):
        paths = [p for p in _paths(doc) if p]
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent, key = _parent(doc, path), path[-1]
        action = draw(st.sampled_from(["remove", "retype", "duplicate", "swap", "odd-text", "hostile-text", "reserved-id"]))
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
        elif action == "hostile-text" and isinstance(parent[key], str):
            text = parent[key]
            at = draw(st.integers(0, len(text)))
            parent[key] = text[:at] + draw(HOSTILE_TEXT) + text[at:]
        elif action == "reserved-id" and isinstance(parent, dict) and key == "id":
            parent[key] = draw(st.sampled_from(RESERVED_IDS))
    # Refused characters end up as YAML escapes ("\0"); some are also written raw, as a
    # pull request could (a NUL byte, a raw U+2028), at a random place.
    data = _dump(doc)
    if draw(st.integers(0, 4)) == 0:
        at = draw(st.integers(0, len(data)))
        while 0 < at < len(data) and (data[at] & 0xC0) == 0x80:  # not inside a UTF-8 sequence
            at -= 1
        data = data[:at] + draw(CONTROL | INVISIBLE).encode("utf-8", "surrogatepass") + data[at:]
    if draw(st.booleans()):
        data = data[: draw(st.integers(0, len(data)))]
    if draw(st.integers(0, 9)) == 0:  # a duplicated line: duplicate keys, stray indentation
        lines = data.split(b"\n")
        if lines:
            index = draw(st.integers(0, len(lines) - 1))
            lines.insert(index, lines[index])
            data = b"\n".join(lines)
    return data


def check_bytes(data: bytes, slug: str = "fuzz"):
    proc, diags = load_bytes("fuzz.yaml", data, slug)
    if proc is not None:
        diags += check_procedure(proc, "2026-12-01")
    return proc, diags


def _model_strings(value):
    """Every string the model holds (what renderers would write)."""
    import dataclasses

    if isinstance(value, str):
        yield value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            yield from _model_strings(getattr(value, field.name))
    elif isinstance(value, (tuple, list)):
        for item in value:
            yield from _model_strings(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _model_strings(item)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(mutated_source(), st.sampled_from(["fuzz"] * 4 + sorted(paths.reserved_slugs())))
def test_any_mutated_procedure_yields_located_diagnostics_never_an_exception(data, slug):
    proc, diags = check_bytes(data, slug)
    for diag in diags:
        assert diag.pos.path == "fuzz.yaml" and diag.pos.line >= 1 and diag.pos.col >= 1
        assert diag.message and diag.rule
        assert not REFUSED.search(diag.format()), "a diagnostic echoed a control character"
    if proc is None:
        assert diags, "an unreadable file must say why"
        return
    errors = {d.rule for d in diags if d.severity.value == "error"}
    # What check accepts holds no refused character anywhere and uses no reserved name.
    if not errors:
        assert not any(REFUSED.search(text) for text in _model_strings(proc))
        assert proc.slug not in paths.reserved_slugs()
        assert END not in {s.id for s in proc.steps}
        assert not {r.id for r in proc.roles} & paths.reserved_role_ids()
    if any(REFUSED.search(text) for text in _model_strings(proc)):
        assert "control-character" in errors
    if END in {s.id for s in proc.steps} or slug != "fuzz":
        assert "reserved-name" in errors


@settings(max_examples=max(EXAMPLES // 3, 50), deadline=None)
@given(st.binary(max_size=2000))
def test_random_bytes_never_raise(data):
    check_bytes(data)


# --- charts: hostile text in every chart field, through real Graphviz -------------------------

CHART_EXAMPLES = max(EXAMPLES // 20, 10)


@settings(max_examples=CHART_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(HOSTILE_TEXT | ODD_TEXT, min_size=8, max_size=8), st.sampled_from(["zh", "en"]))
def test_any_text_in_any_chart_field_adds_no_element_attribute_or_link_to_the_svg(tmp_path_factory, texts, lang):
    from synthetic import procedure, dump
    from test_injection import _structure
    from generators.render.graphviz import Graphviz
    from generators.render.flowchart import flowchart_dot

    base = procedure(3, steps=3, roles=2, documents=1, forms=1)
    benign = check_bytes(dump(base).encode("utf-8"))[0]
    fields = [("roles", 0, "name"), ("roles", 1, "name"), ("steps", 0, "title"), ("steps", 1, "description"),
              ("steps", 2, "decision"), ("steps", 2, "substeps"), ("documents", 0, "title"), ("forms", 0, "title")]
    for (section, index, key), text in zip(fields, texts):
        value = {"zh": f"甲{text}", "en": f"a{text}"}
        base[section][index][key] = [value] if key == "substeps" else value
    base["steps"][2]["next"][0]["when"] = {"zh": f"否{texts[0]}", "en": f"no{texts[1]}"}
    source = yaml.safe_dump(base, allow_unicode=True, sort_keys=False).encode("utf-8", "surrogatepass")
    hostile = check_bytes(source)[0]
    if hostile is None:
        return  # the text broke the YAML itself (a raw line separator): nothing to draw
    cache = tmp_path_factory.mktemp("charts")
    draw = Graphviz(cache_dir=cache)
    expected = _structure(draw.svg(flowchart_dot(benign, lang, paths.output_url_from_procedure)))
    kinds, values, links = _structure(draw.svg(flowchart_dot(hostile, lang, paths.output_url_from_procedure)))
    assert kinds <= expected[0] and values == expected[1] and links == expected[2]
