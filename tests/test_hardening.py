"""Issue 28's red-team findings, each with the test that failed before its fix: workflow-command
injection through diagnostics, `!!bool maybe`, the growing scalar memo, `fix` and `new-revision`
reading around the hardened reader, and the PDF path two forms could share."""
from __future__ import annotations

import gc
import re
import os
import subprocess
import tracemalloc
from pathlib import Path

import pytest
import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

from conftest import FIXTURES, PUBLISHED, ROOT, replaced, run_cli

# What GitHub Actions runs when a line of a job's log starts with it (annotations, masking, stopping commands).
PAYLOADS = ["\n::error title=QA approval::QA approved, safe to merge", "\n::add-mask::FAILED",
            "\r\n::warning::x", "\r::stop-commands::token", "\n::notice file=procedure/x.yaml::ok"]


def _log_lines(text: str) -> list[str]:
    """Lines as a log reader (or the GitHub runner) splits them: on LF, CR and CRLF."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _assert_no_workflow_command(output: str) -> None:
    commands = [line for line in _log_lines(output) if line.lstrip().startswith("::")]
    assert commands == [], f"a line of the output would run as a GitHub workflow command: {commands[:3]}"


def _with_payload(node, payload: str):
    """Every string of a procedure's data (texts, ids, names, gap notes) with ``payload`` appended."""
    if isinstance(node, dict):
        return {k: _with_payload(v, payload) for k, v in node.items()}
    if isinstance(node, list):
        return [_with_payload(v, payload) for v in node]
    if isinstance(node, str):
        return node + payload
    return node


@pytest.mark.parametrize("payload", PAYLOADS, ids=["error", "add-mask", "crlf-warning", "cr-stop-commands", "notice"])
def test_workflow_command_payloads_in_every_field_never_start_a_line_of_check_output(tmp_path, payload):
    data = yaml.safe_load(PUBLISHED.read_text(encoding="utf-8"))
    data["scope"] = {"gap": {"zh": "原文未规定" + payload, "en": "not stated" + payload}}  # a gap: a warning, it merges
    folder = tmp_path / "procedure"
    folder.mkdir()
    (folder / PUBLISHED.name).write_text(yaml.safe_dump(_with_payload(data, payload), allow_unicode=True), encoding="utf-8")
    result = run_cli("check", "procedure", cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stdout.count("error:") > 50, "the payload should reach many messages"
    assert payload.strip().split(" ")[0] in result.stdout  # the payload is shown, quoted on its line
    _assert_no_workflow_command(result.stdout + result.stderr)


def test_a_gap_note_with_a_workflow_command_is_printed_on_the_gap_warnings_own_line(tmp_path):
    text = replaced(PUBLISHED.read_text(encoding="utf-8"),
                    "T: {gap: {zh: 原件T（时效）栏无值。, en: The original's T (timeliness) column has no value.}}",
                    'T: {gap: {zh: "无\\n::error title=QA approval::QA approved, safe to merge", en: The original has none.}}')
    folder = tmp_path / "procedure"
    folder.mkdir()
    (folder / PUBLISHED.name).write_text(text, encoding="utf-8")
    result = run_cli("check", "--today", "2026-12-20", "procedure", cwd=tmp_path)
    _assert_no_workflow_command(result.stdout)
    gap_lines = [line for line in result.stdout.splitlines() if "safe to merge" in line]
    assert len(gap_lines) == 1 and gap_lines[0].endswith("[gap]") and "无\\n::error" in gap_lines[0]


@pytest.mark.parametrize("name", ["x\n::add-mask::FAILED.yaml", "x\r::error::merged.yaml", "\n::error::x.yaml"])
def test_file_names_with_workflow_commands_are_quoted_on_one_line(tmp_path, name):
    folder = tmp_path / "procedure"
    folder.mkdir()
    (folder / name).write_text((FIXTURES / "minimal.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    for command in (["check", "procedure"], ["fix", f"procedure/{name}"], ["new-revision", f"procedure/{name}"]):
        result = run_cli(*command, cwd=tmp_path)
        _assert_no_workflow_command(result.stdout + result.stderr)
        assert "Traceback" not in result.stderr


@given(st.text(min_size=1, max_size=40), st.text(max_size=40), st.text(max_size=40))
@example(":", "", "")  # found by a run of 2026-12-07: the line began "::3:4:"
@settings(max_examples=300, deadline=None)
def test_a_formatted_diagnostic_has_one_line_and_its_hint_line_whatever_its_values_hold(path, message, hint):
    from generators.source.diagnostics import Position, error

    text = error(Position(path, 3, 4), "gap", message, hint).format()
    lines = _log_lines(text)
    assert len(lines) == (2 if hint else 1)
    # No line begins a workflow command, whatever the path: a file named ":" is shown as "./:".
    assert not any(line.lstrip().startswith("::") for line in lines)


# --- YAML tags with invalid values ------------------------------------------------------------------

BAD_TAGS = ["!!bool maybe", "!!int ten", "!!null something", "!!map text"]


@pytest.mark.parametrize("tagged", BAD_TAGS)
def test_a_tag_whose_value_does_not_fit_is_a_located_error_in_check(tmp_path, tagged):
    text = replaced((FIXTURES / "minimal.yaml").read_text(encoding="utf-8"), "\nversion: A/1\n",
                    f"\nversion: A/1\nself_approval_reason: {tagged}\n")
    line = text.splitlines().index(f"self_approval_reason: {tagged}") + 1
    folder = tmp_path / "procedure"
    folder.mkdir()
    (folder / "qp-t-01.yaml").write_text(text, encoding="utf-8")
    result = run_cli("check", "procedure", cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stdout + result.stderr
    assert f"procedure/qp-t-01.yaml:{line}:23: error: YAML tag 'tag:yaml.org,2002:" in result.stdout
    assert "[yaml-tag]" in result.stdout


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                   env=dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@x", GIT_COMMITTER_NAME="t",
                            GIT_COMMITTER_EMAIL="t@x"))


def test_bool_maybe_in_the_deviations_register_and_in_history_is_a_located_error_never_a_traceback(tmp_path):
    folder = tmp_path / "procedure"
    folder.mkdir()
    minimal = (FIXTURES / "minimal.yaml").read_text(encoding="utf-8")
    (folder / "qp-t-01.yaml").write_text(replaced(minimal, "\nversion: A/1\n", "\nversion: A/1\nx: !!bool maybe\n"),
                                         encoding="utf-8")
    (folder / "_deviations.yaml").write_text("deviations:\n  - id: !!bool maybe\n", encoding="utf-8")
    _git(tmp_path, "init", "-q", "-b", "main")
    _git(tmp_path, "add", "-A")
    _git(tmp_path, "commit", "-qm", "maybe")
    for command in (["check", "procedure"], ["check", "--history", "procedure"], ["build"]):
        result = run_cli(*command, cwd=tmp_path)
        assert result.returncode == 1, result.stdout + result.stderr
        assert "Traceback" not in result.stdout + result.stderr
    result = run_cli("check", "procedure", cwd=tmp_path)
    assert "procedure/_deviations.yaml:2:9: error: YAML tag 'tag:yaml.org,2002:bool': 'maybe' is not true or false" \
        in result.stdout


def test_parsing_keeps_nothing_of_the_values_it_has_read():
    """PyYAML's constructor remembered every node it built, for the life of the process (the
    `make serve` worker's): once its bounded caches are warm, parsing a file and dropping its tree
    leaves no memory behind, whatever values the file holds."""
    from generators.source.yamltree import parse

    def distinct(start: int) -> bytes:
        return "".join(f"k{i}: {i}\nt{i}: value {i} in words\nb{i}: yes\n" for i in range(start, start + 20_000)).encode()

    data = distinct(1_000_000)
    tracemalloc.start()
    try:
        parse("warm.yaml", distinct(0))  # the resolver's bounded cache fills here
        gc.collect()
        before = tracemalloc.get_traced_memory()[0]
        tree, diags = parse("big.yaml", data)
        assert tree is not None and diags == []
        del tree
        gc.collect()
        kept = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert kept < 200_000, f"{kept:,} bytes kept after the tree of a {len(data):,}-byte file was dropped"


# --- fix and new-revision read through the hardened reader ---------------------------------------

ALIAS_BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n" for p, c in zip("abcdefgh", "bcdefghi"))


@pytest.mark.parametrize("command", ["fix", "new-revision"])
def test_fix_and_new_revision_refuse_a_symlink_and_echo_nothing_of_its_target(tmp_path, command):
    secret = tmp_path / "secret.yaml"
    secret.write_text("version: A/0\npassword: hunter2-do-not-print\nbroken: [\n", encoding="utf-8")
    parsable = tmp_path / "parsable.yaml"
    parsable.write_text("version: A/0\ntoken: hunter2-do-not-print\n", encoding="utf-8")
    folder = tmp_path / "procedure"
    folder.mkdir()
    for name, target in (("broken.yaml", secret), ("parsable.yaml", parsable)):
        (folder / name).symlink_to(target)
        before = target.read_bytes()
        result = run_cli(command, f"procedure/{name}", cwd=tmp_path)
        assert result.returncode == 1
        assert "[file-symlink]" in result.stderr and "hunter2" not in result.stdout + result.stderr
        assert target.read_bytes() == before and (folder / name).is_symlink()


@pytest.mark.parametrize("command", ["fix", "new-revision"])
def test_fix_and_new_revision_refuse_an_alias_bomb_that_check_refuses(tmp_path, command):
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text("version: A/0\n" + ALIAS_BOMB, encoding="utf-8")
    assert len(bomb.read_bytes()) < 800
    before = bomb.read_bytes()
    result = run_cli(command, "bomb.yaml", cwd=tmp_path, timeout=300)
    assert result.returncode == 1
    assert "bomb.yaml:2:4: error: YAML anchors and aliases (&name, *name) are not allowed [yaml-alias]" in result.stderr
    assert bomb.read_bytes() == before


@pytest.mark.parametrize("command", ["fix", "new-revision"])
def test_fix_and_new_revision_refuse_tags_and_oversized_files_before_editing(tmp_path, command):
    tagged = tmp_path / "tagged.yaml"
    tagged.write_text("version: A/0\nscope: !!python/object/apply:os.system [echo hi]\n", encoding="utf-8")
    big = tmp_path / "big.yaml"
    big.write_bytes(b"version: A/0\nscope: " + b"x" * (3 << 20) + b"\n")
    for path, rule in ((tagged, "[yaml-tag]"), (big, "[file-too-large]")):
        before = path.read_bytes()
        result = run_cli(command, path.name, cwd=tmp_path)
        assert result.returncode == 1 and rule in result.stderr
        assert path.read_bytes() == before


def test_fix_still_rewrites_a_clean_file_in_place(tmp_path):
    text = replaced((FIXTURES / "minimal.yaml").read_text(encoding="utf-8"), "title: {zh: 测试程序,", "title: {zh: \"测试,程序\",")
    path = tmp_path / "qp-t-01.yaml"
    path.write_text(text, encoding="utf-8")
    result = run_cli("fix", path.name, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "测试，程序" in path.read_text(encoding="utf-8")


# --- output paths -----------------------------------------------------------------------------------

ids = st.from_regex(r"[a-z0-9][a-z0-9-]{0,12}", fullmatch=True)
versions = st.from_regex(r"[A-Z]/[0-9]{1,3}", fullmatch=True) | st.text(max_size=8)


def test_a_new_form_named_like_an_old_forms_version_gets_its_own_blank_pdf():
    from generators.source import paths

    slug = "contract-review"
    new_form = paths.pdf_beside(paths.form_page(slug, "contract-review-record-a-0"), "zh")
    old_version = paths.form_version_pdf(slug, "contract-review-record", "A/0", "zh")
    assert new_form != old_version


@given(st.lists(st.tuples(ids, ids, versions, st.sampled_from(["zh", "en"])), min_size=2, max_size=6))
@settings(max_examples=400, deadline=None)
def test_pdf_paths_of_different_forms_versions_and_procedures_never_coincide(items):
    from generators.source import paths

    made = {}
    for slug, form_id, version, lang in items:
        outputs = {("current", slug, form_id, lang): paths.pdf_beside(paths.form_page(slug, form_id), lang),
                   ("earlier", slug, form_id, version, lang): paths.form_version_pdf(slug, form_id, version, lang),
                   ("procedure", slug, version, lang): paths.procedure_pdf(slug, version, lang)}
        for key, path in outputs.items():
            assert made.setdefault(path, key) == key, f"{key} and {made[path]} share {path}"


def test_a_path_two_outputs_share_is_an_error_not_an_overwrite():
    from generators.source.paths import DuplicateOutput, claim

    outputs: dict = {}
    claim(outputs, "library/x/form-y_zh.pdf", b"first")
    with pytest.raises(DuplicateOutput):
        claim(outputs, "library/x/form-y_zh.pdf", b"second")
    assert outputs == {"library/x/form-y_zh.pdf": b"first"}


# --- sizes before reading: history blobs and registers ----------------------------------------------

def _max_rss_mb_of(command: list[str], cwd: Path) -> tuple[subprocess.CompletedProcess, float]:
    """Run ``command`` from a fresh Python parent and return its result and the peak resident memory
    of the largest process it started (MB): the measure of what a build costs, not a wall clock."""
    probe = ("import json, resource, subprocess, sys\n"
             "r = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
             "print(json.dumps([r.returncode, r.stdout, r.stderr, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss]))")
    import json
    import sys

    done = subprocess.run([sys.executable, "-c", probe, *command], cwd=cwd, capture_output=True, text=True, timeout=900,
                          env=dict(os.environ, PYTHONPATH=str(ROOT)))
    code, out, err, rss_kb = json.loads(done.stdout)
    return subprocess.CompletedProcess(command, code, out, err), rss_kb / 1024


def test_history_walk_never_reads_a_blob_larger_than_a_source_may_be(tmp_path):
    import sys

    folder = tmp_path / "procedure"
    folder.mkdir()
    (folder / "qp-t-01.yaml").write_text((FIXTURES / "minimal.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    _git(tmp_path, "init", "-q", "-b", "main")
    for n in range(6):  # six different 30 MB files, one per step of main (git compresses them to little)
        (folder / f"huge-{n}.yaml").write_bytes(b"# " + (b"%d padding " % n) * (3 << 20) + b"\n")
        _git(tmp_path, "add", "-A")
        _git(tmp_path, "commit", "-qm", f"step {n}")
    for n in range(6):
        (folder / f"huge-{n}.yaml").unlink()
    _git(tmp_path, "commit", "-qam", "removed")
    result, rss = _max_rss_mb_of([sys.executable, "-P", "-m", "generators", "check", "--history", "procedure"], tmp_path)
    assert "Traceback" not in result.stderr, result.stderr
    assert rss < 150, f"check --history peaked at {rss:.0f} MB: the 30 MB blobs were read"


def test_a_register_file_is_refused_by_its_size_before_it_is_read(tmp_path):
    import sys

    folder = tmp_path / "procedure"
    folder.mkdir()
    (folder / "qp-t-01.yaml").write_text((FIXTURES / "minimal.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    with open(folder / "_deviations.yaml", "wb") as handle:  # 400 MB, sparse: costs no disk
        handle.truncate(400 << 20)
    result, rss = _max_rss_mb_of([sys.executable, "-P", "-m", "generators", "check", "procedure"], tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "procedure/_deviations.yaml:1:1: error: file is 419,430,400 bytes, over the 2,097,152-byte limit [file-too-large]" \
        in result.stdout
    assert rss < 200, f"check peaked at {rss:.0f} MB: the register was read whole"


# --- limits: what check accepts builds within the stated budgets --------------------------------------

# The budgets SECURITY.md states for one PDF: 30 CPU seconds and 1.5 GiB of address space per document.
PDF_BUDGET = {"PROCEDURES_PDF_CPU_SECONDS": "30", "PROCEDURES_PDF_MEMORY_MB": "1536"}


def test_the_largest_procedure_check_accepts_builds_every_pdf_within_the_stated_budget(tmp_path):
    from limits_cost import largest_procedure

    folder = tmp_path / "procedure"
    folder.mkdir()
    (folder / "qp-t-01.yaml").write_text(largest_procedure(), encoding="utf-8")
    checked = run_cli("check", "procedure", cwd=tmp_path)
    assert checked.returncode == 0 and "limit-exceeded" not in checked.stdout, checked.stdout[-2000:]
    # The workers run under the budget as resource limits: a PDF over it fails the build.
    built = run_cli("build", "procedure", cwd=tmp_path, timeout=1800, env=dict(os.environ, **PDF_BUDGET))
    assert built.returncode == 0, built.stdout[-2000:] + built.stderr[-2000:]
    pdfs = sorted(p.name for p in (tmp_path / "docs" / "library" / "qp-t-01").glob("*.pdf"))
    assert "form-log_zh.pdf" in pdfs and "qp-t-01_a-1_en.pdf" in pdfs


def _form(rows: int, columns: int, options: int) -> str:
    from limits_cost import form_yaml, procedure_with_form

    return procedure_with_form(form_yaml(rows, columns, options, 4)).decode("utf-8")


def test_the_red_teams_form_of_40_rows_30_choice_columns_and_20_options_fails_check_where_it_is(tmp_path):
    folder = tmp_path / "procedure"
    folder.mkdir()
    text = _form(40, 30, 20)
    (folder / "qp-t-01.yaml").write_text(text, encoding="utf-8")
    result = run_cli("check", "procedure", cwd=tmp_path)
    assert result.returncode == 1
    form_line = text.splitlines().index("  - id: log") + 1
    assert (f"procedure/qp-t-01.yaml:{form_line}:5: error: 30 table columns in form 'log', over the limit of 16 "
            "[limit-exceeded]") in result.stdout
    assert (f"procedure/qp-t-01.yaml:{form_line}:5: error: form 'log' prints 25,230 boxes, cells and choice boxes, "
            "over the limit of 2,000 [limit-exceeded]") in result.stdout
    assert result.stdout.count("error: 20 options in field 'c") == 30


@pytest.mark.parametrize("shape, accepted", [((40, 8, 5), True), ((40, 9, 5), False), ((20, 16, 5), True),
                                             ((40, 16, 0), True), ((2, 1, 12), True), ((2, 1, 13), False)])
def test_form_limits_accept_up_to_the_limit_and_refuse_one_more(tmp_path, shape, accepted):
    folder = tmp_path / "procedure"
    folder.mkdir()
    (folder / "qp-t-01.yaml").write_text(_form(*shape), encoding="utf-8")
    result = run_cli("check", "procedure", cwd=tmp_path)
    assert ("[limit-exceeded]" not in result.stdout) == accepted, result.stdout[-1500:]


def test_counts_and_page_text_over_their_limits_are_located_errors(tmp_path):
    from generators.rules import limits

    text = (FIXTURES / "minimal.yaml").read_text(encoding="utf-8")
    per = limits.MAX_TEXT_CHARS - 10
    clauses = "".join(f"  - {{text: {{zh: '{'字' * per}', en: '{'w' * per}'}}}}\n"
                      for _ in range(limits.MAX_PAGE_CHARS // per + 1))
    definitions = "".join(f"  - {{term: {{zh: 词{i}, en: term {i}}}, definition: {{zh: 定义, en: Definition}}}}\n"
                          for i in range(limits.MAX_LIST_ITEMS + 1))
    folder = tmp_path / "procedure"
    folder.mkdir()
    (folder / "qp-t-01.yaml").write_text(text + "clauses:\n" + clauses + "definitions:\n" + definitions, encoding="utf-8")
    result = run_cli("check", "procedure", cwd=tmp_path)
    assert result.returncode == 1
    assert "procedure/qp-t-01.yaml:2:1: error: the procedure's 'zh' texts hold" in result.stdout
    assert "procedure/qp-t-01.yaml:2:1: error: the procedure's 'en' texts hold" in result.stdout
    assert f"error: {limits.MAX_LIST_ITEMS + 1} definitions, over the limit of {limits.MAX_LIST_ITEMS} [limit-exceeded]" \
        in result.stdout


# --- CODEOWNERS and the workflow ------------------------------------------------------------------

CODEOWNERS = ROOT / ".github" / "CODEOWNERS.example"


def _owner_lines() -> list[tuple[str, list[str]]]:
    lines = []
    for line in CODEOWNERS.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            pattern, *owners = line.split()
            lines.append((pattern, owners))
    return lines


def _owner_of(path: str) -> list[str]:
    """GitHub's reading: the last matching line decides (patterns as this file uses them)."""
    import fnmatch

    found: list[str] = []
    for pattern, owners in _owner_lines():
        if pattern == "*":
            match = True
        elif pattern.endswith("/"):
            match = ("/" + path).startswith(pattern)
        else:
            match = fnmatch.fnmatch("/" + path, pattern)
        if match:
            found = owners
    return found


def test_codeowners_names_one_group_per_line_since_owners_on_a_line_are_alternatives():
    assert all(len(owners) == 1 for _, owners in _owner_lines()), [l for l in _owner_lines() if len(l[1]) != 1]


def test_every_tracked_file_has_an_owner_and_procedures_are_the_qms_approvers():
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    assert tracked and all(_owner_of(path) for path in tracked)
    for path in ("procedure/sales-process-control.yaml", "procedure/contract-order-review.yaml", "procedure/_shared.yaml"):
        assert _owner_of(path) == ["@your-org/qms-approvers"], path
    for path in ("generators/cli.py", "overrides/main.html", "docs/index.zh.md", "mkdocs.yml", "Makefile",
                 "requirements.txt", "tests/conftest.py", ".github/workflows/procedures.yml"):
        assert _owner_of(path) == ["@your-org/docs-tooling"], path
    assert _owner_of("generators/schema/procedure.schema.json") == ["@your-org/qms-approvers"]


def test_security_md_documents_every_group_and_the_ruleset_for_both_approvals():
    security = (ROOT / "SECURITY.md").read_text(encoding="utf-8")
    assert "required_reviewers" in security and "Require review from Code Owners" in security
    for group in {owners[0].split("/")[-1] for _, owners in _owner_lines()} | {"marketing-managers"}:
        assert group.replace("-", " ").replace("qms", "QMS").replace("docs tooling", "tooling team") in security \
            or group in security, group


def test_every_workflow_job_has_a_timeout_and_every_action_is_pinned_by_commit():
    import re

    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "procedures.yml").read_text(encoding="utf-8"))
    for name, job in workflow["jobs"].items():
        assert 0 < job.get("timeout-minutes", 0) <= 120, name
        for step in job.get("steps", []):
            if "uses" in step:
                assert re.fullmatch(r"[\w.-]+(?:/[\w.-]+)+@[0-9a-f]{40}", step["uses"]), step["uses"]


def test_reviewers_are_told_to_serve_previews_on_an_origin_that_is_not_make_serves():
    workflow = (ROOT / ".github" / "workflows" / "procedures.yml").read_text(encoding="utf-8")
    security = (ROOT / "SECURITY.md").read_text(encoding="utf-8")
    assert "127.0.0.1:8642" in workflow and "127.0.0.1:8642" in security
    make_port = re.search(r"^PORT \?= (\d+)", (ROOT / "Makefile").read_text(encoding="utf-8"), re.M)[1]
    assert make_port != "8642"


def test_a_pdf_over_its_budget_is_an_error_naming_the_file_and_the_procedure(tmp_path):
    folder = tmp_path / "procedure"
    folder.mkdir()
    (folder / "qp-t-01.yaml").write_text(_form(40, 8, 5), encoding="utf-8")  # accepted: about 4 CPU s to print
    result = run_cli("build", "procedure", cwd=tmp_path, timeout=1800,
                     env=dict(os.environ, PROCEDURES_PDF_CPU_SECONDS="1"))
    assert result.returncode == 1 and "Traceback" not in result.stdout + result.stderr
    (line,) = [line for line in result.stderr.splitlines() if line.endswith("[pdf]")]
    assert "WeasyPrint stopped on " in line and "qp-t-01/form-log_" in line and "(procedure file 'qp-t-01')" in line
    assert not (tmp_path / "docs" / "library" / "qp-t-01").exists()
