"""Command line: ``python -m generators check|build ...``.

Exit status: 0 valid, 1 problems in the sources, 2 usage error.
"""
from __future__ import annotations

import argparse
import io
import os
import sys
from pathlib import Path

from .source import report
from .source.diagnostics import one_line, summary

DEFAULT_SOURCES = ["procedure"]


def _print_report(result, stream, grouped: bool = False) -> None:
    """Every diagnostic and the summary line; ``grouped``: errors in full, warnings by kind
    (generators/source/report.py)."""
    lines = (report.grouped if grouped else report.full)(result.diagnostics, result.files, *(
        ["make check V=1 (or: procedures check -v)"] if grouped else []))
    for line in lines:
        print(line, file=stream)


def _wants_groups(args, stream) -> bool:
    """Grouped at a terminal, every line elsewhere (CI logs, editors' problem matchers, pipes)."""
    if getattr(args, "warnings", False):
        return False
    return bool(getattr(args, "grouped", False)) or stream.isatty()


def cmd_check(args) -> int:
    from .check import check_paths

    result = check_paths(args.paths or DEFAULT_SOURCES, today=args.today)
    if args.base == "auto":  # `make check`: the change control CI runs, against where this branch left main
        from .control.merge_base import find_base

        args.base, said = find_base(Path.cwd())
        print(said)
    if args.base:
        from .control.change_control import BaseNotFound, check_against_base
        from .source.diagnostics import sort_key

        try:
            result.diagnostics = sorted(result.diagnostics + check_against_base(result.procedures, args.base), key=sort_key)
        except BaseNotFound:
            print(f"check: error: --base {args.base}: no such git revision "
                  "(in CI, fetch full history: actions/checkout with fetch-depth: 0)", file=sys.stderr)
            return 2
    if args.history:
        from .control import gitlog
        from .control.history_check import check_folder
        from .source.diagnostics import sort_key

        # A named tip that is no commit would walk no history at all: a silent pass.
        if args.history_ref != "HEAD" and not gitlog.revision_exists(args.history_ref, Path.cwd()):
            print(f"check: error: --history-ref {args.history_ref}: no such git revision",
                  file=sys.stderr)
            return 2

        folders = dict.fromkeys(Path(p.path).parent for p in result.procedures) or {Path(DEFAULT_SOURCES[0]): None}
        extra = [d for folder in folders for d in check_folder(folder, result.procedures, args.history_ref, args.today)]
        result.diagnostics = sorted(result.diagnostics + extra, key=sort_key)
    _print_report(result, sys.stdout, _wants_groups(args, sys.stdout))
    return 0 if result.ok else 1


def cmd_new_revision(args) -> int:
    from .edit.new_revision import NewRevisionError, new_revision

    notes: list[str] = []
    try:
        version = new_revision(Path(args.path), edition=args.edition, today=args.today, notes=notes)
    except NewRevisionError as exc:
        for diag in exc.diagnostics:
            print(diag.format(), file=sys.stderr)
        print(f"{one_line(args.path)}:1:1: error: {one_line(str(exc))} [new-revision]", file=sys.stderr)
        return 1
    for note in notes:
        print(f"{one_line(args.path)}: warning: {one_line(note)} [pending-revision]", file=sys.stderr)
    print(f"{one_line(args.path)}: version {version}: complete the new revisions: entry (changes, changed_by, reviewed_by, "
          "approved_by) and the approval: block (the same people, with the dates they signed), then run make check")
    return 0


def cmd_sign(args) -> int:
    """approve / review: one signed commit stating what the signer approves (edit/approve.py)."""
    from .edit.approve import ApproveError, sign, sign_record
    from .source import clock

    today = clock.resolve(args.today).isoformat()
    try:
        if getattr(args, "record", None):
            signed = sign_record(Path(args.paths[0]) if args.paths else Path(DEFAULT_SOURCES[0]), args.record, args.key, today)
        else:
            signed = sign([Path(p) for p in args.paths], args.part, args.key, today, args.in_force)
    except ApproveError as exc:
        where = args.paths[0] if args.paths else "procedure"
        print(f"{where}:1:1: error: {exc} [{args.part}]", file=sys.stderr)
        return 1
    what = "approved" if args.part == "approve" else "reviewed"
    for line in signed.lines:
        subject = line.split()[1] if line.startswith("Approves-") else " ".join(line.split()[1:3])
        print(f"signed: {signed.signer} {what} {subject}")
    print(f"commit {signed.commit[:12]}: push it with your branch (git push); merge the pull request with a merge "
          "commit, never a squash or rebase, so the signature reaches main")
    return 0


def cmd_new(args) -> int:
    from .edit.new_procedure import NewProcedureError, create

    try:
        path = create(Path(args.path), args.number, args.title, args.title_en, args.drafted_by, args.reviewed_by,
                      args.approved_by, args.today)
    except NewProcedureError as exc:
        print(f"python -m generators new: error: {exc}", file=sys.stderr)
        return 2
    print(f"{path}: new procedure {args.number} (A/0) from the standard template: write each section marked tbd, "
          "then run make check (it lists what is left to write)")
    return 0


def cmd_fix(args) -> int:
    from .edit.fix import FixError, fix_file
    from .source.loader import find_sources

    files, diags = find_sources(args.paths)
    for diag in diags:
        print(diag.format(), file=sys.stderr)
    status = 1 if diags else 0
    for path in files:
        try:
            changed = fix_file(path)
        except FixError as exc:
            for diag in exc.diagnostics:
                print(diag.format(), file=sys.stderr)
            print(f"{one_line(str(path))}:1:1: error: {one_line(str(exc))} [fix]", file=sys.stderr)
            status = 1
            continue
        if changed:
            print(f"{one_line(str(path))}: {changed} Chinese text(s) given full-width punctuation")
    return status


def _refuse_unsafe_folders(folders: list[Path], published: list[Path] = ()) -> bool:
    """Print why the build must not write into ``folders`` (symlinks, outside the project,
    committed files) or publish ``published`` (links out of the project); True when it must not."""
    from .source.safefs import check_generated_folders, links_leaving

    problems = check_generated_folders(Path.cwd(), folders) + links_leaving(Path.cwd(), list(published))
    for problem in problems:
        print(f"error: {problem}; nothing was written or deleted [unsafe-output]\n"
              "    hint: generated folders are made by the build inside the project: delete the link or "
              "folder (git rm it if committed)", file=sys.stderr)
    return bool(problems)


def cmd_build(args) -> int:
    from .publish import stamp
    from .render import preview

    if args.preview is None:
        args.preview = preview.requested()
    out_dir = Path(args.docs) / "library"
    if _refuse_unsafe_folders([out_dir, Path(".cache")]):
        return 1
    sources = [p for raw in (args.paths or DEFAULT_SOURCES)
               for p in (sorted(Path(raw).glob("*.yaml")) if Path(raw).is_dir() else [Path(raw)])
               if p.is_symlink() or p.is_file()]
    site_url = os.environ.get("SITE_URL", "")  # where the site is published (feeds' links); see mkdocs.yml
    current = stamp.build_stamp(sources, f"pdf={not args.no_pdf} docs={Path(args.docs).resolve()} preview={args.preview} "
                                f"site_url={site_url}", args.today)
    if not args.force and stamp.is_current(out_dir, current):
        print("up to date: no procedure, generator or git change since the last build (nothing run, nothing written)")
        return 0

    from .build import build_site
    from .check import check_paths

    result = check_paths(args.paths or DEFAULT_SOURCES, today=args.today)
    if not result.ok:
        _print_report(result, sys.stderr, _wants_groups(args, sys.stderr))
        print("build stopped: fix the errors above first", file=sys.stderr)
        return 1
    try:
        stats = build_site(result.procedures, docs_dir=Path(args.docs), pdf=not args.no_pdf, today=args.today,
                           preview=args.preview, site_url=site_url)
        if stats.draft_reasons:
            args.preview = True  # the site's pages are stamped too (cmd_site)
            print("DRAFT preview (草稿): this build is not main's approved state, so every page and PDF is stamped "
                  "and the procedure pages show the revisions being edited:", file=sys.stderr)
            for reason in stats.draft_reasons:
                print(f"  - {reason}", file=sys.stderr)
    except _build_failures() as failure:
        _print_build_failure(failure, sys.stderr)
        return 1
    print(stats.describe())
    stamp.record(out_dir, current)
    return 0


def _build_failures() -> tuple[type[Exception], ...]:
    from .render.graphviz import ChartFailures, GraphvizError
    from .render.pdf import PdfError
    from .source.paths import DuplicateOutput
    from .source.writer import WriteConflict

    return ChartFailures, GraphvizError, PdfError, WriteConflict, DuplicateOutput


def _print_build_failure(failure: Exception, stream) -> None:
    """A build that stopped before writing anything: located errors, never a traceback."""
    from .render.graphviz import ChartFailures, GraphvizError
    from .render.pdf import PdfError
    from .source.paths import DuplicateOutput
    from .source.writer import WriteConflict

    if isinstance(failure, ChartFailures):
        for diag in failure.diagnostics:
            print(diag.format(), file=stream)
        print("build stopped: nothing was written", file=stream)
    elif isinstance(failure, GraphvizError):
        print(f"error: could not draw a flowchart: {one_line(str(failure))} [graphviz]", file=stream)
    elif isinstance(failure, PdfError):
        print(f"error: {one_line(str(failure))}; nothing was written [pdf]", file=stream)
    elif isinstance(failure, DuplicateOutput):
        print(f"error: two outputs of the build would be written to {one_line(failure.path)}; nothing was written "
              "[duplicate-output]\n    hint: this is a fault of the generator, not of the procedures: report it", file=stream)
    elif isinstance(failure, WriteConflict):
        for path in failure.paths:
            print(f"{one_line(str(path))}:1:1: error: a file the generator did not write is in the way [write-conflict]\n"
                  f"    hint: move your file out of the generated folder (or run 'make clean' if it is an old build)",
                  file=stream)


def cmd_watch(args) -> int:
    """The worker of `make serve` (see generators/publish/watch.py): build, then rebuild what each edit touches."""
    from .incremental import Session
    from .render import preview
    from .publish.watch import watch

    out_dir = Path(args.docs) / "library"
    if _refuse_unsafe_folders([out_dir, Path(".cache")]):
        return 1
    if args.with_parent:  # killed with MkDocs, never left behind (nor its PDF workers, see source/lifeline.py)
        from .source.lifeline import die_with_parent

        die_with_parent(os.getppid())
    paths = args.paths or DEFAULT_SOURCES
    if not args.no_pdf:
        # PDF workers are forked from this process for each edit: with WeasyPrint loaded once here,
        # they start without importing it (about a second per edit).
        import weasyprint  # noqa: F401
    served_site = Path(args.served_site) if args.served_site else None
    from .publish import serve_status
    from .publish.watch import PAGES_WRITTEN

    def pages_written() -> None:  # MkDocs (the hook reads this process's lines) rebuilds at once
        serve_status.clear(Path(args.docs))  # a mended failure's banner goes in that same rebuild
        print(PAGES_WRITTEN, flush=True)

    session = Session(paths, Path(args.docs), pdf=not args.no_pdf, today=args.today,
                      preview=preview.requested(), site_url=os.environ.get("SITE_URL", ""),
                      pages_first=served_site is not None,
                      pages_written=pages_written if served_site is not None else None)
    failures = _build_failures()
    serve_status.clear(Path(args.docs))  # a banner left by an earlier session

    def failed(text: str, shown: list[str] | None = None) -> None:
        """In the terminal (MkDocs' log) and, as a banner, in the browser (``shown``: the lines for it)."""
        sys.stdout.write(text)
        serve_status.write_failure(Path(args.docs), text.splitlines() if shown is None else shown)

    def update():
        """The session's update; a build that fails (a chart, a PDF, a file in the way) is reported
        and the watch goes on: the next edit may mend it."""
        try:
            return session.update()
        except failures as failure:
            text = io.StringIO()
            _print_build_failure(failure, text)
            failed(text.getvalue())
            return None, None, None

    def report(result, stats, focus):
        if result is not None and not result.ok:
            text = io.StringIO()
            _print_report(result, text, grouped=True)
            print("procedure check failed: pages not regenerated", file=text)
            errors = [d for d in result.diagnostics if d.severity.value == "error"]
            failed(text.getvalue(), [line for d in errors for line in d.format().splitlines()]
                   + [summary(result.diagnostics, result.files)])
        elif stats is not None:
            serve_status.clear(Path(args.docs))
            if focus is None:
                print("regenerated the whole library")
            else:  # the warnings of the whole library were shown once, at the start
                stats.warnings = []
                print(f"regenerated the {len(focus.procedures)} procedure(s) and {len(focus.roles)} role(s) the edit touches")
            print(stats.describe())
            if served_site is not None and focus is not None:
                from .publish.watch import serve_pdfs
                from .render.site import SITE_LANGUAGE_FOLDER

                serve_pdfs(stats.write.written, out_dir, served_site, SITE_LANGUAGE_FOLDER.values())
        sys.stdout.flush()

    folders = list(dict.fromkeys(Path(p) if Path(p).is_dir() else Path(p).parent for p in paths))
    watch(update, folders, report, parent=os.getppid() if args.with_parent else None)
    return 0


def cmd_site(args) -> int:
    from .publish import sitebuild

    if _refuse_unsafe_folders([Path(args.docs) / "library", Path(".cache"), sitebuild.SITE],
                              published=[Path(args.docs), Path("overrides")]):
        return 1
    if not args.preview and _ledger_refuses(args):
        return 1
    status = cmd_build(args)
    if status != 0:
        return status
    from .render import preview

    # MkDocs stamps the pages from the same variable (the hook reads it): --preview / --no-preview decide.
    os.environ[preview.ENV] = "1" if args.preview else ""
    return sitebuild.build(docs_dir=Path(args.docs), force=args.force)


def _ledger_refuses(args) -> bool:
    """Publishing refuses a history that drops or changes what the last published ledger holds."""
    from .control import ledger
    from .publish import sitebuild
    from .source import clock

    previous, diags = ledger.previous_for(sitebuild.SITE)
    for folder in dict.fromkeys(Path(raw) if Path(raw).is_dir() else Path(raw).parent for raw in (args.paths or DEFAULT_SOURCES)):
        diags += ledger.for_folder(folder, clock.resolve(args.today).isoformat(), previous)[1]
    for diag in diags + ledger.unseen_warning(previous):
        print(diag.format(), file=sys.stderr)
    if any(d.severity.value == "error" for d in diags):
        print(f"publication refused: the history differs from the last published ledger ({previous.source})", file=sys.stderr)
        return True
    return False


def _date(text: str):
    from .source.clock import parse

    try:
        return parse(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _add_today(p: argparse.ArgumentParser, what: str) -> None:
    p.add_argument("--today", type=_date, metavar="YYYY-MM-DD",
                   help=f"the date to work with ({what}); default: $PROCEDURES_TODAY, else the calendar")


def parser() -> argparse.ArgumentParser:
    # `procedures` is the console script (.venv/bin/procedures); `make` targets run `python -m generators`.
    prog = "procedures" if Path(sys.argv[0]).name == "procedures" else "python -m generators"
    p = argparse.ArgumentParser(prog=prog, description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="validate procedure files")
    check.add_argument("paths", nargs="*", help="files or folders (default: procedure/)")
    check.add_argument("--base", metavar="REV", help="also check change control against git revision REV "
                       "(e.g. origin/main): content changed => new version and revision entry; 'auto': the merge "
                       "base with main (origin/main, else main), as `make check` does")
    check.add_argument("--history", action="store_true", help="also check change control over main's whole "
                       "first-parent history of the procedure folder (needs a full clone)")
    check.add_argument("-v", "--warnings", action="store_true", help="list every warning with its place "
                       "(the default when the output is not a terminal)")
    check.add_argument("--grouped", action="store_true", help="errors first, then warnings grouped by kind with "
                       "counts, accepted kinds (marked gaps, old commits) in one line each (the default at a terminal)")
    check.add_argument("--history-ref", metavar="REV", default="HEAD", help="the tip of the history to check (default: HEAD)")
    _add_today(check, "review-overdue warnings")
    check.set_defaults(func=cmd_check)
    issue = sub.add_parser("new-revision", help="start a new revision of a procedure file")
    issue.add_argument("path", help="procedure/<file>.yaml")
    issue.add_argument("--edition", action="store_true", help="new edition (A/3 -> B/0) instead of amendment (A/3 -> A/4)")
    _add_today(issue, "the new effective date and revision date")
    issue.set_defaults(func=cmd_new_revision)
    for part, text in (("approve", "sign your approval of each file's revision (a signed git commit)"),
                       ("review", "sign your review of each file's revision (a signed git commit)")):
        signer = sub.add_parser(part, help=text)
        signer.add_argument("paths", nargs="*", metavar="FILE", help="procedure files, committed (with --record: the folder)")
        signer.add_argument("--key", metavar="PATH", help="your SSH signing key (default: git config user.signingkey)")
        signer.add_argument("--in-force", action="store_true", help="sign every revision of each file that is current "
                            "or pending (from main's history), not the file's newest: re-approving revisions approved "
                            "before signatures were required")
        if part == "approve":
            signer.add_argument("--record", metavar="ID", help="approve a deviation (its id) or a withdrawal (the "
                                "document number) of procedure/_deviations.yaml or _withdrawn.yaml instead")
        _add_today(signer, "which register entry is valid")
        signer.set_defaults(func=cmd_sign, part=part)
    new = sub.add_parser("new", help="start a new procedure (程序文件) from the standard template")
    new.add_argument("path", help="procedure/<name>.yaml (the name is the page's address)")
    new.add_argument("--number", required=True, help="its document number, e.g. QP-ZL-10")
    new.add_argument("--title", required=True, help="its title in Chinese, e.g. 纠正措施控制程序")
    new.add_argument("--title-en", required=True, help="its title in English, e.g. 'Corrective Action Procedure'")
    for who in ("drafted-by", "reviewed-by", "approved-by"):
        new.add_argument(f"--{who}", required=True, help=f"the name of who {who.replace('-', ' ')} (编制/审核/批准)")
    _add_today(new, "the drafting date, effective date and review date")
    new.set_defaults(func=cmd_new)
    fix = sub.add_parser("fix", help="rewrite half-width punctuation between Chinese characters as full-width, "
                         "keeping comments and layout")
    fix.add_argument("paths", nargs="+", help="procedure files or folders")
    fix.set_defaults(func=cmd_fix, today=None)
    build = sub.add_parser("build", help="check, then generate pages, charts and PDFs into docs/")
    site = sub.add_parser("site", help="build, then mkdocs build --strict into site/ (swapped in whole when complete)")
    for command in (build, site):
        command.add_argument("paths", nargs="*", help="files or folders (default: procedure/)")
        command.add_argument("--docs", default="docs", help="MkDocs docs folder (default: docs); output goes to its library/")
        command.add_argument("--no-pdf", action="store_true", help="skip PDF rendering")
        command.add_argument("--force", action="store_true", help="regenerate even when nothing changed since the last build")
        _add_today(command, "review-overdue banners, print dates on PDFs")
        command.add_argument("--preview", action=argparse.BooleanOptionalAction, default=None,
                             help="pull-request draft: stamp every page and PDF 草稿 / DRAFT "
                                  "(default: the PREVIEW environment variable)")
    watcher = sub.add_parser("watch", help="build, then regenerate what each edit of a procedure file touches "
                             "(the worker of `make serve`)")
    watcher.add_argument("paths", nargs="*", help="files or folders (default: procedure/)")
    watcher.add_argument("--docs", default="docs", help="MkDocs docs folder (default: docs); output goes to its library/")
    watcher.add_argument("--no-pdf", action="store_true", help="skip PDF rendering")
    watcher.add_argument("--with-parent", action="store_true", help="stop when the process that started this one stops")
    watcher.add_argument("--served-site", metavar="DIR", help="the folder MkDocs serves: an edit's pages are written first, "
                         "its PDFs after them and copied there (MkDocs does not rebuild for a PDF)")
    _add_today(watcher, "review-overdue banners, print dates on PDFs; default: the calendar, day by day")
    watcher.set_defaults(func=cmd_watch)
    site.set_defaults(func=cmd_site)
    build.set_defaults(func=cmd_build)
    from .edit.word_commands import add_parsers  # import, export, audit-package

    add_parsers(sub, _add_today)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    from .source.clock import resolve

    try:
        if args.command != "watch":  # the watch runs for days: it reads the date at each update
            args.today = resolve(args.today)  # once per run: a run crossing midnight keeps one date
    except ValueError as exc:
        print(f"{args.command}: error: {exc}", file=sys.stderr)
        return 2
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return 130
