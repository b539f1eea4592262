"""Command line: ``python -m generators check|build ...``.

Exit status: 0 valid, 1 problems in the sources, 2 usage error.
"""
from __future__ import annotations

import argparse
import sys

from .check import check_paths
from .diagnostics import summary

DEFAULT_SOURCES = ["procedure"]


def _print_report(result, stream) -> None:
    for diag in result.diagnostics:
        print(diag.format(), file=stream)
    print(summary(result.diagnostics, result.files), file=stream)


def cmd_check(args) -> int:
    result = check_paths(args.paths or DEFAULT_SOURCES)
    _print_report(result, sys.stdout)
    return 0 if result.ok else 1


def cmd_build(args) -> int:
    from .build import build_site

    result = check_paths(args.paths or DEFAULT_SOURCES)
    if not result.ok:
        _print_report(result, sys.stderr)
        print("build stopped: fix the errors above first", file=sys.stderr)
        return 1
    stats = build_site(result.procedures, out=args.out, pdf=not args.no_pdf)
    print(stats.describe())
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m generators", description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="validate procedure files")
    check.add_argument("paths", nargs="*", help="files or folders (default: procedure/)")
    check.set_defaults(func=cmd_check)
    build = sub.add_parser("build", help="check, then generate pages, charts and PDFs into docs/")
    build.add_argument("paths", nargs="*", help="files or folders (default: procedure/)")
    build.add_argument("--out", default="docs/generated", help="generated pages folder (default: docs/generated)")
    build.add_argument("--no-pdf", action="store_true", help="skip PDF rendering")
    build.set_defaults(func=cmd_build)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return 130
