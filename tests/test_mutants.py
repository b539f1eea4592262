"""Tests written to kill surviving mutants (make mutants; tests/mutants-report.md) and to pin the
audit list of issue 19 (tests/audit_breaks.py breaks each of those lines and expects a failure here
or in the test it names). Exact expected values: a test that only checks "something came out"
lets a mutant through."""
from __future__ import annotations

from pathlib import Path

import pytest
from markupsafe import Markup

from conftest import FIXTURES, ROOT, replaced, run_cli
from generators.control.changes import compare
from generators.source.loader import load_bytes
from generators.render import escape
from generators.render.printable import field_rows

GOLDEN_SOURCES = FIXTURES / "golden"


def _load(name: str):
    return load_bytes("escaping.yaml", (GOLDEN_SOURCES / name).read_bytes(), "escaping")[0]


A0, A1 = _load("escaping.a0.yaml"), _load("escaping.a1.yaml")


def test_history_change_list_names_producer_and_recipient_changes():
    assert [c.summary for c in compare(A0, A1)] == [
        {"zh": "生效日期：2026-01-15 → 2026-12-01", "en": "Effective date: 2026-01-15 → 2026-12-01"},
        {"zh": "发放范围：— → 文员<甲>、销售部 <一> & *二*、经理 | 乙",
         "en": 'Distribution: — → Clerk <A> & "B", Sales <one> & *two* | [x], Manager | {B} \\ C'},
        {"zh": "步骤2 报告 # 1 负责人：文员<甲> → 经理 | 乙",
         "en": 'Step 2 (Report # 1 & <sum>) owner: Clerk <A> & "B" → Manager | {B} \\ C'},
        {"zh": "文档 月报<汇总> 编制：文员<甲> → 经理 | 乙",
         "en": 'Document Monthly <report> & "summary" producer: Clerk <A> & "B" → Manager | {B} \\ C'},
        {"zh": "文档 月报<汇总> 提交对象：经理 | 乙 → 文员<甲>",
         "en": 'Document Monthly <report> & "summary" recipient: Manager | {B} \\ C → Clerk <A> & "B"'},
        {"zh": "表单 登记表<A> 编号/版号：QR-T-09 A/0 → QR-T-09 A/1", "en": 'Form Log <A> & "B" number/version: QR-T-09 A/0 → QR-T-09 A/1'},
        {"zh": "表单 登记表<A> 保存期限修改", "en": 'Form Log <A> & "B" retention changed'},
        {"zh": "表单 登记表<A> 存放地点新增：档案柜 <B> | *柜*", "en": 'Form Log <A> & "B" storage added: Cabinet <B> | *files* & [more]'},
        {"zh": "表单 登记表<A> 处置方式新增：移交（移交“客户” & <总部>）",
         "en": 'Form Log <A> & "B" disposal added: Hand over (to the <customer> & `HQ`)'},
    ]


def test_no_change_between_a_revision_and_itself():
    assert compare(A1, A1) == []


# --- field_rows (form_rows): a 12-column grid, the last cell of each row widened to fill it -----

class _Field:
    def __init__(self, name: str, width: int):
        self.name, self.width = name, width


def _widths(*widths: int) -> list[list[tuple[str, int]]]:
    fields = [_Field(f"f{i}", w) for i, w in enumerate(widths)]
    return [[(field.name, width) for field, width in row] for row in field_rows(fields)]


@pytest.mark.parametrize("widths, rows", [
    ((4, 4), [[("f0", 4), ("f1", 8)]]),
    ((6, 8), [[("f0", 12)], [("f1", 12)]]),
    ((6, 6, 3), [[("f0", 6), ("f1", 6)], [("f2", 12)]]),
    ((12,), [[("f0", 12)]]),
    ((0, 20), [[("f0", 12)], [("f1", 12)]]),  # widths clamped to 1..12: 1 + 12 > 12 starts a new row
    ((0, 11), [[("f0", 1), ("f1", 11)]]),
])
def test_form_rows_widen_the_last_cell_of_each_row_to_twelve_columns(widths, rows):
    assert _widths(*widths) == rows


def test_form_rows_of_a_form_without_fields_is_empty():
    assert _widths() == []


# --- escaping: exact output for every special character ------------------------------------------

SPECIALS = "a\\b <c> & \"d\" 'e' [f] {g} |h| `i` *j* _k_ #l !m :n ~o ^p"


def test_md_turns_every_markdown_and_html_special_into_a_numeric_entity():
    assert escape.md(SPECIALS) == Markup("a&#92;b &#60;c&#62; &#38; &#34;d&#34; &#39;e&#39; &#91;f&#93; &#123;g&#125; "
                                         "&#124;h&#124; &#96;i&#96; &#42;j&#42; &#95;k&#95; &#35;l &#33;m &#58;n &#126;o &#94;p")


@pytest.mark.parametrize("text, expected", [
    ("1. x", "1&#46; x"), ("12) y", "12&#41; y"), ("- z", "&#45; z"), ("+ z", "&#43; z"), ("= z", "&#61; z"),
    ("a - b", "a - b"), ("x 1. y", "x 1. y"), ("a\nb  \tc", "a b c"), ("  lead", "lead"),
])
def test_md_escapes_block_starts_only_at_the_start_and_joins_lines(text, expected):
    assert escape.md(text) == Markup(expected)


def test_md_leaves_markup_built_by_the_generator_alone():
    link = Markup('<a href="x">y</a>')
    assert escape.md(link) is link


def test_md_lines_keeps_non_blank_lines_apart_with_br():
    assert escape.md_lines("a<\n\n  \nb&") == Markup("a&#60;<br>b&#38;")
    assert escape.md_lines("") == Markup("")


def test_dot_html_escapes_for_html_like_labels_and_doubles_backslashes():
    assert escape.dot_html(SPECIALS) == ("a\\\\b &lt;c&gt; &amp; &quot;d&quot; &#39;e&#39; &#91;f&#93; {g} |h| `i` *j* "
                                         "_k_ #l !m :n ~o ^p")
    assert escape.dot_html("a\nb  c") == "a b c"


def test_dot_quoted_and_tooltip_quote_for_dot_strings():
    assert escape.dot_quoted(SPECIALS) == '"a\\\\b <c> & \\"d\\" \'e\' [f] {g} |h| `i` *j* _k_ #l !m :n ~o ^p"'
    assert escape.dot_tooltip(SPECIALS) == '"a\u29f5b <c> & \\"d\\" \'e\' [f] {g} |h| `i` *j* _k_ #l !m :n ~o ^p"'
    assert escape.dot_tooltip("a\nb") == '"a b"'


@pytest.mark.parametrize("url", ["./#step-a", "x/y-z/", "#a-b", "doc-x/", "a_b/", "../x/", "../../roles/a/"])
def test_chart_urls_built_from_ids_pass(url):
    assert escape.chart_url(url) == url and escape.dot_html_url(url) == url
    assert escape.dot_url(url) == f'"{url}"'


@pytest.mark.parametrize("url", ["", "javascript:alert(1)", "http://x", "a b", 'a"b', "./../x", "..x", "A/", "x#Y", "/abs"])
def test_chart_urls_from_anything_else_are_refused(url):
    with pytest.raises(ValueError):
        escape.chart_url(url)
    with pytest.raises(ValueError):
        escape.dot_url(url)


# --- rule helpers: the hints and names a reader sees ----------------------------------------------

class _Stub:
    def __init__(self, **fields):
        self.__dict__.update(fields)


def test_flow_target_hint_names_the_declared_ends():
    from generators.rules.flow import _targets_hint

    ends = [_Stub(id="done"), _Stub(id="handed-over")]
    assert _targets_hint(_Stub(ends=ends)) == "name a step id from steps:, 'end', or an end: 'done', 'handed-over'"
    assert _targets_hint(_Stub(ends=[])) == "name a step id from steps:, or 'end'"


@pytest.mark.parametrize("name, known, hint", [
    ("clrk", ["clerk", "manager"], "did you mean 'clerk'?"),
    ("ab", ["abcdef"], "did you mean 'abcdef'?"),  # similarity 0.5: at the cutoff
    ("abx", ["abcdef"], "declared roles: abcdef"),  # 0.44: below it
    ("zzz", ["clerk", "manager"], "declared roles: clerk, manager"),
    ("zzz", [], "declared roles: (none)"),
])
def test_unknown_role_hint_suggests_the_closest_or_lists_the_declared(name, known, hint):
    from generators.rules.references import _suggest

    assert _suggest(name, known) == hint


@pytest.mark.parametrize("name", ["to   be\tdetermined", "  TBD  ", "（待定）", "<first name>", "未记载 (not recorded)"])
def test_placeholders_with_odd_spacing_and_brackets_are_recognised(name):
    from generators.rules.approvals import is_placeholder

    assert is_placeholder(name)


def test_rule_registration_keeps_order_and_marks_dated_rules(monkeypatch):
    from generators import rules

    monkeypatch.setattr(rules.registry, "RULES", [])
    monkeypatch.setattr(rules.registry, "DATED_RULES", set())

    def a(proc):
        yield "a"

    def b(proc):
        yield "b"

    def c(proc, today):
        yield f"c {today}"

    def d(proc, today):
        yield f"d {today}"

    rules.rule(a)
    rules.rule(b, a)
    rules.dated_rule(c)
    rules.dated_rule(d, c)
    assert rules.registry.RULES == [a, b, a, c, d, c] and rules.registry.DATED_RULES == {c, d}
    assert rules.check_procedure(None, "2030-01-01") == ["a", "b", "a", "c 2030-01-01", "d 2030-01-01", "c 2030-01-01"]


def test_every_function_mutmut_skips_in_the_mutated_modules_has_a_hand_made_mutant():
    """mutmut leaves decorated functions (here: properties) unmutated; tests/hand_mutants.py breaks each by hand."""
    import ast
    import tomllib
    from fnmatch import fnmatch

    from hand_mutants import PROPERTY_MUTANTS

    if ROOT.name == "mutants":
        pytest.skip("under make mutants the sources are mutmut's copies, whose every function it decorated")

    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mutmut"]["only_mutate"]
    skipped = set()
    for path in sorted((ROOT / "generators").rglob("*.py")):
        if any(fnmatch(path.relative_to(ROOT).as_posix(), p) for p in patterns):
            body = ast.parse(path.read_text(encoding="utf-8")).body
            # a decorated module-level function (a rule registered with @rule, say) has no hand mutant: it fails here
            skipped |= {f.name for f in body if isinstance(f, ast.FunctionDef) and f.decorator_list}
            for cls in (n for n in body if isinstance(n, ast.ClassDef)):
                skipped |= {f"{cls.name}.{f.name}" for f in cls.body if isinstance(f, ast.FunctionDef) and f.decorator_list}
    assert skipped and skipped == {what.split(":")[0] for what, *_ in PROPERTY_MUTANTS}


@pytest.mark.parametrize("name, placeholder", [
    ("<n/a>", True),        # brackets round the whole name come off before the whole is matched
    ("TBD/<待定>", True),    # and off each part, brackets the parts are not split on included
    ("X.", False),          # an initial is a name: only brackets and blanks are stripped, never letters
    ("Li X", False),
])
def test_placeholder_matching_strips_brackets_and_blanks_only(name, placeholder):
    from generators.rules.approvals import is_placeholder

    assert is_placeholder(name) is placeholder


def test_a_refused_chart_link_names_itself():
    with pytest.raises(ValueError, match=r"chart links are built from ids only, not 'http://x'"):
        escape.chart_url("http://x")


@pytest.mark.parametrize("a, b, same", [
    ("王 强", "王强", True), ("Li  Na", "li na", True), ("王强", "王 刚", False), ("", "", False), (None, "王强", False),
])
def test_same_person_ignores_spacing_and_case_only(a, b, same):
    from generators.rules.approvals import _same_person

    assert _same_person(a, b) is same
    assert _same_person(b, a) is same


def test_a_name_part_that_is_an_initial_is_not_a_placeholder():
    from generators.rules.approvals import is_placeholder

    assert is_placeholder("待定/X.") is False


def _minimal_with(*edits: tuple[str, str]):
    from conftest import replaced
    from generators.rules import check_procedure

    text = (FIXTURES / "minimal.yaml").read_text(encoding="utf-8")
    for old, new in edits:
        text = replaced(text, old, new)
    proc, diags = load_bytes("minimal.yaml", text.encode("utf-8"), "minimal")
    return [d.format().splitlines()[0] for d in diags + check_procedure(proc, "2027-01-01")]


def test_a_form_after_an_unresolved_shared_form_is_still_checked():
    found = _minimal_with(("forms:\n  - id: log", "forms:\n  - {ref: no-such-form}\n  - id: log"),
                          ("    retention: {period: {zh: 3年, en: 3 years}, trigger: {zh: 填写完成, en: completion}}\n", ""))
    assert "minimal.yaml:59:5: error: form 'log' has no retention period (保存期限) [form-retention]" in found, found


def test_an_entry_without_its_author_says_which_name_is_missing():
    found = _minimal_with(("    changes: [{zh: 修改, en: Changed}]\n    changed_by: 甲\n", "    changes: [{zh: 修改, en: Changed}]\n"))
    assert any(line.endswith("error: revision A/1: no changed by [revision-incomplete]") for line in found), found


def test_the_same_version_written_twice_differently_is_out_of_order():
    found = _minimal_with(("  - version: A/1\n    date: 2026-11-03", "  - version: A/1\n    date: 2026-11-02\n"
                           "    changes: [{zh: 修改, en: Changed}]\n    changed_by: 甲\n    reviewed_by: 乙\n    approved_by: 丙\n"
                           "  - version: A/01\n    date: 2026-11-03"))
    assert any("revision A/01 comes after A/1; versions must ascend [revision-order]" in line for line in found), found


# --- the history page's change list over the minimal procedure: every name a reader sees ---------

MINIMAL = (FIXTURES / "minimal.yaml").read_text(encoding="utf-8")


def _minimal(text: str):
    return load_bytes("minimal.yaml", text.encode("utf-8"), "minimal")[0]


def test_change_list_names_outside_parties_undeclared_roles_several_recipients_outputs_and_the_next_step():
    new = replaced(MINIMAL, "roles:\n", "externals:\n  - id: customer\n    name: {zh: 顾客, en: Customer}\n    kind: customer\nroles:\n")
    new = replaced(new, "    producer: clerk\n", "    producer: customer\n")
    new = replaced(new, "    recipient: manager\n", "    recipient: [manager, clerk, ghost]\n")
    new = replaced(new, "    outputs: [log]\n", "    outputs: [log, monthly-report, draft]\n    next: [end]\n")
    old, new = _minimal(MINIMAL), _minimal(new)
    forward = [
        {"zh": "外部相关方新增：顾客", "en": "Outside party added: Customer"},
        {"zh": "步骤1 登记 输出：登记表 → 登记表、月报、draft", "en": "Step 1 (Record) outputs: Log → Log, Monthly report, draft"},
        {"zh": "步骤1 登记 下一步：2 报告 → 结束", "en": "Step 1 (Record) next: 2 (Report) → End"},
        {"zh": "文档 月报 编制：文员 → 顾客", "en": "Document Monthly report producer: Clerk → Customer"},
        {"zh": "文档 月报 提交对象：经理 → 经理、文员、未声明的岗位",
         "en": "Document Monthly report recipient: Manager → Manager, Clerk, undeclared role"},
    ]
    assert [c.summary for c in compare(old, new)] == forward
    # and back: each side is named as that revision declares it
    assert [c.summary for c in compare(new, old)] == [
        {"zh": "外部相关方删除：顾客", "en": "Outside party removed: Customer"},
        {"zh": "步骤1 登记 输出：登记表、月报、draft → 登记表", "en": "Step 1 (Record) outputs: Log, Monthly report, draft → Log"},
        {"zh": "步骤1 登记 下一步：结束 → 2 报告", "en": "Step 1 (Record) next: End → 2 (Report)"},
        {"zh": "文档 月报 编制：顾客 → 文员", "en": "Document Monthly report producer: Customer → Clerk"},
        {"zh": "文档 月报 提交对象：经理、文员、未声明的岗位 → 经理",
         "en": "Document Monthly report recipient: Manager, Clerk, undeclared role → Manager"},
    ]


def test_outputs_the_earlier_revision_never_declared_are_named_by_the_later_one_and_no_outputs_is_a_dash():
    # 'memo' has no title: it is named by its content, as everywhere else, never by its id.
    old = _minimal(replaced(MINIMAL, "    outputs: [log]\n", "    outputs: [annex, memo]\n"))
    new = replaced(MINIMAL, "    outputs: [log]\n", "    next: [nowhere]\n")
    new = _minimal(replaced(new, "documents:\n", "documents:\n  - id: annex\n    title: {zh: 附件, en: Annex}\n"
                                                  "  - id: memo\n    content: {zh: 要点, en: Key points}\n"))
    assert [c.summary for c in compare(old, new)] == [
        {"zh": "步骤1 登记 输出：附件、无名称的文档（要点） → —",
         "en": "Step 1 (Record) outputs: Annex, untitled document (Key points) → —"},
        {"zh": "步骤1 登记 下一步：2 报告 → nowhere", "en": "Step 1 (Record) next: 2 (Report) → nowhere"},
        {"zh": "文档新增：附件", "en": "Document added: Annex"},
        {"zh": "文档新增：无名称的文档（要点）", "en": "Document added: untitled document (Key points)"},
    ]


def test_an_output_form_without_a_title_in_an_old_revision_does_not_stop_the_change_list():
    # Revisions published before titles were required are still compared; the id is the only name left.
    old = _minimal(replaced(replaced(MINIMAL, "    outputs: [log]\n", "    outputs: [sheet]\n"), "forms:\n", "forms:\n  - id: sheet\n"))
    assert [c.summary for c in compare(old, _minimal(MINIMAL))][0] == {
        "zh": "步骤1 登记 输出：sheet → 登记表", "en": "Step 1 (Record) outputs: sheet → Log"}


def test_a_decision_s_next_steps_are_listed_in_order_and_an_empty_next_falls_through():
    old = _minimal(replaced(MINIMAL, "    outputs: [log]\n", "    outputs: [log]\n    next: []\n"))
    new = _minimal(replaced(MINIMAL, "    outputs: [log]\n", "    outputs: [log]\n    next: [report, end]\n"))
    assert [c.summary for c in compare(old, new)] == [
        {"zh": "步骤1 登记 下一步：2 报告 → 2 报告、结束", "en": "Step 1 (Record) next: 2 (Report) → 2 (Report), End"}]


def test_the_glossary_reader_pairs_alternatives_drops_parentheses_and_skips_rows_without_a_chinese_term(tmp_path):
    from generators.rules.terminology import read_glossary

    glossary = tmp_path / "glossary.zh.md"
    glossary.write_text("""| 中文 | English |
|---|---|
| 纠正措施 / 预防措施 | Corrective action / Preventive action |
| 质量记录（QR） | Quality record (QR) |
| 合同评审 / 订单评审 | Contract review |
|XML格式文件|XML file|
| Term | 术语表 |
| 文件 | document |
| 评审 | review |
| 负责人 | person in charge |
| 纠正措施 | correction |
""", encoding="utf-8")
    assert read_glossary(glossary) == (
        ("纠正措施", ("corrective action", "correction")),  # one term, two accepted renderings, in order
        ("预防措施", ("preventive action",)),  # alternatives on both sides pair one to one
        ("质量记录", ("quality record",)),  # a parenthesis is no part of the term
        ("合同评审", ("contract review",)),  # two Chinese alternatives, one English: each takes it
        ("订单评审", ("contract review",)),
        ("XML格式文件", ("xml file",)),  # a row written without blanks round its bars
        ("评审", ("review",)),  # the one two-character term held to the glossary; 文件 is everyday use
    )  # the header (中文: two characters), its rule, a row whose first cell is not Chinese, 负责人 (context only)
    assert read_glossary(tmp_path / "absent.md") == ()


def test_a_glossary_plural_is_followed_by_its_singular_and_by_the_plural_but_not_by_another_word():
    from generators.rules.terminology import _follows

    assert _follows("Keep the Record of each visit", ("records",))  # the glossary's plural, used once
    assert _follows("All records are kept", ("records",))
    assert not _follows("Keep the register", ("records",))


def test_a_field_name_in_a_message_reads_as_words():
    from generators.rules.texts import _place

    assert _place("step 'visit'", "clauses_title") == "step 'visit': clauses title"
    assert _place("", "related_documents") == "related documents"


def _step(step_id: str, title: str, next_steps=(), extra: str = "") -> str:
    text = f"  - id: {step_id}\n    title: {{zh: {title}, en: {title}}}\n    owner: clerk\n{extra}"
    return text + (f"    next: [{', '.join(next_steps)}]\n" if next_steps else "")


def test_each_trapped_loop_is_reported_once_in_list_order_at_the_next_that_closes_it(tmp_path):
    # 'start' can end; 'prepare' only leads into the loop record ↔ report (not reported itself, and
    # the loop after it is still reported); zeta → mid → alpha is listed in that order (not the
    # alphabetical one) and closed by alpha's next:.
    steps = ("steps:\n" + _step("start", "开始", ["end", "prepare", "zeta"]) + _step("prepare", "准备", ["record"])
             + _step("record", "登记", extra="    outputs: [log]\n")
             + _step("report", "报告", ["record"], extra="    outputs: [monthly-report]\n")
             + _step("zeta", "丙") + _step("mid", "乙") + _step("alpha", "甲", ["zeta"]))
    source = MINIMAL[:MINIMAL.index("steps:\n")] + steps + MINIMAL[MINIMAL.index("documents:\n"):]
    (tmp_path / "input.yaml").write_text(source, encoding="utf-8")
    result = run_cli("check", "input.yaml", "--today", "2026-11-27", cwd=tmp_path)
    lines = result.stdout.splitlines()
    found = [line + "\n" + lines[i + 1] for i, line in enumerate(lines) if line.endswith("[flow-no-end]")]
    assert found == [
        "input.yaml:58:5: error: the loop 'record' → 'report' has no exit: the flow never reaches an end [flow-no-end]\n"
        "    hint: give step 'report' an exit: a next link to 'end' or to a step after the loop",
        "input.yaml:68:5: error: the loop 'zeta' → 'mid' → 'alpha' has no exit: the flow never reaches an end [flow-no-end]\n"
        "    hint: give step 'alpha' an exit: a next link to 'end' or to a step after the loop"], result.stdout


def test_a_step_that_repeats_itself_is_reported_as_a_loop_of_one(tmp_path):
    source = replaced(MINIMAL, "    outputs: [log]\n", "    outputs: [log]\n    next: [record]\n")
    (tmp_path / "input.yaml").write_text(source, encoding="utf-8")
    lines = run_cli("check", "input.yaml", "--today", "2026-11-27", cwd=tmp_path).stdout.splitlines()
    assert [line.split(": error: ")[1] for line in lines if line.endswith("[flow-no-end]")] == [
        "the loop 'record' has no exit: the flow never reaches an end [flow-no-end]"]


def test_a_deviation_record_covers_its_own_procedure_at_its_own_commit_only():
    from generators.control.deviations import Deviation
    from generators.source.diagnostics import Position
    from generators.source.model import Text

    record = Deviation("DEV-1", "QP-A-01", "abc1234", Text("甲", "a", Position("x")), Text("乙", "b", Position("x")),
                       "王强", "2026-11-27", None, Position("x"))
    assert record.covers("QP-A-01", "abc1234ffff")
    assert not record.covers("QP-B-02", "abc1234ffff")  # another procedure changed in the same commit
    assert not record.covers("QP-A-01", "def5678abc1234")  # the hash must start with the recorded one


# --- where a marked gap is: the reader's name of each kind of item (rules/gaps.py _name) ----------

def _gap(what: str) -> str:
    return f"{{gap: {{zh: 缺{what}, en: No {what}}}}}"


def test_a_gap_is_named_by_its_item_s_id_form_number_title_or_term_and_by_a_reader_s_word_for_its_kind():
    found = _minimal_with(
        ("scope: {zh: 范围, en: Scope}", f"scope: {_gap('scope')}"),  # the procedure's own: no item to name
        ("    text: {zh: 准确, en: Accurate}\n", f"    text: {_gap('cp')}\n"),
        ("    outputs: [log]\n", f"    outputs: [log, {_gap('output')}]\n"),  # in a list of the step's
        ("      - {id: date, label: {zh: 日期, en: Date}, type: date}\n",
         f"      - {{id: date, label: {_gap('label')}, type: date}}\n"
         "definitions:\n"
         f"  - term: {{zh: 术语, en: Term}}\n    definition: {_gap('def')}\n"
         f"  - number: \"3.2\"\n    term: {{zh: 术语二, en: Term two}}\n    definition: {_gap('def2')}\n"
         "related_documents:\n"
         f"  - kind: standard\n    number: ISO 9001\n    title: {{zh: 标准, en: Standard}}\n    issuer: {_gap('issuer')}\n"
         f"  - kind: procedure\n    title: {{zh: 程序, en: Procedure}}\n    issuer: {_gap('issuer2')}\n"
         "records:\n"
         f"  - form: log\n    retention: {_gap('ret')}\n"
         f"  - number: R-9\n    title: {{zh: 档案, en: File}}\n    retention: {_gap('ret2')}\n"
         f"  - title: {{zh: 档案二, en: File two}}\n    retention: {_gap('ret3')}\n"
         "clauses:\n"
         f"  - title: {{zh: 条款, en: Clause}}\n    text: {_gap('clause')}\n"
         f"  - number: \"4.1\"\n    title: {{zh: 条款二, en: Clause two}}\n    text: {_gap('clause2')}\n"
         f"  - title: {_gap('title')}\n    text: {_gap('clause3')}\n"))
    assert [line for line in found if line.endswith("[gap]")] == [
        "minimal.yaml:24:8: warning: scope: a gap in the source: 缺scope [gap]",
        "minimal.yaml:39:11: warning: control point 'accurate': text: a gap in the source: 缺cp [gap]",
        "minimal.yaml:45:20: warning: step 'record': output texts: a gap in the source: 缺output [gap]",
        "minimal.yaml:66:27: warning: field 'date': label: a gap in the source: 缺label [gap]",
        "minimal.yaml:69:17: warning: definition '术语': definition: a gap in the source: 缺def [gap]",
        "minimal.yaml:72:17: warning: definition 3.2: definition: a gap in the source: 缺def2 [gap]",
        "minimal.yaml:91:11: warning: clause '条款': text: a gap in the source: 缺clause [gap]",
        "minimal.yaml:94:11: warning: clause 4.1: text: a gap in the source: 缺clause2 [gap]",
        "minimal.yaml:95:12: warning: clause: title: a gap in the source: 缺title [gap]",  # a gap is no name: the kind alone
        "minimal.yaml:96:11: warning: clause: text: a gap in the source: 缺clause3 [gap]",
        "minimal.yaml:77:13: warning: related document ISO 9001: issuer: a gap in the source: 缺issuer [gap]",
        "minimal.yaml:80:13: warning: related document '程序': issuer: a gap in the source: 缺issuer2 [gap]",
        "minimal.yaml:83:16: warning: record 'log': retention: a gap in the source: 缺ret [gap]",
        "minimal.yaml:86:16: warning: record R-9: retention: a gap in the source: 缺ret2 [gap]",
        "minimal.yaml:88:16: warning: record '档案二': retention: a gap in the source: 缺ret3 [gap]",
    ], found



# --- size limits (rules/limits.py): each fires one past its value, at the key that declares the list --

def _listed(key: str, items: list[str]) -> str:
    return f"{key}:\n" + "".join(items) if items else ""


def _rule_lines(source: str, rule: str) -> list[str]:
    """What `check` says about ``source`` under ``rule``: each diagnostic with its hint."""
    from generators.rules import check_procedure, texts  # noqa: F401 (texts registers its rules)

    proc, diags = load_bytes("minimal.yaml", source.encode("utf-8"), "minimal")
    return [d.format() for d in diags + check_procedure(proc, "2027-01-01") if d.rule == rule]


def _limit_lines(source: str) -> list[str]:
    return _rule_lines(source, "limit-exceeded")


def _sized(roles: int = 2, steps: int = 2, starts: int = 0, ends: int = 0, externals: int = 0,
           outputs: int = 1, nexts: int = 0) -> list[str]:
    """The [limit-exceeded] lines of the minimal procedure grown to the given counts."""
    lists = (_listed("starts", [f"  - id: st{i}\n    trigger: {{zh: 触发{i}, en: Trigger {i}}}\n    to: record\n"
                                for i in range(starts)])
             + _listed("ends", [f"  - id: e{i}\n    kind: terminated\n    title: {{zh: 终{i}, en: End {i}}}\n"
                                for i in range(ends)])
             + _listed("externals", [f"  - id: x{i}\n    name: {{zh: 外部{i}, en: Party {i}}}\n    kind: customer\n"
                                     for i in range(externals)]))
    source = replaced(MINIMAL, "roles:\n", lists + "roles:\n"
                      + "".join(f"  - id: r{i}\n    name: {{zh: 岗位{i}, en: Role {i}}}\n" for i in range(roles - 2)))
    source = replaced(source, "    outputs: [log]\n", f"    outputs: [log{''.join(f', o{i}' for i in range(outputs - 1))}]\n"
                      + (f"    next: [{', '.join(['report'] * nexts)}]\n" if nexts else ""))
    source = replaced(source, "documents:\n", "".join(_step(f"s{i}", f"步{i}") for i in range(steps - 2)) + "documents:\n")
    return _limit_lines(source)


def test_each_size_limit_fires_one_past_its_value_at_the_key_of_its_list_and_not_at_it():
    assert _sized(roles=30, steps=80, starts=12, ends=12, externals=12, outputs=12, nexts=12) == []
    assert _sized(roles=31) == [
        "minimal.yaml:32:1: error: 31 roles (chart lanes), over the limit of 30 [limit-exceeded]\n"
        "    hint: split the procedure; a chart with more lanes cannot be read (or drawn in time)"]
    assert _sized(steps=81) == [
        "minimal.yaml:41:1: error: 81 steps, over the limit of 80 [limit-exceeded]\n"
        "    hint: split the procedure into procedures that reference each other"]
    assert _sized(starts=13, ends=13, externals=13) == [
        "minimal.yaml:32:1: error: 13 starts, over the limit of 12 [limit-exceeded]\n    hint: split the procedure",
        "minimal.yaml:72:1: error: 13 ends, over the limit of 12 [limit-exceeded]\n    hint: split the procedure",
        "minimal.yaml:112:1: error: 13 externals, over the limit of 12 [limit-exceeded]\n    hint: split the procedure"]
    assert _sized(outputs=13, nexts=13) == [
        "minimal.yaml:42:5: error: 13 outputs in step 'record', over the limit of 12 [limit-exceeded]\n    hint: split the step",
        "minimal.yaml:42:5: error: 13 next links in step 'record', over the limit of 12 [limit-exceeded]\n    hint: split the step"]


def test_a_text_may_be_as_long_as_its_limit_and_not_one_character_longer():
    def lengths(label: int, text: int) -> list[str]:
        source = replaced(MINIMAL, "    title: {zh: 登记, en: Record}\n", "    title: {zh: %s, en: Record}\n" % ("登" * label))
        return _limit_lines(replaced(source, "scope: {zh: 范围, en: Scope}", "scope: {zh: 范围, en: %s}" % ("S" * text)))

    assert lengths(100, 4000) == []
    assert lengths(101, 4001) == [
        "minimal.yaml:24:8: error: 'en' text of 4,001 characters, over the limit of 4,000 [limit-exceeded]\n"
        "    hint: shorten it, or split it into several items",
        "minimal.yaml:43:12: error: 'zh' text of 101 characters, over the limit of 100 for a text drawn in the flowchart "
        "[limit-exceeded]\n    hint: shorten it; put details in the step's description or sub-steps"]

    def word(columns: int) -> list[str]:
        return _limit_lines(replaced(MINIMAL, "{zh: 登记, en: Record}", "{zh: 登记, en: Record %s}" % ("W" * columns)))

    assert word(30) == []
    assert word(31) == [
        "minimal.yaml:43:12: error: 'en' text drawn in the flowchart has a word of 31 columns ('WWWWWWWWWWWWWWWWWWWW...'), "
        "over the limit of 30 [limit-exceeded]\n    hint: add spaces or hyphens: chart labels break only between words"]


def test_a_long_word_is_refused_in_every_text_the_chart_draws_and_a_long_text_in_a_keyed_field_too():
    word = "Pneumonoultramicroscopicsilicovolcanoconiosis"  # 45 columns: a chart label never breaks inside it
    source = replaced(MINIMAL, "roles:\n", "starts:\n  - id: call\n    trigger: {zh: 来电, en: A %s call}\n    to: record\n"
                      "ends:\n  - id: closed\n    kind: terminated\n    title: {zh: 关闭, en: Closed %s}\n"
                      "externals:\n  - id: buyer\n    name: {zh: 顾客, en: %s buyer}\n    kind: customer\n"
                      "roles:\n" % (word, word, word))
    source = replaced(source, "    title: {zh: 登记表, en: Log}\n", "    title: {zh: 登记表, en: %s log}\n" % word)
    source = replaced(source, "  A: {zh: 数量, en: Quantity}\n", "  A: {zh: 数量, en: %s}\n" % ("Quantity " * 445))
    assert _limit_lines(source) == [
        "minimal.yaml:27:6: error: 'en' text of 4,004 characters, over the limit of 4,000 [limit-exceeded]\n"
        "    hint: shorten it, or split it into several items",
    ] + [f"minimal.yaml:{line}: error: 'en' text drawn in the flowchart has a word of 45 columns ('Pneumonoultramicrosc...'), "
         "over the limit of 30 [limit-exceeded]\n    hint: add spaces or hyphens: chart labels break only between words"
         for line in ("73:12", "42:11", "34:14", "39:12")]  # form, outside party, start, end


# --- terminology (rules/terminology.py): which glossary term a text uses, and where it is ---------

def _terminology(glossary: Path, rows: str, source: str, procedures: int = 1) -> list[str]:
    from generators.rules import terminology

    glossary.write_text("| 中文 | English |\n|---|---|\n" + rows, encoding="utf-8")
    procs = [_minimal(source)] * procedures
    return [d.format().splitlines()[0] for d in terminology.check(procs, glossary)]


def test_where_longer_glossary_terms_overlap_the_longest_is_taken_out_first(tmp_path):
    # 评审会 inside 复评审前的评审会: taken out first, it would leave the first 评审 standing alone.
    rows = "| 评审 | review |\n| 评审会 | review meeting |\n| 复评审前的评审会 | pre-re-review meeting |\n"
    source = replaced(MINIMAL, "scope: {zh: 范围, en: Scope}", "scope: {zh: 复评审前的评审会, en: The meeting}")
    assert _terminology(tmp_path / "glossary.md", rows, source) == [
        "minimal.yaml:24:8: warning: scope: '复评审前的评审会' is not translated as the glossary's "
        "'pre-re-review meeting' [terminology]"]


def test_a_glossary_term_right_after_a_longer_one_is_still_found(tmp_path):
    # What is left where 阴极射线管 was taken out joins nothing: the 射线管 after it is not read as X射线管.
    rows = "| 射线管 | radiation tube |\n| X射线管 | X-ray tube |\n| 阴极射线管 | cathode-ray tube |\n"
    source = replaced(MINIMAL, "scope: {zh: 范围, en: Scope}", "scope: {zh: 阴极射线管射线管, en: Cathode-ray tube and tube}")
    assert _terminology(tmp_path / "glossary.md", rows, source) == [
        "minimal.yaml:24:8: warning: scope: '射线管' is not translated as the glossary's 'radiation tube' [terminology]"]


def test_a_terminology_warning_names_a_field_in_words_and_a_procedure_checked_twice_gives_it_twice(tmp_path):
    # `make serve` checks the library again after each edit with the unchanged procedure objects kept:
    # their texts are read once, and the second check says the same.
    rows = "| 合同评审 | contract review |\n"
    source = replaced(MINIMAL, "    outputs: [log]\n", "    outputs: [log, {zh: 合同评审记录, en: Contract check notes}]\n")
    warning = ("minimal.yaml:45:20: warning: step 'record': output texts: '合同评审' is not translated as the "
               "glossary's 'contract review' [terminology]")
    assert _terminology(tmp_path / "glossary.md", rows, source, procedures=2) == [warning, warning]


def test_a_procedure_s_texts_are_read_once_while_it_lives_and_forgotten_when_it_goes():
    # What keeps `make serve`'s repeated checks fast without growing: one entry per live procedure.
    import gc

    from generators.rules import terminology

    proc = _minimal(MINIMAL)
    key = id(proc)
    texts = terminology._bilingual_texts(proc)
    assert ("Scope", "scope") in [(t.en, where) for t, where in texts]
    assert terminology._bilingual_texts(proc) is texts  # the second check reads nothing again
    assert terminology._TEXTS[key][1] is texts
    del proc, texts
    gc.collect()
    assert key not in terminology._TEXTS


# --- text rules (rules/texts.py): the place each text is named by, and the fix's rewrite ---------

def test_a_text_copied_into_english_is_named_by_its_own_item_and_field_wherever_it_is():
    source = replaced(MINIMAL, "scope: {zh: 范围, en: Scope}", "scope: {zh: 范围, en: 范围}")
    source = replaced(source, "    outputs: [log]\n", "    outputs: [log, {zh: 登记簿, en: 登记簿}]\n"
                      "    decision: {zh: 是否完整, en: 是否完整}\n    next: [report]\n")
    source = replaced(source, "documents:\n", "clauses:\n  - number: \"4.1\"\n    title: {zh: 条款, en: Clause}\n"
                      "    items:\n      - number: a)\n        text: {zh: 细则, en: 细则}\ndocuments:\n")
    found = [d.splitlines()[0] for d in _rule_lines(source, "untranslated")]
    assert found == [
        "minimal.yaml:24:8: error: scope: the English is a copy of the Chinese '范围' [untranslated]",
        "minimal.yaml:46:15: error: step 'record': decision: the English is a copy of the Chinese '是否完整' [untranslated]",
        "minimal.yaml:45:20: error: step 'record': output texts: the English is a copy of the Chinese '登记簿' [untranslated]",
        "minimal.yaml:57:15: error: clause a): text: the English is a copy of the Chinese '细则' [untranslated]",
    ], found


@pytest.mark.parametrize("text, fixed", [
    ("合同(草稿)评审", "合同（草稿）评审"),      # both parentheses between Chinese
    ("备注(A见附件)", "备注（A见附件）"),        # opened before Chinese text, closed after it
    ("单价,数量;合计:元", "单价，数量；合计：元"),
    ("甲(A)乙", "甲(A)乙"),                      # Latin text in parentheses keeps them
    ("一)甲", "一）甲"),                          # a lone item number's parenthesis after Chinese
    # A pair round Chinese text is made full-width whole, whatever stands outside it (these came out
    # as the mixed pairs "备注（见附件A)", "(含定金）：按月" and "ABC(中文）" before):
    ("备注(见附件A)", "备注（见附件A）"),
    ("(含定金):按月", "（含定金）：按月"),
    ("ABC(中文)", "ABC（中文）"),
    ("（见4.1 a)）", "（见4.1 a)）"),             # an item number inside a full-width pair is left alone
    ("ISO 9001(2015)", "ISO 9001(2015)"),
    # Straight double quotes in Chinese text pair in order and become “…”, whatever they enclose:
    ('原件编号"XXXX-QP7.5.1-2015"中"XXXX"为占位符', "原件编号“XXXX-QP7.5.1-2015”中“XXXX”为占位符"),
    ('岗位"甲""乙"及', "岗位“甲”“乙”及"),
    ('"合同(草稿)"评审', "“合同（草稿）”评审"),         # quotes and parentheses in one pass
    ('12"屏与"甲"', '12"屏与"甲"'),                   # an odd count: which one is unpaired is unknown
    ('model "A" only', 'model "A" only'),             # no Chinese: not Chinese text
])
def test_fix_makes_half_width_punctuation_between_chinese_full_width_and_leaves_the_rest(text, fixed):
    from generators.rules.texts import full_width

    assert full_width(text) == fixed


def test_a_chart_label_without_its_english_is_reported_as_empty_not_as_a_long_word_or_a_crash():
    from generators.rules import check_procedure

    source = replaced(MINIMAL, "    name: {zh: 文员, en: Clerk}\n", "    name: {zh: 文员, en: \"\"}\n")
    proc, diags = load_bytes("minimal.yaml", source.encode("utf-8"), "minimal")
    found = [d.format().splitlines()[0] for d in diags + check_procedure(proc, "2027-01-01")]
    assert found == ["minimal.yaml:34:24: error: role 'clerk': English text 'en' is empty [text-bilingual]"]


# --- header rules (rules/header.py): each error at the key it is about -----------------------------

def test_a_bad_document_number_or_date_is_reported_at_its_own_key_with_its_name():
    source = replaced(MINIMAL, "number: QP-T-01\nversion: A/1\ntitle: {zh: 测试程序, en: Test procedure}\n",
                      "version: A/1\ntitle: {zh: 测试程序, en: Test procedure}\nnumber: qp 01\n")
    assert _rule_lines(source, "header-number") == [
        "minimal.yaml:4:1: error: document number 'qp 01' does not follow the pattern PREFIX-PART[-PART] [header-number]\n"
        "    hint: upper-case letters and digits in two to four parts joined by '-' (PREFIX-PART-NN)"]
    assert _rule_lines(replaced(MINIMAL, "number: QP-T-01\n", ""), "header-number") == [  # no key: the file's start
        "minimal.yaml:2:1: error: the document number (编号) is blank [header-number]\n"
        "    hint: write the number the master list (受控文件清单) assigns to this procedure"]
    source = replaced(MINIMAL, "effective_date: 2026-12-01", "effective_date: 2026-02-30")
    assert _rule_lines(source, "date-invalid") == [
        "minimal.yaml:5:1: error: effective_date: '2026-02-30' is not a calendar date [date-invalid]"]


def test_control_objectives_are_required_unless_a_purpose_stands_for_them_and_then_checked_if_given_too():
    without = replaced(MINIMAL, MINIMAL[MINIMAL.index("objectives:\n"):MINIMAL.index("roles:\n")], "")
    assert _rule_lines(without, "objectives-incomplete") == [
        "minimal.yaml:2:1: error: control objectives (控制目标) are missing [objectives-incomplete]\n"
        "    hint: add objectives: with statement and A, Q, C, T, R (a gap where the source states none), "
        "or purpose: for a standard-layout procedure"]
    with_purpose = replaced(without, "roles:\n", "purpose: {zh: 目的, en: Purpose}\nroles:\n")
    assert _rule_lines(with_purpose, "objectives-incomplete") == []
    both = replaced(replaced(MINIMAL, "  T: {zh: 时效, en: Timeliness}\n", ""), "roles:\n", "purpose: {zh: 目的, en: Purpose}\nroles:\n")
    assert _rule_lines(both, "objectives-incomplete") == [
        "minimal.yaml:26:3: error: control objective T (时效 timeliness) is blank [objectives-incomplete]\n"
        "    hint: state the measurable objective for this aspect"]


def test_a_review_is_overdue_from_the_day_after_it_was_due_not_on_the_day():
    from generators.rules import check_procedure

    proc = _minimal(replaced(MINIMAL, "review_due: 2099-12-01", "review_due: 2027-03-01"))
    on_the_day, the_day_after = (
        [d.format().splitlines()[0] for d in check_procedure(proc, today) if d.rule == "review-overdue"]
        for today in ("2027-03-01", "2027-03-02"))
    assert on_the_day == []
    assert the_day_after == ["minimal.yaml:6:1: warning: periodic review was due on 2027-03-01 [review-overdue]"]


# --- flow rules (rules/flow.py): the errors no rule case folder shows --------------------------------

def test_a_step_both_deciding_and_forking_a_start_into_no_step_and_a_procedure_of_nothing_are_errors():
    both = replaced(MINIMAL, "    outputs: [log]\n", "    outputs: [log]\n    decision: {zh: 是否, en: Whether}\n"
                    "    parallel: true\n    next: [report, end]\n")
    assert [d for d in _rule_lines(both, "flow-decision")] == [
        "minimal.yaml:42:5: error: step 'record' is both a decision and a parallel fork [flow-decision]\n"
        "    hint: keep one: a decision chooses one next step, parallel starts them all"]
    start = replaced(MINIMAL, "roles:\n", "starts:\n  - id: call\n    trigger: {zh: 来电, en: A call}\n    to: nowhere\nroles:\n")
    assert _rule_lines(start, "flow-target") == [
        "minimal.yaml:33:5: error: start 'call': step 'nowhere' does not exist [flow-target]\n"
        "    hint: name the first step of this start with 'to: <step id>'"]
    cut_off = replaced(replaced(start, "    to: nowhere\n", "    to: record\n"), "    outputs: [log]\n", "    outputs: [log]\n    next: [end]\n")
    assert _rule_lines(cut_off, "flow-unreachable") == [
        "minimal.yaml:51:5: error: step 'report' cannot be reached from a start [flow-unreachable]\n"
        "    hint: link to it from an earlier step's next:, or add a start leading to it"]
    nothing = MINIMAL[:MINIMAL.index("steps:\n")] + MINIMAL[MINIMAL.index("documents:\n"):]
    assert _rule_lines(nothing, "flow-empty") == [
        "minimal.yaml:2:1: error: the procedure has no steps and no clauses [flow-empty]\n"
        "    hint: add steps: (a flow) or clauses: (numbered requirements), or both"]


def test_a_missing_approval_line_is_reported_at_the_approval_block():
    source = replaced(MINIMAL, "  reviewed_by: {name: 乙, date: 2026-11-02}\n", "")
    assert _rule_lines(source, "approval-block") == [
        "minimal.yaml:8:3: error: approval block: reviewed by (审核) has no name and date [approval-block]\n"
        "    hint: fill in approval: reviewed_by: {name: ..., date: YYYY-MM-DD}"]


@pytest.mark.parametrize("path, expected", [
    ("tests/fixtures/complaint-handling.yaml",  # in a step's time limit, in a section's definitions and clauses
     [("step 'reply'", "within", 179), ("definition 4.2", "definition", 49), ("clause 5.2", "text", 65),
      ("record 'capa-form'", "disposal", 253)]),
    ("procedure/company-sales-process-rules.yaml", [("responsibility", "gap", 127)]),  # an item that is itself a gap
    ("procedure/contract-order-review.yaml", [("", "scope", 185), ("record QR-XS-02-01", "retention", 325),
                                              ("record QR-XS-02-01", "storage", 326), ("record QR-XS-02-01", "disposal", 327)]),  # a whole section
])
def test_every_marked_gap_is_found_with_its_place_and_field(path, expected):
    from generators.source.loader import load_file, load_shared
    from generators.rules.gaps import walk_gaps

    source = ROOT / path
    proc = load_file(source, load_shared(source.parent)[0])[0]
    assert [(where, field, gap.pos.line) for gap, where, field in walk_gaps(proc)] == expected


def test_a_gap_in_one_aspect_of_the_objectives_is_found_under_that_aspect():
    from generators.rules.gaps import walk_gaps

    source = replaced(MINIMAL, "  A: {zh: 数量, en: Quantity}", "  A: {gap: {zh: 原文未给出数量目标, en: the source gives no quantity objective}}")
    proc, _ = load_bytes("minimal.yaml", source.encode("utf-8"), "minimal")
    assert [(where, field, gap.pos.line) for gap, where, field in walk_gaps(proc)] == [("objectives", "A", 27)]


def test_an_item_without_an_id_does_not_hide_a_duplicate_after_it():
    source = replaced(MINIMAL, "control_points:\n", "control_points:\n  - text: {zh: 无编号, en: No id}\n    steps: [record]\n"
                      "  - id: accurate\n    text: {zh: 重复, en: Repeated}\n    steps: [record]\n")
    assert [d.splitlines()[0] for d in _rule_lines(source, "duplicate-id")] == [
        "minimal.yaml:43:5: error: control point id 'accurate' is used twice [duplicate-id]"]


def test_a_lone_closing_parenthesis_after_chinese_is_made_full_width():
    from generators.rules.texts import full_width

    assert full_width("备注)") == "备注）"


def test_approval_lines_signed_on_one_day_and_on_the_effective_date_are_in_order():
    same_day = MINIMAL
    for line in ("drafted_by: {name: 甲, date: 2026-11-01}", "reviewed_by: {name: 乙, date: 2026-11-02}",
                 "approved_by: {name: 丙, date: 2026-11-03}"):
        same_day = replaced(same_day, line, line[:line.index("date:")] + "date: 2026-12-01}")
    assert "effective_date: 2026-12-01\n" in same_day
    assert _rule_lines(same_day, "approval-date") == []


def test_self_approval_is_read_from_the_newest_of_three_entries():
    newest = ("    approved_by: 丙\n", "    approved_by: 丙\n  - version: A/2\n    date: 2026-11-03\n"
              "    changes: [{zh: 再改, en: Changed again}]\n    changed_by: 甲\n    reviewed_by: 乙\n    approved_by: 甲\n")
    three = replaced(replaced(MINIMAL, "version: A/1\ntitle", "version: A/2\ntitle"), "    approved_by: 丙\n", "@@", count=2)
    three = three.replace("@@", "    approved_by: 丙\n", 1).replace("@@", newest[1], 1)
    assert [d.splitlines()[0] for d in _rule_lines(three, "self-approval")] == [
        "minimal.yaml:29:5: error: revision A/2: '甲' both made and approved the change [self-approval]"]


def test_the_header_approval_is_compared_with_the_newest_entry_line_by_line_skipping_only_unsigned_lines():
    newest = ("    approved_by: 丙\n", "    approved_by: 丙\n  - version: A/2\n    date: 2026-11-03\n"
              "    changes: [{zh: 再改, en: Changed again}]\n    changed_by: 甲\n    reviewed_by: 乙\n    approved_by: 丁\n")
    three = replaced(replaced(MINIMAL, "version: A/1\ntitle", "version: A/2\ntitle"), "    approved_by: 丙\n", "@@", count=2)
    three = three.replace("@@", "    approved_by: 丙\n", 1).replace("@@", newest[1], 1)
    mismatch = ("minimal.yaml:10:16: error: approval block: approved by (批准) is '丙', but the newest revision entry "
                "(A/2, line 24) has approved by (批准人) '丁' [approval-mismatch]")
    assert [d.splitlines()[0] for d in _rule_lines(three, "approval-mismatch")] == [mismatch]
    # an unsigned line is left to approval-block: the lines after it are still compared
    unsigned = replaced(three, "  drafted_by: {name: 甲, date: 2026-11-01}\n", "  drafted_by: {date: 2026-11-01}\n")
    assert [d.splitlines()[0] for d in _rule_lines(unsigned, "approval-mismatch")] == [mismatch]
    # a placeholder in the block is approval-placeholder's to report, not a mismatch
    placeholder = replaced(three, "  approved_by: {name: 丙, date: 2026-11-03}\n", "  approved_by: {name: 待定, date: 2026-11-03}\n")
    assert _rule_lines(placeholder, "approval-mismatch") == []
    # no approval block at all: approval-block reports it, nothing is compared
    assert _rule_lines(MINIMAL[:MINIMAL.index("approval:\n")] + MINIMAL[MINIMAL.index("revisions:\n"):], "approval-mismatch") == []


def test_a_placeholder_name_is_looked_for_in_the_newest_entry_of_a_longer_log():
    entry = ("  - version: A/2\n    date: 2026-11-03\n    changes: [{zh: 再改, en: Changed again}]\n"
             "    changed_by: 甲\n    reviewed_by: 乙\n    approved_by: 待定\n")
    source = replaced(replaced(MINIMAL, "version: A/1\ntitle", "version: A/2\ntitle"), "scope:", entry + "scope:")
    assert [d.splitlines()[0] for d in _rule_lines(source, "approval-placeholder")] == [
        "minimal.yaml:29:5: error: revision A/2: approved by (批准人) '待定' is a placeholder, not a name [approval-placeholder]"]
