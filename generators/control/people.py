"""The approver register (``procedure/_approvers.yaml``): who may review and approve what, with which keys.

Names in revision entries are typed text; the register binds each name to a person, the function
they act for, their authority, and the public keys they sign with (git's SSH signing). It is the
one source of git's *allowed signers* file (``allowed_signers``), so a signature verifies only when
the register gives that key to that person, at that time (``valid-after`` / ``valid-before``).

The register is append-only once on main (``registers_history.py``): a person's entry is never
edited or removed. A change (a new key, a key revoked, authority given or taken) is a new entry for
the same ``id`` with a later ``valid_from``; the newest entry valid on a day speaks for that day.

``procedure/_approvers.yaml``::

    people:
      - id: wang-qiang                       # a-z, 0-9 and '-': the signer's principal
        name: {zh: 王强, en: Wang Qiang}      # as printed and as written in revision entries
        function: {zh: 总经理, en: General Manager}
        may_review: [all]                    # "all", document numbers, or departments
        may_approve: [QP-XS-01, 销售部]
        valid_from: 2026-12-07
        valid_until: 2027-12-31              # optional
        keys: ["ssh-ed25519 AAAA… wang-qiang"]
        sample: true                         # a sample person of the sample library: never a real approval
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..source.diagnostics import Diagnostic, Position, error
from ..source.model import Text
from ..source.names import canonical, invisible_in_name
from ..source.yamltree import Mapping, Scalar, Sequence
from . import register

FILE = "_approvers.yaml"
RULE = "approver-register"
ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
KEY = re.compile(r"^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp256|ecdsa-sha2-nistp384|ecdsa-sha2-nistp521|"
                 r"sk-ssh-ed25519@openssh\.com|sk-ecdsa-sha2-nistp256@openssh\.com) [A-Za-z0-9+/]{20,}={0,3}( [^\n\r]*)?$")
ALL = "all"


@dataclass(frozen=True)
class Person:
    id: str
    name: Text
    function: Text | None
    may_review: tuple[str, ...]
    may_approve: tuple[str, ...]
    valid_from: str
    valid_until: str | None
    keys: tuple[str, ...]  # "type base64" (the comment dropped)
    sample: bool
    pos: Position

    def valid_on(self, day: str) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)

    def may(self, part: str, number: str, department: str | None) -> bool:
        """Whether this entry gives authority to ``part`` ("review" or "approve") the procedure."""
        scope = self.may_review if part == "review" else self.may_approve
        return ALL in scope or number in scope or bool(department) and department in scope

    def is_named(self, name: str | None) -> bool:
        return bool(canonical(name)) and canonical(name) in {canonical(self.name.zh), canonical(self.name.en)}


@dataclass(frozen=True)
class Register:
    people: tuple[Person, ...]  # every entry, in file order (a person may have several)
    present: bool  # the file exists: signatures are required

    def entry(self, person_id: str, day: str) -> Person | None:
        """The entry that speaks for ``person_id`` on ``day``: the newest one valid then."""
        valid = [p for p in self.people if p.id == person_id and p.valid_on(day)]
        return max(valid, key=lambda p: p.valid_from) if valid else None

    def named(self, name: str | None, day: str | None = None) -> Person | None:
        """The person a revision entry's ``name`` refers to (on ``day``, if given)."""
        found = [p for p in self.people if p.is_named(name) and (day is None or p.valid_on(day))]
        return max(found, key=lambda p: p.valid_from) if found else None

    def by_id(self, person_id: str) -> Person | None:
        found = [p for p in self.people if p.id == person_id]
        return found[-1] if found else None


EMPTY = Register((), False)


def _list(node: Mapping, key: str) -> tuple[str, ...] | None:
    value = node.entries.get(key)
    if isinstance(value, Sequence):
        items = [str(i.value).strip() for i in value.items if isinstance(i, Scalar) and i.value is not None]
        return tuple(i for i in items if i)
    return None


def load(folder: Path) -> tuple[Register, list[Diagnostic]]:
    """The register of ``folder`` (EMPTY when there is none) and a diagnostic for each bad entry."""
    path = folder / FILE
    nodes, diags = register.entries(path, "people", RULE)
    if not path.is_file() or path.is_symlink():
        return EMPTY, diags
    people = []
    seen: dict[tuple[str, str], Position] = {}
    for node in nodes:
        values = {key: register.text(node, key) for key in ("id", "valid_from", "valid_until")}
        name, function = register.bilingual(node, "name"), register.bilingual(node, "function")
        label = f"register entry {values['id'] or '(no id)'}"
        review, approve, keys = _list(node, "may_review"), _list(node, "may_approve"), _list(node, "keys")
        problems = register.require(node, RULE, label, {
            "id": (values["id"], "give each person an id: a-z, 0-9 and '-', e.g. wang-qiang"),
            "name": (name, "the name as printed and as written in revision entries, {zh: …, en: …}"),
            "valid_from": (values["valid_from"], "the first day this entry is in force, YYYY-MM-DD"),
            "keys": (keys, "the person's public signing key(s): the line of their ~/.ssh/id_ed25519.pub"),
        })
        problems += register.date_errors(node, "valid_from", RULE, label) + register.date_errors(node, "valid_until", RULE, label)
        if values["id"] and not ID.match(values["id"]):
            problems.append(error(register.position(node, "id"), RULE, f"{label}: id must be a-z, 0-9 and '-'",
                                  "use the person's name in latin letters, e.g. wang-qiang"))
        if name:
            for lang in ("zh", "en"):
                if invisible_in_name(name[lang]):
                    problems.append(error(name.pos, "name-invisible",
                                          f"{label}: the {lang} name has invisible characters ({', '.join(invisible_in_name(name[lang]))})",
                                          "delete the invisible character: a name is written exactly as the person signs it"))
        for key in keys or ():
            if not KEY.match(key):
                problems.append(error(register.position(node, "keys"), RULE,
                                      f"{label}: '{key[:40]}' is not an SSH public key line",
                                      "paste the whole line of the .pub file: 'ssh-ed25519 AAAA… comment'"))
        if review is None and approve is None:
            problems.append(error(node.pos, RULE, f"{label}: neither may_review nor may_approve",
                                  "list what the person may review and approve: all, document numbers or departments"))
        ident = (values["id"] or "", values["valid_from"] or "")
        if all(ident) and ident in seen:
            problems.append(error(node.pos, RULE, f"{label}: a second entry valid from {ident[1]}",
                                  f"the first is at line {seen[ident].line}; a change is a new entry with a later valid_from"))
        diags += problems
        if problems:
            continue
        seen[ident] = node.pos
        sample = node.entries.get("sample")
        people.append(Person(values["id"], name, function, review or (), approve or (), values["valid_from"],
                             values["valid_until"], tuple(" ".join(k.split()[:2]) for k in keys),
                             isinstance(sample, Scalar) and sample.value is True, node.pos))
    return Register(tuple(people), True), diags


def allowed_signers(reg: Register) -> str:
    """git's allowed-signers file (gpg.ssh.allowedSignersFile): one line per key of every entry,
    valid only in the entry's dates and only for git's namespace."""
    lines = []
    for person in reg.people:
        options = ['namespaces="git"', f'valid-after="{person.valid_from.replace("-", "")}"']
        if person.valid_until:
            options.append(f'valid-before="{person.valid_until.replace("-", "")}235959"')
        lines += [f"{person.id} {','.join(options)} {key}" for key in person.keys]
    return "".join(line + "\n" for line in lines)
