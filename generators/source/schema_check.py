"""Structure check against the shipped JSON Schema, reported at source positions."""
from __future__ import annotations

import difflib
import re
import json
from functools import lru_cache
from pathlib import Path

import jsonschema

from .diagnostics import Diagnostic, error
from .yamltree import Mapping, Node, Scalar, Sequence, to_python

SCHEMA_PATH = Path(__file__).parent.parent / "schema" / "procedure.schema.json"

_KIND_OF_LIST = {"steps": "step", "roles": "role", "documents": "document", "forms": "form",
                 "fields": "field", "control_points": "control point", "revisions": "revision",
                 "substeps": "sub-step", "changes": "change", "outputs": "output", "next": "flow link",
                 "inputs": "input", "participants": "participant", "columns": "column", "footer": "field",
                 "externals": "external party", "starts": "start", "ends": "end", "clauses": "clause",
                 "items": "item", "responsibilities": "responsibility", "definitions": "definition",
                 "related_documents": "related document", "records": "record", "options": "option",
                 "distribution": "distribution entry", "decisions": "decision"}
_LANG_NAMES = {"zh": "Chinese text 'zh'", "en": "English text 'en'"}
_TYPE_NAMES = {"object": "a mapping (key: value)", "array": "a list", "string": "text",
               "integer": "a whole number", "null": "nothing", "number": "a number", "boolean": "true/false"}


@lru_cache(maxsize=2)
def _fast_validator(kind: str = "procedure"):
    """A compiled validator (fastjsonschema): 20x quicker, but it stops at the first error, so
    it only decides whether the slower, complete jsonschema pass is needed."""
    import fastjsonschema

    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    schema["$schema"] = "http://json-schema.org/draft-07/schema#"  # the keywords used are all draft 7
    if kind != "procedure":
        schema = {"$schema": schema["$schema"], "$ref": f"#/$defs/{kind}", "$defs": schema["$defs"]}
    return fastjsonschema.compile(schema)


@lru_cache(maxsize=2)
def _validator(kind: str = "procedure") -> jsonschema.Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    if kind != "procedure":  # a definition of the same file, e.g. "shared" for _shared.yaml
        schema = {"$ref": f"#/$defs/{kind}", "$defs": schema["$defs"]}
    return jsonschema.Draft202012Validator(schema)


def _node_at(root: Node, path) -> tuple[Node, Node | None]:
    """The node at a JSON path, and the nearest enclosing list item (for naming it)."""
    node, item = root, None
    for part in path:
        if isinstance(node, Mapping) and part in node.entries:
            node = node.entries[part]
        elif isinstance(node, Sequence) and isinstance(part, int) and part < len(node.items):
            node = node.items[part]
            item = node
        else:
            break
    return node, item


# Items named together with the item that holds them: a field by its form, an option by its field.
_NAMED_WITH_OWNER = {"fields", "columns", "footer", "options"}


def where(root: Node, path) -> str:
    """A reader's name for the item a path points into, e.g. "step 'sell': ", "form 'log': field 'date': "."""
    parts = list(path)
    for i in range(len(parts) - 1, 0, -1):
        if isinstance(parts[i], int) and isinstance(parts[i - 1], str):
            name = _item_name(root, parts, i)
            if parts[i - 1] in _NAMED_WITH_OWNER:
                return where(root, parts[: i - 1]) + name
            return name
    return ""


def _item_name(root: Node, parts: list, i: int) -> str:
    kind = _KIND_OF_LIST.get(parts[i - 1], parts[i - 1])
    node, _ = _node_at(root, parts[: i + 1])
    if isinstance(node, Mapping):
        ident = node.entries.get("id") or node.entries.get("version")
        if ident is not None and hasattr(ident, "value"):
            return f"{kind} '{ident.value}': "
        number = node.entries.get("number")  # a clause or responsibility by the source's number (5.3), not its place
        if kind in ("clause", "item", "responsibility", "definition") and isinstance(number, Scalar) and number.value is not None and str(number.value).strip():
            return f"{kind} {str(number.value).strip()}: "
    return f"{kind} {parts[i] + 1}: "


def _describe_type(value) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    return f"text '{value}'"


@lru_cache(maxsize=1)
def _defs() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))["$defs"]


def _branch_schema(schema: dict) -> dict:
    """A branch of an anyOf with its $ref (to the shipped schema's $defs) followed."""
    defs = _defs() if "$ref" in schema else {}
    seen = 0
    while "$ref" in schema and schema["$ref"].startswith("#/$defs/") and seen < 10:
        schema, seen = defs.get(schema["$ref"].removeprefix("#/$defs/"), {}), seen + 1
    return schema


def _leaf_errors(err: jsonschema.ValidationError):
    """For anyOf, report the errors of the branch the value was meant to be, not "not valid".

    Branches that reject the value's type outright are dropped. Of the rest, the one that
    declares most of a mapping's keys wins (a form with a wrong option is a form, not a
    {ref:} with nine unknown keys), then the one with the fewest errors (the first on a tie).
    """
    if err.validator != "anyOf" or not err.context:
        yield err
        return
    branches: dict[int, list] = {}
    for child in err.context:
        branches.setdefault(child.relative_schema_path[0], []).append(child)
    fitting = {i: errs for i, errs in branches.items()
               if not any(e.validator == "type" and not e.relative_path for e in errs)}
    if not fitting:
        yield err  # every branch rejected the type: report once
        return
    keys = set(err.instance) if isinstance(err.instance, dict) else set()

    def declared(index: int) -> int:
        return len(keys & set(_branch_schema(err.validator_value[index]).get("properties", {})))

    best = min(fitting, key=lambda i: (-declared(i), len(fitting[i]), i))
    for child in fitting[best]:
        yield from _leaf_errors(child)


def check_structure(root: Node, kind: str = "procedure") -> list[Diagnostic]:
    """Every structural problem in the file, each at the position of the offending key or value."""
    diags: list[Diagnostic] = []
    data = to_python(root)
    try:
        _fast_validator(kind)(data)
        return diags  # valid: the common case, decided by the compiled validator
    except Exception:  # noqa: BLE001 - any failure: let jsonschema find and describe every problem
        pass
    for top in _validator(kind).iter_errors(data):
        for err in _leaf_errors(top):
            diags.extend(_to_diagnostics(root, err))
    return diags


def _to_diagnostics(root: Node, err: jsonschema.ValidationError) -> list[Diagnostic]:
    path = list(err.absolute_path)
    node, _ = _node_at(root, path)
    prefix = where(root, path)
    key = path[-1] if path and isinstance(path[-1], str) else None
    if err.validator == "additionalProperties" and isinstance(node, Mapping):
        allowed = sorted(err.schema.get("properties", {}))
        out = []
        for extra in sorted(set(node.entries) - set(allowed)):
            comma = _unquoted_comma(node, extra, allowed, f"{prefix}{_field(key)}")
            if comma is not None:
                out.append(comma)
                continue
            close = difflib.get_close_matches(extra, allowed, n=1, cutoff=0.6)
            hint = f"did you mean '{close[0]}'?" if close else "allowed keys: " + ", ".join(allowed)
            out.append(error(node.keys[extra], "unknown-key", f"{prefix}unknown key '{extra}'", hint))
            if close and close[0] not in node.entries:
                # Read the misspelt key as the one meant, so the rules do not report it missing too
                # (one error for one typo); the file still fails on this error.
                node.entries[close[0]] = node.entries.pop(extra)
                node.keys[close[0]] = node.keys.pop(extra)
        return out
    if err.validator == "required" and isinstance(node, Mapping):
        missing = [k for k in err.validator_value if k not in node.entries]
        out = []
        for name in missing:
            if name in ("gap", "tbd") and {"owner", "due"} & set(node.entries):
                out.append(error(node.pos, "missing-key", f"{prefix}{_field(key)}'owner:' and 'due:' belong to a marked gap, "
                                 "which says what is open", "add 'gap: {zh: …, en: …}' (the source is silent) or "
                                 "'tbd: {zh: …, en: …}' (a decision is pending) beside them"))
                break
            if name in _LANG_NAMES:
                out.append(error(node.pos, "text-bilingual", f"{prefix}{_field(key)}missing {_LANG_NAMES[name]}",
                                 "every text needs both 'zh' (governing) and 'en' (translation)"))
            else:
                out.append(error(node.pos, "missing-key", f"{prefix}missing required key '{name}'",
                                 f"add '{name}:' to this {prefix.split(' ')[0] or 'file'}"))
        return out
    if err.validator == "pattern":
        if key in _LANG_NAMES:
            return [error(node.pos, "text-bilingual", f"{prefix}{_LANG_NAMES[key]} is empty",
                          "every text needs both 'zh' (governing) and 'en' (translation)")]
        pattern = err.validator_value
        if "a-z0-9" in pattern:
            return [error(node.pos, "id-format", f"{prefix}'{err.instance}' is not a valid id",
                          "ids use lower-case letters a-z, digits and '-', starting with a letter or digit")]
        if "[A-Z]/" in pattern:
            return [error(node.pos, "version-format", f"{prefix}version '{err.instance}' is not of the form A/0",
                          "edition letter, slash, amendment number: A/0, A/1, B/0")]
        if "[0-9]{4}" in pattern:
            return [error(node.pos, "date-format", f"{prefix}date '{err.instance}' is not of the form YYYY-MM-DD",
                          "write dates as 2026-12-01")]
    if err.validator == "type":
        expected = err.validator_value if isinstance(err.validator_value, list) else [err.validator_value]
        if "integer" in expected and isinstance(err.instance, str):
            meant = intended_integer(err.instance)
            if meant is not None:
                return [error(node.pos, "number-format", f"{prefix}{_field(key)}'{err.instance}' is not a whole number "
                              "as written", f"write {meant}" + (" (YAML would read a leading 0 as an octal number, "
                                                                f"{int(err.instance, 8)})" if _OCTAL.fullmatch(err.instance) else ""))]
        if "string" in expected and isinstance(err.instance, bool):
            return [error(node.pos, "type", f"{prefix}{_field(key)}expected text, found {_describe_type(err.instance)}",
                          "put the text in quotes ('yes', 'no', 'on'): YAML reads yes/no/on/off/true/false as true/false")]
        wanted = " or ".join(_TYPE_NAMES.get(t, t) for t in expected if t != "null")
        return [error(node.pos, "type", f"{prefix}{_field(key)}expected {wanted}, found {_describe_type(err.instance)}",
                      "compare with the same key in procedure/ or the schema")]
    if err.validator == "anyOf":
        return [error(node.pos, "type", f"{prefix}{_field(key)}unexpected value {_describe_type(err.instance)}",
                      "compare with the same key in procedure/ or the schema")]
    if err.validator == "not" and isinstance(err.instance, dict) and {"gap", "tbd"} <= set(err.instance):
        return [error(node.pos, "type", f"{prefix}{_field(key)}a marked gap is either 'gap:' or 'tbd:', not both",
                      "gap: the source is silent or unclear here; tbd: a decision is pending. Keep the one that applies")]
    if err.validator == "enum":
        return [error(node.pos, "enum", f"{prefix}{_field(key)}'{err.instance}' is not one of: "
                      + ", ".join(map(str, err.validator_value)))]
    return [error(node.pos, "schema", f"{prefix}{_field(key)}{err.message}")]


def _unquoted_comma(node: Mapping, extra: str, allowed: list[str], where: str) -> Diagnostic | None:
    """``{zh: 审核, 批准, en: …}``: in a text written inline, an unquoted comma ends the text, and YAML
    reads the rest as a key with no value. Say so (not "unknown key '批准'"), and read the text whole."""
    if not {"zh", "en"} <= set(allowed):
        return None
    value = node.entries.get(extra)
    keys = list(node.entries)
    index = keys.index(extra)
    if not (isinstance(value, Scalar) and value.value is None) or index == 0:
        return None
    previous = keys[index - 1]
    before = node.entries[previous]
    while previous not in ("zh", "en") and index > 1:  # several commas: walk back to the text they split
        index -= 1
        previous = keys[index - 1]
        before = node.entries[previous]
    if previous not in ("zh", "en") or not isinstance(before, Scalar) or not isinstance(before.value, str):
        return None
    whole = f"{before.value}, {extra}"
    before.value = whole  # read the text as meant, so no rule reports the cut-off text as well
    del node.entries[extra]
    node.keys.pop(extra, None)
    if previous == "zh":
        hint = f"write the Chinese comma (，), which needs no quotes: zh: {before.value.replace(', ', '，')}"
    else:
        hint = f"put the text in quotes: en: \"{whole}\" (inside {{zh: …, en: …}} an unquoted comma ends the text)"
    return error(before.pos, "text-comma",
                 f"{where}the {_LANG_NAMES[previous]} is cut at a comma: YAML read ', {extra}' as a key of its own", hint)


_OCTAL = re.compile(r"[-+]?0[0-7]+")


def intended_integer(text: str) -> int | None:
    """The whole number a text that YAML did not take as a plain decimal most likely means:
    011 -> 11, 3.0 -> 3, 12.00 -> 12, 1_000 -> 1000; None when it means none (3.5, "many")."""
    cleaned = text.strip().replace("_", "")
    # At most 18 digits: int() refuses a text of over 4,300 (a pull request may write one), and a
    # hint needs no number that long.
    match = re.fullmatch(r"([-+]?)0*([0-9]{1,18})(?:\.0*)?", cleaned)
    if match:
        return int(match[1] + match[2])
    if re.fullmatch(r"[-+]?0[xX][0-9a-fA-F]+", cleaned):
        return int(cleaned, 16)
    return None


def _field(key) -> str:
    return f"'{key}': " if key else ""
