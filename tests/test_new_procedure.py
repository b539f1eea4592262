"""`python -m generators new`: a new 程序文件 from the standard template checks, and builds, at once."""
from __future__ import annotations

from conftest import run_cli
from generators.render.site import render_pages
from generators.source.library import Library
from generators.source.loader import load_file

ARGS = ["--number", "QP-ZL-10", "--title", "纠正措施控制程序", "--title-en", "Corrective Action Procedure",
        "--drafted-by", "孙丽", "--reviewed-by", "周平", "--approved-by", "吴刚", "--today", "2027-02-01"]


def test_a_new_procedure_checks_with_one_to_be_determined_warning_per_section_to_write(tmp_path):
    path = tmp_path / "corrective-action.yaml"
    made = run_cli("new", str(path), *ARGS)
    assert made.returncode == 0, made.stderr
    checked = run_cli("check", "--today", "2027-02-01", str(path))
    assert checked.returncode == 0, checked.stdout
    assert checked.stdout.splitlines()[-1] == "OK: 1 procedure checked, 9 warning(s)"
    assert all(line.endswith("[gap]") for line in checked.stdout.splitlines() if ": warning: " in line)
    for section in ("purpose:", "scope:", "responsibilities:", "definitions:", "clauses:", "related_documents:", "records:"):
        assert f"\n{section}" in path.read_text(encoding="utf-8")


def test_a_new_procedure_renders_its_standard_sections_in_order_as_to_be_determined(tmp_path):
    path = tmp_path / "corrective-action.yaml"
    assert run_cli("new", str(path), *ARGS).returncode == 0
    proc, _ = load_file(path)
    page = render_pages(Library([proc]), None, set(), {}, "2027-02-01")["corrective-action/index.zh.md"]
    headings = [line.split(" {")[0] for line in page.splitlines() if line.startswith("## ") and line[3].isdigit()]
    assert headings[:7] == ["## 1 目的", "## 2 范围", "## 3 职责", "## 4 术语和定义", "## 5 工作程序", "## 6 相关文件",
                            "## 7 记录"], headings
    assert "待定" in page


def test_new_never_overwrites_and_refuses_a_number_out_of_pattern(tmp_path):
    path = tmp_path / "corrective-action.yaml"
    path.write_text("keep me", encoding="utf-8")
    again = run_cli("new", str(path), *ARGS)
    assert again.returncode == 2 and "already exists" in again.stderr
    assert path.read_text(encoding="utf-8") == "keep me"
    bad = run_cli("new", str(tmp_path / "other.yaml"), *[a if a != "QP-ZL-10" else "zl 10" for a in ARGS])
    assert bad.returncode == 2 and "does not follow the pattern" in bad.stderr
    assert not (tmp_path / "other.yaml").exists()
