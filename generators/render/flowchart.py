"""Swimlane flowchart of a procedure as DOT source (pure: model in, text out).

One lane (a cluster) per role, in the order of the roles list; each step a node in its
owner's lane, ranked top to bottom in flow order; decisions as diamonds; start and end
terminators; each step's outputs as one document-shaped node beside it, a linked row
per document or form. ``newrank`` lets rank constraints cross lane clusters.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from ..source.deadlines import condition_text, deadline_text
from ..source.labels import label
from ..source.model import END, Procedure, Step
from .escape import dot_html, dot_html_url, dot_quoted, dot_tooltip, dot_url
from ..source.paths import file_part, is_valid_id
from ..source.textwidth import columns as _columns, tokens as _tokens

FONT = "Noto Sans CJK SC"
WRAP_WIDTH = 18  # display columns per line: a CJK character counts two


def wrap(text: str, width: int = WRAP_WIDTH) -> list[str]:
    """Break text into balanced lines of at most ``width`` display columns; words stay whole.

    Lines are balanced (two lines of 5 rather than 9 and 1), so no line holds a lone character.
    """
    total = sum(_columns(c) for c in " ".join(text.split()))
    if total > width:
        lines_needed = -(-total // width)
        width = max(-(-total // lines_needed) + 1, 4)
    lines, current, used = [], "", 0
    for token in _phrase_tokens(" ".join(text.split()), width):
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


def _phrase_tokens(text: str, width: int):
    """Where a label's line may break: between words, Chinese ones too (jieba), so "纠正措 / 施" never
    happens; a word wider than the line (rare) may still break between its characters."""
    for token in _tokens(text, by_phrase=True):
        if sum(_columns(c) for c in token) <= width:
            yield token
        else:
            yield from _tokens(token)


def _label(text: str, bold: bool = False) -> str:
    lines = "<BR/>".join(dot_html(line) for line in wrap(text))
    # dot refuses an empty <B></B>: a lane with no name (a role of an unchecked revision from history) gets none
    return f"<<B>{lines}</B>>" if bold and lines else f"<{lines}>"


def node_id(step_id: str) -> str:
    """The DOT node name of a step: a bare DOT identifier. An id that is not one (a revision from
    main's history was never checked, yet its page draws its chart) is named by its digest, as in
    file names (paths.file_part): 'step_x_…' cannot be the name of a valid id, which has no '_'."""
    return f"step_{file_part(step_id).replace('-', '_')}"


def step_href(step_id: str) -> str:
    return f"./#step-{step_id}" if is_valid_id(step_id) else "./"  # an unchecked id (history): the page itself


@dataclass(frozen=True)
class ChartSource:
    """A chart in two parts: ``layout`` (nodes and lanes, placed by dot) and ``overlay``
    (the flow edges, routed afterwards over the fixed layout by ``neato -n2``)."""

    layout: str
    overlay: str
    # DOT name (node, "a->b" edge, cluster) -> what a reader calls it: the hover text and accessible
    # name of that part of the SVG (``readable_titles``). Not part of the drawing, nor of its cache key.
    titles: tuple[tuple[str, str], ...] = field(default=(), compare=False)


_TITLE = re.compile(r"<title>([^<]*)</title>\n?")


def readable_titles(svg: str, titles) -> str:
    """The SVG with each ``<title>`` (Graphviz writes the DOT name: "cluster_lane_0",
    "step_launch->step_sell") replaced by the reader's name of that part, or removed where it has none."""
    names = dict(titles)

    def named(match: re.Match) -> str:
        name = names.get(html.unescape(match[1]))
        return f"<title>{html.escape(name, quote=False)}</title>\n" if name else ""
    return _TITLE.sub(named, svg)


def flowchart_dot(proc: Procedure, lang: str, output_href, reference_href=None) -> ChartSource:
    """DOT source of the procedure's swimlane chart in ``lang``.

    ``output_href(proc, output_id)`` gives the link of a document or form page, relative
    to the procedure page (None: no link); ``reference_href(reference)`` the link of the procedure a hand-off
    names, or None when the library does not publish it ("referenced, not published").

    Why two parts: dot orders lane clusters by crossing minimisation over the flow edges
    (even ``constraint=false`` ones), which shuffles the lanes. So dot places nodes
    without the flow: each node's row is fixed by an invisible spine (``rank=same`` with a
    spine point per row, allowed across clusters by ``newrank``) and the lanes keep the
    roles' order through their chained head points. The flow edges are then routed on
    that fixed layout, orthogonally (as swimlane charts are drawn, and 30x faster than
    neato's obstacle-avoiding splines on a 40-step chart).

    Beyond steps: each start (a named trigger) sits just above the step it leads to, in the
    lane of whoever triggers it; a parallel fork and a join are drawn as bars; each typed end
    (completed, terminated, hand-off) sits below the last step that leads to it; outside
    parties (customer, authority) appear in one column at the chart's right edge, only in
    the rows of the steps they take part in, never as lanes.
    """
    plan = _plan(proc)
    out: list[str] = []
    emit = out.append
    emit("digraph procedure {")
    emit(f'  graph [newrank=true, rankdir=TB, nodesep=0.35, ranksep=0.35, fontname="{FONT}", '
         f'fontsize=11, bgcolor="transparent", pad=0.2, id="flowchart"];')
    emit(f'  node [fontname="{FONT}", fontsize=10, shape=box, style="rounded,filled", '
         f'fillcolor="#e8eaf6", color="#3949ab", margin="0.12,0.06"];')
    emit(f'  edge [fontname="{FONT}", fontsize=9, color="#5c6bc0", arrowsize=0.7];')

    # A lane only for a role that has something in it (a step it owns or takes part in, a start it
    # triggers, an end after its step): an empty lane widens the chart and says nothing.
    lanes: list[tuple[str, str]] = [(role.id, role.name[lang]) for role in proc.roles if role.id in plan.lane_roles]
    # An outside party that owns a step (the customer approves a concession) has a lane of its own, after the roles'.
    outside_lanes = {x.id for x in proc.externals if x.id in plan.lane_roles}
    lanes += [(party.id, party.name[lang]) for party in proc.externals if party.id in outside_lanes]
    if plan.gap_lane:
        lanes.append(("", label("gap_mark", lang)))  # steps whose owner the source leaves open
    rows = plan.rows
    heads = [f"lane_head_{i}" for i in range(len(lanes))]
    tails = [f"lane_tail_{i}" for i in range(len(lanes))]
    if plan.external_nodes:
        heads.append("lane_head_ext")
        tails.append("lane_tail_ext")
    rows = [heads] + rows + [tails]

    for index, (lane_id, lane_name) in enumerate(lanes):
        emit(f'  subgraph cluster_lane_{index} {{')
        outside = lane_id in outside_lanes
        emit(f'    graph [label={_label(lane_name, bold=True)}, style="{"filled,dashed" if outside else "filled"}", '
             f'fillcolor="{"#fafafa" if outside else "#f5f6fb" if index % 2 == 0 else "#eceef8"}", '
             f'color="{"#9e9e9e" if outside else "#c5cae9"}", class="{"lane lane--external" if outside else "lane"}", '
             f'id={dot_quoted("lane-" + (lane_id or "tbd"))}, labeljust="c"];')
        emit(f'    lane_head_{index} [shape=point, style=invis, width=0, height=0];')
        emit(f'    lane_tail_{index} [shape=point, style=invis, width=0, height=0];')
        for node, lane in plan.starts:
            if lane == lane_id:
                emit(f"    {node};")
        for step in proc.steps:
            if (step.owner if step.owner in plan.roles else "") == lane_id:
                _step_nodes(step, proc, lang, output_href, emit)
                _bar_nodes(step, emit)
            for participant in step.participants:
                if participant.role == lane_id:
                    part_text = str(label("part_" + participant.part, lang))
                    if participant.when is not None:  # a condition: "批准 仅当：金额超过5,000元"
                        part_text += f" {condition_text(participant.when, lang)}"
                    emit(f'    {_part_node(step.id, participant.role)} [label={_label(part_text)}, '
                         f'shape=box, style="rounded,dashed,filled", fillcolor="white", color="#7986cb", fontsize=9, '
                         f'class="participant", id={dot_quoted(f"chart-part-{step.id}-{participant.role}")}];')
        for node, lane in plan.ends:
            if lane == lane_id:
                emit(f"    {node};")
        emit("  }")
    if plan.external_nodes:
        emit('  subgraph cluster_externals {')
        emit(f'    graph [label={_label(label("externals", lang), bold=True)}, style="dashed", color="#9e9e9e", '
             f'class="externals", id="lane-externals", labeljust="c"];')
        emit('    lane_head_ext [shape=point, style=invis, width=0, height=0];')
        emit('    lane_tail_ext [shape=point, style=invis, width=0, height=0];')
        for node in plan.external_nodes:
            emit(f"    {node};")
        emit("  }")

    _emit_nodes(proc, lang, plan, reference_href, emit)
    emit("  node [shape=point, style=invis, width=0, height=0];")
    emit("  " + " -> ".join(f"row_{i}" for i in range(len(rows))) + " [style=invis];")
    for i, members in enumerate(rows):
        emit(f"  {{ rank=same; row_{i}; {'; '.join(members)}; }}")
    if len(heads) > 1:
        emit("  " + " -> ".join(heads) + " [style=invis];")

    for step in proc.steps:  # beside its step, to the right (a flat edge orders them)
        if step.outputs:
            emit(f'  {node_id(step.id)} -> {node_id(step.id)}_outputs [style="dotted", arrowhead=none, color="#9e9d24"];')
    emit("}")
    return ChartSource("\n".join(out) + "\n", _flow_edges(proc, lang, plan), _titles(proc, lang, plan, lanes))


_RELATIVE_HREF = re.compile(r'xlink:href="(?![a-z][a-z0-9+.-]*:|/|#)(?:\./)?([^"]*)"')


def standalone_svg(svg: str, to_page: str) -> str:
    """The chart as a file of its own (the download): its links are relative to the procedure page,
    so they are made relative to the file's folder. ``to_page`` is the way from that folder to the
    page's folder in the chart's language ("" beside it), so a downloaded English chart opens English pages."""
    if not to_page:
        return svg
    prefix = to_page.rstrip("/") + "/"
    return _RELATIVE_HREF.sub(lambda m: f'xlink:href="{prefix}{m[1]}"', svg)


# A link as Graphviz writes it: one <a> (with no other inside), alone in a group of its own for a table cell.
_LINK = re.compile(r'(<g id="a_[^"]*">)?<a xlink:href="([^"]*)"[^>]*>\n?(.*?)</a>(?(1)\n</g>)', re.S)


def steps_linked_only(svg: str) -> str:
    """The chart as a revision's own page shows it: the same drawing as the procedure page's, with only
    the links to its steps (which that page has too) kept; a link out of the page (a form, a document,
    another procedure) is removed, its text kept. Graphviz writes each link as one ``<a>`` with no
    other inside it, and a link changes no size, so one layout serves both pages."""
    return _LINK.sub(lambda m: m[0] if m[2] == "./" or m[2].startswith("./#step-") else m[3], svg)


def step_name(step: Step, lang: str) -> str:
    return f"{step.number}. {step.title[lang]}"


def _titles(proc: Procedure, lang: str, plan: "_Plan", lanes: list[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    """What a reader calls each drawn part: lanes by role, steps by number and title, links "from → to"."""
    colon = label("colon", lang)
    names: dict[str, str] = {"procedure": f"{proc.title[lang]}{colon}{label('flowchart', lang)}"}
    for index, (_, lane_name) in enumerate(lanes):
        names[f"cluster_lane_{index}"] = lane_name
    if plan.external_nodes:
        names["cluster_externals"] = str(label("externals", lang))
    declared = bool(proc.starts)
    for index, start in enumerate(proc.flow_starts()):
        if index in plan.start_nodes:
            names[plan.start_nodes[index]] = start.trigger[lang] if declared else str(label("start", lang))
    for end_id, node in plan.end_nodes.items():
        end = proc.end(end_id)
        kind = label("end", lang) if end_id == END and not proc.ends else label(f"end_{end.kind}", lang)
        names[node] = f"{kind}{colon}{end.title[lang]}" if end is not None and end.title else str(kind)
    for node, _, party_id in plan.external_parties:
        names[node] = proc.external(party_id).name[lang]
    for step in proc.steps:
        nid = node_id(step.id)
        names[nid] = step_name(step, lang)
        if step.decision:
            names[f"{nid}_decision"] = f"{label('decision', lang)}{colon}{step.decision[lang]}"
        if step.parallel:
            names[f"{nid}_fork"] = f"{step_name(step, lang)}{colon}{label('in_parallel', lang)}"
        if step.join:
            names[f"{nid}_join"] = str(label("joins", lang))
        if step.outputs:
            outputs = []
            for output in step.outputs:
                item = proc.document(output) or proc.form(output)
                outputs.append(item.title[lang] if item is not None and item.title else str(label("gap_mark", lang)))
            names[f"{nid}_outputs"] = f"{label('outputs', lang)}{colon}{('、' if lang == 'zh' else ', ').join(outputs)}"
        for participant in step.participants:
            role = proc.party(participant.role)
            if role is not None and participant.role in plan.roles:
                names[_part_node(step.id, participant.role)] = (
                    f"{role.name[lang]}{colon}{label('part_' + participant.part, lang)}{label('lparen', lang)}"
                    f"{step_name(step, lang)}{label('rparen', lang)}")
    flow_names = dict(names)
    for line in _flow_edges(proc, lang, plan).splitlines():
        match = re.match(r"\s*(\w+) -> (\w+)", line)
        if match and match[1] in flow_names and match[2] in flow_names:
            names[f"{match[1]}->{match[2]}"] = f"{_short(flow_names[match[1]])} → {_short(flow_names[match[2]])}"
    return tuple(names.items())


def _short(name: str) -> str:
    return name if len(name) <= 40 else name[:39] + "…"


@dataclass
class _Plan:
    """Where every node goes: rows top to bottom, and the lane of each start and end node."""

    rows: list[list[str]]
    starts: list[tuple[str, str]]  # (node statement, lane role id) — lane "" is the gap lane
    ends: list[tuple[str, str]]
    external_nodes: list[str]  # node statements in the outside parties' column
    start_nodes: dict  # start index -> node name
    end_nodes: dict  # end id -> node name
    external_links: list[tuple[str, str, str]]  # (external node, step node, direction "in"/"out"/"none")
    external_parties: list[tuple[str, str, str]]  # (external node, step id, party id)
    gap_lane: bool
    joins: set
    roles: set
    lane_roles: set  # roles with a node in their lane


def _part_node(step_id: str, role_id: str) -> str:
    return f"part_{node_id(step_id).removeprefix('step_')}_{node_id(role_id).removeprefix('step_')}"


def end_node(end_id: str) -> str:
    return "end" if end_id == END else "end_" + node_id(end_id).removeprefix("step_")


def _plan(proc: Procedure) -> _Plan:
    externals = {x.id for x in proc.externals}
    # Lanes: the roles, and the outside parties that own a step (drawn in a lane of their own).
    roles = {r.id for r in proc.roles} | ({s.owner for s in proc.steps} & externals)
    gap_lane = any(s.owner not in roles for s in proc.steps)
    order = {s.id: i for i, s in enumerate(proc.steps)}

    def lane_of(party: str | None, step_id: str | None) -> str | None:
        if party in roles:
            return party
        if party in externals:
            return None  # the outside parties' column
        owner = proc.step(step_id).owner if step_id and proc.step(step_id) else None
        return owner if owner in roles else ""

    # Starts: one node each, on a row just above the step it leads to.
    starts_before: dict[str, list[str]] = {}
    starts, start_nodes, external_nodes = [], {}, []
    declared = bool(proc.starts)
    for index, start in enumerate(proc.flow_starts()):
        if start.to not in order:
            continue
        node = f"start_{index}" if declared else "start"
        start_nodes[index] = node
        starts_before.setdefault(start.to, []).append(node)
        lane = lane_of(start.by, start.to)
        if lane is None:
            external_nodes.append(node)
        else:
            starts.append((node, lane))

    # Ends: the implicit "end" at the bottom; a declared end below the last step leading to it.
    last_source: dict[str, str] = {}
    for step in proc.steps:
        for link in proc.successors(step):
            if proc.is_end(link.target) and proc.step(link.target) is None:
                last_source[link.target] = step.id
    ends, end_nodes, ends_after = [], {}, {}
    for end_id, source in last_source.items():
        node = end_node(end_id)
        end_nodes[end_id] = node
        ends.append((node, lane_of(None, source) or ""))
        if end_id != END or proc.ends:
            ends_after.setdefault(source, []).append(node)

    # Outside parties beside the steps they take part in.
    external_links, external_parties = [], []
    ext_rows: dict[str, list[str]] = {}
    for step in proc.steps:
        related: dict[str, str] = {}
        for participant in step.participants:
            if participant.role in externals and participant.role not in roles:
                related.setdefault(participant.role, "none")
        for doc_id in step.inputs:
            doc = proc.document(doc_id)
            if doc is not None and doc.producer in externals:
                related[doc.producer] = "in"
        for doc_id in step.outputs:
            doc = proc.document(doc_id)
            for recipient in doc.recipients if doc else ():
                if recipient in externals:
                    related[recipient] = "out"
        for party in [p for p in related if p in roles]:  # an outside party with a lane is drawn there
            del related[party]
        for party, direction in related.items():
            node = f"ext_{node_id(step.id).removeprefix('step_')}_{node_id(party).removeprefix('step_')}"
            external_nodes.append(node)
            ext_rows.setdefault(step.id, []).append(node)
            external_links.append((node, node_id(step.id), direction))
            external_parties.append((node, step.id, party))

    joins = {s.id for s in proc.steps if s.join}
    rows: list[list[str]] = []
    if not declared and proc.steps and "start" in start_nodes.values():
        rows.append(["start"])
    for step in proc.steps:
        if declared and step.id in starts_before:
            rows.append(starts_before[step.id])
        if step.id in joins:
            rows.append([f"{node_id(step.id)}_join"])
        rows.append([node_id(step.id)] + ([f"{node_id(step.id)}_outputs"] if step.outputs else [])
                    + [_part_node(step.id, p.role) for p in step.participants if p.role in roles]
                    + ext_rows.get(step.id, []))
        if step.decision:
            rows.append([f"{node_id(step.id)}_decision"])
        if step.parallel:
            rows.append([f"{node_id(step.id)}_fork"])
        if step.id in ends_after:
            rows.append(ends_after[step.id])
    if END in end_nodes and not proc.ends:
        rows.append(["end"])
    lane_roles = ({s.owner for s in proc.steps} | {p.role for s in proc.steps for p in s.participants}
                  | {lane for _, lane in starts} | {lane for _, lane in ends}) & roles
    return _Plan(rows, starts, ends, external_nodes, start_nodes, end_nodes, external_links, external_parties,
                 gap_lane, joins, roles, lane_roles)


_END_STYLE = {
    "completed": 'shape=oval, fillcolor="#ffcdd2", color="#c62828"',
    "terminated": 'shape=octagon, style="filled", fillcolor="#eeeeee", color="#616161"',
    "hand-off": 'shape=box, style="filled,bold", fillcolor="#e0f2f1", color="#00695c"',
}


def _emit_nodes(proc: Procedure, lang: str, plan: _Plan, reference_href, emit) -> None:
    """Start, end, bar and outside-party nodes (their lane membership was emitted with the lanes)."""
    declared = bool(proc.starts)
    for index, start in enumerate(proc.flow_starts()):
        node = plan.start_nodes.get(index)
        if node is None:
            continue
        text = start.trigger[lang] if declared else label("start", lang)
        party = proc.external(start.by) if start.by else None
        lines = "<BR/>".join(dot_html(line) for line in wrap(text))
        if party is not None and start.by not in plan.roles:  # an outside party with a lane is named by it
            lines += f'<BR/><FONT POINT-SIZE="8">{dot_html(party.name[lang])}</FONT>'
        emit(f'  {node} [label=<{lines}>, shape=oval, style="filled", fillcolor="#c8e6c9", color="#2e7d32", '
             f'class="terminator start", id={dot_quoted(f"chart-start-{index}")}];')
    for end_id, node in plan.end_nodes.items():
        end = proc.end(end_id)
        if end_id == END and not proc.ends:
            text = label("end", lang)
        else:
            kind = label(f"end_{end.kind}", lang)
            text = f"{kind}{label('colon', lang)}{end.title[lang]}" if end.title else kind
        extra = ""
        if end.kind == "hand-off" and end.procedure is not None:
            ref = end.procedure
            name = f"《{ref.title[lang]}》" if lang == "zh" else ref.title[lang]
            href = reference_href(ref) if reference_href else None
            lines = [text, f"→ {name}"] + ([] if href else [label("not_published_aside", lang)])
            if href:
                extra = f", URL={dot_url(href)}, target=\"_top\""
            body = "<BR/>".join("<BR/>".join(dot_html(l) for l in wrap(line, 22)) for line in lines)
            emit(f'  {node} [label=<{body}>, {_END_STYLE[end.kind]}, margin="0.25,0.06", '
                 f'class="terminator end end-{end.kind}", id={dot_quoted(f"chart-end-{end_id}")}{extra}];')
            continue
        emit(f'  {node} [label={_label(text)}, {_END_STYLE[end.kind]}, class="terminator end end-{end.kind}", '
             f'id={dot_quoted(f"chart-end-{end_id}")}{extra}];')
    for node, step_id, party_id in plan.external_parties:
        party = proc.external(party_id)
        emit(f'  {node} [label={_label(party.name[lang])}, shape=box, style="rounded,dashed,filled", color="#757575", '
             f'fillcolor="white", class="external", id={dot_quoted(f"chart-external-{step_id}-{party_id}")}];')


_BAR = 'shape=box, style="filled", fillcolor="#37474f", color="#37474f", label="", height=0.07, width=1.4, fixedsize=true'


def _bar_nodes(step: Step, emit) -> None:
    """A fork's bar below its step, a join's bar above it: every branch starts, or is awaited, there."""
    nid = node_id(step.id)
    if step.parallel:
        emit(f'    {nid}_fork [{_BAR}, class="fork", id={dot_quoted(f"chart-fork-{step.id}")}];')
    if step.join:
        emit(f'    {nid}_join [{_BAR}, class="join", id={dot_quoted(f"chart-join-{step.id}")}];')


def _flow_edges(proc: Procedure, lang: str, plan: _Plan) -> str:
    order = {s.id: i for i, s in enumerate(proc.steps)}
    edges = ['  graph [splines=ortho];', '  edge [color="#5c6bc0", arrowsize=0.7];']
    for index, start in enumerate(proc.flow_starts()):
        if index in plan.start_nodes:
            edges.append(f"  {plan.start_nodes[index]} -> {node_id(start.to)};")
    for step in proc.steps:
        if step.decision:
            edges.append(f"  {node_id(step.id)} -> {node_id(step.id)}_decision;")
        if step.parallel:
            edges.append(f"  {node_id(step.id)} -> {node_id(step.id)}_fork [arrowhead=none];")
        if step.join:
            edges.append(f"  {node_id(step.id)}_join -> {node_id(step.id)};")
        source = (f"{node_id(step.id)}_decision" if step.decision
                  else f"{node_id(step.id)}_fork" if step.parallel else node_id(step.id))
        for link in proc.successors(step):
            is_step = proc.step(link.target) is not None
            if not is_step:
                target = plan.end_nodes.get(link.target, "end")
            elif link.target in plan.joins:
                target = f"{node_id(link.target)}_join"
            else:
                target = node_id(link.target)
            attrs = [f'id={dot_quoted(f"flow-{step.id}-{link.target}")}']
            if link.when:
                attrs.append(f"xlabel={_label(link.when[lang])}")
            if is_step and order.get(link.target, 0) <= order[step.id]:
                attrs += ['style="dashed"', 'class="loop"']
            edges.append(f"  {source} -> {target} [{', '.join(attrs)}];")
    for step in proc.steps:
        for participant in step.participants:
            if participant.role in plan.roles:
                edges.append(f'  {node_id(step.id)} -> {_part_node(step.id, participant.role)} '
                             f'[style="dotted", color="#7986cb", arrowhead=none];')
    for node, step_node, direction in plan.external_links:
        if direction == "in":
            edges.append(f'  {node} -> {step_node} [style="dotted", color="#757575"];')
        elif direction == "out":
            edges.append(f'  {step_node} -> {node} [style="dotted", color="#757575"];')
        else:
            edges.append(f'  {step_node} -> {node} [style="dotted", color="#757575", dir=both, arrowsize=0.5];')
    return "\n".join(edges) + "\n"


def _step_nodes(step: Step, proc: Procedure, lang: str, output_href, emit) -> None:
    nid = node_id(step.id)
    title = step_name(step, lang)
    said = step.description[lang] if step.description else " ".join(s[lang] for s in step.substeps)
    tip = f"{title}{label('colon', lang)}{said}" if said else title
    limit = deadline_text(proc, step.within, lang)
    if limit:  # the time limit, small, under the title
        text = "<BR/>".join(dot_html(line) for line in wrap(f"{label('time_limit', lang)}{label('colon', lang)}{limit}", 22))
        node_label = f'<{"<BR/>".join(dot_html(line) for line in wrap(title))}<BR/><FONT POINT-SIZE="8" COLOR="#b71c1c">{text}</FONT>>'
        tip = f"{tip} ({label('time_limit', lang)}{label('colon', lang)}{limit})"
    else:
        node_label = _label(title)
    emit(f'    {nid} [label={node_label}, id={dot_quoted("chart-step-" + step.id)}, URL={dot_url(step_href(step.id))}, '
         f'target="_top", tooltip={dot_tooltip(tip)}, class="step"];')
    if step.decision:
        emit(f'    {nid}_decision [label={_label(step.decision[lang])}, shape=diamond, style="filled", '
             f'fillcolor="#fff8e1", color="#f9a825", class="decision", id={dot_quoted("chart-decision-" + step.id)}];')
    if step.outputs:
        rows = []
        for output in step.outputs:
            doc = proc.document(output) or proc.form(output)
            # An output the revision never declared (a gap of its time) is shown as a gap, never by its id;
            # it has no link, nor has any output where output_href gives none (an archived revision's page).
            text = doc.title[lang] if doc is not None and doc.title else str(label("gap_mark", lang))
            url = output_href(proc, output) if doc is not None else None
            href = f'HREF="{dot_html_url(url)}" TARGET="_top" ' if url else ""
            rows.append(f'<TR><TD {href}'
                        f'TOOLTIP="{dot_html(text)}" ALIGN="LEFT">{"<BR/>".join(dot_html(l) for l in wrap(text, 20))}</TD></TR>')
        emit(f'    {nid}_outputs [shape=note, style="filled", fillcolor="#fffde7", color="#9e9d24", class="document", '
             f'id={dot_quoted("chart-outputs-" + step.id)}, margin="0.05,0.03", fontsize=9, '
             f'label=<<TABLE BORDER="0" CELLSPACING="0" CELLPADDING="3">{"".join(rows)}</TABLE>>];')
