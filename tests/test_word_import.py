"""Word in (issue 32): `python -m generators import FILE.docx` gives an A/0 draft whose Chinese is the
document's, word for word, whose structure is the document's, and which lists what it cannot place.

The Word files are made from the seed by ``tests/fixtures/word/make_fixtures.py`` (python-docx, one
copy saved again by LibreOffice), each with its own mess: numbers typed as text or given by Word's
lists, full-width numbers, bold clause titles, merged cells, a step table split across two pages.
"""
from __future__ import annotations

import os
import re
import shutil

import pytest
import yaml

from conftest import FIXTURES, run_cli
from test_faithful import chinese_texts, normalise, seed_text, sentences

from generators.edit.word_import import import_document, split_number

WORD = FIXTURES / "word"
SEED_DOCUMENTS = ["sales-and-service-control", "marketing-service-process-control", "sales-process-control",
                  "medical-device-sales-service"]


def draft(name: str) -> dict:
    data, _ = import_document(WORD / name)
    return _plain(data)


def _plain(node):
    if isinstance(node, dict):
        return {k: _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    return node


def a0(slug: str) -> dict:
    return yaml.safe_load((FIXTURES / f"{slug}-a0.yaml").read_text(encoding="utf-8"))


def numbers(items, key: str = "items") -> list:
    """The clause tree as (number, children) pairs."""
    return [(item.get("number"), numbers(item.get(key, []))) for item in items if isinstance(item, dict) and "zh" not in item
            and "gap" not in item and "gap" not in item.get("text", {}) and "gap" not in item.get("title", {})]


@pytest.mark.parametrize("slug", SEED_DOCUMENTS)
def test_every_chinese_sentence_of_the_imported_draft_is_in_the_seed_document(slug):
    data = draft(f"{slug}.docx")
    seed = normalise(seed_text(slug))
    texts = chinese_texts(data)
    assert len(texts) >= 5
    invented = [f"{path}: {sentence!r}" for path, text in texts for sentence in sentences(text) if sentence not in seed]
    assert not invented, "not in the seed:\n" + "\n".join(invented)


@pytest.mark.parametrize("slug", SEED_DOCUMENTS)
def test_the_import_writes_no_english_only_the_untranslated_marker_or_a_gap_note(slug):
    def english(node, path=""):
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "en" and "gap" not in path.split(".")[-2:]:
                    yield path, value
                yield from english(value, f"{path}.{key}")
        elif isinstance(node, list):
            for i, value in enumerate(node):
                yield from english(value, f"{path}[{i}]")

    found = {value for path, value in english(draft(f"{slug}.docx")) if not path.endswith(".gap")}
    assert found == {"[untranslated]"}


def test_typed_numbers_bold_titles_and_letter_items_give_the_clause_tree_of_the_transcription():
    data, expected = draft("sales-and-service-control.docx"), a0("sales-and-service-control")
    assert numbers(data["clauses"]) == numbers(expected["clauses"])
    assert [r["number"] for r in data["responsibilities"]] == [r["number"] for r in expected["responsibilities"]]
    assert [c["title"]["zh"] for c in data["clauses"]] == ["合同评审"]
    assert data["clauses"][0]["items"][0]["title"]["zh"] == "合同分类"
    assert data["clauses_title"]["zh"] == "内容和办法"
    assert data["title"]["zh"] == "销售和服务控制程序" and data["version"] == "A/0" and data["number"] == ""
    for key in ("purpose", "scope"):
        assert normalise(data[key]["zh"]) == normalise(expected[key]["zh"])


def test_word_list_numbering_and_full_width_typed_numbers_give_the_clause_tree_of_the_transcription():
    data, expected = draft("marketing-service-process-control.docx"), a0("marketing-service-process-control")
    assert numbers(data["clauses"]) == numbers(expected["clauses"])
    assert data["clauses"][1]["items"][-1]["number"] == "4.2.4"  # typed as ４．２．４
    assert data["clauses_title"]["zh"] == "控制要求"
    assert [normalise(r["text"]["zh"]) for r in data["responsibilities"]] == \
        [normalise(r["text"]["zh"]) for r in expected["responsibilities"]]


def test_a_copy_saved_by_libreoffice_imports_as_the_python_docx_original():
    copy = WORD / "marketing-service-process-control.lo.docx"
    if not copy.exists():
        pytest.skip("no LibreOffice copy was made (soffice was not installed when the fixtures were made)")
    assert draft(copy.name) == draft("marketing-service-process-control.docx")


def test_a_step_table_split_across_pages_and_a_document_table_become_steps_and_documents_as_written():
    data, expected = draft("sales-process-control.docx"), a0("sales-process-control")
    assert [s["title"]["zh"] for s in data["steps"]] == [s["title"]["zh"] for s in expected["steps"]]
    assert [s.get("clause") for s in data["steps"]] == [s["clause"] for s in expected["steps"]]
    roles = {r["id"]: r["name"]["zh"] for r in data["roles"]}
    owners = [roles.get(s["owner"]) if isinstance(s["owner"], str) else None for s in data["steps"]]
    assert owners == [None, "项目销售主管", "项目策划主管", "项目策划主管", "项目策划主管", "项目销售主管", None]
    assert [roles[r] for r in list(roles)[:4]] == [r["name"]["zh"] for r in expected["roles"]]
    assert [[sub["number"] for sub in s.get("substeps", [])] for s in data["steps"]] == \
        [[sub["number"] for sub in s.get("substeps", [])] for s in expected["steps"]]
    assert len(data["documents"]) == len(expected["documents"])
    assert "gap" in data["documents"][2]["title"]  # the row without a name stays a marked gap
    assert [c["text"]["zh"] for c in data["control_points"]] == [c["text"]["zh"] for c in expected["control_points"]]
    assert "gap" in data["objectives"]["A"] and data["objectives"]["C"]["zh"] == "成本控制准确"


def test_the_cover_gives_number_version_and_title_and_stray_numbers_go_to_the_clauses():
    data, report = import_document(WORD / "medical-device-sales-service.docx")
    assert (data["number"], data["version"], data["title"]["zh"]) == ("XXXX-QP7.5.1-2015", "B/0", "销售服务提供过程控制程序")
    assert [r["number"] for r in data["responsibilities"]] == ["3.1"]  # typed ３．１
    assert [c["number"] for c in data["clauses"]] == ["4.1.1", "4.3", "4.4.3"]
    assert [i["number"] for i in data["clauses"][2]["items"]] == ["a)", "b)", "c)"]
    assert report.unplaced == ["paragraph 1: an image (add the chart or picture to the procedure by hand)",
                               "the cover: “医疗投资有限公司” (not a header field)"]


def test_what_cannot_be_placed_is_listed_with_its_position_never_dropped_silently():
    data, report = import_document(WORD / "unplaceable.docx")
    assert report.unplaced == [
        "paragraph 2: an image (add the chart or picture to the procedure by hand)",
        "paragraph 4: a tracked insertion “及售后服务” (not imported: accept or reject the changes in Word, then import again)",
        "paragraph 4: a tracked deletion “全过程” (the deleted text is not imported)",
        "paragraph 6: comment 0 (comments are not imported)",
        "paragraph 7: a field {PAGEREF _Toc1} (its current result, if any, is kept as text)",
        "paragraph 8: a text box: “流程图见附件”",
    ]
    assert data["scope"]["zh"] == "适用于公司销售全过程的控制。"  # tracked changes neither applied nor lost
    # number, version and effective date only in the running header: read from there, and said so
    assert (data["number"], data["version"], str(data["effective_date"])) == ("QP-T-09", "A/2", "2026-03-01")
    assert "the number “QP-T-09” is from the page header" in report.notes
    assert data["responsibilities"][1]["text"]["zh"] == "销售部负责顾客沟通，见第3页。"
    assert "流程图见附件" not in yaml.safe_dump(_plain(data), allow_unicode=True)


def test_responsibilities_get_no_invented_role_only_a_marked_gap():
    data = draft("sales-and-service-control.docx")
    assert data["roles"] == []
    assert all(set(r["role"]) == {"gap"} for r in data["responsibilities"])


@pytest.mark.parametrize("text, expected", [
    ("4.1.1合同分类", ("dotted", "4.1.1", "合同分类")),
    ("４．２．４按照合同", ("dotted", "４．２．４", "按照合同")),
    ("1目的", ("dotted", "1", "目的")),
    ("3、职责：销售部负责", ("dotted", "3", "职责：销售部负责")),
    ("a)一般合同", ("letter", "a", "一般合同")),
    ("（1）客户", ("paren-number", "（1）", "客户")),
    ("一、总则", ("chinese", "一", "总则")),
    ("第三条 销售", ("article-条", "第三条", "销售")),
    ("第一章 总则", ("article-章", "第一章", "总则")),
    ("4.1.2–4.2 待定：原件4.1.2至4.2缺失", ("dotted", "4.1.2–4.2", "待定：原件4.1.2至4.2缺失")),  # a range a gap stands for
    ("2026年起执行", None),
    ("30天内完成", None),
    ("3–5天内完成", None),
])
def test_clause_numbers_as_typed_are_recognised_and_dates_and_quantities_are_not(text, expected):
    assert split_number(text) == expected


def test_the_import_command_writes_a_draft_that_check_reports_as_untranslated(tmp_path):
    shutil.copy(WORD / "sales-and-service-control.docx", tmp_path / "sales-and-service-control.docx")
    result = run_cli("import", "sales-and-service-control.docx", "--number", "QP-XS-10", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    out = tmp_path / "procedure" / "sales-and-service-control.yaml"
    assert "wrote procedure/sales-and-service-control.yaml" in result.stdout
    assert yaml.safe_load(out.read_text(encoding="utf-8"))["number"] == "QP-XS-10"
    check = run_cli("check", "procedure", cwd=tmp_path)
    assert check.returncode == 1 and "Traceback" not in check.stderr
    assert re.search(r"procedure/sales-and-service-control.yaml:\d+:10: error: purpose: not translated yet: '为了规范", check.stdout)
    again = run_cli("import", "sales-and-service-control.docx", cwd=tmp_path)
    assert again.returncode == 1 and "exists already" in again.stderr


def test_a_file_that_is_not_a_word_document_is_refused_with_a_reason_and_no_traceback(tmp_path):
    (tmp_path / "old.docx").write_bytes(b"\xd0\xcf\x11\xe0 an old binary .doc renamed")
    result = run_cli("import", "old.docx", "--out", "procedure/old.yaml", cwd=tmp_path)
    assert result.returncode == 1
    assert "old.docx: error: is not a Word document (.docx); save a .doc or .wps as .docx first" in result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "procedure" / "old.yaml").exists()
    chinese = run_cli("import", "old.docx", cwd=tmp_path)
    assert chinese.returncode == 1  # refused before naming: unreadable
    shutil.copy(WORD / "sales-and-service-control.docx", tmp_path / "销售和服务控制程序.docx")  # no number on its cover
    named = run_cli("import", "销售和服务控制程序.docx", cwd=tmp_path)
    assert named.returncode == 2 and "give --out procedure/<name>.yaml" in named.stderr


def test_a_folder_of_word_files_imports_in_one_run_each_named_after_its_file_or_its_number(tmp_path):
    folder = tmp_path / "word"
    folder.mkdir()
    shutil.copy(WORD / "sales-and-service-control.docx", folder / "sales-and-service-control.docx")
    shutil.copy(WORD / "medical-device-sales-service.docx", folder / "医疗器械销售服务.docx")  # named by its number
    (folder / "~$les-and-service-control.docx").write_bytes(b"Word's lock file")
    result = run_cli("import", "word", cwd=tmp_path)
    assert result.returncode == 2, result.stdout  # one draft cannot be named: XXXX-QP7.5.1-2015 is no file name
    assert "imported 1 of 2 file(s)" in result.stdout
    assert sorted(p.name for p in (tmp_path / "procedure").iterdir()) == ["sales-and-service-control.yaml"]
    shutil.copy(WORD / "sales-process-control.docx", folder / "销售过程控制流程.docx")
    again = run_cli("import", "word/销售过程控制流程.docx", "--number", "QP-XS-01", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert (tmp_path / "procedure" / "qp-xs-01.yaml").exists()
    both = run_cli("import", "word", "--out", "x.yaml", cwd=tmp_path)
    assert both.returncode == 2 and "--out names the draft of one file" in both.stderr


PIECES = ["待定：无名", "QR-T-01 登记表（A/0）", "附表1：QR-T-02《记录表》", "1目的", "2 范围", "3、职责", "4 工作程序", "4.1 合同评审", "４．２．１交付", "a)一般合同，", "（1）客户", "一、总则",
          "第三条 销售", "修订记录", "相关文件", "记录", "术语和定义", "定义：说明", "外部相关方：顾客", "主要涉及岗位",
          "销售部负责。", "", "5.9.9.9 深", "z)", "99 不是章节", "控制目标", "2.1目标", "待定：原件缺失。"]
CELLS = ["待定：空", "", "", "表单编号", "版号", "编号", "版号", "A/1", "编制", "审核", "批准", "姓名", "日期", "2026-13-45", "步骤", "负责人", "输出", "说明",
         "文档名称", "保存期限", "记录名称", "表单编号", "修订内容", "A(数量)", "Q(质量)", "", "销售部", "1销售"]


@pytest.mark.parametrize("seed", range(int(os.environ.get("WORD_FUZZ_DOCUMENTS", "40"))))
def test_any_arrangement_of_layout_pieces_imports_without_a_traceback_and_checks(seed, tmp_path):
    import random

    import docx

    rng = random.Random(seed)
    document = docx.Document()
    for _ in range(rng.randint(0, 40)):
        if rng.random() < 0.2:
            rows, cols = rng.randint(1, 4), rng.randint(1, 6)
            table = document.add_table(rows=rows, cols=cols)
            for r in range(rows):
                for c in range(cols):
                    table.cell(r, c).text = rng.choice(CELLS)
            if rows > 1 and cols > 1 and rng.random() < 0.5:
                table.cell(0, 0).merge(table.cell(rng.randint(0, rows - 1), 1))
        else:
            document.add_paragraph(rng.choice(PIECES) + rng.choice(["", "销售部负责。", "：", "\n续"]),
                                   style=rng.choice([None, "Heading 1", "Heading 2", "Title"]))
    path = tmp_path / "random.docx"
    document.save(path)
    data, report = import_document(path)
    from generators.edit.word_import import dump
    from generators.source.loader import load_bytes

    proc, diags = load_bytes("random.yaml", dump(data, report, "s.json").encode("utf-8"), "random")
    assert proc is not None or diags  # the draft is YAML the loader reads (errors located, never a crash)


@pytest.mark.parametrize("heading, key", [("目的", "purpose"), ("适用范围：", "scope"), ("职责 Responsibilities", "responsibilities"),
                                          ("术语和定义 Terms and definitions", "definitions"), ("控制要求", "clauses"),
                                          ("目的地", None), ("Purpose", "purpose")])
def test_section_headings_are_known_by_their_words_with_or_without_an_english_translation(heading, key):
    from generators.edit.word_import import section_of

    assert section_of(heading) == key
