"""Records that control the library, read in-process with exact results: the content a fingerprint
covers (shared declarations resolved), the register files (`_withdrawn.yaml`, `_deviations.yaml`)
and the withdrawal rules. Fast on purpose: it is in the mutation-testing selection."""
from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from conftest import FIXTURES, replaced
from generators.control import register, withdrawal
from generators.control.approvals import site_slug
from generators.control.fingerprint import digest, resolved_content, shared_declarations
from generators.diagnostics import Position, error, warning
from generators.loader import load_bytes
from generators.model import Text
from generators.yamltree import parse

RULE = withdrawal.RULE

SHARED = """roles:
  - id: clerk
    name: {zh: 文员, en: Clerk}
  - name: {zh: 无编号, en: No id}
  - "paid clerk"
forms: {id: log}
""".encode()

USING_SHARED = """number: QP-T-01
version: A/1
effective_date: 2026-12-01
roles:
  - {ref: clerk}
  - {ref: ghost}
  - id: manager
    name: {zh: 经理, en: Manager}
forms:
  - {ref: log}
""".encode()

CLERK = {"id": "clerk", "name": {"zh": "文员", "en": "Clerk"}}
MANAGER = {"id": "manager", "name": {"zh": "经理", "en": "Manager"}}

COMPLETE = """withdrawn:
  - number: QP-T-02
    file: two
    date: 2026-12-01
    reason: {zh: 业务停止, en: The business was discontinued}
    approved_by: 丙
"""


def write_register(folder: Path, text: str) -> str:
    path = folder / withdrawal.FILE
    path.write_text(text, encoding="utf-8")
    return str(path)


# --- fingerprint: the content an approval covers ----------------------------------------------


def test_shared_declarations_keep_only_listed_entries_that_have_an_id():
    # The nameless role and the bare string are skipped (never a KeyError); forms not written as a list are absent.
    assert shared_declarations(SHARED) == {"roles": {"clerk": CLERK}}


def test_a_shared_id_written_as_a_list_or_number_is_skipped_not_a_crash():
    # An untrusted _shared.yaml: the loader reports the id's type; the fingerprint must not raise
    # (check --base and --history read it before any rule runs).
    shared = b"roles:\n  - id: [clerk]\n    name: {zh: a, en: b}\n  - id: 7\n    name: {zh: c, en: d}\n"
    assert shared_declarations(shared) == {"roles": {}}


def test_a_reference_written_as_a_list_stays_as_written_not_a_crash():
    procedure = b"number: QP-T-01\nroles:\n  - {ref: [clerk]}\n"
    assert resolved_content(procedure, {"roles": {"clerk": CLERK}}) == {"number": "QP-T-01", "roles": [{"ref": ["clerk"]}]}


def test_a_reference_resolves_to_its_shared_declaration_and_an_undeclared_one_stays_as_written():
    # 'ghost' is declared nowhere and no form is declared at all: both references keep their {ref: id},
    # so the content still differs from a procedure that names another undeclared id.
    assert resolved_content(USING_SHARED, shared_declarations(SHARED)) == {
        "number": "QP-T-01",
        "roles": [CLERK, {"ref": "ghost"}, MANAGER],
        "forms": [{"ref": "log"}],
    }


def test_without_a_shared_file_references_stay_as_written_and_admin_fields_are_left_out():
    assert resolved_content(USING_SHARED, {}) == {
        "number": "QP-T-01",
        "roles": [{"ref": "clerk"}, {"ref": "ghost"}, MANAGER],
        "forms": [{"ref": "log"}],
    }


def test_the_fingerprint_of_a_known_content_is_pinned_so_it_stays_stable_across_releases():
    # An auditor compares the fingerprint on the history page with one noted earlier: the canonical
    # JSON (keys sorted, UTF-8 text not escaped, no spaces, a date as YYYY-MM-DD) and so the digest
    # must never change. The content has keys out of order, Chinese text and a date json cannot
    # serialise natively, so each of those choices is pinned by the exact hex digest.
    content = {"steps": [{"owner": "采购员", "due": date(2026, 11, 27)}], "number": "QP-T-01"}
    canonical = '{"number":"QP-T-01","steps":[{"due":"2026-11-27","owner":"采购员"}]}'
    assert hashlib.sha256(canonical.encode("utf-8")).hexdigest() == digest(content)
    assert digest(content) == "89d8b6aaa29ae7cc816d768296dbf9ebd6f24455c832b8226f4f5ac22d409ac6"


@pytest.mark.parametrize("stem, slug", [("..", "x-a8ca4457ce32"), ("roles", "x-47d4521b1465"), ("purchase", "purchase")])
def test_a_history_file_name_that_is_no_valid_id_or_a_reserved_page_goes_by_the_first_12_hex_of_its_digest(stem, slug):
    # The replacement name is part of a page address an auditor may have bookmarked: pinned exactly.
    assert site_slug(stem) == slug


# --- register files: entries, fields, positions ------------------------------------------------


@pytest.mark.parametrize("text", ["- number: QP-T-02\n", "withdrawn: QP-T-02\n"], ids=["a-list", "no-list-under-key"])
def test_a_register_that_is_not_a_mapping_with_a_list_is_one_error_at_its_start(tmp_path, text):
    path = write_register(tmp_path, text)
    assert withdrawal.load(tmp_path) == ([], [
        error(Position(path, 1, 1), RULE, "a register must be a mapping with a list under 'withdrawn:'",
              "start the file with 'withdrawn:' and list one entry per item")])


def test_an_entry_that_is_not_a_mapping_is_an_error_after_the_file_s_own_warnings_and_the_others_are_read(tmp_path):
    path = write_register(tmp_path, "# retired procedures \u202e\n" + replaced(COMPLETE, "withdrawn:\n", "withdrawn:\n  - QP-T-09\n"))
    records, diags = withdrawal.load(tmp_path)
    assert diags == [
        warning(Position(path, 1, 22), "invisible-character",
                "bidirectional control U+202E (RIGHT-TO-LEFT OVERRIDE) can make text display in another order than it is stored",
                "delete it: Chinese and English text never need it"),
        error(Position(path, 3, 5), RULE, "each entry must be a mapping of keys"),
    ]
    assert records == [withdrawal.Withdrawal(
        "QP-T-02", "two", "2026-12-01", Text("业务停止", "The business was discontinued", Position(path, 7, 13)), "丙",
        Position(path, 4, 5))]


def test_a_complete_withdrawal_record_is_read_with_its_positions(tmp_path):
    path = write_register(tmp_path, COMPLETE)
    assert withdrawal.load(tmp_path) == ([withdrawal.Withdrawal(
        "QP-T-02", "two", "2026-12-01", Text("业务停止", "The business was discontinued", Position(path, 5, 13)), "丙",
        Position(path, 2, 5))], [])


def test_a_withdrawal_record_with_no_field_names_each_missing_field_with_its_hint(tmp_path):
    # A reason in one language is no reason: both languages are required.
    path = write_register(tmp_path, "withdrawn:\n  - reason: {zh: 只有中文}\n")
    at = Position(path, 2, 5)
    assert withdrawal.load(tmp_path) == ([], [
        error(at, RULE, "withdrawal of (no number): no number", "the document number of the withdrawn procedure"),
        error(at, RULE, "withdrawal of (no number): no file", "its file name without .yaml, as it was when deleted"),
        error(at, RULE, "withdrawal of (no number): no date", "the date the withdrawal takes effect, YYYY-MM-DD"),
        error(at, RULE, "withdrawal of (no number): no reason", "why it is withdrawn, {zh: …, en: …}"),
        error(at, RULE, "withdrawal of (no number): no approved_by", "who approved the withdrawal"),
    ])


def test_a_withdrawal_date_not_written_yyyy_mm_dd_is_an_error_at_its_key_and_the_record_is_not_used(tmp_path):
    path = write_register(tmp_path, replaced(COMPLETE, "date: 2026-12-01", "date: 2026-12-1"))
    assert withdrawal.load(tmp_path) == ([], [
        error(Position(path, 4, 5), RULE, "withdrawal of QP-T-02: date '2026-12-1' is not a date of the form YYYY-MM-DD")])


FIELDS = """reason: {zh: 停用, en: Retired}
zh_only: {zh: 停用}
en_only: {en: Retired}
blank_en: {zh: 停用, en: "  "}
plain: 停用
"""


def test_a_bilingual_field_is_read_only_when_both_languages_are_there():
    node, _ = parse("fields.yaml", FIELDS.encode())
    assert register.bilingual(node, "reason") == Text("停用", "Retired", Position("fields.yaml", 1, 9))
    assert [register.bilingual(node, key) for key in ("zh_only", "en_only", "blank_en", "plain", "missing")] == [None] * 5


def test_a_field_s_position_is_its_key_s_or_else_the_entry_s():
    node, _ = parse("fields.yaml", FIELDS.encode())
    assert register.position(node, "plain") == Position("fields.yaml", 5, 1)
    assert register.position(node, "missing") == node.pos == Position("fields.yaml", 1, 1)


# --- withdrawal rules: a retired number is never reused ----------------------------------------


def procedure_numbered(number: str):
    """The minimal fixture under ``number``, its number key on line 3 (not where the file's mapping starts)."""
    minimal = (FIXTURES / "minimal.yaml").read_text(encoding="utf-8")
    text = replaced(minimal, "number: QP-T-01\nversion: A/1\n", f"version: A/1\nnumber: {number}\n")
    proc, _ = load_bytes("procedure/reused.yaml", text.encode(), "reused")
    return proc


RETIRED = withdrawal.Withdrawal("QP-T-02", "two", "2026-12-01", Text("业务停止", "Discontinued", Position("w", 5, 13)), "丙",
                                Position("w", 2, 5))
REUSED = ("document number QP-T-02 belongs to a withdrawn procedure (two, withdrawn 2026-12-01)",
          "a retired number is never reused: give this procedure a new number")


def test_a_procedure_reusing_a_withdrawn_number_is_an_error_at_its_number_key():
    reused, kept = procedure_numbered("QP-T-02"), procedure_numbered("QP-T-03")
    assert withdrawal.rules([reused, kept], [RETIRED]) == [
        error(Position("procedure/reused.yaml", 3, 1), "number-reused", *REUSED)]


def test_a_reused_number_without_a_recorded_key_position_is_reported_at_the_procedure():
    # The model allows a procedure without key positions (key_pos defaults to {}): the rule still reports it.
    reused = replace(procedure_numbered("QP-T-02"), key_pos={})
    assert withdrawal.rules([reused], [RETIRED]) == [error(Position("procedure/reused.yaml", 2, 1), "number-reused", *REUSED)]
