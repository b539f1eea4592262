"""Commands for Word and auditors: ``import`` (a .docx as a draft YAML), ``export`` (a controlled copy
as .docx) and ``audit-package`` (every current revision as PDF and DOCX, the registers and each
procedure's history, in one zip). ``cli.parser`` adds them with ``add_parsers``."""
# In edit/, beside the other commands that write files; the import itself is edit/word_import.py.
from __future__ import annotations

import re
import sys
from pathlib import Path


def _slug_of(path: Path) -> str | None:
    stem = path.stem.lower().replace("_", "-").replace(" ", "-")
    return stem if re.fullmatch(r"[a-z0-9][a-z0-9-]{0,63}", stem) else None


def _refuse_output(out: Path, force: bool) -> str | None:
    """Why ``out`` must not be written, or None: a link, a folder, an existing file (without --force),
    a place outside the working folder."""
    if out.is_symlink():
        return "is a symbolic link (write to a file inside the project)"
    if out.exists() and out.is_dir():
        return "is a folder"
    if out.exists() and not force:
        return "exists already (use --force to overwrite it, or --out another file)"
    try:
        out.resolve().parent.relative_to(Path.cwd().resolve())
    except ValueError:
        return "is outside the project folder"
    return None


def _sources(paths: list[str]) -> list[Path]:
    """The .docx files named, a folder standing for the .docx files in it (Word's ~$ lock files left out)."""
    found = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir() and not path.is_symlink():
            found += sorted(p for p in path.glob("*.docx") if not p.name.startswith("~$"))
        else:
            found.append(path)
    return found


def _import_one(source: Path, out: Path | None, args) -> int:
    from .word_import import WordImportError, import_document, write_yaml

    try:
        data, report = import_document(source, args.number)
    except WordImportError as exc:
        print(f"{source}: error: {exc}; nothing was written [word-import]", file=sys.stderr)
        return 1
    if out is None:  # named after the file, else after the document number the cover gives
        slug = _slug_of(source) or _slug_of(Path(f"{data.get('number') or ''}.docx"))
        if slug is None:
            print(f"{source}: error: cannot name the draft after '{source.name}' or its number (a procedure file "
                  "name is lower-case letters, digits and hyphens): give --out procedure/<name>.yaml", file=sys.stderr)
            return 2
        out = Path(args.out_dir) / f"{slug}.yaml"
    if out.suffix != ".yaml":
        print(f"{out}: error: the draft is a .yaml file", file=sys.stderr)
        return 2
    refused = _refuse_output(out, args.force)
    if refused:
        print(f"{out}: error: {refused}; nothing was written", file=sys.stderr)
        return 1
    write_yaml(data, report, out)
    for line in report.lines():
        print(line)
    print(f"wrote {out}: a draft with the Chinese as written and the English marked [untranslated]; "
          f"{len(report.unplaced)} item(s) not imported (listed above and at the top of the draft). "
          f"Next: .venv/bin/procedures check {out}")
    return 0


def cmd_import(args) -> int:
    sources = _sources(args.files)
    if args.out and len(sources) != 1:
        print("python -m generators import: error: --out names the draft of one file; for several, use --out-dir",
              file=sys.stderr)
        return 2
    if args.number and len(sources) != 1:
        print("python -m generators import: error: --number is for one file", file=sys.stderr)
        return 2
    if not sources:
        print("python -m generators import: error: no .docx file found", file=sys.stderr)
        return 2
    statuses = [_import_one(source, Path(args.out) if args.out else None, args) for source in sources]
    if len(sources) > 1:
        print(f"imported {statuses.count(0)} of {len(sources)} file(s)")
    return max(statuses)


def _report(result) -> None:
    """Check's diagnostics and summary, on stderr: the command stops before writing anything."""
    from ..source.diagnostics import summary

    for diag in result.diagnostics:
        print(diag.format(), file=sys.stderr)
    print(summary(result.diagnostics, result.files), file=sys.stderr)


def _langs(value: str) -> tuple[str, ...]:
    return ("zh", "en") if value == "both" else (value,)


def _one_procedure(path: str, today):
    """The checked procedure at ``path``, or (None, exit status) after printing why not."""
    from ..check import check_paths

    result = check_paths([path], today=today)
    if not result.procedures:
        _report(result)
        return None, 1
    if not result.ok:
        _report(result)
        print("export stopped: a controlled copy is made only of a procedure that check accepts", file=sys.stderr)
        return None, 1
    return result.procedures[0], 0


def cmd_export(args) -> int:
    from ..publish.audit_package import PackageError, export_revision
    from ..render.graphviz import GraphvizError
    from ..render.pdf import PdfError
    from ..source.writer import atomic_write

    proc, status = _one_procedure(args.file, args.today)
    if proc is None:
        return status
    out_dir = Path(args.out)
    refused = None
    if out_dir.is_symlink():
        refused = "is a symbolic link (give the folder itself)"
    elif out_dir.exists() and not out_dir.is_dir():
        refused = "is a file, not a folder"
    if refused:
        print(f"{out_dir}: error: {refused}; nothing was written", file=sys.stderr)
        return 1
    try:
        files = export_revision(proc, args.version, args.format, _langs(args.lang), args.today.isoformat())
    except PackageError as exc:
        print(f"{args.file}: error: {exc} [export]", file=sys.stderr)
        return 1
    except (GraphvizError, PdfError) as exc:
        print(f"{args.file}: error: {exc} [export]", file=sys.stderr)
        return 1
    for name, data in files.items():
        atomic_write(out_dir / name, data)
        print(f"wrote {out_dir / name}")
    return 0


def cmd_audit_package(args) -> int:
    from ..check import check_paths
    from ..publish.audit_package import audit_package
    from ..render.graphviz import GraphvizError
    from ..render.pdf import PdfError

    out = Path(args.out)
    if out.suffix != ".zip" and out.exists():
        print(f"{out}: error: the folder exists already (give a new folder, or a .zip file); nothing was written",
              file=sys.stderr)
        return 1
    if out.is_symlink() or out.exists() and out.is_dir():
        print(f"{out}: error: {'is a symbolic link' if out.is_symlink() else 'is a folder'}; nothing was written",
              file=sys.stderr)
        return 1
    result = check_paths(args.paths or ["procedure"], today=args.today)
    if not result.ok:
        _report(result)
        print("audit package stopped: fix the errors above first", file=sys.stderr)
        return 1
    try:
        stats = audit_package(result.procedures, out, args.today, _langs(args.lang), docx=not args.no_docx)
    except (GraphvizError, PdfError) as exc:
        print(f"error: {exc} [audit-package]", file=sys.stderr)
        return 1
    print(f"wrote {out}: {stats.procedures} procedure(s), {stats.files} files ({stats.pdfs} PDF, {stats.docx} DOCX; "
          f"{stats.archived} earlier revision(s)), as of {args.today.isoformat()}")
    return 0


def add_parsers(sub, _add_today) -> None:
    """The three commands; ``_add_today`` adds cli's --today option to a command."""
    export = sub.add_parser("export", help="write a controlled copy of a revision as .docx (Word) or .pdf")
    export.add_argument("file", help="procedure/<file>.yaml")
    export.add_argument("--format", choices=("docx", "pdf"), default="docx", help="docx (default) or pdf")
    export.add_argument("--version", help="the revision to copy (default: the one in force, else the next to take effect)")
    export.add_argument("--lang", choices=("zh", "en", "both"), default="zh", help="language of the copy (default: zh)")
    export.add_argument("--out", default=".", help="the folder to write to (default: here)")
    _add_today(export, "which revision is in force, the date on the copy")
    export.set_defaults(func=cmd_export)
    package = sub.add_parser("audit-package", help="write every current revision (PDF and DOCX), the master list, "
                             "records and deviations registers and each revision history into a zip or folder")
    package.add_argument("paths", nargs="*", help="files or folders (default: procedure/)")
    package.add_argument("--out", required=True, help="a .zip file, or a new folder")
    package.add_argument("--lang", choices=("zh", "en", "both"), default="both", help="languages (default: both)")
    package.add_argument("--no-docx", action="store_true", help="PDF only")
    _add_today(package, "which revision is in force; the package's date")
    package.set_defaults(func=cmd_audit_package)

    imp = sub.add_parser("import", help="read a Word 程序文件 (.docx) into a draft procedure YAML")
    imp.add_argument("files", nargs="+", metavar="FILE", help=".docx files, or folders of them")
    imp.add_argument("--number", help="the document number (编号), when the cover has none or another (one file)")
    imp.add_argument("--out", help="the draft to write, for one file (default: <out-dir>/<file name>.yaml, or "
                     "<number>.yaml when the file name is no procedure name)")
    imp.add_argument("--out-dir", default="procedure", help="the folder of the drafts (default: procedure)")
    imp.add_argument("--force", action="store_true", help="overwrite --out when it exists")
    imp.set_defaults(func=cmd_import, today=None)
