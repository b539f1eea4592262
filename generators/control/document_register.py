"""The document register: every controlled document that is not a procedure of this library, in one list
(the quality manual, work instructions, documents of external origin with their editions and status).

``procedure/_documents.yaml``::

    documents:
      - number: QM-01                  # its number (a standard's: ISO 9001, GB/T 19001)
        kind: manual                   # manual, instruction, document, standard, regulation or external
        title: {zh: 质量手册, en: Quality Manual}
        edition: A/2                   # edition, version or year
        status: current                # current or withdrawn
      - number: ISO 9001
        kind: standard
        issuer: {zh: 国际标准化组织, en: ISO}
        title: {zh: 质量管理体系 要求, en: Quality management systems — Requirements}
        edition: '2008'
        status: withdrawn
        replaced_by: '2015'            # the edition (of the same number) that replaces it
      - {number: ISO 9001, kind: standard, title: …, edition: '2015', status: current}
      - kind: regulation               # a regulation is known by its title; its edition is the order
        title: {zh: 医疗器械说明书和标签管理规定, en: …}   # that issued it (国家食品药品监督管理总局令第6号)
        edition: {zh: 国家食品药品监督管理总局令第6号, en: CFDA Order No. 6}
        status: current

A procedure's ``related_documents`` are checked against it: a document the register lacks, an edition
it does not list, or an edition it lists as withdrawn is a warning that names the replacement. Without
the file there is nothing to check against, except that a standard or regulation names its edition.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..source.diagnostics import Diagnostic, Position, error, warning
from ..source.model import Procedure, Text
from . import register

FILE = "_documents.yaml"
RULE = "document-register"
KINDS = ("manual", "instruction", "document", "standard", "regulation", "external")
STATUSES = ("current", "withdrawn")
NEEDS_EDITION = ("standard", "regulation")


@dataclass(frozen=True)
class RegisteredDocument:
    number: str
    kind: str
    title: Text
    edition: str
    status: str
    replaced_by: str | None
    issuer: Text | None
    pos: Position
    edition_text: Text | None = None  # an edition in words ({zh: …令第6号, en: … Order No. 6}); edition is its zh


def load(folder: Path) -> tuple[list[RegisteredDocument] | None, list[Diagnostic]]:
    """The register's entries (None when the folder has no register)."""
    path = folder / FILE
    if not path.is_file() or path.is_symlink():
        return None, []
    nodes, diags = register.entries(path, "documents", RULE)
    found = []
    for node in nodes:
        values = {key: register.text(node, key) for key in ("number", "kind", "edition", "status", "replaced_by")}
        edition_text = register.bilingual(node, "edition")  # an edition in words, in both languages
        if edition_text is not None:
            values["edition"] = edition_text.zh
        title = register.bilingual(node, "title")
        named = values["number"] or (title.zh if title is not None and values["kind"] == "regulation" else None)
        name = f"document {named or '(no number)'}" + (f":{values['edition']}" if values["edition"] else "")
        problems = register.require(node, RULE, name, {
            # A regulation is known by its title (its edition is the order that issued it): no number needed.
            "number": (values["number"] or values["kind"] == "regulation", "its number, e.g. QM-01 or ISO 9001"),
            "kind": (values["kind"], "manual, instruction, document, standard, regulation or external"),
            "title": (title, "its title, {zh: …, en: …}"),
            "edition": (values["edition"], "its edition, version or year, e.g. A/2 or '2015', or in words: {zh: …, en: …}"),
            "status": (values["status"], "current or withdrawn"),
        })
        if values["kind"] and values["kind"] not in KINDS:
            problems.append(error(register.position(node, "kind"), RULE, f"{name}: kind '{values['kind']}' is not one of: "
                                  + ", ".join(KINDS), "a procedure of this library is not registered here: it has its own file"))
        if values["status"] and values["status"] not in STATUSES:
            problems.append(error(register.position(node, "status"), RULE, f"{name}: status '{values['status']}' is not "
                                  "current or withdrawn", "a document in use is current; one no longer valid is withdrawn"))
        if values["replaced_by"] and values["status"] == "current":
            problems.append(error(register.position(node, "replaced_by"), RULE,
                                  f"{name} is current but says it is replaced by {values['replaced_by']}",
                                  "set status: withdrawn, or remove replaced_by:"))
        diags += problems
        if not problems:
            found.append(RegisteredDocument(values["number"] or "", values["kind"], title, values["edition"], values["status"],
                                            values["replaced_by"], register.bilingual(node, "issuer"), node.pos,
                                            edition_text))
    editions = {(identity(d), d.edition) for d in found}
    seen: set = set()
    for doc in found:
        if (identity(doc), doc.edition) in seen:
            diags.append(error(doc.pos, RULE, f"document {identity(doc)}:{doc.edition} is listed twice",
                               "list each edition once"))
        seen.add((identity(doc), doc.edition))
        if doc.replaced_by and (identity(doc), doc.replaced_by) not in editions:
            diags.append(error(doc.pos, RULE, f"document {identity(doc)}:{doc.edition} is replaced by edition "
                               f"{doc.replaced_by}, which the register does not list",
                               f"add {identity(doc)}:{doc.replaced_by} with its status"))
    return found, diags


def identity(doc: RegisteredDocument) -> str:
    """What names a registered document: its number, or a regulation's title."""
    return doc.number or doc.title.zh


def _edition_text(edition) -> str | None:
    if edition is None:
        return None
    return edition if isinstance(edition, str) else edition.zh


def check(procedures: list[Procedure], documents: list[RegisteredDocument] | None) -> list[Diagnostic]:
    """Each related document of a procedure that is not a procedure: named with its edition, and (with a
    register) registered, at an edition the register lists as current."""
    diags = []
    by_number: dict[str, list[RegisteredDocument]] = {}
    for doc in documents or []:
        by_number.setdefault(doc.number, []).append(doc)
    for proc in procedures:
        for ref in proc.related_documents:
            if ref.internal:
                continue
            edition = _edition_text(ref.edition)
            named = f"{ref.number or ref.title.zh}"
            if edition is None and ref.kind in NEEDS_EDITION:
                diags.append(warning(ref.pos, "document-edition", f"related {ref.kind} {named} names no edition",
                                     "add 'edition:' (the year or version cited), so a reader knows which one applies"))
            if documents is None or edition is None and ref.kind not in NEEDS_EDITION:
                continue
            listed = (by_number.get(ref.number) if ref.number else None) or [d for d in documents if d.title.zh == ref.title.zh]
            if not listed:
                diags.append(warning(ref.pos, "document-unknown",
                                     f"related document {named} is not in the document register ({FILE})",
                                     f"add it to {FILE} with its edition and status, or correct its number"))
                continue
            if edition is None:
                continue
            match = next((d for d in listed if d.edition == edition), None)
            current = [d.edition for d in listed if d.status == "current"]
            if match is None:
                diags.append(warning(ref.pos, "document-edition",
                                     f"related document {named}: edition {edition} is not in the document register",
                                     "the register lists " + ", ".join(d.edition for d in listed)
                                     + (f"; the current one is {current[0]}" if current else "")))
            elif match.status == "withdrawn":
                replacement = match.replaced_by or (current[0] if current else None)
                diags.append(warning(ref.pos, "document-withdrawn",
                                     f"related document {named}:{edition} is withdrawn"
                                     + (f", replaced by {named}:{replacement}" if replacement else ""),
                                     f"cite {named}:{replacement} in a new revision, and check what changed"
                                     if replacement else "cite what replaces it in a new revision, or remove it"))
    return diags
