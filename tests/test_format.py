"""The source format for real procedures: a procedure written from outside the project (an ISO 13485
complaint procedure) loads, renders, charts and prints without distortion; gaps publish as 待定;
the fix command rewrites half-width punctuation and nothing else."""
from __future__ import annotations

import io
import re
import shutil

import pytest
from markupsafe import Markup
from pypdf import PdfReader

from conftest import FIXTURES, ROOT, build_site, copy_project, run_cli
from generators.render.graphviz import Graphviz
from generators.source.library import Library
from generators.source.loader import load_file
from generators.render.pdf import PdfRenderer
from generators.render import pages, printable
from generators.source import paths
from generators.render.flowchart import flowchart_dot

COMPLAINT = FIXTURES / "complaint-handling.yaml"
PROC = load_file(COMPLAINT)[0]
LIBRARY = Library([PROC])


def test_the_outside_procedure_is_carried_without_distortion():
    assert [s.trigger.zh for s in PROC.starts] == ["收到书面投诉", "收到电话投诉", "现场服务发现问题"]
    assert {e.id: e.kind for e in PROC.ends} == {"closed": "completed", "rejected": "terminated", "vigilance": "hand-off"}
    approve = PROC.step("approve-capa")
    assert approve.join and approve.owner == "qa-manager"
    assert [(p.role, p.part) for p in approve.participants] == [("prrc", "approves"), ("qmo", "approves")]
    assert PROC.step("investigate").parallel
    assert [(x.id, x.kind) for x in PROC.externals] == [("customer", "customer"), ("authority", "authority")]
    assert PROC.document("complaint-letter").producer == "customer"
    capa = PROC.form("capa-form")
    assert [f.id for f in capa.header_fields] == ["capa-no", "complaint-ref", "cause"]
    assert [f.id for f in capa.table_columns] == ["action", "responsible", "due", "verified"] and capa.rows == 6
    assert [f.id for f in capa.footer] == ["prrc-sign", "qmo-sign"]
    assert PROC.step("technical-analysis").output_texts[0].zh == "技术分析结论"
    assert PROC.step("record-call").input_texts[0].zh == "顾客来电"
    assert PROC.step("investigate").substeps[1].number == "6.4.2"
    assert [s.number for s in PROC.step("investigate").substeps[1].substeps] == ["a)", "b)"]
    assert PROC.clauses.items[0].items[1].items[0].number == "a)"


def test_check_accepts_it_with_one_warning_per_marked_gap():
    result = run_cli("check", "complaint-handling.yaml", cwd=FIXTURES)
    assert result.returncode == 0, result.stdout
    assert result.stdout.count("[gap]") == 4 and "4 warning(s)" in result.stdout


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_page_has_the_standard_sections_in_controlled_copy_order_and_marks_gaps(lang):
    page = pages.procedure_page(LIBRARY, PROC, lang, chart=Markup("<svg></svg>"))
    headings = re.findall(r"^## (\d+) ", page, flags=re.M)
    assert headings == [str(n) for n in range(1, len(headings) + 1)]
    order = ["#purpose", "#scope", "#responsibilities", "#definitions", "#clauses", "#flowchart", "#steps", "#document-flow",
             "#forms", "#references", "#records"]
    positions = [page.index("{ " + anchor + " }") for anchor in order]
    assert positions == sorted(positions)
    mark = "待定" if lang == "zh" else "To be determined"
    assert page.count(f'<strong class="gap__mark">{mark}</strong>') == 4
    assert "6&#46;4.2" in page and 'id="clause-5-1-2"' in page
    assert "QP-VG-01" in page and ("已引用，未发布" if lang == "zh" else "Referenced, not published") in page
    assert "roles/customer.md" not in page  # an outside party has no page to link


def test_roles_taking_part_get_the_step_on_their_checklist_and_outside_parties_get_none():
    qmo = LIBRARY.duties("qmo")[0]
    assert [(s.id, part) for s, part in qmo.takes_part] == [("approve-capa", "approves")]
    assert not qmo.is_empty
    assert "customer" not in LIBRARY.roles and "customer" in LIBRARY.externals
    page = pages.role_page(LIBRARY, "qmo", "zh")  # the role's page is its checklist
    assert "批准纠正和预防措施" in page and "（批准）" in page
    sales = LIBRARY.duties("sales-lead")[0]
    assert [r.number for r in sales.responsibilities] == ["3.3"]


def test_the_chart_has_named_starts_typed_ends_a_fork_and_join_bar_and_outside_parties_at_the_edge(tmp_path):
    svg = Graphviz(cache_dir=tmp_path).svg(flowchart_dot(PROC, "zh", paths.output_url_from_procedure))
    ids = {i.replace("&#45;", "-") for i in re.findall(r'id="([^"]+)"', svg)}
    for element in ["chart-start-0", "chart-start-1", "chart-start-2", "chart-end-closed", "chart-end-rejected",
                    "chart-end-vigilance", "chart-fork-investigate", "chart-join-approve-capa", "lane-externals",
                    "chart-part-approve-capa-prrc", "chart-part-approve-capa-qmo"]:
        assert element in ids, element
    assert "lane-customer" not in ids and "lane-authority" not in ids  # no lane of empty space
    assert {"chart-external-register-customer", "chart-external-customer-contact-customer",
            "chart-external-reply-customer"} <= ids
    words = "".join(re.findall(r">([^<]*)</text>", svg))
    assert "收到书面投诉" in words and "终止" in words and "医疗器械不良事件监测和再评价控制程序" in words
    lanes = [l.replace("&#45;", "-") for l in re.findall(r'<g id="lane&#45;([a-z&#;0-9-]+)" class="cluster', svg)]
    assert lanes == ["sales-lead", "qa-manager", "prrc", "qmo", "engineer", "externals"]


def _pdf_text(html: str) -> str:
    data = PdfRenderer().render_many([html])[0]
    return re.sub(r"\s+", "", "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages))


def test_a_form_with_header_fields_prints_them_above_its_table_and_signatures_below():
    text = _pdf_text(printable.form_html(PROC, PROC.form("capa-form"), "zh", "2026-12-01"))
    for label in ["措施编号", "投诉登记号", "原因分析", "措施", "责任人", "完成日期", "法规负责人批准", "管理者代表批准"]:
        assert label in text, label
    assert text.index("投诉登记号") < text.index("责任人") < text.index("管理者代表批准")


def test_a_gap_prints_as_to_be_determined_in_the_checklist_pdf():
    qa = LIBRARY.duties("qa-manager")[0]
    text = _pdf_text(printable.checklist_html(LIBRARY.roles["qa-manager"], [qa], "en", "2026-12-01"))
    assert "Tobedetermined:thereplytimeforgeneralcomplaintsistobesetbythemanagementreview" in text  # the reply step's time limit


def test_fix_rewrites_half_width_punctuation_in_chinese_and_nothing_else(tmp_path):
    target = tmp_path / "p.yaml"
    original = (FIXTURES / "minimal.yaml").read_text(encoding="utf-8").replace(
        "content: {zh: 内容, en: Content}",
        'content: {zh: "销售额,回款(含定金):按月汇总", en: "Sales, receipts (deposits included): monthly"}  # stays').replace(
        "# yaml-language-server", "# a comment that stays\n# yaml-language-server")
    target.write_text(original, encoding="utf-8")
    result = run_cli("fix", str(target))
    assert result.returncode == 0 and "1 Chinese text(s)" in result.stdout
    fixed = target.read_text(encoding="utf-8")
    changed = [(a, b) for a, b in zip(original.splitlines(), fixed.splitlines()) if a != b]
    assert len(original.splitlines()) == len(fixed.splitlines())
    assert changed == [(a, a.replace("销售额,回款(含定金):按月汇总", "销售额，回款（含定金）：按月汇总")) for a, _ in changed]
    assert len(changed) == 1
    assert "Sales, receipts (deposits included): monthly" in fixed  # English keeps its punctuation
    assert run_cli("check", str(target)).returncode == 0
    assert "[cjk-punctuation]" not in run_cli("check", str(target)).stdout


def test_fix_pairs_straight_quotes_in_chinese_and_leaves_an_unpaired_one_english_and_the_revision_log(tmp_path):
    target = tmp_path / "p.yaml"
    original = (FIXTURES / "minimal.yaml").read_text(encoding="utf-8").replace(
        "content: {zh: 内容, en: Content}",
        'content: {zh: \'按"月报""周报"汇总\', en: \'Summed up as the "monthly report"\'}').replace(
        "text: {zh: 准确, en: Accurate}", 'text: {zh: \'准确（见"月报）\', en: Accurate}').replace(
        "changes: [{zh: 修改, en: Changed}]", 'changes: [{zh: \'修改"月报"\', en: \'Changed the "report"\'}]')
    target.write_text(original, encoding="utf-8")
    assert "straight quotes in Chinese text" in run_cli("check", str(target)).stdout
    result = run_cli("fix", str(target))
    assert result.returncode == 0 and "1 Chinese text(s)" in result.stdout
    fixed = target.read_text(encoding="utf-8")
    changed = [(a, b) for a, b in zip(original.splitlines(), fixed.splitlines()) if a != b]
    assert changed == [('    content: {zh: \'按"月报""周报"汇总\', en: \'Summed up as the "monthly report"\'}',
                        '    content: {zh: \'按“月报”“周报”汇总\', en: \'Summed up as the "monthly report"\'}')]
    report = run_cli("check", str(target)).stdout
    assert "straight quotes in Chinese text" not in report
    assert "control point 'accurate': text: unpaired straight quote in Chinese text ('准确（见\"月报）') [cjk-punctuation]" in report
    assert report.count("[cjk-punctuation]") == 1  # the revision log is never flagged (nor rewritten)


def test_what_check_accepts_builds_with_mkdocs_strict(tmp_path):
    procedures = tmp_path / "procedure"
    procedures.mkdir()
    shutil.copy(COMPLAINT, procedures / COMPLAINT.name)
    (procedures / COMPLAINT.name).write_text(COMPLAINT.read_text(encoding="utf-8").replace("../../generators", "../generators"),
                                             encoding="utf-8")
    project = copy_project(tmp_path / "project", procedures)
    build_site(project)
    built = project / "site"
    assert (built / "library" / "complaint-handling" / "index.html").is_file()
    assert (built / "en" / "library" / "complaint-handling" / "form-capa-form" / "index.html").is_file()
    assert not (built / "library" / "roles" / "customer" / "index.html").exists()


def test_a_standard_layout_procedure_keeps_its_sources_numbers_and_shows_every_section():
    proc = load_file(ROOT / "procedure" / "marketing-service-process-control.yaml")[0]
    for lang, headings in (("zh", ["1 目的", "2 范围", "3 职责", "4 控制要求", "5 相关文件", "6 记录"]),
                           ("en", ["1 Purpose", "2 Scope", "3 Responsibilities", "4 Control requirements",
                                   "5 Related documents", "6 Records"])):
        page = pages.procedure_page(Library([proc]), proc, lang)
        # The page's own numbers agree with the source's (1 目的 … 4 控制要求, then 4.1): numbered. (Before
        # SD-13 A/4 removed its 待定 术语和定义, they would have clashed and the sections were unnumbered.)
        assert re.findall(r"^## ([^{]+?) \{", page, flags=re.M)[1:] == headings
        assert "### 4&#46;1 " in page and 'id="clause-4-2-1-a"' in page and 'id="clause-a"' not in page
        anchors = re.findall(r'id="(clause-[^"]+)"', page)
        assert len(anchors) == len(set(anchors))
        assert page.count('class="gap__mark"') == 4


def test_a_step_whose_owner_is_a_gap_is_drawn_in_a_to_be_determined_lane_and_named_on_the_page(tmp_path):
    source = (ROOT / "tests" / "rules" / "gap" / "input.yaml").read_text(encoding="utf-8")
    target = tmp_path / "gap.yaml"
    target.write_text(source, encoding="utf-8")
    proc = load_file(target)[0]
    assert proc.step("report").owner is None and proc.step("report").gaps["owner"].note.zh == "原文未指定负责人"
    svg = Graphviz(cache_dir=tmp_path / "cache").svg(flowchart_dot(proc, "en", paths.output_url_from_procedure))
    ids = {i.replace("&#45;", "-") for i in re.findall(r'id="([^"]+)"', svg)}
    assert {"lane-tbd", "chart-step-report"} <= ids
    page = pages.procedure_page(Library([proc]), proc, "zh")
    assert '<strong class="gap__mark">待定</strong>：原文未指定负责人' in page
