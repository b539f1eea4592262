"""Three procedures that are not about sales (issue 29): 文件控制程序, 不合格品控制程序, 内部审核程序.

Written as a QA manager moving a real ISO 9001 library would write them: conditional approvers, step time
limits, a committee with a chair, the customer owning a step, clauses that are the steps. They check
clean, and every page, checklist and chart they make says what the source says, without distortion.
"""
from __future__ import annotations

import html
import re
import subprocess

import pytest

from conftest import FIXTURES, run_cli
from generators.check import check_paths
from generators.render.graphviz import Graphviz
from generators.render.printable import checklist_html
from generators.render.site import render_charts, render_pages
from generators.publish.generate import registered_documents
from generators.source.library import Library

OUTSIDE = FIXTURES / "outside"
TODAY = "2027-02-01"


@pytest.fixture(scope="module")
def library() -> Library:
    result = check_paths([str(OUTSIDE)], parallel=False, today=TODAY)
    assert result.ok, [d.message for d in result.diagnostics]
    return Library(result.procedures, documents=registered_documents(result.procedures))


@pytest.fixture(scope="module")
def pages(library) -> dict[str, str]:
    """Every page, with Markdown's character references read back (":" is written "&#58;")."""
    return {path: html.unescape(text) for path, text in render_pages(library, None, set(), {}, TODAY).items()}


@pytest.fixture(scope="module")
def charts(library, tmp_path_factory) -> dict:
    return render_charts(library, Graphviz(cache_dir=tmp_path_factory.mktemp("charts")))


def test_the_three_procedures_check_clean_from_the_command_line():
    result = run_cli("check", "--today", TODAY, str(OUTSIDE))
    assert result.returncode == 0, result.stdout
    # Only marked gaps warn: what the three leave unsaid of their records (storage, from when retention runs,
    # disposal) and who receives each procedure; A/0's gaps name nobody yet, A/1's name who settles them by when.
    assert result.stdout.splitlines()[-1] == "OK: 3 procedures checked, 11 warning(s)"
    assert result.stdout.count("[gap]") == 11


def test_a_conditional_approver_is_shown_with_its_condition_on_the_page_and_in_its_checklist(pages):
    page = pages["nonconforming-product-control/index.zh.md"]
    assert "[总经理](../roles/general-manager.md)（批准；仅当：报废金额超过5000元）" in page
    en = pages["nonconforming-product-control/index.en.md"]
    assert "(approves; only if: the scrap is worth more than ¥5,000)" in en
    role = pages["roles/general-manager.zh.md"]
    assert "（批准；仅当：报废金额超过5000元）" in role


def test_the_approver_that_depends_on_the_document_level_reads_as_two_conditions(pages):
    page = pages["document-control/index.en.md"]
    assert "(approves; only if: the quality manual)" in page and "(approves; only if: a procedure)" in page


def test_step_time_limits_reach_the_step_table_and_the_owners_checklist(pages):
    zh = pages["nonconforming-product-control/index.zh.md"]
    assert "| 时限 |" in zh
    assert "“标识、隔离并报告”后24小时内" in zh  # review: 24 h from the report
    assert "一般问题15天内，重大问题30天内" in zh  # the source's own words
    en = pages["nonconforming-product-control/index.en.md"]
    assert "within 5 working days of “Approve the concession”" in en
    assert "Time limit: within 3 days of “Convene the review”" in pages["roles/quality-manager.en.md"]


def test_each_member_of_a_committee_has_the_committees_steps_on_their_checklist(pages, library):
    for member, part in (("quality-manager", "组长"), ("production-manager", "成员"), ("sales-manager", "成员")):
        role = pages[f"roles/{member}.zh.md"]
        assert f"召开评审会议]" in role and f"（{part}）" in role, member
    audit = pages["roles/auditor.en.md"]
    assert "Audit the processes on site" in audit and "(member)" in audit
    page = pages["nonconforming-product-control/index.zh.md"]
    assert "（成员：[质量经理](../roles/quality-manager.md)（组长）、[生产经理]" in page
    duties = library.duties("production-manager")
    printed = checklist_html(library.roles["production-manager"], duties, "zh", TODAY)
    assert "召开评审会议" in printed and "成员" in printed


def test_the_customer_owns_a_step_in_a_lane_of_its_own_and_has_no_checklist(pages, charts):
    assert not any(path.startswith("roles/customer") for path in pages)
    svg = charts[("nonconforming-product-control", "A/1", "zh", "main")]
    lane = re.search(r'<g id="lane&#45;customer" class="cluster lane lane&#45;&#45;external">[\s\S]*?</g>', svg)
    assert lane and "顾客" in lane[0]
    xs = [float(p.split(",")[0]) for p in re.search(r'<polygon[^>]*points="([^"]+)"', lane[0])[1].split()]
    step = re.search(r'<g id="chart&#45;step&#45;customer&#45;approval"[\s\S]*?<path[^>]*d="M([\d.]+),', svg)
    assert step and min(xs) <= float(step[1]) <= max(xs), "the customer's step is drawn in the customer's lane"


def test_the_chart_shows_time_limits_and_conditions(charts):
    zh = _text(charts[("nonconforming-product-control", "A/1", "zh", "main")])
    assert "时限：“标识、隔离并报告”后24小时内" in zh
    assert "仅当：报废金额超过5000元" in zh
    en = _text(charts[("internal-audit", "A/0", "en", "main")])
    assert "Time limit: within 30 days of “Write the audit report”" in en


def _text(svg: str) -> str:
    """The chart's words, lines joined as a reader reads them (a CJK line break joins without a space)."""
    lines = [html.unescape(t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg)]
    out = ""
    for line in lines:
        out += line if (out and (ord(out[-1]) > 0x2e80 or ord(line[0]) > 0x2e80)) else (" " + line if out else line)
    return out


def test_every_chart_of_the_three_is_drawn_in_both_languages(charts):
    for slug, version in (("document-control", "A/0"), ("nonconforming-product-control", "A/1"), ("internal-audit", "A/0")):
        for lang in ("zh", "en"):
            assert charts[(slug, version, lang, "main")].lstrip().startswith("<"), (slug, lang)


def test_a_gap_says_who_settles_it_by_when(pages):
    zh = pages["nonconforming-product-control/index.zh.md"]
    assert "待定</strong>：未规定到期后的处置方式（由质量经理于2027-06-30前确定）" in zh
    en = pages["nonconforming-product-control/index.en.md"]
    assert "no disposal after the retention period is set (to be settled by Quality manager by 2027-06-30)" in en


def test_a_clause_that_is_a_step_shows_the_step_once_and_the_steps_label_links_back(pages):
    zh = pages["nonconforming-product-control/index.zh.md"]
    assert "### 5.2 评审 { #clause-5-2 }\n\n:material-arrow-right-bottom: [2. 召开评审会议](index.md#step-review)" in zh
    assert '<small class="clause-no"><a href="#clause-5-2">条款 5.2</a></small> { #step-review }' in zh
    assert 'id="clause-5-3-2"' in zh and "（负责人：<span class=\"external\">顾客</span>；时限：" in zh


def test_the_master_list_registers_the_documents_that_are_not_procedures_with_edition_and_status(pages):
    zh = pages["index.zh.md"]
    assert "## 其他受控文件 { #other-documents }" in zh
    assert "| QM-01 | 质量手册 | 质量手册 | A/2 | — | 现行 |" in zh
    assert "| GB/T 19001 | 质量管理体系 要求 | 标准 | 2008 | 国家市场监督管理总局、国家标准化管理委员会 | 作废（替代版本：2016） |" in zh


def test_citing_a_withdrawn_edition_warns_with_its_replacement(tmp_path):
    for source in OUTSIDE.glob("*.yaml"):
        text = source.read_text(encoding="utf-8")
        (tmp_path / source.name).write_text(text.replace("    number: GB/T 19001\n    title: {zh: 质量管理体系 要求, en: Quality management systems — Requirements}\n    edition: '2016'",
                                                         "    number: GB/T 19001\n    title: {zh: 质量管理体系 要求, en: Quality management systems — Requirements}\n    edition: '2008'")
                                            if source.name == "document-control.yaml" else text, encoding="utf-8")
    result = run_cli("check", "--today", TODAY, str(tmp_path))
    assert "warning: related document GB/T 19001:2008 is withdrawn, replaced by GB/T 19001:2016 [document-withdrawn]" in result.stdout


def test_richer_forms_print_sections_pre_printed_rows_tick_boxes_with_their_labels_and_landscape(library, tmp_path):
    from generators.render.pdf import PdfRenderer
    from generators.render.printable import form_html

    audit = next(p for p in library.procedures if p.slug == "internal-audit")
    page = form_html(audit, audit.form("audit-report-form"), "zh", TODAY)
    assert '<h3 class="form-section">一、审核组 <span class="hint">1. Audit team</span></h3>' in page
    assert '<th class="row-label" scope="row">9.2 <span class="cjk-word">内部</span>' in page
    assert page.count('<span class="option"><span class="box"></span>') >= 3 * 6  # every option of every row, whole
    ncp = next(p for p in library.procedures if p.slug == "nonconforming-product-control")
    review = form_html(ncp, ncp.form("review-record"), "en", TODAY)
    assert "@page { size: A4 landscape; }" in review and "@page { size: A4 landscape; }" not in page
    pdf = tmp_path / "review.pdf"
    pdf.write_bytes(PdfRenderer(cache_dir=tmp_path / "cache").render_many([review], workers=1)[0])
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups())
    assert width > height, "the review record is printed landscape"


def test_the_three_procedures_build_into_a_site_with_mkdocs_strict(tmp_path):
    from conftest import build_site, copy_project

    procedures = tmp_path / "procedure"
    procedures.mkdir()
    for source in OUTSIDE.glob("*.yaml"):
        (procedures / source.name).write_text(source.read_text(encoding="utf-8").replace("../../../generators", "../generators"),
                                              encoding="utf-8")
    project = copy_project(tmp_path / "project", procedures)
    build_site(project)
    built = project / "site" / "library"
    for slug in ("document-control", "nonconforming-product-control", "internal-audit"):
        assert (built / slug / "index.html").is_file()
    page = (built / "nonconforming-product-control" / "index.html").read_text(encoding="utf-8")
    assert "仅当：报废金额超过5000元" in html.unescape(page)
    assert (built / "roles" / "production-manager" / "index.html").is_file()  # a committee member's checklist
    assert not (built / "roles" / "customer" / "index.html").exists()  # an outside party has none
