"""Size limits, checked by `check` so that the build never meets an input it cannot draw.

Graphviz lays out a chart in time that grows much faster than its size (a chart of 150 steps
in 50 lanes took over a minute; 2,000 steps, 1.6 GB), and a label is never broken inside a
word, so one long word makes a chart as wide as it. The limits are several times what the
shipped procedures and realistic libraries use (at most 12 lanes, 40 steps, 8 sub-steps; step
titles of 40 characters, words of 14 columns) and are listed in SECURITY.md.
"""
from __future__ import annotations

import dataclasses

from ..source.diagnostics import error
from ..source.model import Procedure, Text
from ..source.textwidth import columns, tokens
from .registry import rule

MAX_ROLES = 30
MAX_STEPS = 80
MAX_SUBSTEPS = 20  # per step
MAX_OUTPUTS = 12  # per step: one chart node holds them all
MAX_NEXT = 12  # flow links per step
MAX_FLOW_ENDS = 12  # declared starts, declared ends, outside parties: each its own chart nodes
MAX_LABEL_CHARS = 100  # texts drawn in the chart: role names, step titles, decisions, branch labels, output titles
MAX_TEXT_CHARS = 4000  # any other text (descriptions, sub-steps, scope, duties, changes ...)
MAX_WORD_COLUMNS = 30  # longest unbroken word in a chart label, in display columns (a CJK character is 2)

# What the pages and PDFs cost (WeasyPrint: about 1 CPU second to start a document, then about 2 ms per
# table cell or choice box on this 2-core machine; bench/limits_cost.py measures it). The limits keep the
# largest form PDF under 5 CPU s and the largest procedure PDF under 30 CPU s; SECURITY.md states them.
MAX_FORMS = 20  # per procedure: one blank PDF per form and language
MAX_FORM_FIELDS = 40  # boxes above a table (or a boxed form's fields)
MAX_TABLE_COLUMNS = 16
MAX_FOOTER_FIELDS = 12
MAX_OPTIONS = 12  # per choice field
MAX_FORM_ITEMS = 2_000  # per form: boxes, table cells (rows x columns) and choice boxes printed in the cells
MAX_FORM_CHARS = 20_000  # per form and language: the characters a blank form prints (labels, options in every row)
MAX_FIELD_LABEL_CHARS = 100  # a field's label or a choice option: printed in a box or a table cell
MAX_PARTICIPANTS = 30  # per step (each a lane of the chart and a line of a role's checklist)
MAX_DOCUMENTS = 60
MAX_CONTROL_POINTS = 40
MAX_CLAUSE_ITEMS = 300  # clauses and responsibilities, counted at every level of nesting
MAX_LIST_ITEMS = 200  # definitions, references, related documents, records, revisions: each
MAX_PAGE_CHARS = 100_000  # per language: every text of the procedure (its page and controlled PDF)


def chart_labels(proc: Procedure) -> list[Text]:
    """Every text the flowchart draws as a label (render/flowchart.py)."""
    labels = [r.name for r in proc.roles] + [s.title for s in proc.steps]
    labels += [s.decision for s in proc.steps if s.decision] + [l.when for s in proc.steps for l in s.next if l.when]
    labels += [d.title for d in proc.documents if d.title] + [f.title for f in proc.forms if not f.missing]
    labels += [s.trigger for s in getattr(proc, "starts", ())] + [e.title for e in getattr(proc, "ends", ()) if e.title]
    labels += [x.name for x in getattr(proc, "externals", ())]
    return labels


def all_texts(value, seen=None):
    """Every ``Text`` in the model, however deep (new fields are covered without listing them)."""
    if isinstance(value, Text):
        yield value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            yield from all_texts(getattr(value, field.name))
    elif isinstance(value, (tuple, list)):
        for item in value:
            yield from all_texts(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from all_texts(item)


def _too_many(pos, what: str, count: int, limit: int, hint: str):
    return error(pos, "limit-exceeded", f"{count} {what}, over the limit of {limit}", hint)


def size_limits(proc: Procedure):
    if len(proc.roles) > MAX_ROLES:
        yield _too_many(proc.key_pos.get("roles", proc.pos), "roles (chart lanes)", len(proc.roles), MAX_ROLES,
                        "split the procedure; a chart with more lanes cannot be read (or drawn in time)")
    if len(proc.steps) > MAX_STEPS:
        yield _too_many(proc.key_pos.get("steps", proc.pos), "steps", len(proc.steps), MAX_STEPS,
                        "split the procedure into procedures that reference each other")
    for what in ("starts", "ends", "externals"):
        count = len(getattr(proc, what, ()))
        if count > MAX_FLOW_ENDS:
            yield _too_many(proc.key_pos.get(what, proc.pos), what, count, MAX_FLOW_ENDS, "split the procedure")
    for step in proc.steps:
        for count, what, limit in ((len(step.substeps), "sub-steps", MAX_SUBSTEPS),
                                   (len(step.outputs), "outputs", MAX_OUTPUTS), (len(step.next), "next links", MAX_NEXT)):
            if count > limit:
                yield _too_many(step.pos, f"{what} in step '{step.id}'", count, limit, "split the step")
    labels = {id(t) for t in chart_labels(proc)}
    for text in all_texts(proc):
        limit = MAX_LABEL_CHARS if id(text) in labels else MAX_TEXT_CHARS
        for lang in ("zh", "en"):
            if len(text[lang]) > limit:
                yield error(text.pos, "limit-exceeded",
                            f"'{lang}' text of {len(text[lang]):,} characters, over the limit of {limit:,}"
                            + (" for a text drawn in the flowchart" if limit == MAX_LABEL_CHARS else ""),
                            "shorten it; put details in the step's description or sub-steps"
                            if limit == MAX_LABEL_CHARS else "shorten it, or split it into several items")
            elif id(text) in labels:
                word = max((t.strip() for t in tokens(" ".join(text[lang].split()))),
                           key=lambda t: sum(map(columns, t)), default="")
                if sum(map(columns, word)) > MAX_WORD_COLUMNS:
                    yield error(text.pos, "limit-exceeded",
                                f"'{lang}' text drawn in the flowchart has a word of {sum(map(columns, word))} columns "
                                f"('{word[:20]}...'), over the limit of {MAX_WORD_COLUMNS}",
                                "add spaces or hyphens: chart labels break only between words")


def form_items(form) -> int:
    """What a blank form prints that costs WeasyPrint work: each box, each table cell, each choice box."""
    boxes = sum(1 + len(f.options) for f in form.header_fields + form.footer)
    rows = min(max(form.rows or 0, 0), 40)
    return boxes + rows * sum(1 + len(f.options) for f in form.table_columns) + len(form.table_columns)


def form_chars(form, lang: str) -> int:
    """The characters a blank form prints in ``lang``: labels once, a table column's options in every row."""
    def size(field) -> int:
        return sum(len(o[lang]) + 1 for o in field.options)

    rows = min(max(form.rows or 0, 0), 40)
    return (sum(len(f.label[lang]) + size(f) for f in form.header_fields + form.footer + form.table_columns)
            + rows * sum(size(f) for f in form.table_columns))


def _nested(items) -> int:
    """Items of a nested list (clauses, responsibilities), counted at every level."""
    return sum(1 + _nested(getattr(item, "items", ()) or ()) for item in items)


def form_limits(proc: Procedure):
    """Forms: how many, how large each; whatever passes prints as a blank PDF within its budget."""
    forms = [f for f in proc.forms if not f.missing]
    if len(forms) > MAX_FORMS:
        yield _too_many(proc.key_pos.get("forms", proc.pos), "forms", len(forms), MAX_FORMS,
                        "split the procedure, or declare forms several procedures use once in _shared.yaml")
    for form in forms:
        for count, what, limit in ((len(form.header_fields), "fields", MAX_FORM_FIELDS),
                                   (len(form.table_columns), "table columns", MAX_TABLE_COLUMNS),
                                   (len(form.footer), "footer fields", MAX_FOOTER_FIELDS)):
            if count > limit:
                yield _too_many(form.pos, f"{what} in form '{form.id}'", count, limit, "split the form into two forms")
        for field in form.all_fields:
            if len(field.options) > MAX_OPTIONS:
                yield _too_many(field.pos, f"options in field '{field.id}' of form '{form.id}'", len(field.options),
                                MAX_OPTIONS, "group the options, or make the field a text field")
            for text in (field.label, *field.options):
                for lang in ("zh", "en"):
                    if MAX_FIELD_LABEL_CHARS < len(text[lang]) <= MAX_TEXT_CHARS:  # longer: size_limits says so
                        yield error(text.pos, "limit-exceeded",
                                    f"'{lang}' text of {len(text[lang]):,} characters in form '{form.id}', over the "
                                    f"limit of {MAX_FIELD_LABEL_CHARS} for a field label or option",
                                    "shorten it: a form prints it in a box or in every row of its table")
        items = form_items(form)
        if items > MAX_FORM_ITEMS:
            yield error(form.pos, "limit-exceeded",
                        f"form '{form.id}' prints {items:,} boxes, cells and choice boxes, over the limit of "
                        f"{MAX_FORM_ITEMS:,}", "fewer rows, columns or choice options (rows x columns x options "
                        "is what the blank form prints), or split the form")
        for lang in ("zh", "en"):
            chars = form_chars(form, lang)
            if chars > MAX_FORM_CHARS:
                yield error(form.pos, "limit-exceeded",
                            f"form '{form.id}' prints {chars:,} characters in '{lang}', over the limit of {MAX_FORM_CHARS:,}",
                            "shorter labels or options: a table column's options print in every row")


def count_limits(proc: Procedure):
    """Every other count a page, chart or PDF grows with, and the text of the whole page."""
    for step in proc.steps:
        if len(step.participants) > MAX_PARTICIPANTS:
            yield _too_many(step.pos, f"participants in step '{step.id}'", len(step.participants), MAX_PARTICIPANTS,
                            "split the step")
    counts = [("documents", len(proc.documents), MAX_DOCUMENTS), ("control_points", len(proc.control_points), MAX_CONTROL_POINTS),
              ("clauses", _nested(proc.clauses.items), MAX_CLAUSE_ITEMS),
              ("responsibilities", _nested(proc.responsibilities.items), MAX_CLAUSE_ITEMS),
              ("definitions", len(proc.definitions), MAX_LIST_ITEMS), ("references", len(proc.references), MAX_LIST_ITEMS),
              ("related_documents", len(proc.related_documents), MAX_LIST_ITEMS), ("records", len(proc.records), MAX_LIST_ITEMS),
              ("revisions", len(proc.revisions), MAX_LIST_ITEMS)]
    for key, count, limit in counts:
        if count > limit:
            yield _too_many(proc.key_pos.get(key, proc.pos), key.replace("_", " ") + (" (at every level)" if key in (
                "clauses", "responsibilities") else ""), count, limit, "split the procedure")
    for lang in ("zh", "en"):
        total = sum(len(t[lang]) for t in all_texts(proc))
        if total > MAX_PAGE_CHARS:
            yield error(proc.pos, "limit-exceeded",
                        f"the procedure's '{lang}' texts hold {total:,} characters, over the limit of {MAX_PAGE_CHARS:,} "
                        "for one page and its PDF", "split the procedure into procedures that reference each other")


# Registered here rather than with @rule: mutation testing (make mutants) cannot mutate a decorated function.
rule(size_limits)
rule(form_limits)
rule(count_limits)
