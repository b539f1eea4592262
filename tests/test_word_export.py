"""Word out (issue 32): a controlled copy of a revision as .docx, its round trip through the import,
its pages under LibreOffice, and the audit package (a zip with every current revision as PDF and
DOCX, the registers, and each procedure's history with every earlier revision's PDF)."""
from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from conftest import ROOT, run_cli
from test_history_check import WITHDRAWN, commit, shared_repo, write  # noqa: F401  (shared_repo: a fixture)
from test_revisions import git, repository_at_a0_then_a1

from generators.edit.word_import import dump, import_document
from generators.publish.audit_package import Charts
from generators.render.docx_export import procedure_docx
from generators.source.loader import load_bytes, load_file, load_shared
from generators.source.labels import label
from generators.source.model import Clause, Procedure
from generators.source.library import Library

LIBRARY = ROOT / "procedure"


def published(slug: str) -> Procedure:
    shared, _ = load_shared(LIBRARY)
    proc, diags = load_file(LIBRARY / f"{slug}.yaml", shared)
    assert proc is not None, diags
    return proc


def reimported(proc: Procedure, tmp_path: Path, chart: bytes | None = None) -> tuple[Procedure, object]:
    """The revision exported to Word, then imported again (and read by the loader like any source)."""
    path = tmp_path / f"{proc.slug}.docx"
    path.write_bytes(procedure_docx(proc, "zh", "current", "2026-12-07", chart))
    data, report = import_document(path)
    text = dump(data, report, "schema.json")
    draft, diags = load_bytes(f"{proc.slug}.yaml", text.encode("utf-8"), proc.slug)
    assert draft is not None, diags
    return draft, report


def zh(text) -> str | None:
    return text.zh if text is not None else None


def clauses(items) -> list:
    return [(c.number, zh(c.title), zh(c.text), clauses(c.items)) for c in items if isinstance(c, Clause)]


def content(proc: Procedure) -> dict:
    """What a controlled copy says, in Chinese: header, approval, revision log, every section."""
    approval = proc.approval
    party = proc.party
    return {
        "header": (proc.number, proc.version, proc.title.zh, proc.effective_date, proc.review_due, zh(proc.department)),
        "approval": [(key, sig.name, sig.date) for key, sig in approval.lines()] if approval else None,
        "revisions": [(r.version, r.date, [c.zh for c in r.changes], r.changed_by, r.reviewed_by, r.approved_by,
                       [(d.record, d.fields, zh(d.source), zh(d.decision), d.decided_by) for d in r.decisions])
                      for r in proc.revisions],
        "purpose": zh(proc.purpose), "scope": zh(proc.scope),
        "responsibilities": [(r.number, zh(r.text), clauses(r.items)) for r in proc.responsibilities],
        "definitions": [(d.number, d.term.zh, zh(d.definition)) for d in proc.definitions],
        # the heading the copy prints: a clauses_title that is the default 工作程序 prints as no title does
        "clauses_title": zh(proc.clauses_title) or str(label("clauses", "zh")), "clauses": clauses(proc.clauses),
        "steps": [(s.title.zh, zh(party(s.owner).name) if party(s.owner) else None,
                   [(sub.number, sub.text.zh) for sub in s.substeps]) for s in proc.steps],
        "documents": [(zh(d.title), zh(party(d.producer).name) if party(d.producer) else None, zh(d.content),
                       zh(d.deadline)) for d in proc.documents],
        "related": [(r.number, r.title.zh) for r in proc.related_documents],
        "distribution": distribution(proc),
        "records": [record(proc, r) for r in proc.records],
        # a form's layout: its boxes, its ruled table's columns and rows, its footer (field types are the
        # form page's, not the printed copy's); and its record control, stated once, on the form
        "forms": [(f.number, f.version, f.title.zh, keeper(proc, f.owner, f.gaps.get("owner")), zh(f.retention),
                   zh(f.retention_trigger), zh(f.storage), zh(f.disposal), f.disposal_method,
                   [x.label.zh for x in f.header_fields], [x.label.zh for x in f.table_columns], f.rows,
                   [x.label.zh for x in f.footer]) for f in proc.forms],
    }


def keeper(proc: Procedure, party_id, gap) -> str | None:
    party = proc.party(party_id)
    return zh(gap) if gap is not None else (party.name.zh if party is not None else party_id)


def distribution(proc: Procedure):
    """The distribution list as a reader sees it: each name with its note (a department, a role or an
    outside party: a document names them alike), or its gap."""
    if proc.distribution.gap is not None:
        return zh(proc.distribution.gap)
    return [(keeper(proc, e.role or e.external, None) if e.role or e.external else e.department.zh, zh(e.note))
            for e in proc.distribution]


def record(proc: Procedure, r):
    """A record as the records table shows it: its name, number and clause; its keeper, storage,
    retention (period and trigger) and disposal (method), its own or its form's; and which form it is."""
    form = proc.form(r.form) if r.form else None
    own = form is None or any((r.keeper, r.gaps.get("keeper"), r.retention, r.storage, r.disposal))
    held = r if own else form
    who = keeper(proc, r.keeper, r.gaps.get("keeper")) if own else keeper(proc, form.owner, form.gaps.get("owner"))
    return (zh(r.title) or zh(form.title), r.number or form.number, r.clause, form.number if form else None, who,
            zh(held.retention), zh(held.retention_trigger), zh(held.storage), zh(held.disposal), held.disposal_method)


EVERY_PROCEDURE = sorted(p.stem for p in LIBRARY.glob("[a-z]*.yaml"))


@pytest.mark.parametrize("slug", EVERY_PROCEDURE)
def test_importing_the_word_export_of_each_published_procedure_gives_back_its_content(slug, tmp_path):
    proc = published(slug)
    draft, report = reimported(proc, tmp_path, Charts(Library([proc])).png(proc, "zh") if proc.steps else None)
    assert content(draft) == content(proc)
    assert all(t.en == "[untranslated]" for t in [draft.title, *(c for r in draft.revisions for c in r.changes)])
    # what it says it left out: the flowchart (a picture) and, where the flow branches, the 下一步 column
    branching = any(s.next or s.decision is not None or s.parallel or s.join for s in proc.steps)
    assert [re.sub(r"^paragraph \d+", "paragraph N", line) for line in report.unplaced] == \
        (["paragraph N: an image (add the chart or picture to the procedure by hand)"] if proc.steps else []) + \
        (["the step table: its 下一步 (next) column: decisions, branches and ends are not imported; each step leads "
          "to the one below it until you add next: from it"] if branching else [])


def test_importing_the_word_export_of_a_flow_gives_back_its_steps_documents_and_objectives(tmp_path):
    proc = published("sales-process-control")
    draft, report = reimported(proc, tmp_path, Charts(Library([proc])).png(proc, "zh"))
    mine, theirs = content(draft), content(proc)
    for key in ("header", "approval", "revisions", "scope", "steps", "documents", "forms"):
        assert mine[key] == theirs[key], key
    assert [zh(draft.objectives.aspects[a]) for a in "AQCTR"] == [zh(proc.objectives.aspects[a]) for a in "AQCTR"]
    assert [c.text.zh for c in draft.control_points] == [c.text.zh for c in proc.control_points]
    # the chart is a picture: the import says so rather than dropping it
    assert any("an image" in line for line in report.unplaced)


def test_the_export_reads_back_with_python_docx_header_fields_and_page_x_of_y_on_every_page():
    proc = published("sales-process-control")
    document = docx.Document(io.BytesIO(procedure_docx(proc, "zh", "current", "2026-12-07", b"")))
    header = document.sections[0].header
    texts = [p.text for p in header.paragraphs]
    assert texts[0] == "销售过程控制流程"
    assert texts[1] == f"编号 QP-XS-01　版号 {proc.version}　生效日期 {proc.effective_date}　状态 现行"
    instructions = [node.text.strip() for node in header._element.iter() if node.tag.endswith("}instrText")]
    assert instructions == ["PAGE", "NUMPAGES"] and texts[2] == "第 1 页 共 1 页"  # fields: Word counts them
    cover = document.tables[0]
    assert [c.text for c in cover.rows[0].cells] == ["编号", "QP-XS-01", "版号", proc.version]
    assert document.tables[1].rows[1].cells[3].text == proc.approval.approved_by.name
    steps = next(t for t in document.tables if t.rows[0].cells[0].text == "步骤")
    assert [c.text for c in steps.rows[0].cells] == ["步骤", "说明", "负责人", "输出", "下一步"]
    # where the flow ends, as the page says it (A/5 took out the fork after step 2: see its entry)
    assert steps.rows[-1].cells[4].text == "→ 待定：原件无流程图：步骤7之后如何进行、何时销售结束不明。"
    fixture = ROOT / "tests" / "fixtures" / "complaint-handling.yaml"
    flow, diags = load_bytes(fixture.name, fixture.read_bytes(), "complaint-handling")
    assert flow is not None, diags
    flow_copy = docx.Document(io.BytesIO(procedure_docx(flow, "zh", "current", "2026-12-07", b"")))
    table = next(t for t in flow_copy.tables if t.rows[0].cells[0].text == "步骤")
    nexts = {row.cells[0].text: row.cells[4].text for row in table.rows[1:]}
    assert nexts["6.2 登记投诉"] == "判断：是否构成投诉？\n是：6.3 评价是否需要报告\n否：不构成投诉"  # a decision
    assert nexts["6.4 组织调查"] == "→ 6.5 技术分析\n→ 6.6 与顾客沟通\n（同时开始）"  # a fork
    assert nexts["6.7 批准纠正和预防措施"] == "汇合：待各并行分支完成后开始\n→ 6.8 答复顾客并结案"  # its join
    english = docx.Document(io.BytesIO(procedure_docx(proc, "en", "superseded", "2026-12-07")))
    assert english.sections[0].header.paragraphs[2].text == "Page 1 of 1"
    assert "Status Obsolete" in english.sections[0].header.paragraphs[1].text
    assert english.paragraphs[0].text == proc.title.en


def test_yaml_text_stays_text_in_the_word_copy(tmp_path):
    source = (ROOT / "tests" / "fixtures" / "golden" / "escaping.a1.yaml").read_bytes()
    proc, diags = load_bytes("escaping.yaml", source, "escaping")
    assert proc is not None, diags
    for lang, title in (("zh", "测试<程序>&“引号”"), ("en", 'Test <b>procedure</b> & "quotes"')):
        document = docx.Document(io.BytesIO(procedure_docx(proc, lang, "current", "2026-12-07", None)))
        assert document.paragraphs[0].text == title  # as written: never read as markup
        assert document.sections[0].header.paragraphs[0].text == title
        assert not document.paragraphs[0]._p.xpath(".//w:b")  # the <b> stayed text, nothing turned bold


def soffice_pdf(docx_file: Path, tmp_path: Path) -> Path:
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed (apt-get install libreoffice-writer-nogui): no PDF conversion")
    subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path}/lo-profile", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(docx_file)], check=True, capture_output=True, timeout=300)
    return tmp_path / docx_file.with_suffix(".pdf").name


def test_libreoffice_converts_the_export_to_pdf_with_the_running_header_and_page_x_of_y_on_every_page(tmp_path):
    result = run_cli("export", "procedure/sales-process-control.yaml", "--out", str(tmp_path), "--today", "2026-12-07")
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"wrote {tmp_path}/QP-XS-01_a-1_zh.docx\n"
    pdf = PdfReader(soffice_pdf(tmp_path / "QP-XS-01_a-1_zh.docx", tmp_path))
    pages = [page.extract_text() for page in pdf.pages]
    assert len(pages) >= 3
    for number, text in enumerate(pages, 1):
        flat = re.sub(r"\s+", "", text)
        assert "销售过程控制流程" in flat and "编号QP-XS-01版号A/1生效日期2026-12-01状态现行" in flat, number
        assert f"第{number}页共{len(pages)}页" in flat, number


def test_export_of_an_earlier_revision_from_git_is_stamped_with_its_state_and_an_unknown_one_is_refused(tmp_path):
    result = run_cli("export", "procedure/sales-process-control.yaml", "--version", "A/0", "--lang", "en",
                     "--out", str(tmp_path), "--today", "2026-12-07")
    assert result.returncode == 0, result.stderr
    document = docx.Document(tmp_path / "sales-process-control_a-0_en.docx")
    assert "Status Draft" in document.sections[0].header.paragraphs[1].text
    pdf = run_cli("export", "procedure/sales-process-control.yaml", "--version", "A/2", "--format", "pdf",
                  "--out", str(tmp_path), "--today", "2026-12-07")
    assert pdf.returncode == 0, pdf.stderr
    first = PdfReader(tmp_path / "QP-XS-01_a-2_zh.pdf").pages[0].extract_text()
    assert "QP-XS-01" in first and "A/2" in first and "作废" in first  # the archived page, stamped obsolete
    missing = run_cli("export", "procedure/sales-process-control.yaml", "--version", "C/9", "--out", str(tmp_path))
    assert missing.returncode == 1 and "Traceback" not in missing.stderr
    history = ", ".join(r.version for r in published("sales-process-control").revisions)  # each one committed
    assert f"QP-XS-01 has no revision C/9 in its history (it has {history})" in missing.stderr


def test_export_of_a_procedure_check_refuses_writes_nothing(tmp_path):
    (tmp_path / "procedure").mkdir()
    (tmp_path / "procedure" / "bad.yaml").write_text("number: X\nversion: A/0\n", encoding="utf-8")
    result = run_cli("export", "procedure/bad.yaml", "--out", "out", cwd=tmp_path)
    assert result.returncode == 1 and "export stopped" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_the_audit_package_holds_every_current_revision_the_registers_and_each_earlier_revision(tmp_path):
    repo = repository_at_a0_then_a1(tmp_path)
    result = run_cli("audit-package", "--out", "audit.zip", "--today", "2026-12-07", cwd=repo, timeout=600)
    assert result.returncode == 0, result.stderr
    with zipfile.ZipFile(repo / "audit.zip") as archive:
        names = sorted(archive.namelist())
        folder = next(n.split("/")[0] for n in names if "/" in n)
        assert names == sorted([
            "00-目录 index.txt",
            *(f"{reg}_{lang}.pdf" for reg in ("受控文件清单 Master list of documents", "质量记录一览表 List of quality records",
                                              "变更控制偏差记录 Register of change-control deviations") for lang in ("zh", "en")),
            *(f"{folder}/QP-T-01_a-1_{lang}.{ext}" for lang in ("zh", "en") for ext in ("pdf", "docx")),
            *(f"{folder}/QP-T-01_history_{lang}.pdf" for lang in ("zh", "en")),
            *(f"{folder}/history/QP-T-01_a-0_{lang}.pdf" for lang in ("zh", "en")),
        ])
        assert folder == "QP-T-01 测试程序"
        archived = PdfReader(io.BytesIO(archive.read(f"{folder}/history/QP-T-01_a-0_en.pdf"))).pages[0].extract_text()
        assert "OBSOLETE" in archived.upper()
        master = PdfReader(io.BytesIO(archive.read("受控文件清单 Master list of documents_zh.pdf"))).pages[0].extract_text()
        assert "QP-T-01" in master
        copy = docx.Document(io.BytesIO(archive.read(f"{folder}/QP-T-01_a-1_zh.docx")))
        assert copy.sections[0].header.paragraphs[0].text == "测试程序"
        index = archive.read("00-目录 index.txt").decode("utf-8")
        assert "as of / 截至 2026-12-07" in index and f"{folder}/history/QP-T-01_a-0_zh.pdf\n    A/0: 作废 (zh)" in index
    again = run_cli("audit-package", "--out", "audit-folder", "--lang", "zh", "--no-docx", "--today", "2026-12-07",
                    cwd=repo, timeout=600)
    assert again.returncode == 0, again.stderr
    assert sorted(p.name for p in (repo / "audit-folder").rglob("*.docx")) == []
    refused = run_cli("audit-package", "--out", "audit-folder", cwd=repo)
    assert refused.returncode == 1 and "the folder exists already" in refused.stderr


def test_the_audit_package_keeps_a_withdrawn_procedures_history_stamped_withdrawn(shared_repo):
    git(shared_repo, "rm", "-q", "procedure/two.yaml")
    write(shared_repo, "_withdrawn.yaml", WITHDRAWN)
    commit(shared_repo, "withdraw QP-T-02")
    result = run_cli("audit-package", "--out", "audit.zip", "--lang", "zh", "--no-docx", "--today", "2026-12-07",
                     cwd=shared_repo, timeout=600)
    assert result.returncode == 0, result.stderr
    with zipfile.ZipFile(shared_repo / "audit.zip") as archive:
        withdrawn = sorted(n for n in archive.namelist() if n.startswith("废止 withdrawn/"))
        assert [n.rsplit("/", 1)[1] for n in withdrawn] == ["QP-T-02_a-1_zh.pdf", "QP-T-02_history_zh.pdf"]
        page = PdfReader(io.BytesIO(archive.read(next(n for n in withdrawn if "_a-1_" in n)))).pages[0].extract_text()
        assert "废止" in page and "业务停止" in page


def test_record_control_and_the_distribution_list_go_to_word_and_come_back(tmp_path):
    """Issue 35's content, stated in full, both ways: the distribution list (a department with its
    note, roles, an outside party), each form's and record's owner, storage, retention with its
    trigger, disposal with its method, a record's source clause, and the decision that leaves a field
    待定. The draft checks with nothing left but the translation."""
    fixture = ROOT / "tests" / "fixtures" / "word-records.yaml"
    proc, diags = load_bytes("test.yaml", fixture.read_bytes(), "test")
    assert proc is not None, diags
    draft, report = reimported(proc, tmp_path, b"")
    assert content(draft) == content(proc)
    assert [(e.department.zh if e.department else None, e.role and draft.party(e.role).name.zh,
             e.external and draft.party(e.external).name.zh) for e in draft.distribution] == \
        [("行政部", None, None), (None, "文员", None), (None, "经理", None), (None, None, "顾客")]
    assert [r.form for r in draft.records] == [draft.forms[0].id, None, None]  # the form's record names its form
    assert (draft.records.items[1].retention_trigger.zh, draft.records.items[1].disposal_method) == ("月报发出", "hand-over")
    assert draft.documents[0].recipients == (draft.steps[1].owner, draft.distribution.items[3].external)
    copy = docx.Document(tmp_path / "test.docx")
    assert copy.tables[0].rows[-1].cells[0].text == "发放范围"
    assert copy.tables[0].rows[-1].cells[1].text == "行政部（受控副本第3号）、文员、经理、顾客"
    # the draft, written where a library keeps it, checks with only the English left to write
    (tmp_path / "procedure").mkdir()
    data, _ = import_document(tmp_path / "test.docx")
    (tmp_path / "procedure" / "test.yaml").write_text(dump(data, report, "schema.json"), encoding="utf-8")
    result = run_cli("check", "--today", "2026-12-07", "procedure", cwd=tmp_path)
    errors = [line for line in result.stdout.splitlines() if ": error: " in line]
    assert errors and all(line.endswith("[untranslated]") for line in errors), result.stdout
