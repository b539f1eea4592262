"""Readers see names and dates, never git plumbing: the history page says what was recorded at approval,
what changed after it and the deviation records, in words an auditor reads without knowing git."""
from __future__ import annotations

import re

from conftest import run_cli
from generators.source.labels import LABELS
from test_history_check import title_edit_deviation
from test_labels import generated_text
from test_revisions import git, repo  # noqa: F401  (fixture: a project with A/0 then A/1 committed)

GIT_WORDS_EN = re.compile(r"\bgit\b|\bcommits?\b|\bmerged?\b|\.ya?ml\b|--history|\bSHA-1\b", re.I)
# 提交 also means "submit" (a document's recipient and deadline): only that sense may stay.
GIT_WORDS_ZH = re.compile(r"git|提交(?!对象|时限|部门|给|的文档)|合并|\.ya?ml|--history", re.I)
DOCUMENT_FLOW_KEYS = {"recipient", "deadline", "submits", "produces", "flow_matrix_note"}


def test_no_label_speaks_of_git_commits_merges_or_file_names():
    wrong = {key: text for key, text in LABELS.items()
             if GIT_WORDS_EN.search(text["en"]) or (GIT_WORDS_ZH.search(text["zh"]) and key not in DOCUMENT_FLOW_KEYS)}
    assert not wrong


def test_the_git_word_check_flags_plumbing_and_passes_document_flow():
    assert GIT_WORDS_EN.search("taken from the git record") and GIT_WORDS_EN.search("Approval commit")
    assert GIT_WORDS_ZH.search("以下提交在本版本批准后修改") and GIT_WORDS_ZH.search("（经共用声明 _shared.yaml）")
    assert not GIT_WORDS_ZH.search("提交对象：经理 → 文员；提交时限新增")


def test_history_page_shows_approval_modification_and_deviation_without_git_words(repo):
    edited_path = repo / "procedure" / "test.yaml"
    edited_path.write_text(edited_path.read_text(encoding="utf-8").replace("title: {zh: 报告", "title: {zh: 月度报告", 1),
                           encoding="utf-8")
    git(repo, "commit", "-qam", "edit after approval")
    edited = git(repo, "rev-parse", "HEAD").strip()
    (repo / "procedure" / "_deviations.yaml").write_text(title_edit_deviation(edited), encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "deviation")
    result = run_cli("build", "--no-pdf", "--today", "2026-12-02", cwd=repo)
    assert result.returncode == 0, result.stdout + result.stderr
    shas = git(repo, "log", "--format=%H").split()
    for lang, words, shown in (("en", GIT_WORDS_EN, ["Modified after approval", "DEV-1", "Recorded at approval"]),
                               ("zh", GIT_WORDS_ZH, ["批准后修改", "DEV-1", "批准记录日期"])):
        page = (repo / "docs" / "library" / "test" / f"history.{lang}.md").read_text(encoding="utf-8")
        visible = generated_text(page, ())
        for text in shown:
            assert text in visible, (lang, text)
        assert not words.search(visible), (lang, words.search(visible).group(0))
        assert not [sha for sha in shas if sha[:7] in visible], lang
        assert edited in page, "the approval and the change stay traceable to their record (data-record)"


def test_change_lists_name_outputs_owners_and_untitled_documents_never_by_id():
    from generators.control.changes import compare
    from generators.source.loader import load_bytes
    from test_revisions import BASE

    def load(text: str):
        return load_bytes("test.yaml", text.encode("utf-8"), "test")[0]

    documents = BASE[BASE.index("documents:"):BASE.index("forms:")]
    # An earlier revision listed an output it never declared, and named an owner its roles list lacks.
    old = load(BASE.replace(documents, "").replace("    owner: clerk\n    outputs: [log]", "    owner: ghost\n    outputs: [log, monthly-report]"))
    new = load(BASE)
    summaries = [change.summary["zh"] for change in compare(old, new)]
    assert "步骤1 登记 负责人：未声明的岗位 → 文员" in summaries, summaries
    assert "步骤1 登记 输出：登记表、月报 → 登记表" in summaries, summaries
    untitled = load(BASE.replace("    title: {zh: 月报, en: Monthly report}\n", ""))
    removed = [change.summary for change in compare(untitled, load(BASE.replace(documents, "")))]
    assert {"zh": "文档删除：无名称的文档（内容）", "en": "document removed: untitled document (Content)"} in removed, removed
    assert not [s for s in summaries + [r["zh"] for r in removed] if re.search(r"ghost|monthly-report", s)]
