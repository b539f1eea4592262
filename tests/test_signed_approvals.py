"""Approvals bound to people: an approver register, approvals signed with git's SSH signing, checked by
``check --history`` and decisive for which revision is in force. Real git repositories in temporary
folders, throw-away ed25519 keys made by ssh-keygen; no network."""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from conftest import run_cli
from generators.control.approvals import walk
from generators.control.history import histories
from generators.control.signoff import library_sign_offs
from test_revisions import BASE

CHECK_DAY = "2026-12-02"


def keypair(folder: Path, name: str) -> tuple[Path, str]:
    key = folder / name
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", str(key)], check=True)
    return key, " ".join(key.with_name(name + ".pub").read_text().split()[:2])


def register(people: list[dict]) -> str:
    lines = ["people:"]
    for p in people:
        lines += [f"  - id: {p['id']}", f"    name: {{zh: {p['zh']}, en: {p['en']}}}",
                  f"    may_review: [{p.get('review', 'all')}]", f"    may_approve: [{p.get('approve', 'all')}]",
                  f"    valid_from: {p.get('from', '2026-01-01')}", f"    keys: [\"{p['key']}\"]"]
        if "until" in p:
            lines.append(f"    valid_until: {p['until']}")
    return "\n".join(lines) + "\n"


class Repo:
    """A procedure repository on main, with a clock: every commit is made on ``self.day``."""

    def __init__(self, root: Path, keys: Path):
        self.root, self.keys, self.day = root, keys, "2026-11-05"
        (root / "procedure").mkdir(parents=True)

    def env(self) -> dict:
        stamp = f"{self.day}T10:00:00+00:00"
        return dict(os.environ, GIT_AUTHOR_NAME="QA", GIT_AUTHOR_EMAIL="qa@example.com", GIT_COMMITTER_NAME="QA",
                    GIT_COMMITTER_EMAIL="qa@example.com", GIT_AUTHOR_DATE=stamp, GIT_COMMITTER_DATE=stamp,
                    HOME=str(self.root), GIT_CONFIG_NOSYSTEM="1")

    def git(self, *args: str) -> str:
        return subprocess.run(["git", *args], cwd=self.root, check=True, capture_output=True, text=True,
                              env=self.env()).stdout

    def write(self, name: str, text: str) -> None:
        (self.root / "procedure" / name).write_text(text, encoding="utf-8")

    def commit(self, message: str) -> str:
        self.git("add", "-A")
        self.git("commit", "-qm", message)
        return self.git("rev-parse", "HEAD").strip()

    def sign(self, part: str, key: Path, *files: str, today: str | None = None):
        return run_cli(part, *(f"procedure/{f}" for f in files or ("test.yaml",)), "--key", str(key),
                       "--today", today or self.day, cwd=self.root, env=self.env())

    def check(self, today: str = CHECK_DAY):
        return run_cli("check", "--history", "--today", today, cwd=self.root, env=self.env())


@pytest.fixture
def people(tmp_path):
    keys = tmp_path / "keys"
    keys.mkdir()
    return {name: keypair(keys, name) for name in ("yi", "bing", "ding", "stranger")}


@pytest.fixture
def repo(tmp_path, people) -> Repo:
    """QP-T-01 A/1 (甲 changed, 乙 reviewed, 丙 approved) on main with a register that names 乙 and 丙,
    both added on 2026-11-05: A/1 is approved after the register, so it must be signed."""
    r = Repo(tmp_path / "repo", tmp_path / "keys")
    r.git("init", "-q", "-b", "main")
    r.write("_approvers.yaml", register([
        {"id": "yi", "zh": "乙", "en": "Yi", "approve": "none", "key": people["yi"][1]},
        {"id": "bing", "zh": "丙", "en": "Bing", "key": people["bing"][1]},
        {"id": "ding", "zh": "丁", "en": "Ding", "review": "none", "approve": "QP-OTHER", "key": people["ding"][1]},
    ]))
    r.commit("approver register")
    r.write("test.yaml", BASE.replace("effective_date: 2026-12-01", "effective_date: 2026-11-20"))
    r.commit("QP-T-01 A/1")
    return r


def sign_offs(r: Repo):
    folder = r.root / "procedure"
    return library_sign_offs(walk(folder), folder)["test"]


def errors(result) -> list[str]:
    return [line for line in result.stdout.splitlines() if ": error: " in line]


def state_on(r: Repo, day: str, version: str = "A/1") -> str:
    from generators.control.history import procedure_revisions
    from generators.source.loader import load_file

    proc = load_file(r.root / "procedure" / "test.yaml")[0]
    found, _ = histories(r.root / "procedure", today=day)
    return procedure_revisions(proc, found["test"], day).status.of(version).value


def test_an_unsigned_approval_after_the_register_is_a_draft_and_fails_the_history_check(repo):
    result = repo.check()
    assert result.returncode == 1
    assert any("[approval-signature]" in e and "A/1 is not approved by signature" in e and "no signed approval of QP-T-01 A/1" in e
               for e in errors(result)), result.stdout
    assert errors(result)[0].startswith("procedure/test.yaml:3:1: error:")
    assert state_on(repo, CHECK_DAY) == "draft"


def test_review_and_approval_signed_by_the_named_people_put_the_revision_in_force(repo, people):
    review = repo.sign("review", people["yi"][0])
    assert review.returncode == 0, review.stderr
    assert "signed: 乙 (Yi) reviewed QP-T-01 A/1" in review.stdout
    approve = repo.sign("approve", people["bing"][0])
    assert approve.returncode == 0, approve.stderr
    result = repo.check()
    assert errors(result) == [], result.stdout
    assert state_on(repo, CHECK_DAY) == "current"
    sign = sign_offs(repo)["A/1"]
    assert sign.signed and sign.approve.person.id == "bing" and sign.review.person.id == "yi"


def test_the_approve_command_refuses_a_signer_the_entry_does_not_name(repo, people):
    result = repo.sign("approve", people["yi"][0])
    assert result.returncode == 1
    assert "names '丙' as approver (approved_by), not 乙 (Yi)" in result.stderr


def test_the_approve_command_refuses_a_key_nobody_in_the_register_holds(repo, people):
    result = repo.sign("approve", people["stranger"][0])
    assert result.returncode == 1 and "belongs to nobody in the approver register" in result.stderr


def test_the_approve_command_refuses_a_person_without_authority_for_the_procedure(repo, people):
    repo.write("test.yaml", BASE.replace("effective_date: 2026-12-01", "effective_date: 2026-11-20")
               .replace("approved_by: 丙", "approved_by: 丁").replace("approved_by: {name: 丙", "approved_by: {name: 丁"))
    repo.commit("approver 丁")
    result = repo.sign("approve", people["ding"][0])
    assert result.returncode == 1 and "authority to approve QP-T-01" in result.stderr


def test_a_signature_by_someone_else_than_the_named_approver_does_not_count(repo, people):
    # made by hand, past the command's own refusal: the history check still refuses it
    key = people["yi"][0]
    from generators.control.fingerprint import digest, sealed_content, shared_declarations

    data = (repo.root / "procedure" / "test.yaml").read_bytes()
    statement = f"Approves: QP-T-01 A/1 sha256:{digest(sealed_content(data, shared_declarations(None)))}"
    repo.git("-c", "gpg.format=ssh", "-c", f"user.signingkey={key}", "commit", "--allow-empty", "-S", "-m", "x", "-m", statement)
    repo.sign("review", people["yi"][0])
    result = repo.check()
    assert any("signed by 乙 (yi), but the revision entry names '丙'" in e for e in errors(result)), result.stdout


def test_a_signature_by_a_key_outside_the_register_does_not_verify(repo, people):
    from generators.control.fingerprint import digest, sealed_content, shared_declarations

    data = (repo.root / "procedure" / "test.yaml").read_bytes()
    statement = f"Approves: QP-T-01 A/1 sha256:{digest(sealed_content(data, shared_declarations(None)))}"
    repo.git("-c", "gpg.format=ssh", "-c", f"user.signingkey={people['stranger'][0]}", "commit", "--allow-empty", "-S",
             "-m", "x", "-m", statement)
    result = repo.check()
    assert any("[approval-signature]" in e and "a key the register does not give to anyone" in e for e in errors(result)), result.stdout


def test_a_signature_made_outside_the_keys_validity_does_not_verify(tmp_path, people):
    r = Repo(tmp_path / "late", tmp_path / "keys")
    r.git("init", "-q", "-b", "main")
    r.write("_approvers.yaml", register([
        {"id": "yi", "zh": "乙", "en": "Yi", "approve": "none", "key": people["yi"][1]},
        {"id": "bing", "zh": "丙", "en": "Bing", "key": people["bing"][1], "until": "2026-11-04"},
    ]))
    r.commit("register")
    r.write("test.yaml", BASE.replace("effective_date: 2026-12-01", "effective_date: 2026-11-20"))
    r.commit("QP-T-01 A/1")
    assert r.sign("review", people["yi"][0]).returncode == 0
    refused = r.sign("approve", people["bing"][0])  # 11-05: the key expired on 11-04
    assert refused.returncode == 1 and "belongs to nobody" in refused.stderr
    refused = r.sign("approve", people["bing"][0], today="2026-11-04")  # claims an earlier day: git checks the commit's
    assert refused.returncode == 0
    assert any("[approval-signature]" in e for e in errors(r.check())), r.check().stdout


def test_content_changed_after_signing_is_not_what_was_signed(repo, people):
    repo.sign("review", people["yi"][0])
    repo.sign("approve", people["bing"][0])
    repo.write("test.yaml", (repo.root / "procedure" / "test.yaml").read_text().replace("{zh: 范围, en: Scope}", "{zh: 新范围, en: New scope}"))
    repo.commit("edit after approval")
    result = repo.check()
    messages = "\n".join(errors(result))
    assert "[modified-after-approval]" in messages
    assert "is not the published content" in messages


def test_moving_the_effective_date_after_approval_is_a_modification(repo, people):
    repo.sign("review", people["yi"][0])
    repo.sign("approve", people["bing"][0])
    repo.write("test.yaml", (repo.root / "procedure" / "test.yaml").read_text().replace("effective_date: 2026-11-20",
                                                                                          "effective_date: 2026-11-06"))
    repo.commit("earlier")
    messages = "\n".join(errors(repo.check()))
    assert "the effective date, review date or approval block of A/1 changed after its approval" in messages


def test_an_effective_date_before_the_merge_is_refused(tmp_path, people):
    r = Repo(tmp_path / "backdated", tmp_path / "keys")
    r.git("init", "-q", "-b", "main")
    r.write("_approvers.yaml", register([{"id": "yi", "zh": "乙", "en": "Yi", "key": people["yi"][1]},
                                         {"id": "bing", "zh": "丙", "en": "Bing", "key": people["bing"][1]}]))
    r.commit("register")
    r.day = "2026-11-25"
    r.write("test.yaml", BASE.replace("effective_date: 2026-12-01", "effective_date: 2026-11-20"))
    r.commit("QP-T-01 A/1, effective five days ago")
    r.sign("review", people["yi"][0])
    r.sign("approve", people["bing"][0])
    messages = "\n".join(errors(r.check()))
    assert "[effective-before-approval]" in messages and "takes effect on 2026-11-20, before it was approved on main (2026-11-25)" in messages


def test_a_revision_approved_before_the_register_is_unsigned_history_but_must_be_re_approved_while_in_force(tmp_path, people):
    r = Repo(tmp_path / "legacy", tmp_path / "keys")
    r.git("init", "-q", "-b", "main")
    r.write("test.yaml", BASE.replace("effective_date: 2026-12-01", "effective_date: 2026-11-20"))
    r.commit("QP-T-01 A/1, before signatures")
    r.day = "2026-11-06"
    r.write("_approvers.yaml", register([{"id": "yi", "zh": "乙", "en": "Yi", "key": people["yi"][1]},
                                         {"id": "bing", "zh": "丙", "en": "Bing", "key": people["bing"][1]}]))
    r.commit("register")
    sign = sign_offs(r)["A/1"]
    assert sign.legacy and not sign.signed and sign.approves
    assert state_on(r, CHECK_DAY) == "current"  # history is not rewritten: it was in force before the register
    assert any("approved before signatures were required" in e for e in errors(r.check()))
    r.sign("review", people["yi"][0])
    r.sign("approve", people["bing"][0])
    assert errors(r.check()) == []


def test_without_a_register_approvals_are_not_signed_and_nothing_requires_it(tmp_path):
    r = Repo(tmp_path / "plain", tmp_path / "keys")
    r.git("init", "-q", "-b", "main")
    r.write("test.yaml", BASE)
    r.commit("QP-T-01 A/1")
    assert errors(r.check()) == []


# The publication ledger: publishing refuses a history that drops or changes what was published.

def published(r: Repo, tmp: Path, today: str = "2026-11-06") -> Path:
    """The ledger a publication of ``r`` on ``today`` would carry, saved as the last published one."""
    from generators.control import ledger

    data, problems = ledger.for_folder(r.root / "procedure", today, ledger.Previous(None, None, "none"))
    assert problems == []
    path = tmp / f"ledger-{today}.json"
    path.write_text(__import__("json").dumps(data), encoding="utf-8")
    return path


def refusals(r: Repo, last: Path, today: str = CHECK_DAY) -> list[str]:
    from generators.control import ledger

    previous, problems = ledger.read_previous(str(last), last)
    assert problems == []
    return [f"{d.rule}: {d.message}" for d in ledger.for_folder(r.root / "procedure", today, previous)[1]]


@pytest.fixture
def signed_repo(repo, people) -> Repo:
    repo.sign("review", people["yi"][0])
    repo.sign("approve", people["bing"][0])
    return repo


def test_a_later_publication_that_only_adds_passes_the_ledger(signed_repo, tmp_path, people):
    last = published(signed_repo, tmp_path)
    signed_repo.day = "2026-11-07"
    signed_repo.write("test.yaml", (signed_repo.root / "procedure" / "test.yaml").read_text())  # nothing changes
    signed_repo.git("commit", "--allow-empty", "-qm", "later work")
    assert refusals(signed_repo, last) == []


def test_squashing_main_is_refused_by_publishing(signed_repo, tmp_path):
    last = published(signed_repo, tmp_path)
    root = signed_repo.git("rev-list", "--max-parents=0", "HEAD").strip()
    signed_repo.git("reset", "-q", "--soft", root)
    signed_repo.git("commit", "-q", "--amend", "-m", "everything in one commit")
    found = refusals(signed_repo, last)
    assert any(f.startswith("ledger-history-rewritten: main") for f in found), found


def test_resetting_main_to_an_older_commit_is_refused_by_publishing(signed_repo, tmp_path):
    last = published(signed_repo, tmp_path)
    signed_repo.git("reset", "-q", "--hard", "HEAD~3")  # before A/1 was merged
    found = refusals(signed_repo, last)
    assert any(f.startswith("ledger-history-rewritten") for f in found)
    assert any(f.startswith("ledger-entry-dropped: QP-T-01 A/1 was published") for f in found), found


def test_a_re_dated_register_entry_is_refused_by_publishing(signed_repo, tmp_path):
    last = published(signed_repo, tmp_path)
    text = (signed_repo.root / "procedure" / "_approvers.yaml").read_text()
    signed_repo.write("_approvers.yaml", text.replace("valid_from: 2026-01-01", "valid_from: 2025-01-01", 1))
    signed_repo.commit("re-date an entry")
    found = refusals(signed_repo, last)
    assert any(f.startswith("ledger-register-changed: approvers entry yi@2026-01-01") for f in found), found


def test_a_back_dated_commit_is_shown_with_the_date_the_ledger_first_saw_it(signed_repo, tmp_path, people):
    from generators.control import ledger

    last = published(signed_repo, tmp_path, today="2026-11-06")
    signed_repo.day = "2026-10-01"  # the author's clock says October; the ledger saw it on 2026-11-09
    signed_repo.write("test.yaml", (signed_repo.root / "procedure" / "test.yaml").read_text()
                      .replace("\nversion: A/1\n", "\nversion: A/2\n", 1).replace("scope:", "  - version: A/2\n    date: 2026-09-30\n"
                      "    changes: [{zh: 调整, en: Adjusted}]\n    changed_by: 甲\n    reviewed_by: 乙\n    approved_by: 丙\nscope:", 1))
    signed_repo.commit("QP-T-01 A/2, back-dated")
    previous, _ = ledger.read_previous(str(last), last)
    data, problems = ledger.for_folder(signed_repo.root / "procedure", "2026-11-09", previous)
    entry = next(e for e in data["entries"] if e["version"] == "A/2")
    assert (entry["approved_on"], entry["first_seen"]) == ("2026-10-01", "2026-11-09")
    assert next(e for e in data["entries"] if e["version"] == "A/1")["first_seen"] == "2026-11-06"
    assert data["previous"] == __import__("hashlib").sha256(last.read_bytes()).hexdigest()


def test_the_site_command_refuses_before_building_when_the_ledger_is_contradicted(signed_repo, tmp_path):
    last = published(signed_repo, tmp_path)
    signed_repo.git("reset", "-q", "--hard", "HEAD~3")
    env = dict(signed_repo.env(), LEDGER=str(last))
    result = run_cli("site", "--today", CHECK_DAY, cwd=signed_repo.root, env=env)
    assert result.returncode == 1
    assert "[ledger-history-rewritten]" in result.stderr and "publication refused" in result.stderr


# Registers are append-only once on main.

def test_re_dating_a_register_entry_on_main_fails_the_history_check(signed_repo):
    text = (signed_repo.root / "procedure" / "_approvers.yaml").read_text()
    signed_repo.write("_approvers.yaml", text.replace("valid_from: 2026-01-01", "valid_from: 2025-06-01", 1))
    sha = signed_repo.commit("re-date")
    assert any(e == f"procedure/_approvers.yaml:1:1: error: commit {sha[:7]} (2026-11-05): approvers entry "
               "yi@2026-01-01 was removed after it was on main [register-rewritten]" for e in errors(signed_repo.check())), \
        signed_repo.check().stdout


def test_a_pull_request_that_edits_a_register_entry_fails_check_base(signed_repo):
    signed_repo.git("switch", "-q", "-c", "change")
    text = (signed_repo.root / "procedure" / "_approvers.yaml").read_text()
    signed_repo.write("_approvers.yaml", text.replace("may_approve: [all]", "may_approve: [QP-T-01]", 1))
    result = run_cli("check", "--base", "main", "--today", CHECK_DAY, cwd=signed_repo.root, env=signed_repo.env())
    assert "procedure/_approvers.yaml:1:1: error: approvers entry bing@2026-01-01 is changed (it is on main) [register-rewritten]" \
        in result.stdout, result.stdout


# Deviations: named findings, a corrective action, approved by signature, never by the violator.

def deviation(commit: str, accepts: str = "[{rule: modified-after-approval, procedure: QP-T-01}]",
              action: str = "{zh: 培训编写人, en: Train the author}") -> str:
    return (f"deviations:\n  - id: DEV-9\n    procedure: QP-T-01\n    commit: {commit[:9]}\n"
            "    what: {zh: 批准后修改范围, en: Scope edited after approval}\n"
            "    assessment: {zh: 可接受, en: Acceptable}\n    accepted_by: 丙\n    accepted_on: 2026-11-06\n"
            f"    fixed_by: A/2\n    accepts: {accepts}\n    corrective_action: {action}\n")


@pytest.fixture
def violated(signed_repo) -> tuple[Repo, str]:
    """A/1 signed, then its scope edited under the same version: modified-after-approval."""
    signed_repo.day = "2026-11-06"
    path = signed_repo.root / "procedure" / "test.yaml"
    path.write_text(path.read_text().replace("{zh: 范围, en: Scope}", "{zh: 范围。, en: Scope.}"))
    return signed_repo, signed_repo.commit("scope edited after approval")


def test_an_unsigned_deviation_added_after_the_register_waives_nothing(violated):
    repo, sha = violated
    repo.write("_deviations.yaml", deviation(sha))
    repo.commit("record the deviation")
    messages = "\n".join(errors(repo.check()))
    assert "[modified-after-approval]" in messages
    assert "deviation DEV-9 does not count: no signed approval of it" in messages


def test_a_signed_deviation_naming_the_finding_accepts_it(violated, people):
    repo, sha = violated
    repo.write("_deviations.yaml", deviation(sha))
    repo.commit("record the deviation")
    signed = run_cli("approve", "--record", "DEV-9", "--key", str(people["bing"][0]), "--today", repo.day,
                     cwd=repo.root, env=repo.env())
    assert signed.returncode == 0, signed.stderr
    assert "signed: 丙 (Bing) approved DEV-9" in signed.stdout
    result = repo.check()
    assert [e for e in errors(result) if "modified-after-approval" in e or "DEV-9" in e] == [], result.stdout


def test_a_deviation_without_named_findings_or_corrective_action_waives_nothing(violated, people):
    repo, sha = violated
    repo.write("_deviations.yaml", deviation(sha, accepts="[]", action="null"))
    repo.commit("record the deviation")
    run_cli("approve", "--record", "DEV-9", "--key", str(people["bing"][0]), "--today", repo.day, cwd=repo.root, env=repo.env())
    messages = "\n".join(errors(repo.check()))
    assert "it names no findings it accepts" in messages and "it has no corrective_action" in messages
    assert "[modified-after-approval]" in messages


def test_a_deviation_accepts_only_the_findings_it_names(violated, people):
    repo, sha = violated
    repo.write("_deviations.yaml", deviation(sha, accepts="[{rule: form-change-no-bump, procedure: QP-T-01}]"))
    repo.commit("record the deviation")
    run_cli("approve", "--record", "DEV-9", "--key", str(people["bing"][0]), "--today", repo.day, cwd=repo.root, env=repo.env())
    assert any("[modified-after-approval]" in e for e in errors(repo.check()))


def test_the_person_who_made_the_violating_commit_cannot_accept_it(tmp_path, people):
    r = Repo(tmp_path / "own", tmp_path / "keys")
    r.git("init", "-q", "-b", "main")
    r.write("_approvers.yaml", register([{"id": "yi", "zh": "乙", "en": "Yi", "key": people["yi"][1]},
                                         {"id": "bing", "zh": "丙", "en": "QA", "key": people["bing"][1]}]))
    r.commit("register")
    r.write("test.yaml", BASE.replace("effective_date: 2026-12-01", "effective_date: 2026-11-20"))
    r.commit("A/1")
    r.sign("review", people["yi"][0])
    r.sign("approve", people["bing"][0])
    path = r.root / "procedure" / "test.yaml"
    path.write_text(path.read_text().replace("{zh: 范围, en: Scope}", "{zh: 范围。, en: Scope.}"))
    sha = r.commit("edited by QA, who is 丙")  # the commit's author is "QA": 丙's English name
    r.write("_deviations.yaml", deviation(sha))
    r.commit("record")
    refused = run_cli("approve", "--record", "DEV-9", "--key", str(people["bing"][0]), "--today", r.day, cwd=r.root, env=r.env())
    assert refused.returncode == 1 and "never accepts it" in refused.stderr


# The smaller holes: forms follow version rules; retired numbers stay retired; the obsolete stamp
# names the revision that actually replaced it.

def plain_repo(tmp_path: Path) -> Repo:
    r = Repo(tmp_path / "plain", tmp_path / "keys")
    r.git("init", "-q", "-b", "main")
    r.write("test.yaml", BASE)
    r.commit("QP-T-01 A/1")
    return r


def bumped(text: str, version: str, *edits: tuple[str, str]) -> str:
    text = text.replace("\nversion: A/1\n", f"\nversion: {version}\n", 1).replace(
        "scope:", f"  - version: {version}\n    date: 2026-11-03\n    changes: [{{zh: 调整, en: Adjusted}}]\n"
        "    changed_by: 甲\n    reviewed_by: 乙\n    approved_by: 丙\nscope:", 1)
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def test_a_form_version_that_jumps_is_refused_by_check_base_and_history(tmp_path):
    r = plain_repo(tmp_path)
    r.git("switch", "-q", "-c", "jump")
    form_version = next(line for line in BASE.splitlines() if line.strip().startswith("version: A/") and line.startswith("    "))
    r.write("test.yaml", bumped(BASE, "A/2", (form_version, form_version.replace("A/", "C/").replace("/0", "/7").replace("/1", "/7"))))
    result = run_cli("check", "--base", "main", "--today", CHECK_DAY, cwd=r.root, env=r.env())
    assert "[form-version-skip]" in result.stdout, result.stdout
    r.commit("jump")
    r.git("switch", "-q", "main")
    r.git("merge", "-q", "--no-ff", "-m", "merge", "jump")
    assert any("[form-version-skip]" in e for e in errors(r.check()))


def test_renumbering_onto_a_retired_number_is_refused(tmp_path):
    r = plain_repo(tmp_path)
    r.write("test.yaml", bumped(BASE, "A/2", ("number: QP-T-01", "number: QP-T-09")))
    r.commit("renumber to QP-T-09: QP-T-01 is retired")
    r.write("other.yaml", BASE.replace("number: QP-T-02", "number: QP-T-03").replace("QR-T-01", "QR-T-05"))
    r.git("switch", "-q", "-c", "reuse")
    result = run_cli("check", "--base", "main", "--today", CHECK_DAY, cwd=r.root, env=r.env())
    assert any("document number QP-T-01 was used by test in main's history" in e for e in errors(result)), result.stdout


def test_the_obsolete_stamp_names_the_revision_that_actually_replaced_it():
    from generators.control.lifecycle import RevisionFacts, status

    day = status([RevisionFacts("A/1", "2026-12-01", True, "x"), RevisionFacts("A/2", "2026-12-15", True, "x"),
                  RevisionFacts("A/3", "2026-12-15", True, "x")], "2026-12-20")
    assert day.took_effect == ("A/1", "A/3")
    assert day.replaced_by("A/1") == "A/3"  # A/2 never took effect: A/3 overtook it on the same date
    assert status([RevisionFacts("A/1", "2026-12-01", True, "x")], "2026-12-20").replaced_by("A/1") is None


def test_the_sitemap_leaves_out_pages_that_carry_noindex():
    from generators.publish.sitemap import without_locations

    sitemap = ('<?xml version="1.0"?>\n<urlset><url><loc>https://x/a/</loc></url>'
               "<url><loc>https://x/a/history/a-1/</loc></url></urlset>\n")
    assert without_locations(sitemap, {"https://x/a/history/a-1/"}) == '<?xml version="1.0"?>\n<urlset><url><loc>https://x/a/</loc></url></urlset>\n'


# Every way of building is gated: what is not main's approved state is built only as a draft preview.

def built_status(r: Repo) -> dict:
    import json

    return json.loads((r.root / "docs" / "library" / ".status.json").read_text(encoding="utf-8"))


def test_an_uncommitted_edit_is_built_as_a_draft_showing_the_revision_being_edited(tmp_path):
    r = Repo(tmp_path / "project", tmp_path / "keys")
    r.git("init", "-q", "-b", "main")
    r.write("test.yaml", BASE)
    r.commit("QP-T-01 A/1")
    clean = run_cli("build", "--no-pdf", "--today", CHECK_DAY, cwd=r.root, env=r.env())
    assert clean.returncode == 0, clean.stderr
    assert "DRAFT" not in clean.stderr and built_status(r).get("draft") is None
    r.write("test.yaml", bumped(BASE, "A/2", ("{zh: 范围, en: Scope}", "{zh: 新范围, en: New scope}")))
    dirty = run_cli("build", "--no-pdf", "--today", CHECK_DAY, cwd=r.root, env=r.env())
    assert dirty.returncode == 0, dirty.stderr
    assert "DRAFT preview" in dirty.stderr and "procedure/ has changes that are not committed" in dirty.stderr
    assert built_status(r)["draft"] is True
    page = (r.root / "docs" / "library" / "test" / "index.en.md").read_text(encoding="utf-8")
    assert "New scope" in page and "A/2" in page  # the revision being edited, not the one in force


def test_a_branch_with_commits_main_lacks_is_built_as_a_draft(tmp_path):
    r = plain_repo(tmp_path)
    r.git("switch", "-q", "-c", "proposal")
    r.write("test.yaml", bumped(BASE, "A/2", ("{zh: 范围, en: Scope}", "{zh: 新范围, en: New scope}")))
    r.commit("A/2 proposed")
    result = run_cli("build", "--no-pdf", "--today", CHECK_DAY, cwd=r.root, env=r.env())
    assert "HEAD has commits that are not on main" in result.stderr and built_status(r)["draft"] is True
