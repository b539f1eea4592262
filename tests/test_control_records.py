"""Records that control the library, read in-process with exact results: the content a fingerprint
covers (shared declarations resolved), the register files (`_withdrawn.yaml`, `_deviations.yaml`)
and the withdrawal rules, and the approval history `walk` reads from small temporary git repositories
(exact commits, snapshots, lineages). Fast on purpose: it is in the mutation-testing selection."""
from __future__ import annotations

import hashlib
import subprocess
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from conftest import FIXTURES, replaced
from generators.control import register, withdrawal
from generators.control.approvals import Commit, LibraryHistory, _Blobs, site_slug, walk
from generators.control.fingerprint import digest, resolved_content, shared_declarations
from generators.source.diagnostics import Position, error, warning
from generators.source.loader import load_bytes
from generators.source.model import Text
from generators.source.yamltree import parse
from test_history_check import SECOND, USES_SHARED, SHARED as SHARED_TEXT, commit, edit, revise, shared_repo, write  # noqa: F401 (a fixture)
from test_revisions import BASE, git

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
        error(Position(path, 3, 5), RULE, "each entry must be a mapping of keys",
              "write the entry as 'key: value' lines under its '- ', as the other entries are"),
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
        error(Position(path, 4, 5), RULE, "withdrawal of QP-T-02: date '2026-12-1' is not a date of the form YYYY-MM-DD",
              "write the year, month and day in that order, with four, two and two digits")])


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


# --- approvals.walk: each version's approval from main's first-parent history -----------------


def step_commit(repo: Path, sha: str, index: int) -> Commit:
    """The Commit walk should record for step ``index`` of main (its committer's date and author as git has them)."""
    date, author = git(repo, "log", "-1", "--format=%cd%x09%an", "--date=short", sha).strip().split("\t")
    return Commit(sha, date, author, index)


def test_walk_records_each_step_s_commit_and_each_document_s_snapshots_deletions_and_versions(shared_repo):
    """Step 1 revises two.yaml only (one.yaml, earlier in the tree, is unchanged) by an author whose name
    has a space; step 2 deletes one.yaml and a file without a number while adding a new number, another
    file without a number and an unreadable file; step 3 renames two.yaml without changing it."""
    folder = shared_repo / "procedure"
    no_number = USES_SHARED.replace("number: QP-T-01\n", "").replace("QR-T-01", "QR-T-09")
    first = git(shared_repo, "rev-parse", "HEAD").strip()  # the fixture's single step
    write(shared_repo, "two.yaml", revise(SECOND, "A/2"))
    write(shared_repo, "nonum.yaml", no_number)
    git(shared_repo, "add", "-A")
    git(shared_repo, "commit", "-qm", "A/2", "--author", "Quality Team <qa@example.com>")
    revised = git(shared_repo, "rev-parse", "HEAD").strip()
    (folder / "one.yaml").unlink()
    (folder / "nonum.yaml").unlink()
    write(shared_repo, "nonum2.yaml", no_number.replace("- {ref: clerk}", "- {ref: clerk}\n  - id: boss\n    name: {zh: 老板, en: Boss}"))
    write(shared_repo, "three.yaml", SECOND.replace("QP-T-02", "QP-T-03").replace("""  - id: log
    number: QR-T-02
    version: A/0
""", """  - note-written-as-text
  - id: note
    title: {zh: 便条, en: Note}
  - id: log
    number: QR-T-03
    version: A/0
"""))
    write(shared_repo, "bad.yaml", "- a list, not a procedure\n")
    swapped = commit(shared_repo, "delete one, add three")
    git(shared_repo, "mv", "procedure/two.yaml", "procedure/renamed.yaml")
    renamed = commit(shared_repo, "rename")

    history = walk(folder)
    c0, c1, c2, c3 = (step_commit(shared_repo, sha, i) for i, sha in enumerate((first, revised, swapped, renamed)))
    assert c1.author == "Quality Team"
    assert [(l.deleted, [(s.commit, s.path, s.number, s.version) for s in l.snapshots]) for l in history.lineages] == [
        (c2, [(c0, "procedure/one.yaml", "QP-T-01", "A/1")]),
        (c2, [(c1, "procedure/nonum.yaml", "", "A/1")]),
        (None, [(c2, "procedure/nonum2.yaml", "", "A/1")]),
        (None, [(c2, "procedure/three.yaml", "QP-T-03", "A/1")]),
        (None, [(c0, "procedure/two.yaml", "QP-T-02", "A/1"), (c1, "procedure/two.yaml", "QP-T-02", "A/2"),
                (c3, "procedure/renamed.yaml", "QP-T-02", "A/2")]),
    ]
    one, _, _, three, two = history.lineages
    # A rename without a change of content is no modification of the version it carries.
    assert [(r.version, r.approval.commit, r.modifications) for r in two.versions()] == [("A/1", c0, ()), ("A/2", c1, ())]
    # The snapshot's procedure is read as it stood at that step, shared declarations resolved, named by path@commit.
    snapshot = one.snapshots[0]
    assert snapshot.procedure.path == f"procedure/one.yaml@{first[:7]}"
    clerk = snapshot.procedure.roles[0]
    assert (clerk.id, clerk.name.zh, clerk.shared, clerk.missing, clerk.pos.path) == ("clerk", "文员", True, False, snapshot.procedure.path)
    # Forms: id -> (number, version, fingerprint of the form without its version); a form written as text is skipped.
    declared = resolved_content((folder / "three.yaml").read_bytes(), {})
    (written_log,) = [f for f in declared["forms"] if isinstance(f, dict) and f.get("id") == "log"]
    assert three.snapshots[0].forms == {
        "note": ("", "", digest({"id": "note", "title": {"zh": "便条", "en": "Note"}})),
        "log": ("QR-T-03", "A/0", digest({k: v for k, v in written_log.items() if k != "version"})),
    }
    assert "version" in written_log and written_log["number"] == "QR-T-03"


def test_walk_up_to_an_unknown_ref_is_an_available_empty_history_and_a_known_ref_is_kept(shared_repo):
    folder = shared_repo / "procedure"
    assert walk(folder, "no-such-ref") == LibraryHistory((), False, True, "no-such-ref")
    history = walk(folder, "main")
    assert (len(history.lineages), history.shallow, history.available, history.ref) == (2, False, True, "main")


def test_a_shallow_clone_is_known_shallow_whatever_the_current_directory(shared_repo, tmp_path):
    clone = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{shared_repo}", str(clone)], check=True)
    assert walk(clone / "procedure").shallow is True


def test_an_empty_blob_and_an_object_git_cannot_find_read_as_no_bytes_and_the_next_blob_reads_whole(shared_repo):
    write(shared_repo, "_empty.yaml", "")
    commit(shared_repo, "empty")
    empty = git(shared_repo, "rev-parse", "HEAD:procedure/_empty.yaml").strip()
    shared = git(shared_repo, "rev-parse", "HEAD:procedure/_shared.yaml").strip()
    blobs = _Blobs(shared_repo)
    try:
        # The stream stays in step: the blob read after it still reads whole.
        # (git answers a missing object, as in a blobless clone offline, with its header line alone.)
        assert [blobs.read(empty), blobs.read("0" * 40), blobs.read(shared)] == [
            b"", b"", (shared_repo / "procedure" / "_shared.yaml").read_bytes()]
    finally:
        blobs.close()


def test_a_file_name_with_a_tab_and_a_byte_that_is_no_utf_8_is_read_not_a_crash(shared_repo):
    # The name comes from an untrusted pull request: git's listing is split at its first tab only and
    # decoded with U+FFFD for the bad byte ("\udcff" is how Python passes the raw byte 0xFF to git).
    write(shared_repo, "odd\t\udcff.yaml", SECOND.replace("QP-T-02", "QP-T-07").replace("QR-T-02", "QR-T-07"))
    commit(shared_repo, "odd")
    *_, odd = walk(shared_repo / "procedure").lineages
    (snapshot,) = odd.snapshots
    assert (snapshot.path, snapshot.number) == ("procedure/odd\t\ufffd.yaml", "QP-T-07")


def test_a_procedure_file_replaced_by_a_folder_of_the_same_name_is_a_deletion(shared_repo):
    git(shared_repo, "rm", "-q", "procedure/two.yaml")
    (shared_repo / "procedure" / "two.yaml").mkdir()
    (shared_repo / "procedure" / "two.yaml" / "notes.txt").write_text("not a procedure\n", encoding="utf-8")
    replaced = commit(shared_repo, "a folder where two.yaml was")
    assert [(l.number, l.deleted and l.deleted.sha) for l in walk(shared_repo / "procedure").lineages] == [
        ("QP-T-02", replaced), ("QP-T-01", None)]


@pytest.mark.parametrize("folder", [".", "--library"], ids=["the-repository-top", "a-folder-named-like-an-option"])
def test_a_library_at_the_top_of_its_repository_or_in_a_folder_named_like_an_option_is_walked(tmp_path, folder):
    library = (tmp_path / "repo" / folder).resolve()
    library.mkdir(parents=True, exist_ok=True)
    (library / "test.yaml").write_text(SECOND, encoding="utf-8")
    git(tmp_path / "repo", "init", "-q", "-b", "main")
    git(tmp_path / "repo", "add", "-A")
    git(tmp_path / "repo", "commit", "-qm", "QP-T-02 A/1")
    prefix = "" if folder == "." else f"{folder}/"
    assert [[(s.path, s.number) for s in l.snapshots] for l in walk(library).lineages] == [[(f"{prefix}test.yaml", "QP-T-02")]]



@pytest.mark.parametrize("folder", [".", "procedure"], ids=["the-repository-top", "a-procedure-folder"])
def test_a_shared_declaration_changed_alone_is_a_step_of_the_procedures_using_it_wherever_the_library_is(tmp_path, folder):
    repo = tmp_path / "repo"
    library = (repo / folder).resolve()
    library.mkdir(parents=True, exist_ok=True)
    (library / "_shared.yaml").write_text(SHARED_TEXT, encoding="utf-8")
    (library / "one.yaml").write_text(USES_SHARED, encoding="utf-8")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "A/1")
    renamed = SHARED_TEXT.replace("文员", "业务文员")
    assert renamed != SHARED_TEXT
    (library / "_shared.yaml").write_text(renamed, encoding="utf-8")
    git(repo, "commit", "-qam", "clerk renamed")
    (lineage,) = walk(library).lineages
    assert [s.shared_only for s in lineage.snapshots] == [False, True]
    assert lineage.snapshots[0].fingerprint != lineage.snapshots[1].fingerprint


def test_a_step_whose_author_bytes_are_no_utf_8_is_read_with_a_replacement_character(shared_repo):
    # git commit turns such a name into UTF-8, but a commit object written by another tool need not:
    # the step that revises two.yaml is written here byte for byte, as a pull request could bring it.
    write(shared_repo, "two.yaml", revise(SECOND, "A/2"))
    git(shared_repo, "add", "-A")
    tree = git(shared_repo, "write-tree").strip()
    parent = git(shared_repo, "rev-parse", "HEAD").strip()
    raw = (f"tree {tree}\nparent {parent}\n".encode() + b"author Q\xffA <qa@example.com> 1764201600 +0000\n"
           b"committer Q\xffA <qa@example.com> 1764201600 +0000\n\nA/2\n")
    sha = subprocess.run(["git", "hash-object", "-t", "commit", "-w", "--stdin"], cwd=shared_repo, input=raw,
                         capture_output=True, check=True).stdout.decode().strip()
    git(shared_repo, "update-ref", "HEAD", sha)
    *_, two = walk(shared_repo / "procedure").lineages
    assert [(s.commit.sha, s.commit.author, s.version) for s in two.snapshots] == [(parent, "QA", "A/1"), (sha, "Q\ufffdA", "A/2")]


# -- library rules: a form number names one form across the library ---------------------------------

LOCAL_LOG = BASE[BASE.index("forms:\n"):BASE.index("distribution:\n")]  # the forms section
SHARED_FORMS = (b"forms:\n  - {id: log, number: QR-T-01, version: A/0, title: {zh: \xe7\x99\xbb\xe8\xae\xb0\xe8\xa1\xa8, en: Log},"
                b" owner: clerk, retention: {zh: 3\xe5\xb9\xb4, en: 3 years}, rows: 5,"
                b" fields: [{id: date, label: {zh: \xe6\x97\xa5\xe6\x9c\x9f, en: Date}, type: date}]}\n"
                b"  - {id: other, number: QR-T-01, version: A/0, title: {zh: \xe5\x8f\xa6\xe8\xa1\xa8, en: Other},"
                b" owner: clerk, retention: {zh: 3\xe5\xb9\xb4, en: 3 years}, rows: 5,"
                b" fields: [{id: date, label: {zh: \xe6\x97\xa5\xe6\x9c\x9f, en: Date}, type: date}]}\n")


def _with_forms(slug: str, forms: str, shared=None):
    from generators.source.loader import shared_from_bytes
    from generators.source.model import NO_SHARED

    text = BASE.replace(LOCAL_LOG, forms).replace("number: QP-T-01", f"number: QP-{slug.upper()}-01")
    assert forms in text
    model = shared_from_bytes("procedure/_shared.yaml", shared)[0] if shared else NO_SHARED
    proc, _ = load_bytes(f"procedure/{slug}.yaml", text.encode(), slug, model)
    return proc


def _form_number_errors(procedures) -> list[str]:
    from generators.control.library_rules import duplicate_form_numbers

    return [f"{d.pos.line}:{d.pos.col} {d.message} [{d.rule}] {d.hint}" for d in duplicate_form_numbers(procedures)]


DUPLICATE_HINT = "each controlled form has its own number; share one form through _shared.yaml instead"


def test_two_local_forms_with_one_number_are_an_error_at_the_second_naming_the_first():
    one, two = _with_forms("one", LOCAL_LOG), _with_forms("two", LOCAL_LOG)
    line = BASE[:BASE.index("  - id: log")].count("\n") + 1  # the form's item in the list
    assert _form_number_errors([one, two]) == [
        f"{line}:5 form number QR-T-01 is also used by form 'log' in procedure/one.yaml [duplicate-form-number] {DUPLICATE_HINT}"]


def test_forms_without_a_number_are_never_duplicates_and_do_not_stop_the_forms_after_them():
    unnumbered = LOCAL_LOG.replace("    number: QR-T-01\n", "", 1).replace("id: log", "id: draft", 1)
    one, two = _with_forms("one", unnumbered), _with_forms("two", unnumbered + LOCAL_LOG[len("forms:\n"):])
    assert _form_number_errors([one, two]) == []
    assert [e.split(" [")[0].split(" ", 1)[1] for e in _form_number_errors([_with_forms("three", LOCAL_LOG), two])] == [
        "form number QR-T-01 is also used by form 'log' in procedure/three.yaml"]


def test_one_shared_form_used_by_two_procedures_is_one_form_but_two_shared_forms_with_one_number_are_not():
    uses = "forms:\n  - {ref: log}\n"
    one, two = _with_forms("one", uses, SHARED_FORMS), _with_forms("two", uses, SHARED_FORMS)
    assert _form_number_errors([one, two]) == []
    other = _with_forms("three", "forms:\n  - {ref: other}\n", SHARED_FORMS)
    assert len(_form_number_errors([one, other])) == 1
    local_then_shared = [_with_forms("four", LOCAL_LOG), other]
    assert len(_form_number_errors(local_then_shared)) == 1


def test_a_procedure_checked_twice_does_not_duplicate_its_own_form():
    one = _with_forms("one", LOCAL_LOG)
    assert _form_number_errors([one, one]) == []


def test_the_library_check_reports_the_register_problems_of_every_folder(tmp_path):
    from generators.control.library_rules import check

    folders = [tmp_path / "a", tmp_path / "b"]
    for folder in folders:
        folder.mkdir()
        (folder / "_deviations.yaml").write_text("deviations: 5\n", encoding="utf-8")
    found = check(folders, [])
    assert sorted({d.pos.path for d in found}) == sorted(str(f / "_deviations.yaml") for f in folders)
    assert {d.rule for d in found} == {"deviation-record"}


def test_a_complete_deviation_record_is_read_whole_with_its_commit_in_lower_case(tmp_path):
    from generators.control import deviations

    path = tmp_path / "_deviations.yaml"
    path.write_text(
        "deviations:\n  - id: DEV-1\n    procedure: QP-T-01\n    commit: ABCDEF1\n    what: {zh: 甲, en: A}\n"
        "    assessment: {zh: 乙, en: B}\n    accepted_by: 王强\n    accepted_on: 2026-11-27\n    fixed_by: A/2\n",
        encoding="utf-8")
    records, found = deviations.load(tmp_path)
    assert found == []
    assert records == [deviations.Deviation(
        "DEV-1", "QP-T-01", "abcdef1", Text("甲", "A", Position(str(path), 5, 11)), Text("乙", "B", Position(str(path), 6, 17)),
        "王强", "2026-11-27", "A/2", Position(str(path), 2, 5))]


def test_a_deviation_without_an_id_is_named_as_such_and_its_id_is_asked_for(tmp_path):
    from generators.control import deviations

    (tmp_path / "_deviations.yaml").write_text(
        "deviations:\n  - procedure: QP-T-01\n    commit: abcdef1\n    what: {zh: 甲, en: A}\n"
        "    assessment: {zh: 乙, en: B}\n    accepted_by: 王强\n    accepted_on: 2026-11-27\n", encoding="utf-8")
    records, found = deviations.load(tmp_path)
    assert records == []
    assert [(d.pos.line, d.rule, d.message, d.hint) for d in found] == [
        (2, "deviation-record", "deviation (no id): no id", "give each deviation an id, e.g. DEV-2026-001")]
