"""Swimlane flowchart of a procedure as DOT source (pure: model in, text out).

One lane (a cluster) per role, in the order of the roles list; each step a node in its
owner's lane, ranked top to bottom in flow order; decisions as diamonds; start and end
terminators; each step's outputs as one document-shaped node beside it, a linked row
per document or form. ``newrank`` lets rank constraints cross lane clusters.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ..labels import label
from ..model import END, Procedure, Step
from .escape import dot_html, dot_html_url, dot_quoted, dot_tooltip, dot_url

FONT = "Noto Sans CJK SC"
WRAP_WIDTH = 18  # display columns per line: a CJK character counts two


def _columns(ch: str) -> int:
    return 2 if unicodedata.east_asian_width(ch) in "WF" else 1


def wrap(text: str, width: int = WRAP_WIDTH) -> list[str]:
    """Break text into balanced lines of at most ``width`` display columns; words stay whole.

    Lines are balanced (two lines of 5 rather than 9 and 1), so no line holds a lone character.
    """
    total = sum(_columns(c) for c in " ".join(text.split()))
    if total > width:
        lines_needed = -(-total // width)
        width = max(-(-total // lines_needed) + 1, 4)
    lines, current, used = [], "", 0
    for token in _tokens(" ".join(text.split())):
        size = sum(_columns(c) for c in token)
        if used + size > width and current.strip():
            lines.append(current.strip())
            current, used = "", 0
            token = token.lstrip()
            size = sum(_columns(c) for c in token)
        current += token
        used += size
    if current.strip():
        lines.append(current.strip())
    return lines or [""]


def _tokens(text: str):
    """Latin words (with their leading space) stay together; each CJK character stands alone."""
    word = ""
    for ch in text:
        if _columns(ch) == 2:
            if word:
                yield word
                word = ""
            yield ch
        elif ch == " ":
            if word:
                yield word
            word = " "
        else:
            word += ch
    if word:
        yield word


def _label(text: str, bold: bool = False) -> str:
    lines = "<BR/>".join(dot_html(line) for line in wrap(text))
    return f"<<B>{lines}</B>>" if bold else f"<{lines}>"


_ID = re.compile(r"[a-z0-9][a-z0-9-]*")


def node_id(step_id: str) -> str:
    """The DOT node name of a step: a bare DOT identifier, so only a validated id may go in."""
    if not _ID.fullmatch(step_id):
        raise ValueError(f"not a valid step id: {step_id!r}")
    return f"step_{step_id.replace('-', '_')}"


def step_href(step_id: str) -> str:
    return f"./#step-{step_id}"


@dataclass(frozen=True)
class ChartSource:
    """A chart in two parts: ``layout`` (nodes and lanes, placed by dot) and ``overlay``
    (the flow edges, routed afterwards over the fixed layout by ``neato -n2``)."""

    layout: str
    overlay: str


def flowchart_dot(proc: Procedure, lang: str, output_href) -> ChartSource:
    """DOT source of the procedure's swimlane chart in ``lang``.

    ``output_href(proc, output_id)`` gives the link of a document or form page, relative
    to the procedure page.

    Why two parts: dot orders lane clusters by crossing minimisation over the flow edges
    (even ``constraint=false`` ones), which shuffles the lanes. So dot places nodes
    without the flow: each node's row is fixed by an invisible spine (``rank=same`` with a
    spine point per row, allowed across clusters by ``newrank``) and the lanes keep the
    roles' order through their chained head points. The flow edges are then routed on
    that fixed layout, orthogonally (as swimlane charts are drawn, and 30x faster than
    neato's obstacle-avoiding splines on a 40-step chart).
    """
    out: list[str] = []
    emit = out.append
    emit("digraph procedure {")
    emit(f'  graph [newrank=true, rankdir=TB, nodesep=0.35, ranksep=0.35, fontname="{FONT}", '
         f'fontsize=11, bgcolor="transparent", pad=0.2, id="flowchart"];')
    emit(f'  node [fontname="{FONT}", fontsize=10, shape=box, style="rounded,filled", '
         f'fillcolor="#e8eaf6", color="#3949ab", margin="0.12,0.06"];')
    emit(f'  edge [fontname="{FONT}", fontsize=9, color="#5c6bc0", arrowsize=0.7];')

    lanes = list(proc.roles)
    first = proc.steps[0] if proc.steps else None
    enders = [s for s in proc.steps if any(l.target == END for l in proc.successors(s))]
    end_lane = enders[-1].owner if enders else None

    rows: list[list[str]] = [[f"lane_head_{i}" for i in range(len(lanes))]]
    if first is not None:
        rows.append(["start"])
    for step in proc.steps:
        rows.append([node_id(step.id)] + ([f"{node_id(step.id)}_outputs"] if step.outputs else []))
        if step.decision:
            rows.append([f"{node_id(step.id)}_decision"])
    if enders:
        rows.append(["end"])
    rows.append([f"lane_tail_{i}" for i in range(len(lanes))])

    for index, role in enumerate(lanes):
        emit(f'  subgraph cluster_lane_{index} {{')
        emit(f'    graph [label={_label(role.name[lang], bold=True)}, style="filled", '
             f'fillcolor="{"#f5f6fb" if index % 2 == 0 else "#eceef8"}", color="#c5cae9", class="lane", '
             f'id={dot_quoted("lane-" + role.id)}, labeljust="c"];')
        emit(f'    lane_head_{index} [shape=point, style=invis, width=0, height=0];')
        emit(f'    lane_tail_{index} [shape=point, style=invis, width=0, height=0];')
        if first is not None and first.owner == role.id:
            emit(f'    start [label={_label(label("start", lang))}, shape=oval, fillcolor="#c8e6c9", '
                 f'color="#2e7d32", class="terminator"];')
        for step in proc.steps:
            if step.owner == role.id:
                _step_nodes(step, proc, lang, output_href, emit)
        if end_lane == role.id:
            emit(f'    end [label={_label(label("end", lang))}, shape=oval, fillcolor="#ffcdd2", '
                 f'color="#c62828", class="terminator"];')
        emit("  }")

    emit("  node [shape=point, style=invis, width=0, height=0];")
    emit("  " + " -> ".join(f"row_{i}" for i in range(len(rows))) + " [style=invis];")
    for i, members in enumerate(rows):
        emit(f"  {{ rank=same; row_{i}; {'; '.join(members)}; }}")
    if len(lanes) > 1:
        emit("  " + " -> ".join(f"lane_head_{i}" for i in range(len(lanes))) + " [style=invis];")

    for step in proc.steps:  # beside its step, to the right (a flat edge orders them)
        if step.outputs:
            emit(f'  {node_id(step.id)} -> {node_id(step.id)}_outputs [style="dotted", arrowhead=none, color="#9e9d24"];')
    emit("}")
    return ChartSource("\n".join(out) + "\n", _flow_edges(proc, lang, first))


def _flow_edges(proc: Procedure, lang: str, first: Step | None) -> str:
    order = {s.id: i for i, s in enumerate(proc.steps)}
    edges = ['  graph [splines=ortho];', '  edge [color="#5c6bc0", arrowsize=0.7];']
    if first is not None:
        edges.append(f"  start -> {node_id(first.id)};")
    for step in proc.steps:
        if step.decision:
            edges.append(f"  {node_id(step.id)} -> {node_id(step.id)}_decision;")
        source = f"{node_id(step.id)}_decision" if step.decision else node_id(step.id)
        for link in proc.successors(step):
            target = "end" if link.target == END else node_id(link.target)
            attrs = [f'id={dot_quoted(f"flow-{step.id}-{link.target}")}']
            if link.when:
                attrs.append(f"xlabel={_label(link.when[lang])}")
            if step.parallel:
                attrs.append('arrowtail=tee, dir=both')  # a fork: every branch starts
            if link.target != END and order.get(link.target, 0) <= order[step.id]:
                attrs += ['style="dashed"', 'class="loop"']
            edges.append(f"  {source} -> {target} [{', '.join(attrs)}];")
    return "\n".join(edges) + "\n"


def _step_nodes(step: Step, proc: Procedure, lang: str, output_href, emit) -> None:
    nid = node_id(step.id)
    title = f"{step.number}. {step.title[lang]}"
    tip = step.description[lang] if step.description else " ".join(s[lang] for s in step.substeps) or step.title[lang]
    emit(f'    {nid} [label={_label(title)}, id={dot_quoted("chart-step-" + step.id)}, URL={dot_url(step_href(step.id))}, '
         f'target="_top", tooltip={dot_tooltip(tip)}, class="step"];')
    if step.decision:
        emit(f'    {nid}_decision [label={_label(step.decision[lang])}, shape=diamond, style="filled", '
             f'fillcolor="#fff8e1", color="#f9a825", class="decision", id={dot_quoted("chart-decision-" + step.id)}];')
    if step.outputs:
        rows = []
        for output in step.outputs:
            doc = proc.document(output) or proc.form(output)
            text = doc.title[lang] if doc.title else output
            rows.append(f'<TR><TD HREF="{dot_html_url(output_href(proc, output))}" TARGET="_top" '
                        f'TOOLTIP="{dot_html(text)}" ALIGN="LEFT">{"<BR/>".join(dot_html(l) for l in wrap(text, 20))}</TD></TR>')
        emit(f'    {nid}_outputs [shape=note, style="filled", fillcolor="#fffde7", color="#9e9d24", class="document", '
             f'id={dot_quoted("chart-outputs-" + step.id)}, margin="0.05,0.03", fontsize=9, '
             f'label=<<TABLE BORDER="0" CELLSPACING="0" CELLPADDING="3">{"".join(rows)}</TABLE>>];')
