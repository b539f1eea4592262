"""Revision states by date: draft, pending, current, superseded, withdrawn (today is always an argument)."""
from __future__ import annotations

import pytest

from generators.control.lifecycle import RevisionFacts, facts, status


def rev(version, effective, approved=True, approved_on=None):
    return RevisionFacts(version, effective, approved, approved_on)


A0, A1, A2 = rev("A/0", "2026-01-01"), rev("A/1", "2026-12-01"), rev("A/2", "2026-12-15")


def states(result):
    return [state.value for _, state in result.states]


def test_future_effective_date_keeps_the_previous_revision_current_and_the_new_one_pending():
    result = status([A0, A1], today="2026-11-27")
    assert states(result) == ["current", "pending"]
    assert result.current == "A/0" and result.pending == ("A/1",)


def test_on_its_effective_date_the_pending_revision_becomes_current_and_the_previous_obsolete():
    result = status([A0, A1], today="2026-12-01")
    assert states(result) == ["superseded", "current"] and result.current == "A/1" and result.pending == ()


def test_two_pending_revisions_take_effect_in_turn():
    assert states(status([A0, A1, A2], "2026-11-30")) == ["current", "pending", "pending"]
    assert states(status([A0, A1, A2], "2026-12-14")) == ["superseded", "current", "pending"]
    assert states(status([A0, A1, A2], "2026-12-15")) == ["superseded", "superseded", "current"]


def test_a_new_procedure_before_its_effective_date_has_no_current_revision():
    result = status([A1], "2026-11-27")
    assert result.current is None and result.pending == ("A/1",)


def test_an_unapproved_revision_is_a_draft_whatever_its_date():
    result = status([A0, rev("A/1", "2026-01-02", approved=False)], "2026-11-27")
    assert states(result) == ["current", "draft"] and result.current == "A/0"


def test_a_revision_without_effective_date_takes_effect_on_its_approval():
    undated = rev("A/0", None, approved_on="2026-11-26")
    assert status([undated], "2026-11-25").current is None
    assert status([undated], "2026-11-26").current == "A/0"


def test_withdrawal_ends_the_current_revision_and_any_pending_one_on_its_date():
    before = status([A0, A1], "2026-11-30", withdrawn_on="2026-12-10")
    assert states(before) == ["current", "pending"] and not before.is_withdrawn
    after = status([A0, A1], "2026-12-20", withdrawn_on="2026-12-10")
    assert states(after) == ["superseded", "withdrawn"] and after.current is None and after.is_withdrawn
    early = status([A0, A1, A2], "2026-12-20", withdrawn_on="2026-12-10")
    assert states(early) == ["superseded", "withdrawn", "withdrawn"]  # A/2 never took effect


def test_states_follow_version_order_not_input_order():
    assert [v for v, _ in status([A2, A0, A1], "2026-12-02").states] == ["A/0", "A/1", "A/2"]


class Model:
    def __init__(self, effective_date, approver):
        self.effective_date = effective_date
        self.revisions = [type("Entry", (), {"version": "A/0", "approved_by": approver})()]


@pytest.mark.parametrize("approvals, approver, approved", [
    ({"A/0": "2026-11-26"}, "丙", True),   # on main, entry names an approver
    ({}, "丙", False),                      # not merged: a draft
    ({"A/0": "2026-11-26"}, None, False),  # merged, but no one is recorded as approving it
    (None, "丙", True),                     # no git record: the entry decides
])
def test_facts_count_a_revision_approved_only_when_merged_with_a_named_approver(approvals, approver, approved):
    (fact,) = facts({"A/0": Model("2026-12-01", approver)}, approvals)
    assert fact.approved is approved and fact.effective_date == "2026-12-01"
    assert fact.approved_on == (approvals or {}).get("A/0")  # the date of the commit that approved it


def test_a_revision_whose_source_could_not_be_read_has_no_date_and_is_not_approved():
    assert facts({"A/0": None}, None) == [RevisionFacts("A/0", None, False, None)]


def test_a_withdrawal_takes_effect_on_its_own_date():
    on_the_day = status([A0, A1], "2026-12-10", withdrawn_on="2026-12-10")
    assert on_the_day.is_withdrawn and on_the_day.current is None


def test_a_pending_revision_overtaken_by_a_later_one_on_the_same_date_is_superseded_before_it_takes_effect():
    a3 = rev("A/3", "2026-12-15")
    result = status([A0, A1, A2, a3], "2026-11-27")
    assert states(result) == ["current", "pending", "superseded", "pending"] and result.pending == ("A/1", "A/3")
    assert states(status([A0, A1, A2, a3], "2026-12-15")) == ["superseded", "superseded", "superseded", "current"]


def test_a_later_draft_does_not_overtake_an_approved_pending_revision():
    result = status([A0, A1, rev("A/2", "2026-11-01", approved=False)], "2026-11-27")
    assert states(result) == ["current", "pending", "draft"]
