"""Safe YAML reading into a tree whose every node knows its source position.

Built from the parser's event stream rather than ``yaml.load`` so that we can:
reject duplicate keys, anchors/aliases (no alias bombs), explicit tags (no Python
objects), excessive nesting and oversized files, all as diagnostics, never as
exceptions. libyaml's C parser is used when present; positions are kept either way.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Union

import yaml

from . import characters
from .diagnostics import Diagnostic, Position, error, warning
from .safefs import too_large

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 40
MAX_NODES = 200_000

try:  # libyaml is much faster; the pure-Python parser gives the same events.
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on the PyYAML build
    _Loader = yaml.SafeLoader

_RESOLVER = yaml.resolver.Resolver()
_CONSTRUCTOR = yaml.constructor.SafeConstructor()
_STANDARD_TAGS = {
    "tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null", "tag:yaml.org,2002:float", "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq", "!",
}


@dataclass(eq=False)
class Scalar:
    value: Any
    pos: Position


@dataclass(eq=False)
class Sequence:
    items: list["Node"]
    pos: Position


@dataclass(eq=False)
class Mapping:
    """A YAML mapping; ``keys`` holds each key's own position."""

    entries: dict[str, "Node"]
    keys: dict[str, Position]
    pos: Position
    end: Position = field(default=None)  # type: ignore[assignment]


Node = Union[Scalar, Sequence, Mapping]


def to_python(node: Node) -> Any:
    """The plain JSON-like value of a tree (for JSON Schema validation)."""
    if isinstance(node, Mapping):
        return {k: to_python(v) for k, v in node.entries.items()}
    if isinstance(node, Sequence):
        return [to_python(v) for v in node.items]
    return node.value


def _pos(path: str, mark) -> Position:
    return Position(path, mark.line + 1, mark.column + 1)


@lru_cache(maxsize=65536)
def _plain_tag(value: str) -> str:
    # Resolution runs a regular expression per candidate type: cache it, values repeat a lot.
    return _RESOLVER.resolve(yaml.ScalarNode, value, (True, False))


# A whole number as people write it. YAML 1.1 also reads 011 as octal 9, 0x1F, 1_000 and 1:30
# (sexagesimal) as integers, and 3.0 as a float that JSON Schema would accept as the integer 3:
# those stay text as written, so a whole-number field reports them with the value meant.
_DECIMAL = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
_AS_WRITTEN = ("tag:yaml.org,2002:str", "tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:float")


def _scalar_value(event) -> Any:
    """Resolve a plain scalar like YAML 1.1 safe loading does, but keep dates, floats and
    integers not written as plain decimals as text."""
    if not event.style and event.implicit[0]:  # plain (libyaml says "", PyYAML None)
        tag = _plain_tag(event.value)
    elif event.tag in (None, "!"):
        tag = "tag:yaml.org,2002:str"
    else:
        tag = event.tag
    if tag in _AS_WRITTEN or (tag == "tag:yaml.org,2002:int" and not _DECIMAL.fullmatch(event.value)):
        return event.value
    node = yaml.ScalarNode(tag, event.value)
    return _CONSTRUCTOR.construct_object(node)


def decode(path: str, data: bytes) -> tuple[str | None, list[Diagnostic]]:
    """Decode UTF-8 text (a BOM is allowed); report where the first bad byte is."""
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        return None, [error(Position(path, line, col), "file-encoding",
                            f"file is not valid UTF-8 (byte 0x{data[exc.start]:02x})",
                            "save the file as UTF-8 (GBK and other encodings are not accepted)")]


# More than this many refused characters in one file: the rest are counted, not listed.
MAX_CHARACTER_REPORTS = 20


def _character_diagnostic(pos: Position, ch: str, kind: str, escape: str = "") -> Diagnostic:
    what = characters.describe(ch) + (f", written as {escape}," if escape else "")
    if kind == "refused":
        return error(pos, "control-character", f"control character {what} is not allowed",
                     "delete it: it is invisible in most editors and breaks pages and charts "
                     "(it often comes with text pasted from PDF or Word); for a line break start a new line")
    if kind == "bidi":
        return warning(pos, "invisible-character",
                       f"bidirectional control {what} can make text display in another order than it is stored",
                       "delete it: Chinese and English text never need it")
    return warning(pos, "invisible-character", f"zero-width character {what} outside Chinese text",
                   "delete it: it is invisible, and makes names that look the same differ")


def scan_characters(path: str, text: str) -> tuple[str, list[Diagnostic]]:
    """Refused and suspicious characters written as themselves, each at its line and column.

    Returns the text with refused characters replaced by U+FFFD (same length, same line
    breaks), so parsing goes on and every other problem is reported too.
    """
    diags: list[Diagnostic] = []
    found = list(characters.SUSPECT.finditer(text))
    if not found:
        return text, diags
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
    refused: list[int] = []
    for match in found:
        index = match.start()
        ch = match.group()
        kind = characters.kind(ch, text[index - 1: index], text[index + 1: index + 2])
        if kind is None:
            continue
        if kind == "refused":
            refused.append(index)
            if len(refused) > MAX_CHARACTER_REPORTS:
                continue
        line = bisect.bisect_right(line_starts, index)
        diags.append(_character_diagnostic(Position(path, line, index - line_starts[line - 1] + 1), ch, kind))
    if len(refused) > MAX_CHARACTER_REPORTS:
        diags.append(error(Position(path), "control-character",
                           f"{len(refused) - MAX_CHARACTER_REPORTS:,} more control characters not listed",
                           "is this a binary file? procedure files are text"))
    if refused:
        chars = list(text)
        for index in refused:
            chars[index] = "\ufffd"
        text = "".join(chars)
    return text, diags


_YAML_ESCAPES = {"0": "\0", "a": "\a", "b": "\b", "t": "\t", "\t": "\t", "n": "\n", "v": "\v", "f": "\f",
                 "r": "\r", "e": "\x1b", " ": " ", '"': '"', "/": "/", "\\": "\\", "N": "\x85", "_": "\xa0",
                 "L": "\u2028", "P": "\u2029"}
_ESCAPE = re.compile(r"\\(x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)", re.S)


def _escaped_characters(path: str, text: str, event) -> list[Diagnostic]:
    """Refused and suspicious characters a double-quoted scalar writes as escapes (\\0, \\x85, \\u202e),
    each at the position of its escape."""
    start, end = event.start_mark, event.end_mark
    source = text[start.index: end.index]
    diags = []
    for match in _ESCAPE.finditer(source):
        code = match.group(1)
        ch = chr(int(code[1:], 16)) if len(code) > 1 else _YAML_ESCAPES.get(code, "")
        if len(ch) != 1 or ch > "\U0010ffff":
            continue
        offset = match.start()
        kind = characters.kind(ch, source[offset - 1: offset], source[match.end(): match.end() + 1])
        if ch == "\r":
            kind = "refused"  # a written-out carriage return is never a line end
        if kind is None:
            continue
        newlines = source.count("\n", 0, offset)
        col = (start.column + offset if not newlines else offset - source.rfind("\n", 0, offset) - 1) + 1
        diags.append(_character_diagnostic(Position(path, start.line + 1 + newlines, col), ch, kind, match.group()))
    return diags


def parse(path: str, data: bytes) -> tuple[Node | None, list[Diagnostic]]:
    """Parse bytes into a positioned tree; on any problem return diagnostics instead."""
    if len(data) > MAX_FILE_BYTES:
        return None, [too_large(path, len(data), MAX_FILE_BYTES)]
    text, diags = decode(path, data)
    if text is None:
        return None, diags
    text, diags = scan_characters(path, text)
    if not text.strip() or all(l.strip().startswith("#") or not l.strip() for l in text.splitlines()):
        return None, diags + [error(Position(path), "file-empty", "file holds no procedure",
                                    "start from an existing file in procedure/")]
    try:
        root, tree_diags = _build(path, yaml.parse(text, Loader=_Loader), text)
        return root, diags + tree_diags
    except yaml.reader.ReaderError as exc:  # a character the YAML reader refuses that the scan let through
        before = text[: exc.position]
        pos = Position(path, before.count("\n") + 1, exc.position - (before.rfind("\n") + 1) + 1)
        return None, diags + [error(pos, "control-character", f"character {characters.describe(chr(exc.character))} "
                                    "is not allowed", "delete it")]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        pos = _pos(path, mark) if mark else Position(path)
        message = f"YAML syntax error: {exc.problem or exc.context}"
        if exc.context and exc.problem:
            message = f"YAML syntax error: {exc.problem} ({exc.context})"
        if mark and _is_tab(text, mark):  # libyaml says "found character that cannot start any token"
            return None, diags + [error(pos, "yaml-syntax", "YAML syntax error: a tab character here; YAML indents "
                                        "and separates with spaces only", "replace the tab with spaces")]
        return None, diags + [error(pos, "yaml-syntax", message,
                                    "check indentation, colons and quotes on this line and the one before")]
    except yaml.YAMLError as exc:
        return None, diags + [error(Position(path), "yaml-syntax", f"YAML error: {exc}")]
    except _TreeError as exc:
        return None, diags + [exc.diagnostic]


def _is_tab(text: str, mark) -> bool:
    lines = text.splitlines()
    line = lines[mark.line] if mark.line < len(lines) else ""
    return mark.column < len(line) and line[mark.column] == "\t"


class _TreeError(Exception):
    def __init__(self, diagnostic: Diagnostic):
        self.diagnostic = diagnostic


def _alias_error(path: str, event) -> Diagnostic:
    return error(_pos(path, event.start_mark), "yaml-alias", "YAML anchors and aliases (&name, *name) are not allowed",
                 "write the value out in full; shared roles and forms are referenced by id")


def _build(path: str, events, text: str) -> tuple[Node | None, list[Diagnostic]]:
    stack: list[list] = []  # frames: [container, pending_key, pending_key_pos]
    root: Node | None = None
    documents = 0
    nodes = 0
    diags: list[Diagnostic] = []

    def attach(node: Node) -> None:
        nonlocal root
        if not stack:
            root = node
            return
        frame = stack[-1]
        container = frame[0]
        if isinstance(container, Sequence):
            container.items.append(node)
        elif frame[1] is None:  # this node is a key
            if not isinstance(node, Scalar):
                raise _TreeError(error(node.pos, "yaml-key", "a mapping key must be plain text"))
            key = "" if node.value is None else str(node.value)
            if key in container.entries:
                diags.append(error(node.pos, "yaml-duplicate-key", f"duplicate key '{key}'",
                                   f"'{key}' is first set at line {container.keys[key].line}; keep one"))
            frame[1], frame[2] = key, node.pos
        else:
            container.entries[frame[1]] = node
            container.keys.setdefault(frame[1], frame[2])
            frame[1] = None

    suspect = characters.SUSPECT.search
    scalar_event, mapping_start, sequence_start = yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent
    ends = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
    for event in events:
        cls = type(event)  # one dispatch on the event's class: this loop is the loader's hot path
        if cls is scalar_event or cls is mapping_start or cls is sequence_start:
            if event.anchor:
                raise _TreeError(_alias_error(path, event))
            if event.tag and event.tag not in _STANDARD_TAGS:
                raise _TreeError(error(_pos(path, event.start_mark), "yaml-tag",
                                       f"YAML tag '{event.tag}' is not allowed", "remove the tag"))
            nodes += 1
            if nodes > MAX_NODES:
                raise _TreeError(error(_pos(path, event.start_mark), "file-too-large",
                                       f"file holds more than {MAX_NODES:,} YAML values",
                                       "a procedure this large should be split"))
            if cls is scalar_event:
                if event.style == '"' and suspect(event.value):
                    diags.extend(_escaped_characters(path, text, event))
                try:
                    value = _scalar_value(event)
                except (yaml.YAMLError, ValueError, OverflowError):
                    value = event.value
                attach(Scalar(value, _pos(path, event.start_mark)))
                continue
            if len(stack) >= MAX_DEPTH:
                raise _TreeError(error(_pos(path, event.start_mark), "yaml-too-deep",
                                       f"nesting deeper than {MAX_DEPTH} levels",
                                       "procedure files are at most a few levels deep"))
            pos = _pos(path, event.start_mark)
            stack.append([Mapping({}, {}, pos) if cls is mapping_start else Sequence([], pos), None, None])
        elif cls in ends:
            container = stack.pop()[0]
            if cls is yaml.MappingEndEvent:
                container.end = _pos(path, event.start_mark)
            attach(container)
        elif cls is yaml.AliasEvent:
            raise _TreeError(_alias_error(path, event))
        elif cls is yaml.DocumentStartEvent:
            documents += 1
            if documents > 1:
                raise _TreeError(error(_pos(path, event.start_mark), "yaml-multiple-documents",
                                       "a procedure file holds exactly one YAML document",
                                       "remove the '---' separator and what follows it"))
    if root is None or (isinstance(root, Scalar) and root.value is None):
        return None, [error(Position(path), "file-empty", "file holds no procedure",
                            "start from an existing file in procedure/")]
    return root, diags
