"""Safe YAML reading into a tree whose every node knows its source position.

Built from the parser's event stream rather than ``yaml.load`` so that we can:
reject duplicate keys, anchors/aliases (no alias bombs), explicit tags (no Python
objects), excessive nesting and oversized files, all as diagnostics, never as
exceptions. libyaml's C parser is used when present; positions are kept either way.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Union

import yaml

from .diagnostics import Diagnostic, Position, error

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


def _scalar_value(event) -> Any:
    """Resolve a plain scalar like YAML 1.1 safe loading does, but keep dates as text."""
    if not event.style and event.implicit[0]:  # plain (libyaml says "", PyYAML None)
        tag = _plain_tag(event.value)
    elif event.tag in (None, "!"):
        tag = "tag:yaml.org,2002:str"
    else:
        tag = event.tag
    if tag in ("tag:yaml.org,2002:str", "tag:yaml.org,2002:timestamp"):
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


def parse(path: str, data: bytes) -> tuple[Node | None, list[Diagnostic]]:
    """Parse bytes into a positioned tree; on any problem return diagnostics instead."""
    if len(data) > MAX_FILE_BYTES:
        return None, [error(Position(path), "file-too-large",
                            f"file is {len(data):,} bytes, over the {MAX_FILE_BYTES:,}-byte limit",
                            "split the procedure or remove pasted binary content")]
    text, diags = decode(path, data)
    if text is None:
        return None, diags
    if not text.strip() or all(l.strip().startswith("#") or not l.strip() for l in text.splitlines()):
        return None, [error(Position(path), "file-empty", "file holds no procedure",
                            "start from an existing file in procedure/")]
    try:
        return _build(path, yaml.parse(text, Loader=_Loader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        pos = _pos(path, mark) if mark else Position(path)
        message = f"YAML syntax error: {exc.problem or exc.context}"
        if exc.context and exc.problem:
            message = f"YAML syntax error: {exc.problem} ({exc.context})"
        return None, [error(pos, "yaml-syntax", message,
                            "check indentation, colons and quotes on this line and the one before")]
    except yaml.YAMLError as exc:
        return None, [error(Position(path), "yaml-syntax", f"YAML error: {exc}")]
    except _TreeError as exc:
        return None, [exc.diagnostic]


class _TreeError(Exception):
    def __init__(self, diagnostic: Diagnostic):
        self.diagnostic = diagnostic


def _alias_error(path: str, event) -> Diagnostic:
    return error(_pos(path, event.start_mark), "yaml-alias", "YAML anchors and aliases (&name, *name) are not allowed",
                 "write the value out in full; shared roles and forms are referenced by id")


def _build(path: str, events) -> tuple[Node | None, list[Diagnostic]]:
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
