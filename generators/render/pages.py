"""Markdown pages from the model, through one Jinja template per page kind.

Every YAML string is escaped on output by the environment's ``finalize`` hook, so a
template cannot forget to escape; markup built here is returned as ``Markup``.
"""
from __future__ import annotations

import html
import json
import posixpath
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, pass_context
from markupsafe import Markup

from ..control.changes import document_name
from ..source.labels import label, shown_name
from ..source.library import Library, producing_steps
from ..source.model import END, OBJECTIVE_ASPECTS, GapText, Procedure, is_gap
from . import chart_print, outline as outlines
from ..source.deadlines import condition_text, deadline_text
from ..source import paths
from .escape import md
from .placeholders import md_marked

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def _text(value, lang: str | None):
    """A value as page text: escaped, a gap marked 待定, a source's placeholder marked as one."""
    if value is None:
        return ""
    if isinstance(value, Markup):
        return value
    if isinstance(value, GapText):  # a marked gap: visibly 待定 / To be determined, with its note
        return gap_markup(value, lang)
    return md_marked(value, lang) if lang else md(value)


@pass_context
def _finalize(context, value):
    return _text(value, context.get("lang"))


def gap_markup(text: GapText, lang: str | None = None) -> Markup:
    colon = "：" if text.startswith(f"{text.mark}：") else ": "
    note = md_marked(text.note, lang) if lang else md(text.note)
    return gap_span(text.mark, Markup(f"{colon}{note}"))


def gap_span(mark: str, rest: Markup = Markup("")) -> Markup:
    """A gap as pages mark it: its mark (待定), then the note that explains it, if any."""
    return Markup(f'<span class="gap"><strong class="gap__mark">{md(mark)}</strong>{rest}</span>')


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=False, finalize=_finalize,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.tests["gap"] = is_gap  # `{% if value is gap %}`: a marked gap (待定), not data
    env.filters["attribute"] = md  # an attribute's value (a git author): escaped, never marked up
    env.globals.update(deadline=deadline_text, condition=condition_text)  # a step's time limit, a part's condition
    env.globals["chart_print"] = chart_print  # the flowchart's printed sheets
    env.globals["shown_name"] = shown_name  # a revision entry's "no name" words in the page's language
    return env


class Linker:
    """Builds escaped Markdown links from the page being rendered to other pages."""

    def __init__(self, library: Library, page: str, lang: str):
        self.library, self.page, self.lang = library, page, lang

    def _md(self, text) -> Markup:
        """Text escaped, a source's placeholder in it marked as one (render/placeholders.py)."""
        return md_marked(text, self.lang)

    def _link(self, text: str, target: str, anchor: str = "") -> Markup:
        return Markup(f"[{self._md(text)}]({paths.relative(self.page, target, anchor)})")

    def role(self, role_id: str | None) -> Markup:
        role = self.library.roles.get(role_id or "")
        if role is None:
            party = self.library.externals.get(role_id or "")
            if party is not None:  # an outside party: named, with no page of its own
                return Markup(f'<span class="external">{self._md(party.name[self.lang])}</span>')
            # an id is never shown to readers; an empty one (nothing recorded) shows nothing
            return label("undeclared_role", self.lang) if role_id else Markup("")
        return self._link(role.name[self.lang], paths.role_page(role.id))

    def party(self, proc: Procedure, role_id: str | None, gap=None) -> Markup:
        """A role or outside party of ``proc``, or the gap marked in its place."""
        if not role_id and gap is not None:
            return _text(gap[self.lang], self.lang)
        return self.role(role_id)

    def roles(self, role_ids) -> Markup:
        sep = "、" if self.lang == "zh" else ", "
        return Markup(sep.join(self.role(r) for r in role_ids))

    def recipients(self, proc: Procedure, html: bool = False) -> Markup:
        """The procedure's distribution list: departments, roles (linked) and outside parties, or its gap.
        ``html``: for a raw HTML block (the page's header table), where Markdown links are not converted."""
        if proc.distribution.gap is not None:
            return _text(proc.distribution.gap[self.lang], self.lang)
        parts = []
        for entry in proc.distribution:
            ident = entry.role or entry.external
            if html and ident in self.library.roles and type(self) is Linker:
                role = self.library.roles[ident]
                text = Markup(f'<a href="{paths.relative_url(self.page, paths.role_page(ident))}">'
                              f'{self._md(role.name[self.lang])}</a>')
            elif ident and (ident in self.library.roles or ident in self.library.externals):
                text = self.role(ident)
            elif ident:  # a withdrawn procedure's role: named, no page
                party = proc.party(ident)
                text = self._md(party.name[self.lang] if party is not None else ident)
            else:
                text = self._md(entry.department[self.lang]) if entry.department else Markup("")
            if entry.note is not None:
                text = Markup(f"{text}{label('lparen', self.lang)}{_text(entry.note[self.lang], self.lang)}{label('rparen', self.lang)}")
            parts.append(text)
        return Markup(("、" if self.lang == "zh" else ", ").join(parts))

    def decision_subject(self, proc: Procedure, decision) -> Markup:
        """What a recorded decision is about: the record (number and name) and its fields, or the distribution."""
        sep = "、" if self.lang == "zh" else ", "
        fields = sep.join(str(label(f"field_{f}", self.lang)) for f in decision.fields)
        if decision.record is None:
            return self._md(fields)
        item = next((f for f in proc.forms if f.number == decision.record), None) or next(
            (r for r in proc.records if r.number == decision.record), None)
        title = item.title[self.lang] if item is not None and item.title else ""
        return self._md(f"{decision.record} {title}{label('colon', self.lang)}{fields}")

    def procedure(self, proc: Procedure, anchor: str = "") -> Markup:
        return self._link(f"{proc.number} {proc.title[self.lang]}", paths.procedure_page(proc.slug), anchor)

    def step(self, proc: Procedure, step_id: str) -> Markup:
        if proc.is_end(step_id) and proc.step(step_id) is None:
            return self.end(proc, step_id)
        step = proc.step(step_id)
        return self._link(f"{step.number}. {step.title[self.lang]}", paths.procedure_page(proc.slug), f"step-{step_id}")

    def end(self, proc: Procedure, end_id: str) -> Markup:
        """An end of the flow: its kind and title; a hand-off links the procedure that takes over."""
        end = proc.end(end_id)
        if end_id == END and not proc.ends:
            return label("end", self.lang)
        kind = label(f"end_{end.kind}", self.lang)
        text = Markup(f"{kind}{label('colon', self.lang)}{self._md(end.title[self.lang])}") if end.title else kind
        if end.kind == "hand-off" and end.procedure is not None:
            return Markup(f"{text} → {self.reference(end.procedure)}")
        return text

    def reference(self, ref) -> Markup:
        """Another procedure: linked when the library publishes it, else "referenced, not published"."""
        target = self.library.published(ref)
        if target is not None:
            return self.procedure(target)
        title = f"《{ref.title[self.lang]}》" if self.lang == "zh" else ref.title[self.lang]
        number = f"{ref.number} " if ref.number else ""
        # Chinese in full-width brackets and upright (a Chinese italic is a slanted copy of the font: 30 KB
        # more in every PDF that shows one); English in italics.
        aside = label("not_published_aside", self.lang)
        return Markup(f"{self._md(number + title)} " + (f"<em>{aside}</em>" if self.lang == "en" else f'<span class="not-published">{aside}</span>'))

    def output(self, proc: Procedure, output_id: str) -> Markup:
        doc = proc.document(output_id)
        if doc is not None:  # a row of the procedure's document-flow table
            return self._link(document_name(doc, self.lang), paths.procedure_page(proc.slug),
                              paths.document_anchor(doc.id))
        form = proc.form(output_id)
        return self._link(f"《{form.title[self.lang]}》" if self.lang == "zh" else form.title[self.lang],
                          paths.form_page(proc.slug, form.id))

    def document_title(self, doc) -> str:
        """A document as readers know it: its title, else its content, never its id."""
        return document_name(doc, self.lang)

    def form(self, proc: Procedure, form_id: str) -> Markup:
        return self.output(proc, form_id)

    def file(self, target: str) -> Markup:
        """Relative link target of a generated file (our own path: not escaped, ids are validated)."""
        return Markup(paths.relative(self.page, target))

    def to(self, target: str, text: str, anchor: str = "") -> Markup:
        return self._link(text, target, anchor)


class ArchiveLinker(Linker):
    """Links on an archived revision: its steps point into the archive itself; roles, documents
    and forms are named as they were, without links (they may no longer exist)."""

    def __init__(self, library: Library, page: str, lang: str, proc: Procedure):
        super().__init__(library, page, lang)
        self.archived = proc

    def role(self, role_id: str | None) -> Markup:
        role = self.archived.party(role_id)
        if role is None:  # a role the revision never declared (a gap of its time): marked, never shown by its id
            return self._undeclared() if role_id else self._md("—")
        return self._md(role.name[self.lang])

    def output(self, proc: Procedure, output_id: str) -> Markup:
        item = proc.document(output_id) or proc.form(output_id)
        return self._md(item.title[self.lang]) if item is not None and item.title else self._undeclared()

    def _undeclared(self) -> Markup:
        return gap_span(label("gap_mark", self.lang))

    form = output

    def step(self, proc: Procedure, step_id: str) -> Markup:
        if proc.step(step_id) is None:
            return self.end(proc, step_id) if proc.is_end(step_id) else self._md(step_id)
        step = proc.step(step_id)
        return self._link(f"{step.number}. {step.title[self.lang]}", self.page, f"step-{step_id}")

    def reference(self, ref) -> Markup:
        title = f"《{ref.title[self.lang]}》" if self.lang == "zh" else ref.title[self.lang]
        return self._md((f"{ref.number} " if ref.number else "") + title)


def _render(template: str, page: str, lang: str, library: Library, linker: Linker | None = None, **context) -> str:
    env = environment()
    return env.get_template(template).render(
        lang=lang, t=lambda key: label(key, lang), link=linker or Linker(library, page, lang), library=library,
        aspects=OBJECTIVE_ASPECTS, producing_steps=producing_steps, paths=paths, page=page, END=END,
        outlines=outlines, **context)


# Search ranking (Material's front-matter boost): the procedure first; pages that repeat what it says
# (role pages and checklists, the library's lists, the revision log) below it. Archived revisions
# and comparisons are out of search (their templates say so).
BOOST_PROCEDURE, BOOST_DERIVED = 2, 0.3


def _front_matter(text: str, title: str | None = None, boost: float | None = None) -> str:
    """Prefix a page with YAML front matter: ``title`` (HTML-escaped: MkDocs puts it in the nav, the
    browser title and the search index as it is) names the page with its procedure's number, so every
    search result and tab says which procedure it belongs to. JSON values are valid YAML."""
    meta = {}
    if title:
        meta["title"] = html.escape(title, quote=False)
    if boost is not None:
        meta["search"] = {"boost": boost}
    if not meta:
        return text
    return "---\n" + "".join(f"{key}: {json.dumps(value, ensure_ascii=False)}\n" for key, value in meta.items()) + "---\n" + text


def procedure_label(proc: Procedure, lang: str) -> str:
    """ "QP-XS-01 销售过程控制流程": how a search result or a tab names a procedure."""
    return " ".join(str(part) for part in (proc.number, proc.title[lang]) if part)


def revision_status(status, proc: Procedure, entries: list[dict], page: str, withdrawal=None) -> dict:
    """What a page says about the revision it shows (a ``control.lifecycle.Status`` on ``page``)."""
    main = page == paths.procedure_page(proc.slug)
    by_version = {e["version"]: e for e in entries}
    versions = [e["version"] for e in entries]
    state = status.of(proc.version)
    later = versions[versions.index(proc.version) + 1:] if proc.version in versions else []
    return {
        "state": state.value if state else "current", "version": proc.version, "effective_date": proc.effective_date,
        "today": status.today, "main": main, "current": status.current,
        "current_link": Markup(paths.relative(page, paths.procedure_page(proc.slug))),
        # the revision in force at its permanent address: a draft on the procedure's own page links to it
        "current_archive_link": Markup(paths.relative(page, paths.archive_page(proc.slug, status.current)))
        if status.current else "",
        "superseded_by": status.replaced_by(proc.version) if later else None,
        "pending": [{"version": v, "effective_date": by_version[v]["procedure"].effective_date,
                     "link": Markup(paths.relative(page, by_version[v]["page"]))} for v in status.pending if v in by_version],
        "withdrawal": withdrawal,  # control.withdrawal.Withdrawal (date, reason, approved_by) or None
    }


def procedure_page(library: Library, proc: Procedure, lang: str, chart: str | None = None,
                   pdf: str | None = None, review_overdue: bool = False, status: dict | None = None,
                   print_header: Markup | None = None) -> str:
    """The procedure page, in the order of a printed controlled copy (``pdf``: its PDF's file name).

    ``status``: from ``revision_status``; the page shows the revision in force, announcing pending ones.
    ``print_header``: the running header of browser printouts (``printable.browser_running_header``).
    """
    page = paths.procedure_page(proc.slug)
    return _front_matter(_render(
        "procedure.md.j2", page, lang, library, proc=proc, chart=chart, pdf=pdf, archived=False,
        n=outlines.outline(proc), status=status or _unstated(proc, page), review_overdue=review_overdue,
        history=Markup(paths.relative(page, paths.history_page(proc.slug))), print_header=print_header),
        title=procedure_label(proc, lang), boost=BOOST_PROCEDURE)


def _unstated(proc: Procedure, page: str) -> dict:
    """No status computed (a page rendered on its own): the page claims none."""
    return {"state": "", "version": proc.version, "effective_date": proc.effective_date, "today": "", "main": False,
            "current": None, "current_link": "", "current_archive_link": "", "superseded_by": None, "pending": [], "withdrawal": None}


def revision_page(library: Library, revision: Procedure, current: Procedure, lang: str, chart: str | None = None,
                  status: dict | None = None, page: str | None = None, print_header: Markup | None = None) -> str:
    """One revision at its permanent address (or at ``page``: a withdrawn procedure's own page),
    stamped with its state, out of search; its roles, documents and forms named as they were.
    ``print_header``: the running header of browser printouts (``printable.browser_running_header``)."""
    page = page or paths.archive_page(current.slug, revision.version)
    history = Markup(paths.relative(page, paths.history_page(current.slug)))
    return _render("procedure.md.j2", page, lang, library, linker=ArchiveLinker(library, page, lang, revision), proc=revision,
                   n=outlines.outline(revision),
                   chart=chart, pdf=None, archived=True, status=status or _unstated(revision, page), review_overdue=False,
                   history=history, print_header=print_header)


def history_page(library: Library, proc: Procedure, history, entries: list[dict], lang: str, status=None) -> str:
    """Revision log, and each revision from git with its state, commit and changes."""
    deviations = [f for f in getattr(history, "findings", ()) if f.severity.value == "error"]
    versions = [e["version"] for e in entries]
    return _front_matter(_render(
        "history.md.j2", paths.history_page(proc.slug), lang, library, proc=proc, history=history,
        steps=entries, status=status, deviations=deviations, compare_steps=compare_steps(proc, entries),
        picker=paths.compare_index(proc.slug) if has_picker(versions) else None),
        title=f"{procedure_label(proc, lang)} › {label('history', lang)}", boost=BOOST_DERIVED)


def has_picker(versions: list[str]) -> bool:
    """A procedure has a comparisons page from three revisions on: two have one comparison, its own page."""
    return len(versions) >= 3


def compare_steps(proc: Procedure, entries: list[dict]) -> list[dict]:
    """Each revision and the next, oldest first: versions, their pages, the comparison page, what changed."""
    return [{"old": e["version"], "new": e["next_version"], "old_page": e["page"],
             "anchor": Markup(paths.compare_anchor(e["version"], e["next_version"])),  # [a-z0-9_-]: an id as it is
             "page": paths.compare_page(proc.slug, e["version"], e["next_version"]), "changes": e["changes"],
             "label": f"{e['version']} → {e['next_version']}"} for e in entries if e["next_version"]]


def compare_picker(library: Library, proc: Procedure, entries: list[dict], lang: str) -> str:
    """The comparisons page of a procedure: every step from one revision to the next, in order, with
    what changed in each and a link to its full comparison; a picker (two lists, compare-picker.js)
    shows only the steps between any two revisions. Without the script, every step is listed."""
    page = paths.compare_index(proc.slug)
    versions = [{"version": e["version"], "anchor": Markup(paths.version_slug(e["version"])), "page": e["page"]} for e in entries]
    steps = compare_steps(proc, entries)
    for i, step in enumerate(steps):  # the other pairs from its first revision (where, without the script, they lead)
        step["pairs"] = [Markup(paths.compare_anchor(step["old"], later["new"])) for later in steps[i + 1:]]
    return _render("compare-picker.md.j2", page, lang, library, proc=proc, versions=versions, steps=steps,
                   history=Markup(paths.relative(page, paths.history_page(proc.slug))))


def compare_page(library: Library, proc: Procedure, old: Procedure, new: Procedure, lang: str,
                 picker: bool = False) -> str:
    """Two revisions side by side for an auditor: changes in procedure terms, and a text redline.
    ``picker``: the procedure has a comparisons page (``has_picker``), linked with this pair chosen."""
    from ..control.changes import compare
    from ..control.comparison import outline, redline

    page = paths.compare_page(proc.slug, old.version, new.version)
    return _render("compare.md.j2", page, lang, library, proc=proc, old=old, new=new, changes=compare(old, new),
                   lines=redline(outline(old, lang), outline(new, lang)),
                   history=Markup(paths.relative(page, paths.history_page(proc.slug))),
                   old_page=Markup(paths.relative(page, paths.archive_page(proc.slug, old.version))),
                   new_page=Markup(paths.relative(page, paths.archive_page(proc.slug, new.version))),
                   picker=Markup(paths.relative(page, paths.compare_index(proc.slug),
                                                paths.compare_anchor(old.version, new.version))) if picker else None)


def redirect_page(old: str, new: str, title: str, lang: str, text_label: str = "moved_text") -> str:
    """The page at ``old`` that sends readers to ``new``: a renamed procedure's former address, or (with
    ``text_label`` "shown_revision_text") the page of the revision its procedure page shows."""
    return _render("redirect.md.j2", old, lang, Library([]), target=Markup(paths.relative_url(old, new)), title=title,
                   text=label(text_label, lang))


def form_page(library: Library, proc: Procedure, form, lang: str, pdf: str | None = None, versions=()) -> str:
    """A form's page; ``versions``: its version history (see build.form_history), each with its blank PDF."""
    return _front_matter(_render("form.md.j2", paths.form_page(proc.slug, form.id), lang, library, proc=proc, form=form,
                                 pdf=pdf, versions=versions), title=f"{procedure_label(proc, lang)} › {form.title[lang]}")


def role_page(library: Library, role_id: str, lang: str, pdfs: dict[str, str] | None = None,
              pending: dict | None = None) -> str:
    """The role's page, which is its checklist in every procedure (``pdfs``: procedure slug, or 'all'
    for the combined checklist, -> link to the PDF, for PDFs that exist; ``pending``: procedure slug ->
    what each pending revision changes for the role, see role_changes)."""
    return _front_matter(_render("role.md.j2", paths.role_page(role_id), lang, library, role=library.roles[role_id],
                                 duties=library.duties(role_id), pdfs=pdfs or {}, pending=pending or {}),
                         boost=BOOST_DERIVED)


def role_index(library: Library, lang: str) -> str:
    return _front_matter(_render("role-index.md.j2", paths.ROLE_INDEX, lang, library), boost=BOOST_DERIVED)


def flow_matrix(library: Library, lang: str) -> str:
    return _front_matter(_render("flow-matrix.md.j2", paths.FLOW_MATRIX, lang, library, flows=library.flows()),
                         boost=BOOST_DERIVED)


def records_register(library: Library, lang: str, withdrawn: list[Procedure] = ()) -> str:
    """Every form in the library; the forms of withdrawn procedures stay, with their retention."""
    return _front_matter(_render("records.md.j2", paths.RECORDS_REGISTER, lang, library,
                                 withdrawn=[(proc, form) for proc in withdrawn for form in proc.forms]), boost=BOOST_DERIVED)


def deviations_register(library: Library, lang: str, deviations: list, withdrawals: list) -> str:
    """Every deviation and withdrawal record (control.deviations, control.withdrawal) of the library."""
    return _front_matter(_render("deviations.md.j2", paths.DEVIATIONS_REGISTER, lang, library, deviations=deviations,
                                 withdrawals=withdrawals, procedures={p.number: p for p in library.procedures}),
                         boost=BOOST_DERIVED)


def distribution_page(library: Library, lang: str) -> str:
    """Documents by department: who holds which procedure, from every distribution list."""
    return _front_matter(_render("distribution.md.j2", paths.DISTRIBUTION, lang, library, holders=library.distribution()),
                         boost=BOOST_DERIVED)


def master_list(library: Library, lang: str, page: str = paths.MASTER_LIST, statuses: dict | None = None,
                revisions: dict | None = None, withdrawn: dict | None = None) -> str:
    """The master list of procedures, as a page or as the snippet on the home page.

    ``statuses``: slug -> lifecycle Status; ``revisions``: slug -> build.ProcedureRevisions (each version's content).
    """
    rows = []
    for proc in library.procedures:
        status = (statuses or {}).get(proc.slug)
        models = revisions[proc.slug].models if revisions and proc.slug in revisions else {proc.version: proc}
        state = status.of(proc.version) if status else None
        rows.append({
            "proc": proc, "state": state.value if state else "",
            "current": status.current if status else proc.version,
            "current_date": models[status.current].effective_date if status and status.current else (
                None if status else proc.effective_date),
            "pending": [{"version": v, "effective_date": models[v].effective_date} for v in (status.pending if status else ())],
            "withdrawal": None,
        })
    for rev in (withdrawn or {}).values():
        rows.append({"proc": rev.shown, "state": "withdrawn", "current": None, "current_date": None, "pending": [],
                     "withdrawal": rev.withdrawal})
    rows.sort(key=lambda row: (row["proc"].number, row["proc"].slug))
    text = _render("master-list.md.j2", page, lang, library, standalone=page == paths.MASTER_LIST, rows=rows,
                   as_of=next((s.today for s in (statuses or {}).values()), ""))
    return _front_matter(text, boost=BOOST_DERIVED) if page == paths.MASTER_LIST else text  # the snippet has none


def recent_changes(library: Library, notices: list, lang: str) -> str:
    """The recent-changes page: each pending revision, then each that took effect lately
    (``notices``: control.recent.RevisionNotice, in that order), and the link to the feed."""
    page = paths.RECENT_CHANGES
    items = [{"notice": n, "anchor": f"{n.slug}-{paths.version_slug(n.version)}",
              "revision_page": paths.archive_page(n.slug, n.version),
              "history_anchor": f"version-{paths.version_slug(n.version)}",
              "comparison": paths.compare_page(n.slug, n.previous, n.version) if n.previous else None} for n in notices]
    return _render("recent-changes.md.j2", page, lang, library, items=items,
                   pending=[i for i in items if i["notice"].pending], in_force=[i for i in items if not i["notice"].pending],
                   feed=Markup(posixpath.basename(paths.CHANGES_FEED)))
