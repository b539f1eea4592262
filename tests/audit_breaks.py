"""Break each line of the audit list (issue 19) once, in a copy of the checkout, and run the test
that must catch it: every row must say "caught". Run: .venv/bin/python tests/audit_breaks.py

A row is (what, file, the line as it is, the line broken, tests that must fail).
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

BREAKS = [
    ("revision-log entry rewritten check", "generators/control/change_control.py",
     "if now is None or entry_record(now) != entry_record(entry):", "if now is None:",
     ["tests/test_revisions.py::test_change_control_catches[earlier revision-log entry rewritten]"]),
    ("next edition out of order (B/1 after A/1)", "generators/control/change_control.py",
     "following.add(f\"{chr(ord('A') + edition + 1)}/0\")", "following.add(f\"{chr(ord('A') + edition + 1)}/{amendment}\")",
     ["tests/test_revisions.py::test_change_control_catches[next edition not at amendment 0]"]),
    ("next edition out of order (C/0 after A/1)", "generators/control/change_control.py",
     "following.add(f\"{chr(ord('A') + edition + 1)}/0\")", "following.add(f\"{chr(ord('A') + edition + 2)}/0\")",
     ["tests/test_revisions.py::test_the_next_amendment_or_the_next_edition_at_amendment_0_passes[B/0]"]),
    ("producer line in the history page's change list", "generators/control/changes.py",
     "out += _role_change(f\"{zh} 编制\"", "_ = _role_change(f\"{zh} 编制\"",
     ["tests/test_pages.py::test_every_page_kind_matches_its_golden_file[en-history]",
      "tests/test_mutants.py::test_history_change_list_names_producer_and_recipient_changes"]),
    ("recipient line in the history page's change list", "generators/control/changes.py",
     "        out += _role_change(f\"{zh} 提交对象\", f\"{en} recipient\", old, new, before.recipients, doc.recipients)\n",
     "",
     ["tests/test_pages.py::test_every_page_kind_matches_its_golden_file[en-history]",
      "tests/test_mutants.py::test_history_change_list_names_producer_and_recipient_changes"]),
    ("form retention rule", "generators/rules/forms.py",
     "if form.retention is None:", "if False:",
     ["tests/test_check.py::test_rule_case_reports_exactly_the_expected_diagnostics[form-retention]"]),
    ("recipient is not a declared role", "generators/rules/references.py",
     "if recipient not in known:", "if False:",
     ["tests/test_check.py::test_rule_case_reports_exactly_the_expected_diagnostics[document-recipient]"]),
    ("review-overdue banner", "generators/build.py",
     "overdue = bool(proc.review_due and today and proc.review_due < today)", "overdue = False",
     ["tests/test_today.py::test_build_today_decides_the_banner_and_the_stamp"]),
    ("manifest check of the build stamp", "generators/publish/stamp.py",
     "return all((out_dir / rel).is_file() for rel in", "return True or all((out_dir / rel).is_file() for rel in",
     ["tests/test_stamp.py::test_a_generated_file_deleted_since_the_last_build_is_written_again"]),
    ("row widening in form_rows", "generators/render/printable.py",
     "current[-1] = (last_field, last_width + 12 - used)\n        rows.append(current)\n    return rows",
     "rows.append(current)\n    return rows",
     ["tests/test_mutants.py::test_form_rows_widen_the_last_cell_of_each_row_to_twelve_columns"]),
    ("the 作废 OBSOLETE stamp element of the archive template", "generators/templates/procedure.md.j2",
     '<div class="obsolete-stamp" aria-hidden="true">作废 OBSOLETE</div>\n', "",
     ["tests/test_pages.py::test_every_page_kind_matches_its_golden_file[en-archive]"]),
]


def main() -> int:
    return check_breaks(BREAKS, "audit item")


def check_breaks(rows: list, heading: str) -> int:
    """Apply each row's break in a fresh copy of the checkout and run its tests; print one table row each."""
    failures = 0
    print(f"| {heading} | file | test | result |\n|---|---|---|---|")
    for what, rel, line, broken, tests in rows:
        with tempfile.TemporaryDirectory() as tmp:
            copy = Path(tmp) / "project"
            shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(".git", "mutants", ".cache", "site", "library",
                                                                      "__pycache__", ".hypothesis", ".venv"))
            target = copy / rel
            text = target.read_text(encoding="utf-8")
            if text.count(line) != 1:
                print(f"| {what} | `{rel}` | — | the line to break is not there once: update this script |")
                failures += 1
                continue
            target.write_text(text.replace(line, broken), encoding="utf-8")
            for test in tests:
                run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", test],
                                     cwd=copy, capture_output=True, text=True, env=dict(os.environ, CLI_IN_PROCESS="1"))
                caught = run.returncode == 1 and " failed" in run.stdout
                failures += not caught
                print(f"| {what} | `{rel}` | `{test.split('::')[1]}` | {'caught (test fails)' if caught else 'NOT CAUGHT: ' + run.stdout.strip().splitlines()[-1]} |")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
