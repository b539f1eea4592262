"""What changed between two revisions of a procedure, in the procedure's own terms.

Every section is compared, in the order of the printed procedure: header, purpose, scope,
responsibilities, definitions, objectives, roles, outside parties, control points, clauses (at every
depth, by the source's number or, where it has none, by position), starts, steps, ends, documents,
forms, references, related documents and records. Each line is said in both languages from the
labels table; a change of the English translation alone is said as such.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from ..source.deadlines import condition_text, deadline_text
from ..source.labels import label
from ..source.model import Procedure, Text

LANGS = ("zh", "en")
_CJK = re.compile(r"[\u3400-\u9fff]")
_DASH = {"zh": "—", "en": "—"}


@dataclass(frozen=True)
class Change:
    """One change: a bilingual summary line, and the old and new text where a text changed (the
    Chinese text; the English one where only the translation changed)."""

    summary: dict  # lang -> text, e.g. "Step 4 (Marketing analysis) owner: 项目策划主管 → 市场营销部经理"
    old: str | None = None
    new: str | None = None
    text_lang: str = "zh"  # the language of old and new: "en" where only the translation changed
    has_text: bool = field(init=False, compare=False)  # a text before or after it, to show beside the summary

    def __post_init__(self) -> None:
        object.__setattr__(self, "has_text", self.old is not None or self.new is not None)


def _l(key: str, lang: str) -> str:
    return str(label(key, lang))


def _word(key: str) -> dict:
    return {lang: _l(key, lang) for lang in LANGS}


def _joined(*parts: dict) -> dict:
    """Parts of a subject, each said in both languages, joined with spaces ("条款 4.1.2", "clause 4.1.2")."""
    return {lang: " ".join(p[lang] for p in parts if p[lang]) for lang in LANGS}


def _of(key: str, *parts: dict) -> dict:
    return _joined(_word(key), *parts)


def _plain(text: str) -> dict:
    return {"zh": text, "en": text}


def _say(key: str, what: dict, **values: dict) -> dict:
    """The pattern ``key`` ("{what}修改" / "{what} changed") said of ``what`` in both languages. In
    Chinese a subject ending in a number or code stands apart from the word after it ("条款 4.1.2 修改")."""
    out = {}
    for lang in LANGS:
        pattern, subject = _l(key, lang), what[lang]
        if lang == "zh" and subject[-1:].isascii() and subject[-1:].strip() and _CJK.match(pattern, len("{what}")):
            subject += " "
        out[lang] = pattern.format(what=subject, **{name: value[lang] for name, value in values.items()})
    return out


def _texts(value) -> tuple | None:
    return (value.zh, value.en) if value is not None else None


def _text_change(what: dict, old: Text | None, new: Text | None, part: str | None = None) -> list[Change]:
    """A text added, removed, changed, or changed in its English translation only. ``part`` names the
    text where it is added or removed and ``what`` is the item it belongs to ("条款 4.1 正文删除"): the
    item itself stays."""
    if _texts(old) == _texts(new):
        return []
    if part and (old is None or new is None):
        what = _joined(what, _word(part))
    if old is None:
        return [Change(_say("chg_added", what, name={"zh": new.zh, "en": new.en}), None, new.zh)]
    if new is None:
        return [Change(_say("chg_removed_bare", what), old.zh, None)]
    if old.zh == new.zh:
        return [Change(_say("chg_translation", what), old.en, new.en, "en")]
    return [Change(_say("chg_changed", what), old.zh, new.zh)]


def _value_change(what: dict, old, new, old_names: dict, new_names: dict, quiet: bool = False) -> list[Change]:
    """A value that readers see by its names: ``old`` and ``new`` identify it; where they differ, the
    names say how (a change of the English names alone is a translation change). Where the names are the
    same, the line says only that it changed, or (``quiet``) nothing: another role of the same name."""
    if old == new:
        return []
    if old_names["zh"] != new_names["zh"]:
        return [Change(_say("chg_set", what, old=old_names, new=new_names))]
    if old_names["en"] != new_names["en"]:
        return [Change(_say("chg_translation", what), old_names["en"], new_names["en"], "en")]
    return [] if quiet else [Change(_say("chg_changed", what))]


def _distribution(old: Procedure, new: Procedure) -> list[Change]:
    """Who receives the procedure (发放范围): departments, roles and outside parties, by name."""
    def names(proc: Procedure) -> dict:
        items = proc.distribution.items
        return {lang: _listed([r.department[lang] if r.department else _party(proc, r.role or r.external or "", lang)
                               for r in items], lang) for lang in LANGS}

    def key(proc: Procedure) -> tuple:
        return tuple((r.department.zh if r.department else None, r.role, r.external) for r in proc.distribution.items)

    return _value_change(_word("chg_distribution"), key(old), key(new), names(old), names(new))


def _listed(names, lang: str) -> str:
    return ("、" if lang == "zh" else ", ").join(names) or "—"


def _party(proc: Procedure, party_id: str, lang: str) -> str:
    party = proc.role(party_id) or proc.external(party_id)  # an outside party may produce or receive
    return party.name[lang] if party else _l("undeclared_role", lang)


def _parties(proc: Procedure, ids: tuple[str, ...], gap=None) -> dict:
    """Roles or outside parties by name; the gap written in their place, where the source names none."""
    if not ids and gap is not None:
        return {lang: gap[lang] for lang in LANGS}
    return {lang: _listed([_party(proc, i, lang) for i in ids], lang) for lang in LANGS}


def _role_change(what: dict, old: Procedure, new: Procedure, before: tuple[str, ...], after: tuple[str, ...],
                 gap_before=None, gap_after=None) -> list[Change]:
    """A change of the role(s) in charge of something, named as the roles were then and are now. Another
    role of the same name is no change to readers; a role renamed is said once, in the roles."""
    return _value_change(what, (before, _texts(gap_before)), (after, _texts(gap_after)),
                         _parties(old, before, gap_before), _parties(new, after, gap_after), quiet=True)


def _ids(value: str | None) -> tuple[str, ...]:
    return (value,) if value else ()


def _matched(kind: str, old_items, new_items, name, same=None) -> tuple[list[Change], list[tuple]]:
    """Items with ids: the lines for those added, then those removed, each by its name; and the pairs
    (before, after) of those in both, in the new order. An item whose id changed but which readers know
    by the same name (``same``: its Chinese name) is the same item."""
    same = same or (lambda item: name(item)["zh"])
    old_by_id, new_ids = {i.id: i for i in old_items}, {i.id for i in new_items}
    unpaired = [i for i in old_items if i.id not in new_ids]
    added, pairs = [], []
    for item in new_items:
        before = old_by_id.get(item.id) or next((o for o in unpaired if same(o) == same(item)), None)
        if before is None:
            added.append(item)
            continue
        if before in unpaired:
            unpaired.remove(before)
        pairs.append((before, item))
    lines = [Change(_say("chg_added", _word(kind), name=name(i))) for i in added]
    return lines + [Change(_say("chg_removed", _word(kind), name=name(i))) for i in unpaired], pairs


def _aligned(old_items, new_items, key, identified) -> list[tuple]:
    """Items without ids, paired in reading order as (index before, index after) (None: added or removed).

    Items with the same key pair; where the two revisions differ, items that have no identity of their
    own (no number: only their place) pair by position, so an edited text is a change, not a removal
    and an addition; items with their own number never pair with another number."""
    pairs: list[tuple] = []
    matcher = difflib.SequenceMatcher(a=[key(i) for i in old_items], b=[key(i) for i in new_items], autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        before, after = list(range(i1, i2)), list(range(j1, j2))
        while before and after and (op == "equal" or not (identified(old_items[before[0]])
                                                          or identified(new_items[after[0]]))):
            pairs.append((before.pop(0), after.pop(0)))
        pairs += [(i, None) for i in before] + [(None, j) for j in after]
    return pairs


def compare(old: Procedure, new: Procedure) -> list[Change]:
    """The changes from ``old`` to ``new``, every section, in the order of the printed procedure."""
    out: list[Change] = []
    for key in ("number", "effective_date", "review_due"):
        before, after = getattr(old, key) or "—", getattr(new, key) or "—"
        out += _value_change(_word(f"chg_{key}"), (before,), (after,), _plain(before), _plain(after))
    out += _text_change(_word("chg_title"), old.title, new.title)
    out += _text_change(_word("chg_department"), old.department, new.department)
    out += _distribution(old, new)
    out += _text_change(_word("chg_purpose"), old.purpose, new.purpose)
    out += _text_change(_word("chg_scope"), old.scope, new.scope)
    out += _responsibilities(old, new) + _definitions(old, new) + _objectives(old, new)
    out += _roles(old, new) + _externals(old, new) + _control_points(old, new) + _clauses(old, new)
    out += _starts(old, new) + _steps(old, new) + _ends(old, new) + _documents(old, new) + _forms(old, new)
    out += _related("chg_reference", old.references, new.references)
    out += _section_gap("chg_related_documents", old.related_documents, new.related_documents)
    out += _related("chg_related", old.related_documents, new.related_documents)
    out += _records(old, new)
    # A line starts with a capital in English ("Clause 4.1.2 changed").
    return [Change({"zh": c.summary["zh"], "en": c.summary["en"][:1].upper() + c.summary["en"][1:]}, c.old, c.new,
                   c.text_lang)
            for c in out]


def _section_gap(kind: str, old_section, new_section) -> list[Change]:
    """A gap standing for a whole section (``definitions: {gap: …}``) written, changed or resolved."""
    return _text_change({lang: _l(kind, lang) + _l("chg_gap", lang) for lang in LANGS}, old_section.gap, new_section.gap)


# --- Nested items: clauses, a responsibility's items, sub-steps -------------------------------------

def _children(item) -> tuple:
    return item.items if hasattr(item, "items") else item.substeps


def _item_key(item) -> tuple:
    if item.number:
        return ("number", item.number)
    return ("text", _texts(getattr(item, "title", None)), _texts(item.text))


def _place(parent: tuple, parent_number: str | None, item, index: int) -> tuple:
    """Where an item stands, as readers find it: the source's number ("4.1.2"; after its parent's where the
    source numbers it within its parent: "4.2.1", "a)"), else its position (1-based) under its parent."""
    if not item.number:
        return parent + (index,)
    if parent and not (parent_number and item.number.startswith(parent_number)):
        return parent + (item.number,)
    return (item.number,)


def _said(place: tuple) -> dict:
    """A place said in both languages: numbers as the source gives them, names as they are, and a run of
    positions as one ("第 2.1 项" / "item 2.1")."""
    out = {}
    for lang in LANGS:
        words: list[str] = []
        for index, part in enumerate(place):
            if isinstance(part, int):
                if index and isinstance(place[index - 1], int):
                    continue  # said with the first position of its run
                run = [str(part)]
                for following in place[index + 1:]:
                    if not isinstance(following, int):
                        break
                    run.append(str(following))
                words.append(_l("chg_item", lang).format(n=".".join(run)))
            else:
                words.append(part[lang] if isinstance(part, dict) else part)
        out[lang] = " ".join(words)
    return out


def _item_lines(item, depth: int = 0) -> list[str]:
    """An item and everything under it, in Chinese, one line each (the text of an addition or removal)."""
    title = getattr(item, "title", None)
    own = " ".join(p for p in (item.number, title.zh if title else None, item.text.zh if item.text else None) if p)
    return ["  " * depth + own] + [line for child in _children(item) for line in _item_lines(child, depth + 1)]


def _nested(kind: dict, old_items, new_items, parent_old: tuple = (), parent_new: tuple = (),
            number_old: str | None = None, number_new: str | None = None) -> list[Change]:
    """Changes to nested items at every depth, each named by its place under ``kind`` ("条款 4.1.2")."""
    out: list[Change] = []
    for i, j in _aligned(old_items, new_items, _item_key, lambda item: bool(item.number)):
        if i is None or j is None:
            item = new_items[j] if i is None else old_items[i]
            place = _place(parent_new, number_new, item, j + 1) if i is None else _place(parent_old, number_old, item, i + 1)
            verb = "chg_added" if i is None else "chg_removed"
            title = getattr(item, "title", None)
            what = _joined(kind, _said(place))
            summary = _say(verb, what, name=title) if title else _say(f"{verb}_bare", what)
            text = "\n".join(_item_lines(item))
            out.append(Change(summary, None if i is None else text, None if j is None else text))
            continue
        before, after = old_items[i], new_items[j]
        place_old, place_new = _place(parent_old, number_old, before, i + 1), _place(parent_new, number_new, after, j + 1)
        what = _joined(kind, _said(place_new))
        out += _text_change(_joined(what, _word("chg_heading")), getattr(before, "title", None), getattr(after, "title", None))
        out += _text_change(what, before.text, after.text, "chg_text")
        out += _nested(kind, _children(before), _children(after), place_old, place_new,
                       before.number or number_old, after.number or number_new)
    return out


def _clauses(old: Procedure, new: Procedure) -> list[Change]:
    out = _text_change(_word("chg_clauses_title"), old.clauses_title, new.clauses_title)
    out += _section_gap("chg_clauses", old.clauses, new.clauses)
    return out + _nested(_word("chg_clause"), old.clauses.items, new.clauses.items)


def _responsibilities(old: Procedure, new: Procedure) -> list[Change]:
    """Each responsibility named by the source's number, else by its roles, else by its position."""
    out = _section_gap("chg_responsibilities", old.responsibilities, new.responsibilities)
    old_items, new_items = old.responsibilities.items, new.responsibilities.items

    def key(item) -> tuple:
        return ("number", item.number) if item.number else ("roles", item.roles) if item.roles else ("text", _texts(item.text))

    def place(proc: Procedure, item, index: int) -> tuple:
        return (item.number or (_parties(proc, item.roles) if item.roles else index),)

    # Only the source's number is an identity: a responsibility whose roles changed in place is changed.
    for i, j in _aligned(old_items, new_items, key, lambda item: bool(item.number)):
        if i is None or j is None:
            item, proc = (new_items[j], new) if i is None else (old_items[i], old)
            text = "\n".join([item.text.zh if item.text else ""] + [line for c in item.items for line in _item_lines(c)]).strip()
            name = _joined(_plain(item.number or ""), _parties(proc, item.roles, item.gap))
            out.append(Change(_say("chg_added" if i is None else "chg_removed", _word("chg_responsibility"), name=name),
                              None if i is None else text, None if j is None else text))
            continue
        before, after = old_items[i], new_items[j]
        place_old, place_new = place(old, before, i + 1), place(new, after, j + 1)
        what = _of("chg_responsibility", _said(place_old))
        out += _role_change(_joined(what, _word("chg_role")), old, new, before.roles, after.roles, before.gap, after.gap)
        out += _text_change(what, before.text, after.text, "chg_text")
        out += _nested(_word("chg_responsibility"), before.items, after.items, place_old, place_new, before.number, after.number)
    return out


def _definitions(old: Procedure, new: Procedure) -> list[Change]:
    """Each term by the source's number, else by the term itself."""
    out = _section_gap("chg_definitions", old.definitions, new.definitions)
    old_items, new_items = old.definitions.items, new.definitions.items
    for i, j in _aligned(old_items, new_items, lambda d: ("number", d.number) if d.number else ("term", d.term.zh),
                         lambda d: bool(d.number)):
        item = old_items[i] if j is None else new_items[j]
        name = _joined(_plain(item.number or ""), {lang: item.term[lang] for lang in LANGS})
        if i is None or j is None:
            text = f"{item.term.zh}：{item.definition.zh}" if item.definition else item.term.zh
            out.append(Change(_say("chg_added" if i is None else "chg_removed", _word("chg_definition"), name=name),
                              None if i is None else text, None if j is None else text))
            continue
        before = old_items[i]
        what = _of("chg_definition", _plain(before.number or ""), {lang: before.term[lang] for lang in LANGS})
        out += _text_change(_joined(what, _word("chg_name")), before.term, item.term)
        out += _text_change(_joined(what, _word("chg_definition_text")), before.definition, item.definition)
    return out


def _objectives(old: Procedure, new: Procedure) -> list[Change]:
    out = _text_change(_word("chg_objectives"), old.objectives.statement if old.objectives else None,
                       new.objectives.statement if new.objectives else None)
    for aspect in "AQCTR":
        out += _text_change(_of("chg_objective", _plain(aspect)),
                            old.objectives.aspects.get(aspect) if old.objectives else None,
                            new.objectives.aspects.get(aspect) if new.objectives else None)
    return out


# --- Roles, outside parties, control points ----------------------------------------------------------

def _roles(old: Procedure, new: Procedure) -> list[Change]:
    out, pairs = _matched("chg_role", old.roles, new.roles, lambda r: {lang: r.name[lang] for lang in LANGS})
    for before, role in pairs:
        what = _of("chg_role", {lang: before.name[lang] for lang in LANGS})
        out += _text_change(_joined(what, _word("chg_name")), before.name, role.name)
        out += _text_change(_joined(what, _word("chg_role_department")), before.department, role.department)
        out += _text_change(_joined(what, _word("chg_duties")), before.duties, role.duties)
        # A committee (MRB, audit team): the roles it is made of and who chairs it.
        out += _value_change(_joined(what, _word("chg_members")), before.members, role.members,
                             _parties(old, before.members), _parties(new, role.members), quiet=True)
        out += _value_change(_joined(what, _word("chg_chair")), _ids(before.chair), _ids(role.chair),
                             _parties(old, _ids(before.chair)) if before.chair else _DASH,
                             _parties(new, _ids(role.chair)) if role.chair else _DASH, quiet=True)
    return out


def _kind(prefix: str, kind: str) -> dict:
    return _word(f"{prefix}_{kind}")


def _externals(old: Procedure, new: Procedure) -> list[Change]:
    out, pairs = _matched("chg_external", old.externals, new.externals, lambda x: {lang: x.name[lang] for lang in LANGS})
    for before, party in pairs:
        what = _of("chg_external", {lang: before.name[lang] for lang in LANGS})
        out += _text_change(_joined(what, _word("chg_name")), before.name, party.name)
        out += _value_change(_joined(what, _word("chg_kind")), (before.kind,), (party.kind,),
                             _kind("external", before.kind), _kind("external", party.kind))
    return out


def _step_name(step, lang: str) -> str:
    return f"{step.number} {step.title[lang]}" if lang == "zh" else f"{step.number} ({step.title[lang]})"


def _step_names(proc: Procedure, ids) -> dict:
    """Steps by number and title (an id that names no step, as written)."""
    def name(step_id: str, lang: str) -> str:
        step = proc.step(step_id)
        return _step_name(step, lang) if step else step_id
    return {lang: _listed([name(i, lang) for i in ids], lang) for lang in LANGS}


def _control_points(old: Procedure, new: Procedure) -> list[Change]:
    out, pairs = _matched("chg_control_point", old.control_points, new.control_points,
                          lambda c: {lang: c.text[lang] for lang in LANGS})
    for before, point in pairs:
        number = new.control_points.index(point) + 1
        what = _of("chg_control_point", _plain(str(number)))
        out += _text_change(what, before.text, point.text)
        old_names, new_names = _step_names(old, before.steps), _step_names(new, point.steps)
        out += _value_change(_joined(what, _word("chg_applies_to")), before.steps, point.steps, old_names, new_names, quiet=True)
    return out


# --- The flow: starts, steps, ends ----------------------------------------------------------------------

def _starts(old: Procedure, new: Procedure) -> list[Change]:
    def name(start) -> dict:
        return {lang: start.trigger[lang] for lang in LANGS}

    out, pairs = _matched("chg_start", old.starts, new.starts, name)
    for before, start in pairs:
        what = _of("chg_start", name(before))
        out += _text_change(_joined(what, _word("chg_name")), before.trigger, start.trigger)
        out += _role_change(_joined(what, _word("chg_triggered_by")), old, new, _ids(before.by), _ids(start.by))
        out += _value_change(_joined(what, _word("chg_first_step")), before.to, start.to,
                             _step_names(old, (before.to,)), _step_names(new, (start.to,)), quiet=True)
    return out


def _end_name(end) -> dict:
    return {lang: end.title[lang] if end.title else _l(f"end_{end.kind}", lang) for lang in LANGS}


def _reference_name(ref) -> dict:
    if ref is None:
        return _DASH
    return {lang: f"{ref.number} {ref.title[lang]}" if ref.number else ref.title[lang] for lang in LANGS}


def _ends(old: Procedure, new: Procedure) -> list[Change]:
    out, pairs = _matched("chg_end", old.ends, new.ends, _end_name)
    for before, end in pairs:
        what = _of("chg_end", _end_name(before))
        out += _value_change(_joined(what, _word("chg_kind")), (before.kind,), (end.kind,),
                             _kind("end", before.kind), _kind("end", end.kind))
        out += _text_change(_joined(what, _word("chg_name")), before.title, end.title)
        old_names, new_names = _reference_name(before.procedure), _reference_name(end.procedure)
        out += _value_change(_joined(what, _word("chg_hand_off")), old_names, new_names, old_names, new_names)
    return out


def _outputs(proc: Procedure, ids: tuple[str, ...], texts: tuple[Text, ...], lang: str,
             other: Procedure | None = None) -> str:
    """Outputs named as readers know them: the title this revision gives, else the one the other
    revision gives (an earlier revision may list outputs it never declared); the id only where neither
    has one; then the outputs the source names in words only."""
    def name(output_id: str) -> str:
        for source in (proc, other):
            document = source and source.document(output_id)
            if document:
                return document_name(document, lang)  # an untitled document by its content, never its id
            form = source and source.form(output_id)
            title = form.title[lang] if form else ""  # a missing title loads as empty text
            if title:
                return title
        return output_id
    return _listed([name(i) for i in ids] + [t[lang] for t in texts], lang)


def _flow(proc: Procedure, step) -> tuple[tuple, tuple, dict]:
    """Where a step leads: (its targets with their conditions in Chinese, in English, the names)."""
    links = proc.successors(step)

    def target(step_id: str, lang: str) -> str:
        found = proc.step(step_id)
        if found:
            return _step_name(found, lang)
        end = proc.end(step_id)
        return _end_name(end)[lang] if end and end.title else _l("end", lang) if end else step_id

    def said(lang: str) -> str:
        names = [target(link.target, lang) + (f"{_l('lparen', lang)}{link.when[lang]}{_l('rparen', lang)}" if link.when else "")
                 for link in links]
        return _listed(names, lang) + (f"{_l('lparen', lang)}{_l('in_parallel', lang)}{_l('rparen', lang)}" if step.parallel else "")

    keys = tuple(tuple((link.target, link.when[lang] if link.when else None) for link in links) + (step.parallel,)
                 for lang in LANGS)
    return keys[0], keys[1], {lang: said(lang) for lang in LANGS}


def _participants(proc: Procedure, step) -> dict:
    """Who takes part, as the page says it: "总经理（批准；仅当：报废金额超过5000元）"."""
    def said(p, lang: str) -> str:
        part = _l("part_" + p.part, lang)
        if p.when is not None:
            part += _l("semicolon", lang) + condition_text(p.when, lang)
        return f"{_party(proc, p.role, lang)}{_l('lparen', lang)}{part}{_l('rparen', lang)}"
    return {lang: _listed([said(p, lang) for p in step.participants], lang) for lang in LANGS}


def _within_key(within) -> tuple | None:
    """A step's time limit as it is written: its duration, its words, and what starts the clock."""
    return None if within is None else (within.duration, _texts(within.text), within.after)


def _within_names(proc: Procedure, within) -> dict:
    return {lang: deadline_text(proc, within, lang) or _DASH[lang] for lang in LANGS}


def _steps(old: Procedure, new: Procedure) -> list[Change]:
    out, pairs = _matched("chg_step", old.steps, new.steps, lambda s: {lang: _step_name(s, lang) for lang in LANGS},
                          lambda s: s.title.zh)
    for before, step in pairs:
        what = {"zh": f"{_l('chg_step', 'zh')}{_step_name(step, 'zh')}", "en": f"{_l('chg_step', 'en')} {_step_name(step, 'en')}"}
        out += _role_change(_joined(what, _word("chg_owner")), old, new, _ids(before.owner), _ids(step.owner),
                            before.gaps.get("owner"), step.gaps.get("owner"))
        out += _value_change(_joined(what, _word("chg_participants")),
                             tuple((p.role, p.part, _texts(p.when)) for p in before.participants),
                             tuple((p.role, p.part, _texts(p.when)) for p in step.participants),
                             _participants(old, before), _participants(new, step), quiet=True)
        out += _value_change(_joined(what, _word("chg_clause_number")), (before.clause,), (step.clause,),
                             _plain(before.clause or "—"), _plain(step.clause or "—"))
        out += _text_change(_joined(what, _word("chg_heading")), before.title, step.title)
        out += _value_change(_joined(what, _word("chg_within")), _within_key(before.within), _within_key(step.within),
                             _within_names(old, before.within), _within_names(new, step.within))
        out += _text_change(_joined(what, _word("chg_description")), before.description, step.description)
        out += _nested(_joined(what, _word("chg_substep")), before.substeps, step.substeps)
        for key, ids, texts in (("chg_inputs", "inputs", "input_texts"), ("chg_outputs", "outputs", "output_texts")):
            ids_before, ids_after = getattr(before, ids), getattr(step, ids)
            texts_before, texts_after = getattr(before, texts), getattr(step, texts)
            names_before = {lang: _outputs(old, ids_before, texts_before, lang, new) for lang in LANGS}
            names_after = {lang: _outputs(new, ids_after, texts_after, lang, old) for lang in LANGS}
            out += _value_change(_joined(what, _word(key)), (ids_before, tuple(map(_texts, texts_before))),
                                 (ids_after, tuple(map(_texts, texts_after))),
                                 names_before, names_after, quiet=True)
        out += _text_change(_joined(what, _word("chg_decision")), before.decision, step.decision)
        zh_before, en_before, names_before = _flow(old, before)
        zh_after, en_after, names_after = _flow(new, step)
        # Implicit fall-through follows list order: a step added or removed says it already.
        if before.next or step.next or before.parallel != step.parallel:
            out += _value_change(_joined(what, _word("chg_next")), (zh_before, en_before), (zh_after, en_after),
                                 names_before, names_after)
        if before.join != step.join:
            out.append(Change(_say("chg_added_bare" if step.join else "chg_removed_bare", _joined(what, _word("chg_join")))))
    return out


# --- Documents and forms ---------------------------------------------------------------------------------

def document_name(doc, lang: str) -> str:
    """A document as readers know it: its title; one without a title by its content, never its id."""
    if doc.title:
        return doc.title[lang]
    if doc.content:
        return f"{label('untitled_document', lang)}{label('lparen', lang)}{doc.content[lang]}{label('rparen', lang)}"
    return str(label("untitled_document", lang))


def _form_names(proc: Procedure, form_id: str | None) -> dict:
    form = proc.form(form_id) if form_id else None
    return {lang: form.title[lang] if form else form_id or "—" for lang in LANGS}


def _documents(old: Procedure, new: Procedure) -> list[Change]:
    out, pairs = _matched("chg_document", old.documents, new.documents,
                          lambda d: {lang: document_name(d, lang) for lang in LANGS})
    for before, doc in pairs:
        what = _of("chg_document", {lang: document_name(doc, lang) for lang in LANGS})
        out += _role_change(_joined(what, _word("chg_producer")), old, new, _ids(before.producer), _ids(doc.producer),
                            before.gaps.get("producer"), doc.gaps.get("producer"))
        out += _role_change(_joined(what, _word("chg_recipient")), old, new, before.recipients, doc.recipients,
                            before.gaps.get("recipient"), doc.gaps.get("recipient"))
        out += _text_change(_joined(what, _word("chg_deadline")), before.deadline, doc.deadline)
        out += _text_change(_joined(what, _word("chg_document_title")), before.title, doc.title)
        out += _text_change(_joined(what, _word("chg_content")), before.content, doc.content)
        out += _value_change(_joined(what, _word("chg_form")), before.form, doc.form,
                             _form_names(old, before.form), _form_names(new, doc.form), quiet=True)
    return out


def _fields(fields) -> dict:
    return {lang: _listed([f.label[lang] for f in fields], lang) for lang in LANGS}


def _field_keys(fields) -> tuple:
    return tuple(tuple((f.id, f.label[lang], f.type, tuple(o[lang] for o in f.options)) for f in fields) for lang in LANGS)


def _forms(old: Procedure, new: Procedure) -> list[Change]:
    out, pairs = _matched("chg_form", old.forms, new.forms, lambda f: {lang: f.title[lang] for lang in LANGS})
    for before, form in pairs:
        what = _of("chg_form", {lang: form.title[lang] for lang in LANGS})
        out += _text_change(_joined(what, _word("chg_document_title")), before.title, form.title)
        out += _value_change(_joined(what, _word("chg_number_version")), (before.number, before.version),
                             (form.number, form.version), _plain(f"{before.number} {before.version}"),
                             _plain(f"{form.number} {form.version}"))
        out += _role_change(_joined(what, _word("chg_form_owner")), old, new, _ids(before.owner), _ids(form.owner),
                            before.gaps.get("owner"), form.gaps.get("owner"))
        for key in ("retention", "storage", "disposal"):
            out += _text_change(_joined(what, _word(f"chg_{key}")), getattr(before, key), getattr(form, key))
        rows_before, rows_after = str(before.rows or "—"), str(form.rows or "—")
        out += _value_change(_joined(what, _word("chg_rows")), (rows_before,), (rows_after,), _plain(rows_before), _plain(rows_after))
        for key in ("fields", "columns", "footer"):
            fields_before, fields_after = getattr(before, key), getattr(form, key)
            out += _value_change(_joined(what, _word(f"chg_{key}")), _field_keys(fields_before), _field_keys(fields_after),
                                 _fields(fields_before), _fields(fields_after))
        out += _form_sections(what, before, form)
        out += _text_change(_joined(what, _word("chg_row_labels_title")), before.row_labels_title, form.row_labels_title)
        out += _value_change(_joined(what, _word("chg_row_labels")), tuple(map(_texts, before.row_labels)),
                             tuple(map(_texts, form.row_labels)), _labels(before.row_labels), _labels(form.row_labels))
        out += _value_change(_joined(what, _word("chg_orientation")), (before.landscape,), (form.landscape,),
                             _orientation(before.landscape), _orientation(form.landscape))
    return out


def _labels(texts) -> dict:
    return {lang: _listed([t[lang] for t in texts], lang) for lang in LANGS}


def _orientation(landscape: bool) -> dict:
    return _word("chg_landscape" if landscape else "chg_portrait")


def _form_sections(what: dict, before, form) -> list[Change]:
    """A form's headed groups of fields, in the new order: each added, or changed (its heading, its fields),
    then those removed. A section is the same section under the same heading, or, renamed or renumbered,
    where it keeps one of its fields."""
    out: list[Change] = []
    kind = _joined(what, _word("chg_section"))
    unpaired = list(before.sections)

    def ids(section) -> set:
        return {f.id for f in section.fields}

    for section in form.sections:
        old_section = (next((s for s in unpaired if s.title.zh == section.title.zh), None)
                       or next((s for s in unpaired if ids(s) & ids(section)), None))
        if old_section is None:
            out.append(Change(_say("chg_added", kind, name={lang: section.title[lang] for lang in LANGS})))
            continue
        unpaired.remove(old_section)
        out += _text_change(_joined(kind, {lang: old_section.title[lang] for lang in LANGS}, _word("chg_heading")),
                            old_section.title, section.title)
        out += _value_change(_joined(kind, {lang: section.title[lang] for lang in LANGS}, _word("chg_fields")),
                             _field_keys(old_section.fields), _field_keys(section.fields),
                             _fields(old_section.fields), _fields(section.fields))
    return out + [Change(_say("chg_removed", kind, name={lang: s.title[lang] for lang in LANGS})) for s in unpaired]


# --- References, related documents, records --------------------------------------------------------

def _edition(value) -> Text | None:
    """An edition written as a plain string ("2008") is the same in both languages."""
    return Text(value, value, None) if isinstance(value, str) else value


def _related(kind: str, old_items, new_items) -> list[Change]:
    """References and related documents: by number where they have one, else by title."""
    out: list[Change] = []
    old_items, new_items = tuple(old_items), tuple(new_items)
    for i, j in _aligned(old_items, new_items, lambda d: ("number", d.number) if d.number else ("title", d.title.zh),
                         lambda d: bool(d.number)):
        before = old_items[i] if i is not None else None
        after = new_items[j] if j is not None else None
        if before is None or after is None:
            verb = "chg_added" if before is None else "chg_removed"
            out.append(Change(_say(verb, _word(kind), name=_reference_name(after or before))))
            continue
        what = _of(kind, _reference_name(before))
        out += _text_change(_joined(what, _word("chg_document_title")), before.title, after.title)
        kind_before, kind_after = getattr(before, "kind", None), getattr(after, "kind", None)
        if kind_before:  # a reference (another procedure) has no kind, edition or issuer
            out += _value_change(_joined(what, _word("chg_kind")), (kind_before,), (kind_after,),
                                 _kind("related", kind_before), _kind("related", kind_after))
            out += _text_change(_joined(what, _word("chg_edition")), _edition(before.edition), _edition(after.edition))
            out += _text_change(_joined(what, _word("chg_issuer")), before.issuer, after.issuer)
    return out


def _record_name(proc: Procedure, record) -> dict:
    form = proc.form(record.form) if record.form else None
    title = form.title if form else record.title
    return {lang: title[lang] if title else record.number or record.form or "—" for lang in LANGS}


def _records(old: Procedure, new: Procedure) -> list[Change]:
    out = _section_gap("chg_records", old.records, new.records)
    old_items, new_items = old.records.items, new.records.items

    def key(record) -> tuple:
        return (("form", record.form) if record.form else ("number", record.number) if record.number
                else ("title", _texts(record.title)))

    for i, j in _aligned(old_items, new_items, key, lambda r: bool(r.form or r.number)):
        before = old_items[i] if i is not None else None
        after = new_items[j] if j is not None else None
        if before is None or after is None:
            verb = "chg_added" if before is None else "chg_removed"
            name = _record_name(new, after) if before is None else _record_name(old, before)
            out.append(Change(_say(verb, _word("chg_record"), name=name)))
            continue
        what = _of("chg_record", _record_name(new, after))
        out += _text_change(_joined(what, _word("chg_document_title")), before.title, after.title)
        out += _value_change(_joined(what, _word("chg_record_number")), (before.number,), (after.number,),
                             _plain(before.number or "—"), _plain(after.number or "—"))
        out += _value_change(_joined(what, _word("chg_form")), before.form, after.form,
                             _form_names(old, before.form), _form_names(new, after.form), quiet=True)
        out += _role_change(_joined(what, _word("chg_keeper")), old, new, _ids(before.keeper), _ids(after.keeper),
                            before.gaps.get("keeper"), after.gaps.get("keeper"))
        for name in ("retention", "storage", "disposal"):
            out += _text_change(_joined(what, _word(f"chg_{name}")), getattr(before, name), getattr(after, name))
    return out
