"""Commands for Word and auditors: ``import`` (a .docx as a draft YAML), ``export`` (a controlled copy
as .docx) and ``audit-package`` (every current revision as PDF and DOCX, the registers and each
procedure's history, in one zip). ``cli.parser`` adds them with ``add_parsers``."""
from __future__ import annotations

import argparse
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


def cmd_import(args) -> int:
    from .edit.word_import import ImportError_, write_draft

    source = Path(args.file)
    if args.out:
        out = Path(args.out)
    else:
        slug = _slug_of(source)
        if slug is None:
            print(f"{source}: error: cannot name the draft after '{source.name}' (a procedure file name is lower-case "
                  "letters, digits and hyphens): give --out procedure/<name>.yaml", file=sys.stderr)
            return 2
        out = Path("procedure") / f"{slug}.yaml"
    if out.suffix != ".yaml":
        print(f"{out}: error: the draft is a .yaml file", file=sys.stderr)
        return 2
    refused = _refuse_output(out, args.force)
    if refused:
        print(f"{out}: error: {refused}; nothing was written", file=sys.stderr)
        return 1
    try:
        report = write_draft(source, out, args.number)
    except ImportError_ as exc:
        print(f"{source}: error: {exc}; nothing was written [word-import]", file=sys.stderr)
        return 1
    for line in report.lines():
        print(line)
    print(f"wrote {out}: a draft with the Chinese as written and the English marked [untranslated]; "
          f"{len(report.unplaced)} item(s) not imported (listed above and at the top of the draft). "
          f"Next: python -m generators check {out}")
    return 0


def add_parsers(sub) -> None:
    imp = sub.add_parser("import", help="read a Word 程序文件 (.docx) into a draft procedure YAML")
    imp.add_argument("file", help="the .docx file")
    imp.add_argument("--number", help="the document number (编号), when the cover has none or another")
    imp.add_argument("--out", help="the draft to write (default: procedure/<file name>.yaml)")
    imp.add_argument("--force", action="store_true", help="overwrite --out when it exists")
    imp.set_defaults(func=cmd_import, today=None)
