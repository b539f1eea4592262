"""Mutants mutmut cannot make, applied by hand: mutmut leaves decorated functions alone, and the
control modules' properties are decorated (rules are registered by call for that reason, see
generators/rules/__init__.py). Each row breaks one property in a fresh copy of the checkout, as
tests/audit_breaks.py does, and its test must fail. `make mutants` runs this and puts the table in
tests/mutants-report.md. Run alone: .venv/bin/python tests/hand_mutants.py

A row is (what, file, the line as it is, the line broken, tests that must fail).
"""
from __future__ import annotations

import sys

from audit_breaks import check_breaks

APPROVALS = "generators/control/approvals.py"
LIFECYCLE = "generators/control/lifecycle.py"

PROPERTY_MUTANTS = [
    ("Commit.short: 8 characters instead of 7", APPROVALS,
     "        return self.sha[:7]\n", "        return self.sha[:8]\n",
     ["tests/test_control_records.py::test_walk_records_each_step_s_commit_and_each_document_s_snapshots_deletions_and_versions"]),
    ("Snapshot.slug: the path instead of its stem", APPROVALS,
     "    def slug(self) -> str:\n        return site_slug(PurePosixPath(self.path).stem)\n",
     "    def slug(self) -> str:\n        return site_slug(self.path)\n",
     ["tests/test_status_pages.py::test_before_its_effective_date_the_new_revision_is_pending_and_the_previous_one_stays_current"]),
    ("VersionRecord.last: the first modification instead of the last", APPROVALS,
     "return self.modifications[-1] if self.modifications else self.approval",
     "return self.modifications[0] if self.modifications else self.approval",
     ["tests/test_history_check.py::test_a_version_edited_twice_after_approval_is_archived_as_last_published"]),
    ("VersionRecord.last: the approval whatever was modified", APPROVALS,
     "return self.modifications[-1] if self.modifications else self.approval", "return self.approval",
     ["tests/test_history_check.py::test_edit_after_approval_without_a_new_version_fails_the_history_check"]),
    ("Lineage.slug: the first name instead of the last", APPROVALS,
     "        return self.snapshots[-1].slug\n", "        return self.snapshots[0].slug\n",
     ["tests/test_status_pages.py::test_a_renamed_procedure_keeps_every_archived_revision_and_its_old_addresses_redirect"]),
    ("Lineage.number: the first number instead of the last", APPROVALS,
     "        return self.snapshots[-1].number\n", "        return self.snapshots[0].number\n",
     ["tests/test_history_check.py::test_a_procedure_renumbered_before_its_withdrawal_is_withdrawn_under_its_last_number"]),
    ("Lineage.slugs: names repeated", APPROVALS,
     "return tuple(dict.fromkeys(s.slug for s in self.snapshots))", "return tuple(s.slug for s in self.snapshots)",
     ["tests/test_history_check.py::test_a_rename_keeps_the_history_of_every_revision"]),
    ("RevisionFacts.effective_from: the approval date before the effective date", LIFECYCLE,
     'return self.effective_date or self.approved_on or ""', 'return self.approved_on or self.effective_date or ""',
     ["tests/test_status_pages.py::test_before_its_effective_date_the_new_revision_is_pending_and_the_previous_one_stays_current"]),
    ("RevisionFacts.effective_from: no fallback to the approval date", LIFECYCLE,
     'return self.effective_date or self.approved_on or ""', 'return self.effective_date or ""',
     ["tests/test_lifecycle.py::test_a_revision_without_effective_date_takes_effect_on_its_approval"]),
    ("Status.is_withdrawn: negated", LIFECYCLE,
     "return self.withdrawn_on is not None", "return self.withdrawn_on is None",
     ["tests/test_lifecycle.py::test_withdrawal_ends_the_current_revision_and_any_pending_one_on_its_date"]),
]

if __name__ == "__main__":
    sys.exit(check_breaks(PROPERTY_MUTANTS, "property mutant"))
