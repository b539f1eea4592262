"""Record control (ISO 9001 7.5.3): every record type says its number, owner, storage place,
retention period with its trigger, and disposal, once.

An A/0 transcription keeps what its source lacks as marked gaps. Any later revision must say all
five; a field may stay a gap (待定) only with a decision recorded in a revision entry
(``decisions:``: what the source says, what was decided and why, who decided).
"""
from __future__ import annotations

from ..source.diagnostics import error
from ..source.model import Form, Procedure, Record, is_gap
from .gaps import item_name
from .header import NUMBER_PATTERN
from .registry import rule

TRANSCRIPTION = "A/0"  # the seed, word for word: its gaps stand

_FIELD_NAMES = {"owner": "owner (保管人)", "storage": "storage place (存放地点)",
                "retention": "retention period (保存期限)", "disposal": "disposal (处置方式)"}
_RETENTION_HINT = ("retention: {period: {zh: 5年, en: 5 years}, trigger: {zh: 合同终止, en: the end of the contract}}"
                   " (example)")
_DISPOSAL_HINT = "disposal: destroy, archive or hand-over, or {method: destroy, text: {zh: …, en: …}}"
_DECISION_HINT = ("decide it in a revision; to leave it open, record under the entry's decisions: "
                  "{record: <number>, fields: [<field>], source, decision, decided_by}")


def after_transcription(proc: Procedure) -> bool:
    """Whether the procedure is past its A/0 transcription (where record control is required)."""
    return bool(proc.version) and proc.version != TRANSCRIPTION


def decided(proc: Procedure) -> dict[str | None, set[str]]:
    """Record number (None: the procedure) -> the fields some revision entry records a decision on."""
    out: dict[str | None, set[str]] = {}
    for rev in proc.revisions:
        for decision in rev.decisions:
            if decision.decided_by and decision.decision is not None:
                out.setdefault(decision.record, set()).update(decision.fields)
    return out


def record_types(proc: Procedure) -> list[tuple[Form | Record, str, str]]:
    """Every record type of the procedure once: each form, and each record that names no form;
    with its number and its reader's name."""
    out: list[tuple[Form | Record, str, str]] = [(f, f.number, f"form '{f.id}'") for f in proc.forms if not f.missing]
    out += [(r, r.number or "", item_name(r)) for r in proc.records if not r.form]
    return out


def _values(item: Form | Record) -> dict[str, tuple[object, object]]:
    """Field -> (its value, the gap standing for it)."""
    if isinstance(item, Form):
        owner, owner_gap = item.owner or None, item.gaps.get("owner")
    else:
        owner, owner_gap = item.keeper, item.gaps.get("keeper")
    return {"owner": (owner, owner_gap), "storage": (item.storage, _gap(item.storage)),
            "retention": (item.retention, _gap(item.retention)), "disposal": (item.disposal, _gap(item.disposal))}


def _gap(value):
    return value if is_gap(value) else None


def record_complete(proc: Procedure):
    if not after_transcription(proc):
        return
    roles = {r.id for r in proc.roles} | {x.id for x in proc.externals}
    decisions = decided(proc)
    for item, number, name in record_types(proc):
        for field, (value, gap) in _values(item).items():
            if gap is not None:
                if field not in decisions.get(number or None, set()):
                    yield error(gap.pos, "record-decision",
                                f"{name}: {_FIELD_NAMES[field]} is 待定 with no recorded decision", _DECISION_HINT)
            elif value is None and not (field == "retention" and isinstance(item, Form)):  # form-retention's
                yield error(item.pos, "record-incomplete", f"{name} has no {_FIELD_NAMES[field]}",
                            _RETENTION_HINT if field == "retention" else
                            _DISPOSAL_HINT if field == "disposal" else None)
        if isinstance(item, Record) and item.keeper and item.keeper not in roles:
            yield error(item.pos, "record-incomplete", f"{name}: owner '{item.keeper}' is not a declared role")
        if item.retention is not None and not is_gap(item.retention) and item.retention_trigger is None:
            yield error(item.retention.pos, "record-incomplete",
                        f"{name}: retention '{item.retention.zh}' does not say from when it runs", _RETENTION_HINT)
        if item.disposal is not None and not is_gap(item.disposal) and item.disposal_method is None:
            yield error(item.disposal.pos, "record-incomplete",
                        f"{name}: disposal '{item.disposal.zh}' names no method", _DISPOSAL_HINT)


def record_numbers(proc: Procedure):
    if not after_transcription(proc):
        return
    seen: dict[str, str] = {}
    for item, number, name in record_types(proc):
        if not number:
            yield error(item.pos, "record-number", f"{name} has no number",
                        "give it a record number (QR-…), or name its form with form:")
            continue
        if not NUMBER_PATTERN.match(number):
            yield error(item.pos, "record-number", f"{name}: '{number}' is not a record number",
                        "a record number reads like a document number (QR-XS-01-01); "
                        "keep the source's clause under clause:")
        if number in seen:
            yield error(item.pos, "record-number", f"{name}: number {number} is already used by {seen[number]}")
        seen.setdefault(number, name)


def record_declared_once(proc: Procedure):
    if not after_transcription(proc):
        return
    forms = {f.id: f for f in proc.forms}
    for record in proc.records:
        if not record.form:
            continue
        form = forms.get(record.form)
        if form is None:
            continue  # rules/holes.py record_forms reports it (record-form)
        twice = [key for key, value in (("number", record.number), ("keeper", record.keeper or record.gaps.get("keeper")),
                                        ("retention", record.retention), ("storage", record.storage),
                                        ("disposal", record.disposal)) if value is not None]
        if twice:
            yield error(record.pos, "record-declared-twice",
                        f"record of form '{record.form}' declares {', '.join(twice)} again",
                        f"a form's number, owner, storage, retention and disposal are declared once, on the form: "
                        f"remove {', '.join(twice)} here")


def decisions_name_records(proc: Procedure):
    numbers = {number for _, number, _ in record_types(proc) if number}
    for rev in proc.revisions:
        for decision in rev.decisions:
            if decision.record is not None and decision.record not in numbers:
                yield error(decision.pos, "record-decision",
                            f"revision {rev.version}: a decision names record {decision.record}, "
                            "which this procedure does not have", "name a record by its number, as the register shows it")
            elif decision.record is None and set(decision.fields) - {"distribution"}:
                yield error(decision.pos, "record-decision",
                            f"revision {rev.version}: a decision on {', '.join(decision.fields)} names no record",
                            "add record: <number>")


# Registered here rather than with @rule: mutation testing (make mutants) cannot mutate a decorated function.
rule(record_complete, record_numbers, record_declared_once, decisions_name_records)
