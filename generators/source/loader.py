"""Read procedure files into the model. Never raises for a user's mistake.

Reading is tolerant: a value of the wrong shape is treated as absent so that the
rules can still run and report every problem at once.
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from . import model as m
from .diagnostics import Diagnostic, Position, error
from .schema_check import check_structure
from .safefs import read_source, symlink_error
from .yamltree import MAX_FILE_BYTES, Mapping, Node, Scalar, Sequence, parse

PROCEDURE_GLOB = "*.yaml"


def find_sources(paths: list[str]) -> tuple[list[Path], list[Diagnostic]]:
    """Expand files and folders into procedure files (folders: ``*.yaml``, sorted)."""
    files: list[Path] = []
    diags: list[Diagnostic] = []
    for raw in paths:
        raw = raw.rstrip("/") or "/"
        path = Path(raw)
        if path.is_symlink() and path.suffix != ".yaml":  # a linked folder: never followed
            diags.append(symlink_error(raw))
        elif path.is_symlink():  # a linked file: read_source refuses it with a located error
            files.append(path)
        elif path.is_dir():
            found = sorted(p for p in path.glob(PROCEDURE_GLOB)
                           if (p.is_symlink() or not p.is_dir()) and not p.name.startswith("_"))
            if not found:
                diags.append(error(Position(raw), "no-procedures", f"no procedure files (*.yaml) in folder '{raw}'",
                                   "procedures live in procedure/*.yaml"))
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            diags.append(error(Position(raw), "no-procedures", f"no such file or folder '{raw}'"))
    return files, diags


SHARED_FILE = "_shared.yaml"


def load_shared(folder: Path) -> tuple[m.Shared, list[Diagnostic]]:
    """The roles and forms declared once in ``folder/_shared.yaml`` (none when there is no such file)."""
    path = folder / SHARED_FILE
    if not (path.is_symlink() or path.is_file()):
        return m.NO_SHARED, []
    data, problem = read_source(path, MAX_FILE_BYTES)
    if problem is not None:
        return m.NO_SHARED, [problem]
    return shared_from_bytes(str(path), data)


def shared_from_bytes(name: str, data: bytes) -> tuple[m.Shared, list[Diagnostic]]:
    """Shared declarations from bytes (the file, or the file as it was in a git commit)."""
    tree, diags = parse(name, data)
    if tree is None:
        return m.NO_SHARED, diags
    if not isinstance(tree, Mapping):
        return m.NO_SHARED, diags + [error(tree.pos, "type", "_shared.yaml must be a mapping with roles: and forms:")]
    diags += check_structure(tree, "shared")
    roles = {r.id: replace(r, shared=True) for r in (_role(n) for n in _maps(_get(tree, "roles"))) if r.id}
    forms = {f.id: replace(f, shared=True) for f in (_form(n) for n in _maps(_get(tree, "forms"))) if f.id}
    externals = {x.id: replace(x, shared=True) for x in (_external(n) for n in _maps(_get(tree, "externals"))) if x.id}
    return m.Shared(roles, forms, externals), diags


def load_file(path: Path, shared: m.Shared = m.NO_SHARED) -> tuple[m.Procedure | None, list[Diagnostic]]:
    """Read one file; return its model (or None when unreadable) and the diagnostics found so far."""
    data, problem = read_source(path, MAX_FILE_BYTES)
    if problem is not None:
        return None, [problem]
    return load_bytes(str(path), data, path.stem, shared)


def load_tree(name: str, data: bytes) -> tuple[Mapping | None, list[Diagnostic]]:
    """Parse and structure-check one source; the tree is None when it cannot be read at all."""
    tree, diags = parse(name, data)
    if tree is None:
        return None, diags
    if not isinstance(tree, Mapping):
        return None, diags + [error(tree.pos, "type", "a procedure file must be a mapping of keys (number:, version:, ...)",
                                    "start from an existing file in procedure/")]
    return tree, diags + check_structure(tree)


def load_bytes(name: str, data: bytes, slug: str, shared: m.Shared = m.NO_SHARED
               ) -> tuple[m.Procedure | None, list[Diagnostic]]:
    """Read one source from bytes (a file, or a file as it was in a git commit)."""
    tree, diags = load_tree(name, data)
    if tree is None:
        return None, diags
    return _procedure(tree, name, slug, shared), diags


# --- tolerant readers -------------------------------------------------------------


def _get(node: Mapping, key: str) -> Node | None:
    return node.entries.get(key) if isinstance(node, Mapping) else None


def _str(node: Node | None) -> str | None:
    if isinstance(node, Scalar) and node.value is not None and not isinstance(node.value, bool):
        text = str(node.value).strip()
        return text or None
    return None


def _int(node: Node | None) -> int | None:
    if isinstance(node, Scalar) and isinstance(node.value, int) and not isinstance(node.value, bool):
        return node.value
    return None


def _bilingual(node: Node | None) -> m.Text | None:
    if not isinstance(node, Mapping):
        return None
    zh, en = _str(_get(node, "zh")), _str(_get(node, "en"))
    if zh is None and en is None:
        return None
    return m.Text(zh or "", en or "", node.pos)


GAP_KEYS = ("gap", "tbd")


def _gap(node: Node | None) -> m.Gap | None:
    """A marked gap ``{gap: {zh, en}}`` or ``{tbd: {zh, en}}``; None for anything else."""
    if not isinstance(node, Mapping):
        return None
    for key in GAP_KEYS:
        note = _bilingual(_get(node, key))
        if note is not None:
            return m.Gap.of(note, key, node.pos)
    return None


def _text(node: Node | None) -> m.Text | None:
    """A bilingual text, or a marked gap (which reads as a text: 待定：…)."""
    return _gap(node) or _bilingual(node)


def _items(node: Node | None) -> list[Node]:
    return node.items if isinstance(node, Sequence) else []


def _maps(node: Node | None) -> list[Mapping]:
    return [i for i in _items(node) if isinstance(i, Mapping)]


def _texts(node: Node | None) -> tuple[m.Text, ...]:
    return tuple(t for t in (_text(i) for i in _items(node)) if t is not None)


def _ref(node: Node | None, gaps: dict, name: str) -> str | None:
    """An id value; a marked gap instead is recorded in ``gaps[name]`` and reads as None."""
    gap = _gap(node)
    if gap is not None:
        gaps[name] = gap
        return None
    return _str(node)


def _ids_and_texts(node: Node | None) -> tuple[tuple[str, ...], tuple[m.Text, ...]]:
    """A list of ids and free texts (inputs, outputs), split into the two."""
    if isinstance(node, Scalar):  # a single id where a list belongs: the schema reports it, read it anyway
        return _strs(node), ()
    ids = tuple(s for s in (_str(i) for i in _items(node)) if s)
    texts = tuple(t for t in (_text(i) for i in _items(node)) if t is not None)
    return ids, texts


def _section(node: Node | None, build) -> m.Section:
    """An optional list section: its items, or a gap standing for the whole of it."""
    if node is None:
        return m.EMPTY_SECTION
    gap = _gap(node)
    if gap is not None:
        return m.Section((), gap, node.pos)
    return m.Section(tuple(x for x in (build(i) for i in _items(node)) if x is not None), None, node.pos)


def _strs(node: Node | None) -> tuple[str, ...]:
    if isinstance(node, Scalar):
        value = _str(node)
        return (value,) if value else ()
    return tuple(s for s in (_str(i) for i in _items(node)) if s)


def _key_pos(node: Mapping, key: str) -> Position:
    return node.keys.get(key, node.pos)


# --- model builders ----------------------------------------------------------------


def _signature(node: Node | None) -> m.Signature | None:
    if not isinstance(node, Mapping):
        return None
    return m.Signature(_str(_get(node, "name")), _str(_get(node, "date")), node.pos)


def _approval(node: Node | None) -> m.Approval | None:
    if not isinstance(node, Mapping):
        return None
    return m.Approval(*(_signature(_get(node, k)) for k in ("drafted_by", "reviewed_by", "approved_by")), node.pos)


def _revision(node: Mapping) -> m.Revision:
    return m.Revision(
        version=_str(_get(node, "version")) or "", date=_str(_get(node, "date")) or "",
        changes=_texts(_get(node, "changes")), changed_by=_str(_get(node, "changed_by")),
        reviewed_by=_str(_get(node, "reviewed_by")), approved_by=_str(_get(node, "approved_by")), pos=node.pos,
        key_pos=dict(node.keys))


def _objectives(node: Node | None) -> m.Objectives | None:
    if not isinstance(node, Mapping):
        return None
    aspects = {a: _text(_get(node, a)) for a in m.OBJECTIVE_ASPECTS}
    return m.Objectives(_text(_get(node, "statement")), aspects, node.pos)


def _flow_link(node: Node) -> m.FlowLink | None:
    if isinstance(node, Scalar):
        target = _str(node)
        return m.FlowLink(target, None, node.pos) if target else None
    if isinstance(node, Mapping) and _str(_get(node, "to")):
        return m.FlowLink(_str(_get(node, "to")), _text(_get(node, "when")), node.pos)
    return None


def _substep(node: Node) -> m.Substep | None:
    if isinstance(node, Mapping) and "text" in node.entries:
        text = _text(_get(node, "text"))
        if text is None:
            return None
        return m.Substep(text, _str(_get(node, "number")),
                         tuple(s for s in (_substep(i) for i in _items(_get(node, "substeps"))) if s), node.pos)
    text = _text(node)
    return m.Substep(text, None, (), node.pos) if text is not None else None


def _flag(node: Mapping, key: str) -> bool:
    value = _get(node, key)
    return isinstance(value, Scalar) and value.value is True


def _participants(node: Node | None) -> tuple[m.Participant, ...]:
    out = []
    for item in _maps(node):
        role, part = _str(_get(item, "role")), _str(_get(item, "part"))
        if role and part in m.PARTS:
            out.append(m.Participant(role, part, item.pos))
    return tuple(out)


def _step(node: Mapping, number: int) -> m.Step:
    gaps: dict = {}
    outputs, output_texts = _ids_and_texts(_get(node, "outputs"))
    inputs, input_texts = _ids_and_texts(_get(node, "inputs"))
    return m.Step(
        id=_str(_get(node, "id")) or "", number=number, title=_text(_get(node, "title")) or m.Text("", "", node.pos),
        description=_text(_get(node, "description")),
        substeps=tuple(s for s in (_substep(i) for i in _items(_get(node, "substeps"))) if s),
        owner=_ref(_get(node, "owner"), gaps, "owner"), owner_pos=_key_pos(node, "owner"),
        outputs=outputs, outputs_pos=_key_pos(node, "outputs"),
        decision=_text(_get(node, "decision")),
        next=tuple(l for l in (_flow_link(i) for i in _items(_get(node, "next"))) if l), pos=node.pos,
        parallel=_flag(node, "parallel"), join=_flag(node, "join"), clause=_str(_get(node, "clause")),
        participants=_participants(_get(node, "participants")), inputs=inputs, input_texts=input_texts,
        output_texts=output_texts, gaps=gaps, key_pos=dict(node.keys))


def _document(node: Mapping) -> m.Document:
    gaps: dict = {}
    recipient = _get(node, "recipient")
    if _gap(recipient) is not None:
        gaps["recipient"] = _gap(recipient)
    return m.Document(
        id=_str(_get(node, "id")) or "", title=_text(_get(node, "title")),
        producer=_ref(_get(node, "producer"), gaps, "producer"),
        content=_text(_get(node, "content")), recipients=_strs(recipient),
        deadline=_text(_get(node, "deadline")), form=_str(_get(node, "form")), pos=node.pos,
        key_pos={k: node.keys[k] for k in node.keys}, gaps=gaps)


def _field(node: Mapping) -> m.FormField:
    return m.FormField(
        id=_str(_get(node, "id")) or "", label=_text(_get(node, "label")) or m.Text("", "", node.pos),
        type=_str(_get(node, "type")) or "text", width=_int(_get(node, "width")) or 12,
        options=_texts(_get(node, "options")), pos=node.pos)


def _form(node: Mapping) -> m.Form:
    gaps: dict = {}
    return m.Form(
        id=_str(_get(node, "id")) or "", number=_str(_get(node, "number")) or "",
        version=_str(_get(node, "version")) or "", title=_text(_get(node, "title")) or m.Text("", "", node.pos),
        owner=_ref(_get(node, "owner"), gaps, "owner") or "", retention=_text(_get(node, "retention")),
        storage=_text(_get(node, "storage")), rows=_int(_get(node, "rows")),
        fields=tuple(_field(f) for f in _maps(_get(node, "fields"))), pos=node.pos,
        columns=tuple(_field(f) for f in _maps(_get(node, "columns"))),
        footer=tuple(_field(f) for f in _maps(_get(node, "footer"))),
        disposal=_text(_get(node, "disposal")), gaps=gaps)


def _external(node: Mapping) -> m.External:
    return m.External(_str(_get(node, "id")) or "", _bilingual(_get(node, "name")) or m.Text("", "", node.pos),
                      _str(_get(node, "kind")) or "other", node.pos)


def _start(node: Node, first_step: str | None) -> m.Start | None:
    if not isinstance(node, Mapping):
        return None
    trigger = _text(_get(node, "trigger")) or m.Text("", "", node.pos)
    return m.Start(_str(_get(node, "id")) or "", trigger, _str(_get(node, "by")),
                   _str(_get(node, "to")) or first_step or "", node.pos)


def _document_ref(node: Node | None) -> m.Reference | None:
    if not isinstance(node, Mapping):
        return None
    title = _text(_get(node, "title"))
    return m.Reference(_str(_get(node, "number")), title, node.pos) if title is not None else None


def _end(node: Node) -> m.End | None:
    if not isinstance(node, Mapping) or not _str(_get(node, "id")):
        return None
    kind = _str(_get(node, "kind"))
    return m.End(_str(_get(node, "id")), kind if kind in m.END_KINDS else "completed", _text(_get(node, "title")),
                 _document_ref(_get(node, "procedure")), node.pos)


def _clause(node: Node) -> m.Clause | None:
    """A clause mapping, or a bare {zh, en} item (a clause with text only)."""
    if not isinstance(node, Mapping):
        return None
    if _text(node) is not None and not ({"number", "title", "text", "items", "id"} & set(node.entries)):
        return m.Clause(None, None, None, _text(node), (), node.pos)
    return m.Clause(_str(_get(node, "id")), _str(_get(node, "number")), _text(_get(node, "title")),
                    _text(_get(node, "text")), tuple(c for c in (_clause(i) for i in _items(_get(node, "items"))) if c),
                    node.pos)


def _responsibility(node: Node) -> m.Responsibility | None:
    if not isinstance(node, Mapping):
        return None
    role = _get(node, "role")
    return m.Responsibility(_str(_get(node, "number")), _strs(role), _text(_get(node, "text")),
                            tuple(c for c in (_clause(i) for i in _items(_get(node, "items"))) if c), node.pos,
                            gap=_gap(role))


def _definition(node: Node) -> m.Definition | None:
    if not isinstance(node, Mapping) or _bilingual(_get(node, "term")) is None:
        return None
    return m.Definition(_str(_get(node, "number")), _bilingual(_get(node, "term")), _text(_get(node, "definition")),
                        node.pos)


def _related(node: Node) -> m.RelatedDocument | None:
    if not isinstance(node, Mapping) or _text(_get(node, "title")) is None:
        return None
    kind = _str(_get(node, "kind"))
    edition = _get(node, "edition")
    return m.RelatedDocument(kind if kind in m.RELATED_KINDS else "procedure", _str(_get(node, "number")),
                             _text(_get(node, "title")), _text(edition) or _str(edition), _text(_get(node, "issuer")),
                             node.pos)


def _record(node: Node) -> m.Record | None:
    if not isinstance(node, Mapping):
        return None
    gaps: dict = {}
    return m.Record(_str(_get(node, "number")), _str(_get(node, "form")), _text(_get(node, "title")),
                    _ref(_get(node, "keeper"), gaps, "keeper"), _text(_get(node, "retention")),
                    _text(_get(node, "storage")), _text(_get(node, "disposal")), node.pos, gaps)


def _role(node: Mapping) -> m.Role:
    return m.Role(_str(_get(node, "id")) or "", _text(_get(node, "name")) or m.Text("", "", node.pos),
                  _text(_get(node, "department")), _text(_get(node, "duties")), node.pos)


def _resolve(node: Mapping, declared: dict, build, placeholder):
    """A declared item, or the shared one a {ref: id} names (a placeholder marked missing if none)."""
    ref = _str(_get(node, "ref"))
    if ref is None:
        return build(node)
    if ref in declared:
        return replace(declared[ref], pos=node.pos)
    return placeholder(ref, node.pos)


def _references(node: Node | None) -> tuple[m.Reference, ...]:
    out = []
    for item in _maps(node):
        title = _text(_get(item, "title"))
        if title is not None:
            out.append(m.Reference(_str(_get(item, "number")), title, item.pos))
    return tuple(out)


def _procedure(root: Mapping, path: str, slug: str, shared: m.Shared = m.NO_SHARED) -> m.Procedure:
    steps = tuple(_step(s, i) for i, s in enumerate(_maps(_get(root, "steps")), start=1))
    first = steps[0].id if steps else None
    return m.Procedure(
        path=path, slug=slug, number=_str(_get(root, "number")) or "", version=_str(_get(root, "version")) or "",
        title=_text(_get(root, "title")) or m.Text(slug, slug, root.pos), department=_text(_get(root, "department")),
        effective_date=_str(_get(root, "effective_date")), review_due=_str(_get(root, "review_due")),
        approval=_approval(_get(root, "approval")),
        revisions=tuple(_revision(r) for r in _maps(_get(root, "revisions"))),
        scope=_text(_get(root, "scope")), objectives=_objectives(_get(root, "objectives")),
        roles=tuple(_resolve(r, shared.roles, _role,
                             lambda ref, pos: m.Role(ref, m.Text(ref, ref, pos), None, None, pos, missing=True))
                    for r in _maps(_get(root, "roles"))),
        control_points=tuple(m.ControlPoint(_str(_get(c, "id")) or "", _text(_get(c, "text")) or m.Text("", "", c.pos),
                                            _strs(_get(c, "steps")), c.pos)
                             for c in _maps(_get(root, "control_points"))),
        steps=steps,
        documents=tuple(_document(d) for d in _maps(_get(root, "documents"))),
        forms=tuple(_resolve(f, shared.forms, _form,
                             lambda ref, pos: m.Form(ref, "", "", m.Text(ref, ref, pos), "", None, None, None, (), pos,
                                                     missing=True))
                    for f in _maps(_get(root, "forms"))),
        pos=root.pos, key_pos=dict(root.keys), references=_references(_get(root, "references")),
        purpose=_text(_get(root, "purpose")),
        responsibilities=_section(_get(root, "responsibilities"), _responsibility),
        definitions=_section(_get(root, "definitions"), _definition),
        clauses=_section(_get(root, "clauses"), _clause), clauses_title=_text(_get(root, "clauses_title")),
        related_documents=_section(_get(root, "related_documents"), _related),
        records=_section(_get(root, "records"), _record),
        externals=tuple(_resolve(x, shared.externals, _external,
                                 lambda ref, pos: m.External(ref, m.Text(ref, ref, pos), "other", pos, missing=True))
                        for x in _maps(_get(root, "externals"))),
        starts=tuple(x for x in (_start(i, first) for i in _items(_get(root, "starts"))) if x),
        ends=tuple(x for x in (_end(i) for i in _items(_get(root, "ends"))) if x),
        self_approval_reason=_text(_get(root, "self_approval_reason")))
