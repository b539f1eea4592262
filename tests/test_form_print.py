"""Blank forms on paper: a wide ruled table prints landscape, a tick box stays with its label."""
from __future__ import annotations

import subprocess

from conftest import FIXTURES, replaced
from generators.render.pdf import PdfRenderer
from generators.render.printable import form_html
from generators.source.loader import load_bytes

ONE_COLUMN = "      - {id: date, label: {zh: 日期, en: Date}, type: date}\n"


def form_with(columns: int):
    fields = "".join(f"      - {{id: c{n}, label: {{zh: 栏目{n}, en: Column {n}}}, type: text}}\n" for n in range(columns - 1))
    fields += ("      - {id: done, label: {zh: 结果, en: Result}, type: choice,"
               " options: [{zh: 合格, en: Pass}, {zh: 不合格, en: Fail}]}\n")
    text = replaced((FIXTURES / "minimal.yaml").read_text(encoding="utf-8"), ONE_COLUMN, fields)
    proc = load_bytes("qp-t-01.yaml", text.encode(), "qp-t-01")[0]
    return proc, proc.form("log")


def test_a_ruled_table_of_eight_columns_prints_on_a_landscape_page_and_a_narrow_one_portrait(tmp_path):
    sizes = {}
    for columns in (4, 9):
        proc, form = form_with(columns)
        (pdf,) = PdfRenderer(cache_dir=tmp_path / "cache").render_many([form_html(proc, form, "zh", "2026-11-27")])
        (tmp_path / f"{columns}.pdf").write_bytes(pdf)
        info = subprocess.run(["pdfinfo", str(tmp_path / f"{columns}.pdf")], capture_output=True, text=True).stdout
        width, height = (float(v) for v in info.split("Page size:")[1].split("pts")[0].split(" x "))
        sizes[columns] = width > height
    assert sizes == {4: False, 9: True}


def test_each_tick_box_is_kept_with_its_label_in_a_ruled_table():
    proc, form = form_with(4)
    html = form_html(proc, form, "en", "2026-11-27")
    # One form for both languages: the box, the Chinese option and its English, in one unbreakable span.
    assert '<span class="option"><span class="box"></span><span class="cjk-word">合格</span> <span class="hint">Pass</span></span>' in html
