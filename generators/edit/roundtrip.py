"""Round-trip editing of a source: read through the hardened reader, then ruamel.yaml keeps comments,
order, quoting and layout for the edit (``fix``, ``new-revision``)."""
from __future__ import annotations

from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from ..source.yamltree import read_for_editing


class EditError(Exception):
    """The file cannot be edited; ``diagnostics``: the located errors of the hardened reader, if any."""

    def __init__(self, message: str, diagnostics: tuple = ()):
        super().__init__(message)
        self.diagnostics = tuple(diagnostics)


def load_for_editing(path: Path, error: type[EditError]) -> tuple[YAML, object]:
    """(the round-trip YAML that writes it back, the file's data); ``error`` (an EditError) when it
    cannot be edited: no link followed, no alias expanded, size checked before anything is parsed."""
    yaml = YAML()  # round-trip: comments, order and quoting survive
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    text, diags = read_for_editing(path)
    if text is None:
        raise error("the file was not changed: correct the errors above first", diags)
    try:
        return yaml, yaml.load(text)
    except YAMLError as exc:
        raise error(f"cannot read the file: {exc}") from exc
