"""The PDF cache across days (render/pdf.py): a PDF is cached by its content, not by the date it is
generated on, so the first build of a day renders only what changed, and a cached PDF keeps the date
it was truly made on. What depends on the day (a revision's state, a draft stamp) is content."""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

from conftest import FIXTURES, replaced
from generators.build import build_site
from generators.check import check_paths
from generators.render.pdf import cache_key, dated_style
from generators.render.printable import checklist_html, form_html
from generators.render.site import inner_path
from generators.source.paths import procedure_pdf
from generators.source.model import LANGUAGES
from generators.source.labels import label
from generators.source.library import Library
from generators.source.loader import load_bytes

import pytest


def minimal(text_edit=None):
    text = (FIXTURES / "minimal.yaml").read_text(encoding="utf-8")
    if text_edit:
        text = text_edit(text)
    proc = load_bytes("qp-t-01.yaml", text.encode(), "qp-t-01")[0]
    return proc, proc.forms[0]


def test_a_library_in_another_folder_finds_its_pdfs_but_another_font_is_another_pdf():
    """The compact fonts are named by absolute path in a print document; the cache key keeps their
    file name (their digest), not the folder the project lies in."""
    proc, form = minimal()
    document = form_html(proc, form, "zh", "2026-12-07")
    fonts = re.findall(r'url\("(file://[^"]*)/NotoSansCJKsc-', document)
    assert fonts, "the document names the compact fonts"
    elsewhere = document.replace(fonts[0], "file:///elsewhere/checkout/.cache/fonts")
    assert elsewhere != document and cache_key(elsewhere) == cache_key(document)
    other_font = re.sub(r"gb2312-[0-9a-f]{16}", "gb2312-0123456789abcdef", document)
    assert cache_key(other_font) != cache_key(document)


def test_the_cache_key_leaves_out_the_generation_date_and_nothing_else():
    proc, form = minimal()
    monday, tuesday = form_html(proc, form, "zh", "2026-12-07"), form_html(proc, form, "zh", "2026-12-08")
    assert monday != tuesday and "2026-12-07" in monday  # the date is printed
    assert cache_key(monday) == cache_key(tuesday)
    # the content is in the key: another title, a draft stamp
    retitled, _ = minimal(lambda text: text.replace("zh: 登记表", "zh: 记录表", 1))
    assert cache_key(form_html(retitled, retitled.forms[0], "zh", "2026-12-07")) != cache_key(monday)
    assert cache_key(form_html(proc, form, "zh", "2026-12-07", draft=True)) != cache_key(monday)
    library = Library([proc])
    role_id = next(r for r in library.roles if library.duties(r))
    duties = library.duties(role_id)
    checklists = [checklist_html(library.roles[role_id], duties, "en", day) for day in ("2026-12-07", "2026-12-08")]
    assert checklists[0] != checklists[1] and cache_key(checklists[0]) == cache_key(checklists[1])


def test_only_the_heads_dated_style_is_left_out():
    head = "<html><head><title>x</title><style>p {}</style>"
    one = f"{head}{dated_style('@page { margin: 1cm }')}</head><body><p>a</p></body></html>"
    assert cache_key(one) == cache_key(f"{head}</head><body><p>a</p></body></html>")
    # in the body (where no escaped text could put it anyway) it is content
    body = f"{head}</head><body>{dated_style('a')}</body></html>"
    assert cache_key(body) != cache_key(f"{head}</head><body></body></html>")
    with pytest.raises(ValueError):
        dated_style("</style><p>")


def test_a_title_that_looks_like_a_dated_style_is_escaped_and_stays_in_the_key():
    proc, form = minimal()
    tricky, _ = minimal(lambda text: text.replace("zh: 登记表", "zh: '<style data-generated>a</style>登记表'", 1))
    html = form_html(tricky, tricky.forms[0], "zh", "2026-12-07")
    assert html.count("<style data-generated>") == 1
    assert cache_key(html) != cache_key(form_html(proc, form, "zh", "2026-12-07"))


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_the_next_days_build_renders_no_unchanged_pdf_and_a_state_change_renders_the_procedure_again(tmp_path, monkeypatch):
    """A revision pending on Monday comes into force on Tuesday: its procedure copies are rendered
    again and say so; the forms and checklists, unchanged, keep Monday's PDF and date."""
    (tmp_path / "procedure").mkdir()
    text = replaced((FIXTURES / "minimal.yaml").read_text(encoding="utf-8"),
                    "effective_date: 2026-12-01", "effective_date: 2026-12-08")
    (tmp_path / "procedure" / "qp-t-01.yaml").write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    library = tmp_path / "docs" / "library"
    stats = {}
    for day in ("2026-12-07", "2026-12-08", "2026-12-09"):
        result = check_paths(["procedure"], parallel=False, today=day)
        assert result.ok, [d.format() for d in result.diagnostics]
        stats[day] = build_site(result.procedures, docs_dir=tmp_path / "docs", pdf=True, today=day).pdfs
        if day == "2026-12-07":
            monday = {p.relative_to(library).as_posix(): pdf_text(p) for p in library.rglob("*.pdf")}
    procedure_copies = [inner_path(procedure_pdf("qp-t-01", "A/1", lang)) for lang in LANGUAGES]
    assert len(procedure_copies) == 2, sorted(monday)
    assert stats["2026-12-08"].rendered == 2, "only the procedure copies, whose state changed"
    assert stats["2026-12-08"].cached == len(monday) - 2  # (one blank form PDF at two addresses: rendered once)
    assert stats["2026-12-09"].rendered == 0  # nothing changed since Tuesday
    tuesday = {p.relative_to(library).as_posix(): pdf_text(p) for p in library.rglob("*.pdf")}
    assert sorted(tuesday) == sorted(monday)
    generated = f"{label('generated', 'en')} "
    for path, text in tuesday.items():
        if path in procedure_copies:  # what is in force today: the running header's state
            lang = path[-6:-4]

            def state(key: str, day: str) -> str:
                return f"{label(key, lang)}{label('lparen', lang)}{label('status_as_of', lang)} {day}{label('rparen', lang)}"
            assert state("state_pending", "2026-12-07") in monday[path], path
            assert state("state_current", "2026-12-08") in text and generated + "2026-12-08" in text, path
        else:  # the same file: generated on Monday, and saying so
            assert text == monday[path] and generated + "2026-12-07" in text, path
    # Wednesday's copies are Tuesday's: the state, as of the day they were made, is still true
    wednesday = {p.relative_to(library).as_posix(): pdf_text(p) for p in library.rglob("*.pdf")}
    assert wednesday == tuesday
