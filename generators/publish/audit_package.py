"""Controlled copies for auditors and customers: one revision as .docx or PDF (``export``), and the
whole library as one zip or folder (``audit-package``).

The audit package holds, as of one day:

- ``00-目录 index.txt``: what each file is;
- ``受控文件清单 master list_<lang>.pdf``, ``质量记录一览表 records register_<lang>.pdf`` and
  ``偏离记录 deviations register_<lang>.pdf``, made from the site's own pages;
- per procedure (``<number> <title>/``): its revision in force as PDF and DOCX in each language, its
  revision history page as PDF, and ``history/`` with every other revision's PDF (obsolete, pending or
  draft, each stamped with its state).

Every file name holds the number and version (the procedure's title as well for the folder), so a
copy taken out of the package still says what it is.
"""
from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup

from ..control.deviations import load as load_deviations
from ..control.history import ProcedureRevisions, history_entries, library_histories, procedure_revisions
from ..control.lifecycle import State
from ..render import pages, printable
from ..render.docx_export import procedure_docx
from ..render.flowchart import flowchart_dot, readable_titles, steps_linked_only
from ..render.site import hand_off_href
from ..render.graphviz import Graphviz, inline_svg
from ..render.pdf import PdfRenderer
from ..render.register_print import register_html, table_markdown
from ..source import clock, paths
from ..source.labels import label
from ..source.library import Library
from ..source.model import LANGUAGES, Procedure
from ..source.writer import atomic_write


class PackageError(Exception):
    """The package cannot be written where asked (the message says why)."""


def _state(rev: ProcedureRevisions, version: str) -> str:
    state = rev.status.of(version)
    return state.value if state else State.CURRENT.value


_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')


def safe_name(text: str) -> str:
    """A file or folder name from a procedure's number and title: no path separators, no characters
    Windows refuses, no control characters, at most 80 characters."""
    return _UNSAFE.sub("_", text).strip(" .")[:80] or "_"


@dataclass
class Charts:
    """Charts as a revision's own page shows them: links to its steps only (render/site.py's ARCHIVE), and
    each hand-off's procedure named as the library publishes it or not."""
    library: Library
    graphviz: Graphviz = field(default_factory=Graphviz)

    def _source(self, proc: Procedure, lang: str):
        # The site's source (links in), so the package reuses the site's cached drawings; links are removed after.
        return flowchart_dot(proc, lang, paths.output_url_from_procedure, hand_off_href(self.library))

    def svg(self, proc: Procedure, lang: str) -> Markup | None:
        if not proc.steps:
            return None
        source = self._source(proc, lang)
        return Markup(inline_svg(steps_linked_only(readable_titles(self.graphviz.svg(source), source.titles))))

    def png(self, proc: Procedure, lang: str) -> bytes | None:
        return self.graphviz.png(self._source(proc, lang)) if proc.steps else None


def revision_pdf_html(library: Library, rev: ProcedureRevisions, version: str, lang: str, printed: str,
                      charts: Charts) -> str:
    """Print HTML of one revision of a procedure: the page the site shows for it, stamped with its state."""
    entries = history_entries(rev)
    model = rev.models[version]
    state = _state(rev, version)
    if rev.withdrawal is not None:  # every revision of a withdrawn procedure, stamped withdrawn
        page = paths.archive_page(rev.slug, version)
        markdown = pages.revision_page(library, model, rev.shown, lang, chart=charts.svg(model, lang),
                                       status=pages.revision_status(rev.status, model, entries, page, rev.withdrawal))
    elif model is rev.shown:
        page = paths.procedure_page(model.slug)
        markdown = pages.procedure_page(library, model, lang, chart=charts.svg(model, lang),
                                        status=pages.revision_status(rev.status, model, entries, page))
    else:
        page = paths.archive_page(rev.slug, version)
        markdown = pages.revision_page(library, model, rev.shown, lang, chart=charts.svg(model, lang),
                                       status=pages.revision_status(rev.status, model, entries, page))
    return printable.procedure_html(model, markdown, lang, printed, state)


def revisions_of_library(procedures: list[Procedure], today: str):
    """(revisions by slug, withdrawn by slug, the library of revisions in force), as the site has them."""
    history, withdrawn = library_histories(procedures, today)
    revisions = {p.slug: procedure_revisions(p, history[p.slug], today) for p in procedures}
    return revisions, withdrawn, Library([revisions[p.slug].shown for p in procedures])


def export_revision(proc: Procedure, version: str | None, fmt: str, langs: tuple[str, ...], today: str,
                    printed: str | None = None) -> dict[str, bytes]:
    """File name -> bytes of a controlled copy of ``proc``'s revision ``version`` (default: the one in
    force, else the next to take effect) in each language of ``langs``, as .docx or .pdf."""
    revisions, _, library = revisions_of_library([proc], today)
    rev = revisions[proc.slug]
    version = version or rev.shown.version
    if version not in rev.models:
        known = ", ".join(rev.models)
        raise PackageError(f"{proc.number or proc.slug} has no revision {version} in its history (it has {known})")
    model = rev.models[version]
    charts = Charts(library)
    printed = printed or today
    base = safe_name(f"{model.number or model.slug}_{paths.version_slug(version)}")
    if fmt == "docx":
        return {f"{base}_{lang}.docx": procedure_docx(model, lang, _state(rev, version), printed, charts.png(model, lang))
                for lang in langs}
    html = [revision_pdf_html(library, rev, version, lang, printed, charts) for lang in langs]
    return dict(zip((f"{base}_{lang}.pdf" for lang in langs), PdfRenderer().render_many(html)))


@dataclass
class PackageStats:
    procedures: int = 0
    files: int = 0
    pdfs: int = 0
    docx: int = 0
    archived: int = 0


def _deviations_markdown(procedures: list[Procedure], lang: str) -> str:
    folders = dict.fromkeys(Path(p.path).parent for p in procedures)
    rows = []
    for folder in folders:
        for dev in load_deviations(folder)[0]:
            rows.append([dev.id, dev.procedure, dev.what[lang], dev.assessment[lang], dev.accepted_by, dev.accepted_on,
                         dev.fixed_by or ""])
    title = f"# {label('deviations_register', lang)}\n\n"
    if not rows:
        return title + str(label("deviations_none", lang)) + "\n"
    headings = {"zh": ["编号", "程序文件", "情况", "评估", "接受人", "接受日期", "纠正版本"],
                "en": ["No.", "Procedure", "What happened", "Assessment", "Accepted by", "Accepted on", "Fixed by"]}[lang]
    return title + table_markdown(headings, rows)


def audit_package(procedures: list[Procedure], out: Path, today: dt.date | str | None = None,
                  langs: tuple[str, ...] = LANGUAGES, docx: bool = True) -> PackageStats:
    """Write the audit package to ``out`` (a .zip file, or a new folder)."""
    today = clock.resolve(today).isoformat()
    revisions, withdrawn, library = revisions_of_library(procedures, today)
    charts = Charts(library)
    stats = PackageStats(procedures=len(procedures))
    files: dict[str, bytes] = {}
    html: dict[str, str] = {}
    index: list[str] = []

    def note(name: str, what: str) -> None:
        index.append(f"{name}\n    {what}")

    for lang in langs:
        statuses = {slug: rev.status for slug, rev in revisions.items()}
        for key, markdown in (("master_list", pages.master_list(library, lang, statuses=statuses, revisions=revisions,
                                                                   withdrawn=withdrawn)),
                              ("records_register", pages.records_register(
                                  library, lang, withdrawn=[rev.shown for rev in withdrawn.values()])),
                              ("deviations_register", _deviations_markdown(procedures, lang))):
            title = str(label(key, lang))
            name = f"{label(key, 'zh')} {label(key, 'en')}_{lang}.pdf"
            html[name] = register_html(title, markdown, lang, today)
            note(name, f"{title} ({lang}), as of {today}")
    for proc in library.procedures:
        rev = revisions[proc.slug]
        shown = rev.shown
        folder = safe_name(f"{shown.number or shown.slug} {shown.title['zh']}")
        base = safe_name(f"{shown.number or shown.slug}_{paths.version_slug(shown.version)}")
        state = _state(rev, shown.version)
        for lang in langs:
            name = f"{folder}/{base}_{lang}.pdf"
            html[name] = revision_pdf_html(library, rev, shown.version, lang, today, charts)
            note(name, f"{shown.number} {shown.version} {shown.title[lang]}: {label('state_' + state, lang)} ({lang})")
            if docx:
                name = f"{folder}/{base}_{lang}.docx"
                files[name] = procedure_docx(shown, lang, state, today, charts.png(shown, lang))
                stats.docx += 1
                note(name, f"the same revision as a Word copy ({lang})")
            entries = history_entries(rev)
            name = f"{folder}/{safe_name(shown.number or shown.slug)}_history_{lang}.pdf"
            html[name] = register_html(f"{pages.procedure_label(shown, lang)} › {label('history', lang)}",
                                       pages.history_page(library, shown, rev.history, entries, lang, rev.status),
                                       lang, today)
            note(name, f"revision history ({lang}): every revision, its state, approval and changes")
            for version, model in rev.models.items():
                if model is shown:
                    continue
                name = f"{folder}/history/{safe_name(shown.number or shown.slug)}_{paths.version_slug(version)}_{lang}.pdf"
                html[name] = revision_pdf_html(library, rev, version, lang, today, charts)
                stats.archived += lang == langs[0]
                note(name, f"{version}: {label('state_' + _state(rev, version), lang)} ({lang})")
    for rev in withdrawn.values():  # kept in the record: its history and every revision, stamped withdrawn
        shown = rev.shown
        folder = "废止 withdrawn/" + safe_name(f"{shown.number or shown.slug} {shown.title['zh']}")
        entries = history_entries(rev)
        for lang in langs:
            name = f"{folder}/{safe_name(shown.number or shown.slug)}_history_{lang}.pdf"
            html[name] = register_html(f"{pages.procedure_label(shown, lang)} › {label('history', lang)}",
                                       pages.history_page(library, shown, rev.history, entries, lang, rev.status),
                                       lang, today)
            note(name, f"revision history of a withdrawn procedure ({lang}), withdrawn {rev.withdrawal.date}")
            for version in rev.models:
                name = f"{folder}/{safe_name(shown.number or shown.slug)}_{paths.version_slug(version)}_{lang}.pdf"
                html[name] = revision_pdf_html(library, rev, version, lang, today, charts)
                stats.archived += lang == langs[0]
                note(name, f"{version}: {label('state_withdrawn', lang)} ({lang})")
    names = list(html)
    for name, data in zip(names, PdfRenderer().render_many([html[n] for n in names])):
        files[name] = data
    stats.pdfs = len(names)
    files["00-目录 index.txt"] = (f"{label('audit_package', 'en')} / {label('audit_package', 'zh')} — as of / 截至 {today}\n"
                                 f"{len(procedures)} procedure(s); every revision's state is as of that day.\n\n"
                                 + "\n".join(sorted(index)) + "\n").encode("utf-8")
    stats.files = len(files)
    _write(out, files)
    return stats


def _write(out: Path, files: dict[str, bytes]) -> None:
    if out.suffix == ".zip":
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name in sorted(files):
                info = zipfile.ZipInfo(name, date_time=(2000, 1, 1, 0, 0, 0))  # the same package, byte for byte
                info.compress_type = zipfile.ZIP_DEFLATED
                info.flag_bits |= 0x800  # UTF-8 names (Chinese folder names read right in every unzip)
                archive.writestr(info, files[name])
        atomic_write(out, buffer.getvalue())
        return
    for name, data in files.items():
        atomic_write(out / name, data)
