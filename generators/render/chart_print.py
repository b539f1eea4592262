"""The flowchart on paper: whole, on sheets of its own, its text never under 7 pt.

A chart drawn for the screen is as wide and as tall as its flow: shrunk onto an A4 portrait page its
text falls to 4–5 pt, and a browser prints the on-screen box, cutting the rest. So a printed chart gets
sheets of its own (``print_sheets``): the smallest paper (A4, A4 landscape, A3, A3 landscape) on which
its width fits at a scale that keeps the smallest text at ``MIN_TEXT_PT`` or more, then as many sheets
as its height needs. Sheets are cut between rows of nodes (never through a step or a label), every
sheet after the first repeats the lane names above its part, and each says which part it is and that
the chart goes on. A chart too wide even for A3 landscape is cut into columns as well.

Each sheet is an ``<svg>`` with its own ``viewBox`` over the page's one drawing (``<use>``): the page
carries the chart once. WeasyPrint draws each inline SVG on its own, so the PDF copy gets the drawing
itself in each sheet (``inline_sheets``). Pure functions of the SVG text Graphviz wrote (our own
output, its texts already escaped).
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass

from markupsafe import Markup

from ..source.labels import label

SVG = "{http://www.w3.org/2000/svg}"
DRAWING_ID = "flowchart-drawing"  # the chart's top group on the page (Graphviz names it "flowchart", as the heading is)
MIN_TEXT_PT = 7.2  # printed chart text never under 7 pt (a little margin for rounding)
MM = 72 / 25.4
# Paper (width, height in mm), smallest first; the sheet's margins are those of the PDF (pdf.css).
PAPERS = (("a4", 210, 297), ("a4-landscape", 297, 210), ("a3", 297, 420), ("a3-landscape", 420, 297))
MARGIN_X_MM = 30  # left + right
MARGIN_Y_MM = 50  # top (running header) + bottom (footer)
CAPTION_MM = 9    # the sheet's caption line


@dataclass(frozen=True)
class Sheet:
    paper: str
    scale: float
    part: int
    parts: int
    box: tuple[float, float, float, float]  # x, y, width, height of the chart's viewBox shown
    header: tuple[float, float, float, float] | None  # the lane names repeated above a continued part


def _number(text: str | None) -> float:
    return float(re.sub(r"[^0-9.\-]", "", text or "0") or 0)


def _classes(element) -> set[str]:
    return set((element.get("class") or "").split())


_NUMBERS = re.compile(r"-?\d+(?:\.\d+)?")


def _extents(group, dx: float, dy: float) -> tuple[float, float, float, float] | None:
    """x0, y0, x1, y1 of what a node or an edge label draws, in the viewBox's coordinates."""
    xs: list[float] = []
    ys: list[float] = []
    for element in group.iter():
        tag = element.tag.removeprefix(SVG)
        if tag in ("polygon", "polyline"):
            values = [float(v) for v in _NUMBERS.findall(element.get("points", ""))]
        elif tag == "path" and "edge" not in _classes(group):  # an edge's line may be cut: only its label counts
            values = [float(v) for v in _NUMBERS.findall(element.get("d", ""))]
        elif tag == "ellipse":
            cx, cy, rx, ry = (_number(element.get(k)) for k in ("cx", "cy", "rx", "ry"))
            values = [cx - rx, cy - ry, cx + rx, cy + ry]
        elif tag == "text":
            size = _number(element.get("font-size")) or 10
            x, y = _number(element.get("x")), _number(element.get("y"))
            values = [x - size * 6, y - size, x + size * 6, y + size * .3]  # width unknown: generous, y is what matters
        else:
            continue
        if tag in ("polygon", "polyline") and "edge" in _classes(group):
            continue  # an arrow head
        xs += values[0::2]
        ys += values[1::2]
    if not ys:
        return None
    return min(xs) + dx, min(ys) + dy, max(xs) + dx, max(ys) + dy


@dataclass(frozen=True)
class Drawing:
    width: float   # viewBox width, pt
    height: float
    smallest_text: float
    blocks: tuple[tuple[float, float, float, float], ...]  # what a cut must not go through
    header_bottom: float  # where the lane names end


def measure(svg: str) -> Drawing | None:
    """The chart's size, its smallest text and the boxes a cut must avoid; None if it cannot be read."""
    try:
        root = etree.fromstring(svg)
    except etree.ParseError:
        return None
    view = [float(v) for v in _NUMBERS.findall(root.get("viewBox", ""))]
    if len(view) != 4 or view[2] <= 0 or view[3] <= 0:
        return None
    graph = root.find(f"{SVG}g")
    dx = dy = 0.0
    if graph is not None:
        moved = re.search(r"translate\(\s*(-?[\d.]+)[ ,]+(-?[\d.]+)\s*\)", graph.get("transform", ""))
        if moved:
            dx, dy = float(moved[1]), float(moved[2])
    sizes = [_number(t.get("font-size")) for t in root.iter(f"{SVG}text") if t.get("font-size")]
    blocks, header = [], 0.0
    for group in root.iter(f"{SVG}g"):
        kinds = _classes(group)
        if "node" in kinds or ("edge" in kinds and group.find(f"{SVG}text") is not None):
            box = _extents(group, dx, dy)
            if box:
                blocks.append(box)
        elif "cluster" in kinds:
            texts = [_number(t.get("y")) + dy for t in group.findall(f"{SVG}text")]
            if texts:
                header = max(header, max(texts) + 5)
    return Drawing(view[2], view[3], min(sizes, default=10.0), tuple(blocks), header)


def _cut(blocks, start: float, limit: float, axis: int) -> float:
    """The furthest position in (start, limit] that no block spans on ``axis`` (0: x, 1: y); ``limit``
    itself when every position in the last part of the range is covered (a node taller than a sheet)."""
    low, high = axis, axis + 2
    position = limit
    for _ in range(len(blocks) + 1):
        inside = [b for b in blocks if b[low] < position < b[high]]
        if not inside:
            return position
        position = min(b[low] for b in inside) - 1
        if position <= start + (limit - start) * .3:  # no gap in the last 70 %: cut through
            return limit
    return limit


def _spans(blocks, total: float, size: float, axis: int, start: float = 0.0) -> list[tuple[float, float]]:
    spans = []
    while total - start > size + .5:
        end = _cut(blocks, start, start + size, axis)
        spans.append((start, end))
        start = end
    spans.append((start, total))
    return spans


def _layout(drawing: Drawing, paper: str, room: tuple[float, float], scale: float) -> list[Sheet]:
    width_room, height_room = room[0] / scale, room[1] / scale
    # the lanes' padding below the last node is left off rather than given a sheet of its own
    height = min(drawing.height, max((b[3] for b in drawing.blocks), default=drawing.height) + 8)
    header = min(drawing.header_bottom, height / 3)
    columns = _spans(drawing.blocks, drawing.width, width_room, 0)
    if height <= height_room:
        rows = [(0.0, height)]
    else:
        # the first sheet shows the lane names in place; the others repeat them above their part
        first_end = _cut(drawing.blocks, 0.0, height_room, 1)
        rows = [(0.0, first_end)] + _spans(drawing.blocks, height, height_room - header, 1, first_end)
    parts = len(rows) * len(columns)
    sheets = []
    for r, (top, bottom) in enumerate(rows):
        for left, right in columns:
            sheets.append(Sheet(paper, round(scale, 4), len(sheets) + 1, parts, (left, top, right - left, bottom - top),
                                (left, 0.0, right - left, header) if r and header else None))
    return sheets


def plan(drawing: Drawing) -> list[Sheet]:
    """The sheets of a chart: the smallest paper its width fits at a readable scale (A4 before A3),
    then the largest scale (at most 1:1, text never under MIN_TEXT_PT) that needs the fewest sheets."""
    least = min(1.0, MIN_TEXT_PT / drawing.smallest_text)
    for paper, width_mm, height_mm in PAPERS:
        room = ((width_mm - MARGIN_X_MM) * MM, (height_mm - MARGIN_Y_MM - CAPTION_MM) * MM)
        if drawing.width * least <= room[0]:
            break
    largest = max(least, min(1.0, room[0] / drawing.width))
    options = [_layout(drawing, paper, room, largest - step / 100) for step in range(int((largest - least) * 100) + 1)]
    fewest = min(len(sheets) for sheets in options)
    return next(sheets for sheets in options if len(sheets) == fewest)


def _view(box) -> str:
    return " ".join(f"{v:.2f}" for v in box)


def _svg_part(box, scale: float, role_label: str = "") -> str:
    width, height = box[2] * scale, box[3] * scale
    named = f' role="img" aria-label="{role_label}"' if role_label else ' aria-hidden="true"'
    return (f'<svg class="chart-sheet__part" viewBox="{_view(box)}" width="{width:.1f}pt" height="{height:.1f}pt"'
            f' preserveAspectRatio="xMinYMin meet"{named} xmlns="http://www.w3.org/2000/svg"'
            f' xmlns:xlink="http://www.w3.org/1999/xlink"><use href="#{DRAWING_ID}" xlink:href="#{DRAWING_ID}"/></svg>')


def caption(sheet: Sheet, lang: str, heading: str = "") -> str:
    text = heading or label("flowchart", lang)
    if sheet.parts > 1:
        text += label("chart_part", lang).format(part=sheet.part, parts=sheet.parts)
        if sheet.part < sheet.parts:
            text += label("chart_continued", lang)
    return text


def print_sheets(svg: str | None, lang: str, heading: str = "") -> Markup:
    """The chart's printed sheets: hidden on screen, shown (and the scrolling box hidden) in print.
    ``heading``: the section's heading (escaped text), which each sheet's caption repeats: in print
    the heading itself is left out, so it is never stranded at the foot of the page before the chart."""
    if not svg:
        return Markup("")
    drawing = measure(str(svg))
    if drawing is None:
        return Markup("")
    out = ['<div class="chart-sheets" aria-hidden="true">']
    for sheet in plan(drawing):
        parts = ([_svg_part(sheet.header, sheet.scale)] if sheet.header else []) + [_svg_part(sheet.box, sheet.scale)]
        out.append(f'<figure class="chart-sheet chart-sheet--{sheet.paper}" data-scale="{sheet.scale}">'
                   f'<figcaption>{caption(sheet, lang, heading)}</figcaption>{"".join(parts)}</figure>')
    out.append("</div>")
    return Markup("".join(out))


_GRAPH_ID = re.compile(r'(<g id=")flowchart(" class="graph")')


def drawing_source(svg: str | None) -> Markup | None:
    """The page's chart with its top group named for the sheets' ``<use>`` (the heading is #flowchart)."""
    if not svg:
        return svg
    return Markup(_GRAPH_ID.sub(rf"\g<1>{DRAWING_ID}\g<2>", str(svg), count=1))


_USE = re.compile(rf'<use href="#{DRAWING_ID}" xlink:href="#{DRAWING_ID}"/>')
_DRAWING = re.compile(rf'<g id="{DRAWING_ID}" class="graph".*?</g>\s*</svg>', re.S)


def inline_sheets(html: str) -> str:
    """The print HTML with each sheet drawing the chart itself (WeasyPrint draws each SVG on its own,
    so a ``<use>`` of the page's drawing would show nothing)."""
    found = _DRAWING.search(html)
    if not found:
        return html
    group = found[0][:found[0].rindex("</svg>")]
    copy = group.replace(f'<g id="{DRAWING_ID}"', '<g', 1)
    return _USE.sub(lambda _: copy, html)
