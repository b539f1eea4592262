"""Checklists and blank forms: pages on the site and PDFs (WeasyPrint), checked on their text and pixels."""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from conftest import PUBLISHED, published_procedure
from generators.check import check_paths
from generators.source.library import Library

PROC = published_procedure()
LIBRARY = Library([PROC])
LANGS = ("zh", "en")
# The shipped procedures, read as `check` reads them; blank forms are tested on the first one that has
# forms (the seed gives fields for few records: most are listed as records without a form).
SHIPPED = Library(check_paths([str(PUBLISHED.parent)]).procedures)
FORM_PROC = next(p for p in SHIPPED.procedures if p.forms)


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("proc", SHIPPED.procedures, ids=[p.slug for p in SHIPPED.procedures])
def test_every_named_form_is_defined_and_every_defined_form_is_named(proc):
    named = {o for s in proc.steps for o in s.outputs if proc.form(o)} | {d.form for d in proc.documents if d.form}
    defined = {f.id for f in proc.forms}
    assert named == defined
    form_titles = {f.title.zh: f.id for f in proc.forms}
    for step in proc.steps:  # a defined form a step's text names in 《》 is one of its outputs
        texts = [step.description.zh if step.description else ""] + [sub.zh for sub in step.substeps]
        for name in (n for t in texts for n in re.findall(r"《([^》]+)》", t)):
            if name in form_titles:
                assert form_titles[name] in step.outputs, (step.id, name)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("form_id", [f.id for f in FORM_PROC.forms])
def test_form_pdf_identifies_itself_and_holds_every_field(built_site, form_id, lang):
    form = FORM_PROC.form(form_id)
    path = built_site / "site" / "library" / FORM_PROC.slug / f"form-{form_id}_{lang}.pdf"
    assert path.stat().st_size < 200_000, f"{path.name} is {path.stat().st_size} bytes"
    text = squash(pdf_text(path))
    for expected in [form.number, form.version, form.title[lang], FORM_PROC.number, "Page1of1", "第1页共1页",
                     "空白表单/Blankform", "生成日期/Generated", form.retention[lang]]:
        assert squash(expected) in text, expected
    # A blank form is the paper a record is made on: it is not stamped uncontrolled, nor given a print date.
    assert "Uncontrolledwhenprinted" not in text and "打印日期" not in text
    for field in form.fields:
        assert squash(field.label[lang]) in text, field.label[lang]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("role_id", [r.id for r in PROC.roles])
def test_checklist_pdf_lists_the_roles_steps_and_ends_with_signatures(built_site, role_id, lang):
    path = built_site / "site" / "library" / PROC.slug / f"checklist-{role_id}_{lang}.pdf"
    text = squash(pdf_text(path))
    pages = len(PdfReader(path).pages)
    assert f"Page1of{pages}" in text and f"第1页共{pages}页" in text
    for expected in [PROC.number, PROC.version, LIBRARY.roles[role_id].name[lang], "Uncontrolledwhenprinted"]:
        assert squash(expected) in text
    for step in PROC.steps:
        title = squash(f"{step.number}. {step.title[lang]}")
        # Owned and taken-part-in steps are both on the role's checklist (a participant's part beside it).
        assert (title in text) == (step.owner == role_id or any(p.role == role_id for p in step.participants)), (step.id, role_id)
    assert squash({"zh": "执行人签名", "en": "Signed by"}[lang]) in text


@pytest.mark.parametrize("role_id", [r.id for r in PROC.roles])
def test_role_page_checklist_lists_exactly_the_steps_the_yaml_gives_the_role(built_site, role_id):
    html = (built_site / "site" / "en" / "library" / "roles" / role_id / "index.html").read_text(encoding="utf-8")
    section = re.split(r'<h2 id="[^"]*"', html.split(f'<h2 id="{PROC.slug}"')[1])[0]  # this procedure's part
    owned = re.split(r'id="steps-owned(?:_\d+)?"', section)[1].split("<h3")[0]
    listed = re.findall(r'href="[^"]*#step-([a-z0-9-]+)"', owned)
    assert listed == [s.id for s in PROC.steps if s.owner == role_id]


def test_pages_link_their_pdfs(built_site):
    site = built_site / "site"
    form_id = FORM_PROC.forms[0].id
    form_page = (site / "library" / FORM_PROC.slug / f"form-{form_id}" / "index.html").read_text(encoding="utf-8")
    assert f'href="../form-{form_id}_zh.pdf"' in form_page
    # The role page is the role's checklist: it links the checklist PDF of each procedure the role has a part
    # in, and a role in several procedures one combined checklist PDF too.
    for role_id in SHIPPED.roles:
        parts = [d for d in SHIPPED.duties(role_id) if not d.is_empty]
        role_page = (site / "en" / "library" / "roles" / role_id / "index.html").read_text(encoding="utf-8")
        for part in parts:
            assert f'href="../../{part.procedure.slug}/checklist-{role_id}_en.pdf"' in role_page, role_id
        assert (f'href="../../checklists/{role_id}_en.pdf"' in role_page) == (len(parts) > 1), role_id
    for lang, prefix, text in (("zh", "", "下载 PDF"), ("en", "en/", "Download PDF")):
        page = (site / prefix / "library" / PROC.slug / "index.html").read_text(encoding="utf-8")
        pdf = f"{PROC.slug}_{PROC.version.lower().replace('/', '-')}_{lang}.pdf"
        assert re.search(rf'href="[^"]*/?{re.escape(pdf)}"[^>]*>.*?{text}', page, re.S), lang  # en: i18n links the one file
        assert (site / "library" / PROC.slug / pdf).is_file()


def test_checklist_urls_published_before_lead_to_the_role_page(built_site):
    site = built_site / "site"
    moved = (site / "en" / "library" / PROC.slug / "checklist-deputy-gm" / "index.html").read_text(encoding="utf-8")
    assert f'url=../../roles/deputy-gm/#{PROC.slug}"' in moved
    combined = (site / "library" / "checklists" / "marketing-manager" / "index.html").read_text(encoding="utf-8")
    assert 'url=../../roles/marketing-manager/"' in combined and 'rel="canonical"' in combined


def test_every_pdf_page_renders_to_a_non_blank_image(built_site, tmp_path):
    pdfs = sorted((built_site / "site" / "library").rglob("*.pdf"))
    everything = Library(check_paths([str(built_site / "procedure")]).procedures)
    checklists = sum(not d.is_empty for r in everything.roles for d in everything.duties(r))
    combined = sum(len([d for d in everything.duties(r) if not d.is_empty]) > 1 for r in everything.roles)
    forms = sum(len(p.forms) for p in everything.procedures)
    assert len(pdfs) == 2 * (forms + checklists + combined + len(everything.procedures))
    for pdf in pdfs:
        prefix = tmp_path / pdf.stem
        subprocess.run(["pdftoppm", "-r", "20", "-gray", "-png", str(pdf), str(prefix)], check=True)
        images = sorted(tmp_path.glob(pdf.stem + "-*.png"))
        assert len(images) == len(PdfReader(pdf).pages)
        for image in images:
            lo, hi = Image.open(image).convert("L").getextrema()
            assert lo < 128 <= hi, f"{image.name} looks blank"


def test_pdfs_embed_subset_cjk_fonts(built_site):
    pdf = built_site / "site" / "library" / FORM_PROC.slug / f"form-{FORM_PROC.forms[0].id}_zh.pdf"
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    assert fonts
    for line in fonts:
        assert re.match(r"[A-Z]{6}\+", line), line  # subset tag
        assert " yes yes " in line  # embedded, subset
