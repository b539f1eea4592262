"""Measure what WeasyPrint costs for the worst forms and procedures `check` could accept
(CPU seconds and peak memory of one worker per document), to set rules/limits.py.

    PYTHONPATH=$PWD .venv/bin/python bench/limits_cost.py form ROWS COLUMNS OPTIONS OPTION_CHARS
    PYTHONPATH=$PWD .venv/bin/python bench/limits_cost.py largest

Each document renders in a fresh process; the figures are that process's own (getrusage), so
other work on the machine slows the run but does not change them much.
"""
from __future__ import annotations

import json
import resource
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MINIMAL = ROOT / "tests" / "fixtures" / "minimal.yaml"


def form_yaml(rows: int, columns: int, options: int, option_chars: int, header: int = 0, label_chars: int = 8) -> str:
    word = "选" * max(1, option_chars // 2) if option_chars else "选"
    opts = ", ".join(f"{{zh: {word}{i}, en: {'o' * option_chars}{i}}}" for i in range(options))
    fields = "".join(f"      - {{id: c{i}, label: {{zh: {'列' * label_chars}{i}, en: {'C' * label_chars}{i}}}, "
                     f"type: choice, options: [{opts}]}}\n" for i in range(columns))
    heads = "".join(f"      - {{id: h{i}, label: {{zh: 项{i}, en: Item {i}}}, type: text}}\n" for i in range(header))
    if header:
        return f"    rows: {rows}\n    fields:\n{heads}    columns:\n{fields}"
    return f"    rows: {rows}\n    fields:\n{fields}"


# The minimal procedure's form layout, replaced by the shape measured (its record fields and the
# procedure's distribution list after it stay, so the procedure still passes check).
MINIMAL_FORM_SHAPE = "    rows: 5\n    fields:\n      - {id: date, label: {zh: 日期, en: Date}, type: date}\n"


def with_form_shape(shape: str) -> str:
    text = MINIMAL.read_text(encoding="utf-8")
    assert text.count(MINIMAL_FORM_SHAPE) == 1, "tests/fixtures/minimal.yaml changed its form: update MINIMAL_FORM_SHAPE"
    return text.replace(MINIMAL_FORM_SHAPE, shape)


def procedure_with_form(shape: str) -> bytes:
    return with_form_shape(shape).encode("utf-8")


def form_html_of(data: bytes) -> str:
    from generators.render import printable
    from generators.source.loader import load_bytes

    proc, diags = load_bytes("measure.yaml", data, "measure")
    assert proc is not None, [d.format() for d in diags]
    return printable.form_html(proc, proc.forms[0], "zh", "2026-12-01")


WORKER = """
import resource, sys, weasyprint
html = sys.stdin.read()
pdf = weasyprint.HTML(string=html).write_pdf()
u = resource.getrusage(resource.RUSAGE_SELF)
print(u.ru_utime + u.ru_stime, u.ru_maxrss, len(pdf))
"""


def render_cost(html: str) -> dict:
    done = subprocess.run([sys.executable, "-c", WORKER], input=html, capture_output=True, text=True)
    if done.returncode != 0:
        return {"failed": done.stderr[-300:]}
    cpu, rss, size = done.stdout.split()
    return {"cpu_s": round(float(cpu), 1), "rss_mb": int(rss) // 1024, "pdf_kb": int(size) // 1024, "html_kb": len(html) // 1024}


def largest_procedure() -> str:
    """The largest procedure `check` accepts for what a PDF costs: its form at the form limits
    (rules/limits.py: boxes, cells and choice boxes; printed characters) and its page at the text limit."""
    from generators.rules import limits

    option = "选" * 5 + "项" * 5  # 10 characters; with its box, 11 per option and row
    opts = ", ".join(f"{{zh: {option}{i}, en: Option{i:03d}x}}" for i in range(5))
    columns = "".join(f"      - {{id: c{i}, label: {{zh: 第{i}列, en: Column {i}}}, type: choice, options: [{opts}]}}\n"
                      for i in range(8))
    header = "".join(f"      - {{id: h{i}, label: {{zh: 项目{i}, en: Item {i}}}, type: text}}\n" for i in range(limits.MAX_FORM_FIELDS))
    form = f"    rows: 40\n    fields:\n{header}    columns:\n{columns}"
    text = with_form_shape(form)
    # The page: clauses of nearly the longest text, up to the page's limit in each language.
    per_clause = limits.MAX_TEXT_CHARS - 100
    count = (limits.MAX_PAGE_CHARS - 3_000) // per_clause
    zh = ("本条规定控制要求，" * 500)[:per_clause - 1] + "。"
    en = ("This clause states a control requirement. " * 200)[:per_clause - 1] + "."
    clauses = "".join(f"  - {{number: '{i + 1}', text: {{zh: '{zh}', en: '{en}'}}}}\n" for i in range(count))
    return text + "clauses:\n" + clauses


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    if sys.argv[1] == "form":
        rows, columns, options, chars = map(int, sys.argv[2:6])
        header = int(sys.argv[6]) if len(sys.argv) > 6 else 0
        html = form_html_of(procedure_with_form(form_yaml(rows, columns, options, chars, header)))
        print(json.dumps({"rows": rows, "columns": columns, "options": options, "option_chars": chars,
                          **render_cost(html)}))
    elif sys.argv[1] == "largest":
        folder = Path(sys.argv[2])
        (folder / "procedure").mkdir(parents=True, exist_ok=True)
        (folder / "procedure" / "qp-t-01.yaml").write_text(largest_procedure(), encoding="utf-8")
        print(folder / "procedure" / "qp-t-01.yaml")
