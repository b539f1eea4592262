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


# Registered here rather than with @rule: mutation testing (make mutants) cannot mutate a decorated function.
rule(size_limits)
