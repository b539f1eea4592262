"""The write phase: render every page (and chart and PDF) of the library and sync them to docs/."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup

from .graphviz import Graphviz, RenderStats, inline_svg
from .library import Library
from .model import LANGUAGES, Procedure
from .render import pages, paths
from .render.flowchart import flowchart_dot
from .writer import WriteStats, sync


@dataclass
class BuildStats:
    write: WriteStats
    files: int
    charts: RenderStats

    def describe(self) -> str:
        w = self.write
        return (f"generated {self.files} files: {len(w.written)} written, {w.unchanged} unchanged, "
                f"{len(w.removed)} stale removed; charts: {self.charts.drawn} drawn by dot, {self.charts.cached} from cache")


def _localized(path: str, lang: str) -> str:
    """docs-relative page path -> path inside the output folder with the language suffix."""
    return _inner(path).removesuffix(".md") + f".{lang}.md"


def _inner(path: str) -> str:
    return path.removeprefix(paths.OUTPUT_DIR + "/")


def render_charts(library: Library, graphviz: Graphviz) -> dict[tuple[str, str], str]:
    """SVG of every procedure's chart in every language, keyed by (slug, lang)."""
    keys = [(proc, lang) for proc in library.procedures for lang in LANGUAGES]
    sources = [flowchart_dot(proc, lang, paths.output_url_from_procedure) for proc, lang in keys]
    return {(proc.slug, lang): svg for (proc, lang), svg in zip(keys, graphviz.svg_many(sources))}


def render_pages(library: Library, charts: dict[tuple[str, str], str] | None = None) -> dict[str, str]:
    """Every Markdown page, keyed by its path inside the output folder."""
    charts = charts or {}
    out: dict[str, str] = {}
    for lang in LANGUAGES:
        for proc in library.procedures:
            chart = charts.get((proc.slug, lang))
            out[_localized(paths.procedure_page(proc.slug), lang)] = pages.procedure_page(
                library, proc, lang, chart=Markup(inline_svg(chart)) if chart else None)
            for doc in proc.documents:
                out[_localized(paths.document_page(proc.slug, doc.id), lang)] = pages.document_page(library, proc, doc, lang)
            for form in proc.forms:
                out[_localized(paths.form_page(proc.slug, form.id), lang)] = pages.form_page(library, proc, form, lang)
        for role_id in library.roles:
            out[_localized(paths.role_page(role_id), lang)] = pages.role_page(library, role_id, lang)
        out[_localized(paths.ROLE_INDEX, lang)] = pages.role_index(library, lang)
        out[_localized(paths.RECORDS_REGISTER, lang)] = pages.records_register(library, lang)
        out[_localized(paths.MASTER_LIST, lang)] = pages.master_list(library, lang)
        out[_localized(paths.MASTER_LIST_SNIPPET + ".md", lang)] = pages.master_list(library, lang, page="index.md")
    return out


def nav_sections(library: Library) -> dict[str, list[str]]:
    """Pages to list under each nav section, keyed by the section's index page (see mkdocs_hooks)."""
    return {paths.MASTER_LIST: [paths.procedure_page(p.slug) for p in library.procedures],
            paths.ROLE_INDEX: [paths.role_page(r) for r in sorted(library.roles)]}


def build_site(procedures: list[Procedure], docs_dir: Path = Path("docs"), pdf: bool = True) -> BuildStats:
    """Render the library into docs/library/, writing only what changed."""
    library = Library(procedures)
    graphviz = Graphviz()
    charts = render_charts(library, graphviz)
    outputs = {path: text.encode("utf-8") for path, text in render_pages(library, charts).items()}
    for (slug, lang), svg in charts.items():
        outputs[_inner(paths.flowchart_file(slug, lang))] = svg.encode("utf-8")
    outputs[".nav.json"] = json.dumps(nav_sections(library), ensure_ascii=False, indent=1).encode("utf-8")
    stats = sync(docs_dir / paths.OUTPUT_DIR, outputs)
    return BuildStats(stats, len(outputs), graphviz.stats)
