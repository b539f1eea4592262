"""The one place that runs Graphviz (dot, then neato -n2). Results are cached by the content of the DOT source."""
from __future__ import annotations

import hashlib
import re
import shutil
import signal
import subprocess
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from .edge_labels import place_edge_labels
from .flowchart import ChartSource
from ..source.progress import Progress
from ..source.writer import atomic_write, mark_used

CACHE_DIR = Path(".cache/graphviz")


class GraphvizError(Exception):
    pass


# Every Graphviz process runs under limits (prlimit, util-linux): CPU seconds rather than wall
# time, so a busy machine slows a build without failing it, and address space. A chart within
# check's limits (rules/limits.py) needs a few CPU seconds and well under 200 MB.
LAYOUT_CPU_SECONDS = 120
ROUTE_CPU_SECONDS = {"ortho": 30, "polyline": 30, "line": 60}
MEMORY_BYTES = 2 << 30
WALL_SECONDS_PER_CPU_SECOND = 30  # a backstop only: a process that waits rather than computes


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
        """SVG of a chart: dot places the layout, then neato -n2 routes the overlay's edges on it; each flow
        line's label is then put beside its line, near its start (edge_labels.py)."""
        cached = self._cache_path(chart)
        if cached.exists():
            with self._lock:
                self.stats.cached += 1
            mark_used(cached)
            return place_edge_labels(cached.read_text(encoding="utf-8"))
        placed = _run(["dot", "-Tdot"], chart.layout, LAYOUT_CPU_SECONDS).rstrip()
        if not placed.endswith("}"):
            raise GraphvizError("unexpected output from dot -Tdot")
        svg = _route(placed[:-1], chart.overlay)
        atomic_write(cached, svg.encode("utf-8"))  # Graphviz's own drawing; the labels are moved after it
        with self._lock:
            self.stats.drawn += 1
        return place_edge_labels(svg)

    def png(self, chart: ChartSource, dpi: int = 150) -> bytes:
        """PNG of a chart (for a Word copy, which takes no SVG): the same two steps, drawn as pixels.
        Not cached: a Word export draws a handful of charts."""
        placed = _run(["dot", "-Tdot"], chart.layout, LAYOUT_CPU_SECONDS).rstrip()
        if not placed.endswith("}"):
            raise GraphvizError("unexpected output from dot -Tdot")
        source = placed[:-1] + chart.overlay + "}\n"
        for splines in ("ortho", *FALLBACK_SPLINES):
            try:
                return _run_bytes(["neato", "-n2", "-Tpng", f"-Gdpi={dpi}"], source.replace("splines=ortho", f"splines={splines}"),
                                  ROUTE_CPU_SECONDS[splines])
            except GraphvizError:
                if splines == FALLBACK_SPLINES[-1]:
                    raise
        raise GraphvizError("no routing drew the chart")  # pragma: no cover - the loop returns or raises

    def svg_many(self, charts: list[ChartSource], workers: int | None = None) -> list[str]:
        """Render several charts, Graphviz processes running in parallel across cores."""
        with ThreadPoolExecutor(max_workers=workers) as pool:
            return list(pool.map(self.svg, charts))

    def svg_or_error(self, chart: ChartSource) -> str | GraphvizError:
        try:
            return self.svg(chart)
        except GraphvizError as exc:
            return exc

    def svg_each(self, charts: list[ChartSource], workers: int | None = None) -> list[str | GraphvizError]:
        """Like ``svg_many``, but a chart Graphviz cannot draw gives its error in its place,
        so every failing chart can be reported with its procedure."""
        progress = Progress("flowcharts (Graphviz)", len(charts))

        def one(chart: ChartSource) -> str | GraphvizError:
            try:
                return self.svg_or_error(chart)
            finally:
                progress.advance()

        try:
            with ThreadPoolExecutor(max_workers=workers) as pool:
                return list(pool.map(one, charts))
        finally:
            progress.finish()


# neato 2.43 crashes (SIGSEGV) on some orthogonal routings, and on others runs for minutes:
# fall back to polyline routing (still avoids nodes), then to straight lines, so a chart is
# always drawn.
FALLBACK_SPLINES = ("polyline", "line")


def _route(placed: str, overlay: str) -> str:
    try:
        return _run(["neato", "-n2", "-Tsvg"], placed + overlay + "}\n", ROUTE_CPU_SECONDS["ortho"])
    except GraphvizError:
        for splines in FALLBACK_SPLINES:
            try:
                return _run(["neato", "-n2", "-Tsvg"], placed + overlay.replace("splines=ortho", f"splines={splines}") + "}\n",
                            ROUTE_CPU_SECONDS[splines])
            except GraphvizError:
                continue
        raise


def _limited(command: list[str], cpu_seconds: int) -> list[str]:
    prlimit = shutil.which("prlimit")
    if prlimit is None:  # pragma: no cover - util-linux is part of every Debian system
        return command
    return [prlimit, f"--cpu={cpu_seconds}", f"--as={MEMORY_BYTES}", "--", *command]


def _run(command: list[str], source: str, cpu_seconds: int = LAYOUT_CPU_SECONDS) -> str:
    return _run_bytes(command, source, cpu_seconds).decode("utf-8")


def _run_bytes(command: list[str], source: str, cpu_seconds: int = LAYOUT_CPU_SECONDS) -> bytes:
    try:
        result = subprocess.run(_limited(command, cpu_seconds), input=source.encode("utf-8"), capture_output=True,
                                timeout=cpu_seconds * WALL_SECONDS_PER_CPU_SECOND)
    except FileNotFoundError as exc:
        raise GraphvizError(f"Graphviz '{command[0]}' is not installed (make setup installs it)") from exc
    except subprocess.TimeoutExpired as exc:
        raise GraphvizError(f"{command[0]} did not finish within {exc.timeout:.0f} s") from None
    if result.returncode in (-signal.SIGXCPU, -signal.SIGKILL):
        raise GraphvizError(f"{command[0]} used up its {cpu_seconds} s of CPU time")
    if result.returncode != 0:
        reason = result.stderr.decode("utf-8", "replace").strip()
        if result.returncode < 0:
            reason = f"{reason} (stopped by signal {signal.Signals(-result.returncode).name})".strip()
        if "out of memory" in reason.lower() or "cannot allocate" in reason.lower():
            reason = f"ran out of its {MEMORY_BYTES >> 20} MiB of memory"
        raise GraphvizError(f"{command[0]} failed: {reason or f'exit status {result.returncode}'}")
    return result.stdout


class ChartFailures(Exception):
    """Charts Graphviz could not draw, each as a diagnostic located at its procedure."""

    def __init__(self, diagnostics: list):
        self.diagnostics = diagnostics
        super().__init__("; ".join(d.message for d in diagnostics))


def chart_error(proc, lang: str, exc: GraphvizError):
    """A located error naming the procedure (and revision) whose chart could not be drawn."""
    from ..source.diagnostics import error

    return error(proc.key_pos.get("steps", proc.pos), "chart",
                 f"the flowchart of {proc.number or proc.slug} {proc.version} ({lang}) could not be drawn: {exc}",
                 "simplify the flow: fewer steps, lanes or links per step, shorter labels (limits: SECURITY.md)")


def inline_svg(svg: str) -> str:
    """An SVG document made fit to sit inside HTML: no XML prolog, doctype or comments, no blank lines."""
    svg = re.sub(r"<\?xml[^>]*\?>|<!DOCTYPE[^>]*>|<!--.*?-->", "", svg, flags=re.S)
    return "\n".join(line for line in svg.splitlines() if line.strip())
