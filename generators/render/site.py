"""Every page, chart and print document of the library, as {path: text}, grouped by owner."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from pathlib import Path

from markupsafe import Markup

from ..control.history import ProcedureRevisions, form_versions, history_entries, revisions_of, shown_state
from ..control import recent
from ..source import paths
from ..source.library import Library
from ..source.model import LANGUAGES, Procedure
from . import feed, pages, printable
from .flowchart import flowchart_dot, readable_titles, steps_linked_only
from .graphviz import ChartFailures, Graphviz, GraphvizError, chart_error, inline_svg


@dataclass(frozen=True)
class Focus:
    """What a build redoes after an edit (see generators/incremental.py): the pages, charts and PDFs
    of ``procedures`` (by slug), the pages and checklists of ``roles`` (role and outside-party ids),
    and always the library's own pages. ``None`` in place of a Focus: everything."""

    procedures: frozenset[str]
    roles: frozenset[str]


# Who a generated file belongs to: ("procedure", slug), ("role", id), ("withdrawn", slug),
# ("renamed", old slug) or LIBRARY_OWNER (the pages across the library). A focused build replaces
# whole groups, so a page the edit removed goes with its group.
LIBRARY_OWNER = ("library", "")
OWNER_KINDS = ("procedure", "role", "withdrawn", "renamed", LIBRARY_OWNER[0])


def localized(path: str, lang: str) -> str:
    """docs-relative page path -> path inside the output folder with the language suffix
    (library/x.md -> x.zh.md; other files too: library/changes.xml -> changes.zh.xml)."""
    stem, _, extension = inner_path(path).rpartition(".")
    return f"{stem}.{lang}.{extension}"


def inner_path(path: str) -> str:
    return path.removeprefix(paths.OUTPUT_DIR + "/")


# Where each language's pages sit in the built site (mkdocs-static-i18n: the default language at the
# root, English under en/); generated files other than pages are built once, in the root's folders.
SITE_LANGUAGE_FOLDER = {"zh": "", "en": "en/"}
ARCHIVE = "archive"  # chart kind of a revision's own page (under history/): no links out of it
MAIN = "main"  # chart kind of the procedure page


def hand_off_href(library: Library):
    """The link of a hand-off's procedure from a procedure page, or None when the library does not publish
    it (the chart then says "referenced, not published")."""
    def reference_href(reference) -> str | None:
        target = library.published(reference)
        return f"../{target.slug}/" if target is not None else None
    return reference_href


def render_charts(library: Library, graphviz: Graphviz,
                  revisions: dict[str, ProcedureRevisions] | None = None,
                  focus: Focus | None = None) -> dict[tuple[str, str, str, str], str]:
    """SVG of every chart in every language, keyed by (slug, version, lang, kind): the procedure
    page's chart (MAIN, linking documents, forms and hand-offs) of each procedure the library shows,
    and the chart of every revision's own page (ARCHIVE, steps linked within the page only).
    ``focus``: only the charts of its procedures."""
    models = {(proc.slug, proc.version, MAIN): proc for proc in library.procedures}
    for rev in (revisions or {}).values():
        # The revision a procedure page shows has no page of its own (render_page_groups), nor chart.
        models.update({(rev.slug, version, ARCHIVE): model for version, model in rev.models.items()
                       if (rev.slug, version, MAIN) not in models})
    if focus is not None:
        models = {key: model for key, model in models.items() if key[0] in focus.procedures}
    # A procedure of clauses alone (a records or requirements specification) has no flow to draw.
    keys = [(key, lang) for key in models if models[key].steps for lang in LANGUAGES]

    reference_href = hand_off_href(library)
    # A revision page's chart is its procedure page's drawing with the links out removed: drawn alike, a
    # revision's chart in the audit package or of a withdrawn procedure finds the site's in the cache.
    sources = [flowchart_dot(models[key], lang, paths.output_url_from_procedure, reference_href) for key, lang in keys]
    distinct = list(dict.fromkeys(sources))
    drawn = dict(zip(distinct, graphviz.svg_each(distinct)))
    results = [drawn[source] if isinstance(drawn[source], GraphvizError)
               else _as_shown(readable_titles(drawn[source], source.titles), key[2])
               for source, (key, _) in zip(sources, keys)]
    failed = [chart_error(models[key], lang, result) for (key, lang), result in zip(keys, results)
              if isinstance(result, GraphvizError)]
    if failed:
        raise ChartFailures(failed)
    return {(slug, version, lang, kind): svg for ((slug, version, kind), lang), svg in zip(keys, results)}


def _as_shown(svg: str, kind: str) -> str:
    return steps_linked_only(svg) if kind == ARCHIVE else svg


def printable_documents(library: Library, printed: str, draft: bool = False) -> dict[str, str]:
    """Print HTML of every PDF (blank forms and role checklists), keyed by the PDF's docs-relative path.

    ``draft``: a pull-request preview; every PDF is stamped 草稿 / DRAFT — not for use."""
    groups = printable_groups(library, printed, draft)
    return {path: html for group in groups.values() for path, html in group.items()}


def printable_groups(library: Library, printed: str, draft: bool = False,
                     focus: Focus | None = None) -> dict[tuple[str, str], dict[str, str]]:
    """``printable_documents`` grouped by owner: a procedure owns its forms and its checklist of each
    role, a role its checklist across procedures. ``focus``: only the groups it names."""
    groups: dict[tuple[str, str], dict[str, str]] = {}
    for lang in LANGUAGES:
        for proc in library.procedures:
            if focus is None or proc.slug in focus.procedures:
                out = groups.setdefault(("procedure", proc.slug), {})
                for form in proc.forms:
                    out[paths.pdf_beside(paths.form_page(proc.slug, form.id), lang)] = printable.form_html(
                        proc, form, lang, printed, draft)
        for role_id, role in library.roles.items():
            duties = [d for d in library.duties(role_id) if not d.is_empty]
            for part in duties:
                if focus is None or part.procedure.slug in focus.procedures:
                    page = paths.checklist_page(part.procedure.slug, role_id)
                    groups.setdefault(("procedure", part.procedure.slug), {})[paths.pdf_beside(page, lang)] = (
                        printable.checklist_html(role, [part], lang, printed, draft))
            # A role in one procedure: its procedure's checklist is the whole list.
            if len(duties) > 1 and (focus is None or role_id in focus.roles):
                groups.setdefault(("role", role_id), {})[paths.pdf_beside(paths.combined_checklist_page(role_id), lang)] = (
                    printable.checklist_html(role, duties, lang, printed, draft))
    return groups


def procedure_printables(library: Library, pages_out: dict[str, str], printed: str,
                         revisions: dict[str, "ProcedureRevisions"] | None = None, today: str = "",
                         draft: bool = False, focus: Focus | None = None) -> dict[str, str]:
    """Print HTML of each procedure's controlled copy: the page readers follow, from the Markdown the site shows."""
    out: dict[str, str] = {}
    for lang in LANGUAGES:
        for proc in library.procedures:
            if focus is not None and proc.slug not in focus.procedures:
                continue
            markdown_text = pages_out[localized(paths.procedure_page(proc.slug), lang)]
            out[paths.procedure_pdf(proc.slug, proc.version, lang)] = printable.procedure_html(
                proc, markdown_text, lang, printed, shown_state(proc, revisions or {}, today), draft)
    return out


def comparisons(library: Library, proc: Procedure, rev: ProcedureRevisions, entries: list[dict], lang: str) -> dict[str, str]:
    """A comparison page for each revision and the next (n - 1 pages, where every pair would be
    n(n - 1)/2: 28 per language for eight revisions) and, from three revisions on, one comparisons
    page that lists those steps in order, with a picker of any two (the address of any other pair,
    published before, leads there: ``redirects``). ``entries``: ``history_entries(rev)``."""
    versions = list(rev.models)
    out = {localized(paths.compare_page(proc.slug, old, new), lang): pages.compare_page(
               library, proc, rev.models[old], rev.models[new], lang, picker=pages.has_picker(versions))
           for old, new in zip(versions, versions[1:])}
    if pages.has_picker(versions):
        out[localized(paths.compare_index(proc.slug), lang)] = pages.compare_picker(library, proc, entries, lang)
    return out


def former_comparisons(rev: ProcedureRevisions) -> dict[str, str]:
    """The address of every pair of revisions that are not consecutive (each had a page of its own
    before), old URL -> the comparisons page with that pair chosen (its fragment)."""
    versions = list(rev.models)
    if not pages.has_picker(versions):
        return {}
    picker = paths.url(paths.compare_index(rev.slug))
    return {paths.url(paths.compare_page(rev.slug, old, new)): f"{picker}#{paths.compare_anchor(old, new)}"
            for i, old in enumerate(versions) for new in versions[i + 2:]}


def form_history(versions: list[dict], shown, rev: ProcedureRevisions, page: str, lang: str, pdfs) -> list[dict]:
    """Rows of a form page's version history: version, the procedure revisions and states that carried
    it, and its blank PDF (the shown version's PDF is the page's own)."""
    rows = []
    for item in versions:
        pdf = paths.pdf_beside(page, lang) if item["version"] == shown.version else paths.form_version_pdf(
            rev.slug, shown.id, item["version"], lang)
        rows.append({"version": item["version"], "current": item["version"] == shown.version,
                     "revisions": [(v, rev.status.of(v).value if rev.status.of(v) else "") for v in item["revisions"]],
                     "pdf": Markup(paths.relative(page, pdf)) if pdf in pdfs else None})
    return rows


def earlier_form_pdfs(revisions: dict[str, ProcedureRevisions], printed: str, draft: bool = False) -> dict[str, str]:
    """Print HTML of the blank PDF of every form version other than the one in the shown revision."""
    out = {}
    for rev in revisions.values():
        shown = {f.id: f.version for f in rev.shown.forms}
        for form_id, versions in form_versions(rev).items():
            for item in versions:
                if shown.get(form_id) != item["version"]:
                    for lang in LANGUAGES:
                        out[paths.form_version_pdf(rev.slug, form_id, item["version"], lang)] = printable.form_html(
                            item["procedure"], item["form"], lang, printed, draft)
    return out


def former_pages(old_slug: str, rev: ProcedureRevisions) -> list[tuple[str, str]]:
    """(old page, new page) for every page a renamed procedure had under its former file name."""
    pairs = [(paths.procedure_page(old_slug), paths.procedure_page(rev.slug)),
             (paths.history_page(old_slug), paths.history_page(rev.slug))]
    return pairs + [(paths.archive_page(old_slug, v), paths.archive_page(rev.slug, v)) for v in rev.models]


def render_page_groups(library: Library, charts: dict[tuple[str, str, str], str] | None = None,
                       pdfs: set[str] = frozenset(), revisions: dict[str, ProcedureRevisions] | None = None,
                       today: str = "", withdrawn: dict[str, ProcedureRevisions] | None = None,
                       site_url: str = "", focus: Focus | None = None,
                       kinds: frozenset[str] = frozenset(OWNER_KINDS)) -> dict[tuple[str, str], dict[str, str]]:
    """Every Markdown page, grouped by owner (see LIBRARY_OWNER), each keyed by its path inside the output folder.

    ``library`` holds the revision of each procedure that readers follow (see ``ProcedureRevisions.shown``);
    ``withdrawn``: procedures deleted by a withdrawal record (kept: stamped, listed, with their forms);
    ``pdfs`` holds the docs-relative paths of the PDFs being built, so pages link only to PDFs that exist;
    ``site_url`` (where the site is published, may be empty) makes the feeds' links absolute;
    ``focus``: only the groups it names, and the library's own (withdrawn and renamed procedures'
    pages come from git history, which a focused build does not change: they are left out);
    ``kinds``: only the groups of these owner kinds (see OWNER_KINDS).
    """
    charts = charts or {}
    revisions = revisions or {}
    withdrawn = withdrawn or {}
    groups: dict[tuple[str, str], dict[str, str]] = {}
    notices = recent.recent_changes([(r.slug, r.models, r.status, list(r.facts))
                                     for r in [*revisions.values(), *withdrawn.values()]],
                                    today or "9999-12-31")

    def pdf_link(page: str, lang: str, fallback: str | None = None) -> Markup | None:
        for candidate in (page, fallback):
            pdf = paths.pdf_beside(candidate, lang) if candidate else None
            if pdf in pdfs:
                return Markup(paths.relative(page, pdf))
        return None

    def chart_of(proc: Procedure, lang: str, kind: str = ARCHIVE) -> Markup | None:
        chart = charts.get((proc.slug, proc.version, lang, kind))
        return Markup(inline_svg(chart)) if chart else None

    for lang in LANGUAGES:
        for proc in library.procedures if "procedure" in kinds else ():
            if focus is not None and proc.slug not in focus.procedures:
                continue
            out = groups.setdefault(("procedure", proc.slug), {})
            overdue = bool(proc.review_due and today and proc.review_due < today)
            rev = revisions_of(proc, revisions, today)
            entries = history_entries(rev)
            page = paths.procedure_page(proc.slug)
            status = pages.revision_status(rev.status, proc, entries, page)
            pdf = paths.procedure_pdf(proc.slug, proc.version, lang)
            out[localized(page, lang)] = pages.procedure_page(
                library, proc, lang, chart=chart_of(proc, lang, MAIN), review_overdue=overdue, status=status,
                pdf=Markup(paths.relative(page, pdf)) if pdf in pdfs else None,
                print_header=printable.browser_running_header(proc, lang, status["state"], today or status["today"]))
            out[localized(paths.history_page(proc.slug), lang)] = pages.history_page(
                library, proc, rev.history, entries, lang, rev.status)
            for entry in entries:
                if entry["version"] == proc.version:
                    # The procedure page shows this revision: its own page would be a second copy of that
                    # page (a third of the HTML MkDocs renders), so its permanent address sends readers there.
                    out[localized(entry["page"], lang)] = pages.redirect_page(
                        entry["page"], page, pages.procedure_label(proc, lang), lang, "shown_revision_text")
                    continue
                shown = pages.revision_status(rev.status, entry["procedure"], entries, entry["page"])
                out[localized(entry["page"], lang)] = pages.revision_page(
                    library, entry["procedure"], proc, lang, chart=chart_of(entry["procedure"], lang),
                    status=shown,
                    print_header=printable.browser_running_header(entry["procedure"], lang, shown["state"],
                                                                  today or shown["today"]))
            out.update(comparisons(library, proc, rev, entries, lang))
            versions = form_versions(rev)
            for form in proc.forms:
                page = paths.form_page(proc.slug, form.id)
                out[localized(page, lang)] = pages.form_page(
                    library, proc, form, lang, pdf=pdf_link(page, lang),
                    versions=form_history(versions.get(form.id, []), form, rev, page, lang, pdfs))
        for role_id in library.roles if "role" in kinds else ():
            if focus is not None and role_id not in focus.roles:
                continue
            page = paths.role_page(role_id)
            duties = [d for d in library.duties(role_id) if not d.is_empty]
            role_pdfs = {}
            for part in duties:
                pdf = paths.pdf_beside(paths.checklist_page(part.procedure.slug, role_id), lang)
                if pdf in pdfs:
                    role_pdfs[part.procedure.slug] = Markup(paths.relative(page, pdf))
            combined = paths.pdf_beside(paths.combined_checklist_page(role_id), lang)
            if combined in pdfs:
                role_pdfs["all"] = Markup(paths.relative(page, combined))
            groups.setdefault(("role", role_id), {})[localized(page, lang)] = pages.role_page(
                library, role_id, lang, role_pdfs, pending=pending_for_role(library, role_id, page, revisions, today))
        for rev in withdrawn.values() if focus is None and "withdrawn" in kinds else ():
            out = groups.setdefault(("withdrawn", rev.slug), {})
            proc, entries = rev.shown, history_entries(rev)
            main = paths.procedure_page(proc.slug)
            out[localized(main, lang)] = pages.revision_page(
                library, proc, proc, lang, chart=chart_of(proc, lang), page=main,
                status=pages.revision_status(rev.status, proc, entries, main, rev.withdrawal))
            out[localized(paths.history_page(proc.slug), lang)] = pages.history_page(
                library, proc, rev.history, entries, lang, rev.status)
            for entry in entries:
                out[localized(entry["page"], lang)] = pages.revision_page(
                    library, entry["procedure"], proc, lang, chart=chart_of(entry["procedure"], lang),
                    status=pages.revision_status(rev.status, entry["procedure"], entries, entry["page"], rev.withdrawal))
            out.update(comparisons(library, proc, rev, entries, lang))
            for form in proc.forms:  # its records keep their retention: the register links these
                out[localized(paths.form_page(proc.slug, form.id), lang)] = pages.form_page(library, proc, form, lang)
        for rev in [*revisions.values(), *withdrawn.values()] if focus is None and "renamed" in kinds else ():
            for old_slug in rev.history.former_names:
                if old_slug in revisions or old_slug in withdrawn:
                    continue  # the name was given to another procedure: its pages win
                out = groups.setdefault(("renamed", old_slug), {})
                for old, new in former_pages(old_slug, rev):
                    out[localized(old, lang)] = pages.redirect_page(old, new, rev.shown.title[lang], lang)
        if LIBRARY_OWNER[0] not in kinds:
            continue
        statuses = {slug: rev.status for slug, rev in revisions.items()}
        out = groups.setdefault(LIBRARY_OWNER, {})
        out[localized(paths.ROLE_INDEX, lang)] = pages.role_index(library, lang)
        out[localized(paths.RECORDS_REGISTER, lang)] = pages.records_register(
            library, lang, withdrawn=[rev.shown for rev in withdrawn.values()])
        out[localized(paths.DEVIATIONS_REGISTER, lang)] = pages.deviations_register(library, lang, *_records(library))
        out[localized(paths.FLOW_MATRIX, lang)] = pages.flow_matrix(library, lang)
        out[localized(paths.DISTRIBUTION, lang)] = pages.distribution_page(library, lang)
        out[localized(paths.MASTER_LIST, lang)] = pages.master_list(library, lang, statuses=statuses, revisions=revisions,
                                                                     withdrawn=withdrawn)
        out[localized(paths.MASTER_LIST_SNIPPET + ".md", lang)] = pages.master_list(
            library, lang, page="index.md", statuses=statuses, revisions=revisions, withdrawn=withdrawn)
        out[localized(paths.RECENT_CHANGES, lang)] = pages.recent_changes(library, notices, lang)
        out[localized(paths.CHANGES_FEED, lang)] = feed.atom(notices, lang, today, site_url)
    return groups


def _records(library: Library) -> tuple[list, list]:
    """Every deviation and withdrawal record of the library's procedure folders."""
    from ..control import deviations, withdrawal

    folders = list(dict.fromkeys(Path(p.path).parent for p in library.procedures))
    return ([d for f in folders for d in deviations.load(f)[0]], [w for f in folders for w in withdrawal.load(f)[0]])


def pending_for_role(library: Library, role_id: str, page: str, revisions: dict, today: str | None) -> dict:
    """procedure slug -> what each of its pending revisions changes for the role (role_changes)."""
    from .role_changes import PendingForRole, changes_for_role

    out = {}
    for part in library.duties(role_id):
        rev = revisions.get(part.procedure.slug)
        if rev is None:
            continue
        entries = {e["version"]: e for e in history_entries(rev)}
        out[part.procedure.slug] = [
            PendingForRole(version, entries[version]["procedure"].effective_date,
                           Markup(paths.relative(page, entries[version]["page"])),
                           changes_for_role(role_id, part.procedure, library, entries[version]["procedure"]))
            for version in rev.status.pending if version in entries and version != part.procedure.version]
    return out


def render_pages(library: Library, charts: dict[tuple[str, str, str], str] | None = None,
                 pdfs: set[str] = frozenset(), revisions: dict[str, ProcedureRevisions] | None = None,
                 today: str = "", withdrawn: dict[str, ProcedureRevisions] | None = None,
                 site_url: str = "") -> dict[str, str]:
    """Every Markdown page, keyed by its path inside the output folder (see ``render_page_groups``)."""
    groups = render_page_groups(library, charts, pdfs, revisions, today, withdrawn, site_url)
    return {path: text for group in groups.values() for path, text in group.items()}


NAV_PROCEDURES_MAX = 30
REDIRECTS_FILE = ".redirects.json"  # in docs/library/, read by mkdocs_hooks


def redirects(library: Library, revisions: Iterable[ProcedureRevisions] = ()) -> dict[str, str]:
    """Pages published before and now folded into fuller ones, old URL -> new URL (with anchor), both
    relative to a language's root: a document's page is its row on the procedure page, a role's
    checklists (per procedure and combined) are its role page, a comparison of two revisions that are
    not consecutive is the comparisons page with that pair chosen (``revisions``: of every procedure
    shown, withdrawn ones too). The hook writes a redirect page for each."""
    out = {}
    for rev in revisions:
        out.update(former_comparisons(rev))
    for proc in library.procedures:
        for doc in proc.documents:
            out[paths.url(paths.document_page(proc.slug, doc.id))] = (
                paths.url(paths.procedure_page(proc.slug)) + "#" + paths.document_anchor(doc.id))
    for role_id in library.roles:
        role = paths.url(paths.role_page(role_id))
        out[paths.url(paths.combined_checklist_page(role_id))] = role
        for part in library.duties(role_id):
            if not part.is_empty:
                out[paths.url(paths.checklist_page(part.procedure.slug, role_id))] = role + "#" + part.procedure.slug
    return out


def nav_sections(library: Library) -> dict[str, list[str]]:
    """Pages to list under each nav section, keyed by the section's index page (see mkdocs_hooks).

    Every page renders the whole nav, so the nav must not grow with the library: a small library
    lists its procedures under the master list; past NAV_PROCEDURES_MAX the master list (sortable,
    filterable) and search are the way in, and each page's HTML stays the same size. Role pages
    stay out of the nav for the same reason (the role index links them).
    """
    if len(library.procedures) > NAV_PROCEDURES_MAX:
        return {}
    return {paths.MASTER_LIST: [paths.procedure_page(p.slug) for p in library.procedures]}
