"""The one place that runs Graphviz (dot, then neato -n2). Results are cached by the content of the DOT source."""
from __future__ import annotations

import hashlib
import re
import subprocess
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from .render.flowchart import ChartSource
from .writer import atomic_write

CACHE_DIR = Path(".cache/graphviz")


class GraphvizError(Exception):
    pass


@dataclass
class RenderStats:
    drawn: int = 0
    cached: int = 0


@dataclass
class Graphviz:
    """Renders DOT to SVG with ``dot``, reusing earlier results for identical sources."""

    cache_dir: Path = CACHE_DIR
    stats: RenderStats = field(default_factory=RenderStats)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def _cache_path(self, chart: ChartSource) -> Path:
        digest = hashlib.sha256(f"{chart.layout}\0{chart.overlay}".encode("utf-8")).hexdigest()
        return self.cache_dir / f"{digest}.svg"

    def svg(self, chart: ChartSource) -> str:
        """SVG of a chart: dot places the layout, then neato -n2 routes the overlay's edges on it."""
        cached = self._cache_path(chart)
        if cached.exists():
            with self._lock:
                self.stats.cached += 1
            return cached.read_text(encoding="utf-8")
        placed = _run(["dot", "-Tdot"], chart.layout).rstrip()
        if not placed.endswith("}"):
            raise GraphvizError("unexpected output from dot -Tdot")
        svg = _route(placed[:-1], chart.overlay)
        atomic_write(cached, svg.encode("utf-8"))
        with self._lock:
            self.stats.drawn += 1
        return svg

    def svg_many(self, charts: list[ChartSource], workers: int | None = None) -> list[str]:
        """Render several charts, Graphviz processes running in parallel across cores."""
        with ThreadPoolExecutor(max_workers=workers) as pool:
            return list(pool.map(self.svg, charts))


# neato 2.43 crashes (SIGSEGV) on some orthogonal routings; fall back to polyline routing
# (slower, still avoids nodes), then to straight lines, so a chart is always drawn.
FALLBACK_SPLINES = ("polyline", "line")


def _route(placed: str, overlay: str) -> str:
    try:
        return _run(["neato", "-n2", "-Tsvg"], placed + overlay + "}\n")
    except GraphvizError:
        for splines in FALLBACK_SPLINES:
            try:
                return _run(["neato", "-n2", "-Tsvg"], placed + overlay.replace("splines=ortho", f"splines={splines}") + "}\n")
            except GraphvizError:
                continue
        raise


def _run(command: list[str], source: str) -> str:
    try:
        result = subprocess.run(command, input=source.encode("utf-8"), capture_output=True, timeout=120)
    except FileNotFoundError as exc:
        raise GraphvizError(f"Graphviz '{command[0]}' is not installed (make setup installs it)") from exc
    if result.returncode != 0:
        reason = result.stderr.decode("utf-8", "replace").strip() or f"exit status {result.returncode}"
        raise GraphvizError(f"{command[0]} failed: {reason}")
    return result.stdout.decode("utf-8")


def inline_svg(svg: str) -> str:
    """An SVG document made fit to sit inside HTML: no XML prolog, doctype or comments, no blank lines."""
    svg = re.sub(r"<\?xml[^>]*\?>|<!DOCTYPE[^>]*>|<!--.*?-->", "", svg, flags=re.S)
    return "\n".join(line for line in svg.splitlines() if line.strip())
