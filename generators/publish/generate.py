"""The write phase: render every page (and chart and PDF) of the library and sync them to docs/."""
from __future__ import annotations

import datetime as dt
import json
import posixpath
from dataclasses import dataclass, field
from pathlib import Path


from ..control import document_register, gate
from ..control.history import ProcedureRevisions, library_histories, procedure_revisions
from ..render.graphviz import Graphviz
from ..render.pdf import PdfRenderer, PdfStats
from ..render.graphviz import RenderStats
from ..render.flowchart import standalone_svg
from ..render.site import (LIBRARY_OWNER, MAIN, OWNER_KINDS, REDIRECTS_FILE, SITE_LANGUAGE_FOLDER, Focus, earlier_form_pdfs,
                           inner_path, nav_sections, printable_groups, procedure_printables, redirects, render_charts,
                           render_page_groups)
from ..source import clock, paths
from ..source.library import Library
from ..source.model import LANGUAGES, Procedure
from ..source.writer import WriteStats, sync


@dataclass
class BuildStats:
    write: WriteStats
    files: int
    charts: RenderStats
    pdfs: PdfStats
    warnings: list[str]
    draft_reasons: list[str] = field(default_factory=list)  # why this build is a draft preview (control/gate.py)

    def describe(self) -> str:
        w = self.write
        return "".join(f"{line}\n" for line in self.warnings) + (f"generated {self.files} files: {len(w.written)} written, {w.unchanged} unchanged, "
                f"{len(w.removed)} stale removed; charts: {self.charts.drawn} drawn by dot, {self.charts.cached} from cache; "
                f"PDFs: {self.pdfs.rendered} rendered by WeasyPrint, {self.pdfs.cached} from cache")


@dataclass
class BuiltLibrary:
    """What a build leaves for the next, focused one (generators/incremental.py): the procedures it
    showed, their revisions, and which files each owner (see LIBRARY_OWNER) has in docs/library/."""

    library: Library
    revisions: dict[str, ProcedureRevisions]
    withdrawn: dict[str, ProcedureRevisions]
    owners: dict[tuple[str, str], set[str]]


def registered_documents(procedures: list[Procedure]) -> list:
    """The document registers (``_documents.yaml``) of the folders the procedures are in, in order."""
    out = []
    for folder in dict.fromkeys(Path(p.path).parent for p in procedures):
        out += document_register.load(folder)[0] or []
    return out


def build_library(procedures: list[Procedure], docs_dir: Path = Path("docs"), pdf: bool = True,
                  printed: str | None = None, today: dt.date | str | None = None, preview: bool = False,
                  site_url: str = "", histories: tuple | None = None, focus: Focus | None = None,
                  previous: BuiltLibrary | None = None, draft_reasons: list[str] = (),
                  pages_first: bool = False, pages_written=None) -> tuple[BuildStats, BuiltLibrary]:
    """``build_site``, and what it built. ``histories``: ``library_histories(procedures, today)`` when
    the caller has it already. ``focus`` with ``previous`` (the last build of the same library, same
    day, same git history): render only the focus and the library's own pages; every other file
    in docs/library/ is the previous build's, left as it is (generators/incremental.py decides
    what an edit touches; its tests prove the result equals a full build).

    ``pages_first`` (`make serve`, a focused build): the pages are written as soon as they are made, the
    PDFs they link when WeasyPrint has rendered them (the previous ones stay until then), so an edit
    shows without waiting for its procedure's copy. ``pages_written()`` is called once pages are written
    or removed (before the PDFs with ``pages_first``), not when only PDFs changed: `make serve` tells
    MkDocs to rebuild."""
    today = clock.resolve(today).isoformat()
    if focus is not None and previous is None:
        focus = None
    history, withdrawn = histories or library_histories(procedures, today)
    revisions = {p.slug: procedure_revisions(p, history[p.slug], today) for p in procedures}
    # Not main's approved state (gate.py): a preview, whose procedure pages show the revision being edited.
    draft_reasons = list(draft_reasons) + gate.history_reasons(history)
    preview = preview or bool(draft_reasons)
    library = Library([revisions[p.slug].source if draft_reasons else revisions[p.slug].shown for p in procedures],
                      documents=registered_documents(procedures))
    warnings = [f"warning: {p.path}: {history[p.slug].warning}" for p in procedures if history[p.slug].warning]
    graphviz = Graphviz()
    charts = render_charts(library, graphviz, {**revisions, **({} if focus else withdrawn)}, focus)
    printables: dict[tuple[str, str], dict[str, str]] = {}
    if pdf:
        printables = printable_groups(library, printed or today, preview, focus)
        for path, html in earlier_form_pdfs({**revisions, **({} if focus else withdrawn)}, printed or today,
                                            draft=preview).items():
            slug = inner_path(path).split("/", 1)[0]
            if focus is None or slug in focus.procedures:
                paths.claim(printables.setdefault(("withdrawn" if slug in withdrawn else "procedure", slug), {}), path, html)
    procedure_pdfs = {paths.procedure_pdf(p.slug, p.version, lang) for p in library.procedures
                      for lang in LANGUAGES} if pdf else set()
    all_pdfs = procedure_pdfs | {path for group in printables.values() for path in group}
    if focus is not None:  # the PDFs of the rest of the library are the previous build's
        all_pdfs |= {paths.OUTPUT_DIR + "/" + path for owner, files in previous.owners.items()
                     if not _redone(owner, focus) for path in files if path.endswith(".pdf")}
    # The procedures' pages first: their PDFs are made from them. WeasyPrint (in worker processes)
    # then renders every PDF not cached while this process renders the other pages.
    page_groups = render_page_groups(library, charts, all_pdfs, revisions, today, withdrawn, site_url, focus,
                                     kinds=frozenset({"procedure"}))
    if pdf:
        pages_out = {path: text for group in page_groups.values() for path, text in group.items()}
        for path, html in procedure_printables(library, pages_out, printed or today, revisions, today,
                                               draft=preview, focus=focus).items():
            paths.claim(printables.setdefault(("procedure", inner_path(path).split("/", 1)[0]), {}), path, html)
    renderer = PdfRenderer()
    pdf_paths = [(owner, path) for owner, group in printables.items() for path in group]
    rendering = renderer.start([printables[o][p] for o, p in pdf_paths],
                               names=[f"{inner_path(p)} (procedure file '{o[1]}')" for o, p in pdf_paths])
    early: WriteStats | None = None
    try:
        page_groups.update(render_page_groups(library, charts, all_pdfs, revisions, today, withdrawn, site_url, focus,
                                              kinds=frozenset(OWNER_KINDS) - {"procedure"}))
        outputs, owners, kept = _page_outputs(library, page_groups, charts, revisions, withdrawn, procedures, today,
                                              preview, focus, previous)
        if pages_first and focus is not None and pdf_paths:
            # The PDFs the edit renders again keep their previous files meanwhile (a page links them).
            waiting = {path for owner, files in previous.owners.items() if _redone(owner, focus)
                       for path in files if path.endswith(".pdf")}
            early = sync(docs_dir / paths.OUTPUT_DIR, outputs, kept | waiting)
            _tell_pages_written(early, pages_written)
    finally:
        rendered = rendering.result()  # (also when the pages failed: no worker is left behind)
    for (owner, path), data in zip(pdf_paths, rendered):
        paths.claim(outputs, inner_path(path), data)
        owners.setdefault(owner, set()).add(inner_path(path))
    stats = sync(docs_dir / paths.OUTPUT_DIR, outputs, kept)
    if early is None:
        _tell_pages_written(stats, pages_written)
    else:
        stats = WriteStats(early.written + stats.written, stats.unchanged - len(early.written), early.removed + stats.removed)
    built = BuiltLibrary(library, revisions, withdrawn, owners)
    return BuildStats(stats, len(outputs) + len(kept), graphviz.stats, renderer.stats, warnings, draft_reasons), built


def _tell_pages_written(stats: WriteStats, pages_written) -> None:
    if pages_written is not None and any(not path.endswith(".pdf") for path in [*stats.written, *stats.removed]):
        pages_written()


def _page_outputs(library: Library, page_groups: dict, charts: dict, revisions: dict, withdrawn: dict,
                  procedures: list[Procedure], today: str, preview: bool, focus: Focus | None,
                  previous: BuiltLibrary | None) -> tuple[dict[str, bytes], dict, set[str]]:
    """Every file of a build but its PDFs (relative path -> bytes), which owner has which, and the
    previous build's files a focused build keeps as they are."""
    outputs: dict[str, bytes] = {}
    for group in page_groups.values():  # a path two outputs share is an error, never an overwrite
        for path, text in group.items():
            paths.claim(outputs, path, text.encode("utf-8"))
    owners = {owner: set(group) for owner, group in page_groups.items()}
    for (slug, version, lang, kind), svg in charts.items():
        if kind == MAIN:
            # The file sits in the default language's folder: its links go to its own language's pages.
            chart_file = paths.flowchart_file(slug, lang)
            page_folder = posixpath.dirname(paths.procedure_page(slug))
            to_page = posixpath.relpath(SITE_LANGUAGE_FOLDER[lang] + page_folder, posixpath.dirname(chart_file))
            paths.claim(outputs, inner_path(chart_file), standalone_svg(svg, "" if to_page == "." else to_page).encode("utf-8"))
            owners.setdefault(("procedure", slug), set()).add(inner_path(chart_file))
    outputs[".nav.json"] = json.dumps(nav_sections(library), ensure_ascii=False, indent=1).encode("utf-8")
    outputs[REDIRECTS_FILE] = json.dumps(redirects(library, [*revisions.values(), *withdrawn.values()]), ensure_ascii=False,
                                         indent=0, sort_keys=True).encode("utf-8")
    if not preview:  # the publication ledger: only of main's approved state (control/ledger.py)
        from ..control import ledger
        last_ledger, _ = ledger.previous_for(ledger.DEFAULT_SITE)
        for folder in dict.fromkeys(Path(p.path).parent for p in procedures):
            published, _ = ledger.for_folder(folder, today, last_ledger)
            if published is not None:
                outputs[ledger.FILE] = json.dumps(published, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")
                owners.setdefault(LIBRARY_OWNER, set()).add(ledger.FILE)
    outputs[".status.json"] = json.dumps({"as_of": today, **({"draft": True} if preview else {})}).encode("utf-8")
    owners.setdefault(LIBRARY_OWNER, set()).update((".nav.json", REDIRECTS_FILE, ".status.json"))
    kept: set[str] = set()
    if focus is not None:
        for owner, files in previous.owners.items():
            if not _redone(owner, focus):
                kept |= files
                owners.setdefault(owner, set()).update(files)
    return outputs, owners, kept


def _redone(owner: tuple[str, str], focus: Focus) -> bool:
    """Whether a focused build renders the files of ``owner`` again."""
    kind, name = owner
    return (owner == LIBRARY_OWNER or kind == "procedure" and name in focus.procedures
            or kind == "role" and name in focus.roles)
