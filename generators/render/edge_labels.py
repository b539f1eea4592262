"""A flow line's label (a decision's "是", "返工", "Concession") beside its own line, near where it leaves.

Graphviz places an edge's xlabel after routing, wherever it finds room: with orthogonal routing that is often
half a chart away, beside another branch's line (issue 31: "edge labels of a four-way decision sit far from
their lines"). This moves each flow label to the first place along its own line, from the line's start
(the decision), where it touches nothing: beside the line (2 pt from it), clear of every node, of every other
line (by 4 pt, so the nearest line is always its own) and of the labels already placed. A label with no such
place keeps Graphviz's.

Pure: SVG text in, SVG text out. Only the ``x``/``y`` of the labels' ``<text>`` elements change.
"""
from __future__ import annotations

import html
import re
import unicodedata

GAP = 2.0  # between a label and its own line
CLEARANCE = 4.0  # between a label and any other line, node or label
STEP = 3.0  # how far along the line each next place is tried
ASCENT, DESCENT = 1.17, .3  # of the chart's font (Noto Sans CJK), per point of its size: a text's box as the browser has it

_GROUP = re.compile(r'<g id="([^"]*)" class="(node[^"]*|edge)">(.*?)</g>\n(?=<!--|</g>|<g )', re.S)
_PATH_D = re.compile(r'<path\b[^>]*\bd="([^"]*)"')
_POINTS = re.compile(r'<polygon\b[^>]*\bpoints="([^"]*)"')
_ELLIPSE = re.compile(r'<ellipse\b[^>]*\bcx="([-\d.]+)" cy="([-\d.]+)" rx="([-\d.]+)" ry="([-\d.]+)"')
_NUMBER_PAIR = re.compile(r"(-?[\d.]+),(-?[\d.]+)")
_TEXT = re.compile(r'<text text-anchor="(start|middle|end)" x="(-?[\d.]+)" y="(-?[\d.]+)"([^>]*)>([^<]*)</text>')
_FONT_SIZE = re.compile(r'font-size="([\d.]+)"')

Box = tuple[float, float, float, float]  # x0, y0, x1, y1 (y grows downwards, as in the SVG)
Segment = tuple[float, float, float, float]


def _pairs(text: str) -> list[tuple[float, float]]:
    return [(float(x), float(y)) for x, y in _NUMBER_PAIR.findall(text)]


def _text_width(text: str, size: float) -> float:
    return sum(size if unicodedata.east_asian_width(ch) in "WF" else .6 * size for ch in html.unescape(text))


def _segments(d: str) -> list[Segment]:
    points = _pairs(d)
    return [(a[0], a[1], b[0], b[1]) for a, b in zip(points, points[1:]) if a != b]


def _bounds(points) -> Box | None:
    points = list(points)
    if not points:
        return None
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return min(xs), min(ys), max(xs), max(ys)


def _node_box(body: str) -> Box | None:
    points = [p for d in _PATH_D.findall(body) for p in _pairs(d)] + [p for s in _POINTS.findall(body) for p in _pairs(s)]
    for cx, cy, rx, ry in _ELLIPSE.findall(body):
        cx, cy, rx, ry = map(float, (cx, cy, rx, ry))
        points += [(cx - rx, cy - ry), (cx + rx, cy + ry)]
    return _bounds(points)


def _grown(box: Box, by: float) -> Box:
    return box[0] - by, box[1] - by, box[2] + by, box[3] + by


def _overlap(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _crosses(box: Box, seg: Segment) -> bool:
    """Whether the segment passes through the box (Liang-Barsky clipping)."""
    x0, y0, x1, y1 = seg
    dx, dy = x1 - x0, y1 - y0
    low, high = 0.0, 1.0
    for p, q in ((-dx, x0 - box[0]), (dx, box[2] - x0), (-dy, y0 - box[1]), (dy, box[3] - y0)):
        if p == 0:
            if q < 0:
                return False
            continue
        t = q / p
        if p < 0:
            low = max(low, t)
        else:
            high = min(high, t)
        if low > high:
            return False
    return True


def _places(segments: list[Segment], width: float, height: float):
    """Boxes beside the line, in order of their distance along it from its start."""
    travelled = 0.0
    for x0, y0, x1, y1 in segments:
        length = abs(x1 - x0) + abs(y1 - y0)
        if length == 0:
            continue
        ux, uy = (x1 - x0) / length, (y1 - y0) / length
        along = 0.0 if travelled else STEP
        while along <= length:
            x, y = x0 + ux * along, y0 + uy * along
            if abs(ux) >= abs(uy):  # a horizontal run: the label above it, else below, running the line's way
                left = x if ux > 0 else x - width
                yield (left, y - GAP - height, left + width, y - GAP)
                yield (left, y + GAP, left + width, y + GAP + height)
            else:  # a vertical run: the label to its right, else to its left
                top = y if uy > 0 else y - height
                yield (x + GAP, top, x + GAP + width, top + height)
                yield (x - GAP - width, top, x - GAP, top + height)
            along += STEP
        travelled += length


def place_edge_labels(svg: str) -> str:
    """The SVG with each flow line's label moved beside its own line, as near its start as it fits."""
    groups = list(_GROUP.finditer(svg))
    nodes = [box for g in groups if g[2].startswith("node") for box in [_node_box(g[3])] if box]
    lines = {g.start(): _segments(d) for g in groups if g[2] == "edge" for d in _PATH_D.findall(g[3])[:1]}
    placed: list[Box] = []
    moves: dict[int, tuple[float, float]] = {}
    for g in groups:
        texts = list(_TEXT.finditer(g[3])) if g[2] == "edge" and html.unescape(g[1]).startswith("flow-") else []
        if not texts or not lines.get(g.start()):
            continue
        sizes = [float(m[1]) if (m := _FONT_SIZE.search(t[4])) else 9.0 for t in texts]
        widths = [_text_width(t[5], s) for t, s in zip(texts, sizes)]
        lefts = [float(t[2]) - {"start": 0, "middle": w / 2, "end": w}[t[1]] for t, w in zip(texts, widths)]
        top = float(texts[0][3]) - ASCENT * sizes[0]
        bottom = float(texts[-1][3]) + DESCENT * sizes[-1]
        left, width, height = min(lefts), max(l + w for l, w in zip(lefts, widths)) - min(lefts), bottom - top
        others = [seg for start, segs in lines.items() if start != g.start() for seg in segs]
        own = lines[g.start()]
        for box in _places(own, width, height):
            clear = _grown(box, CLEARANCE)
            if any(_overlap(clear, node) for node in nodes) or any(_overlap(clear, other) for other in placed):
                continue
            if any(_crosses(clear, seg) for seg in others) or any(_crosses(_grown(box, GAP / 2), seg) for seg in own):
                continue
            placed.append(box)
            moves[g.start()] = (box[0] - left, box[1] - top)
            break
    if not moves:
        return svg

    def moved(g: re.Match) -> str:
        if g.start() not in moves:
            return g[0]
        dx, dy = moves[g.start()]
        body = _TEXT.sub(lambda t: f'<text text-anchor="{t[1]}" x="{float(t[2]) + dx:.2f}" y="{float(t[3]) + dy:.2f}"'
                                   f'{t[4]}>{t[5]}</text>', g[3])
        return g[0].replace(g[3], body, 1)
    return _GROUP.sub(moved, svg)
