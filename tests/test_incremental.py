"""`make serve` regenerates only what an edit touches (generators/incremental.py): after each kind
of edit, the focused result in docs/library/ is byte for byte what a whole build writes."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import copy_project
from synthetic import dump, procedure

from generators.build import build_site
from generators.check import check_paths
from generators.incremental import Session

TODAY = "2026-12-02"


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def whole_build(project: Path, pdf: bool) -> dict[str, bytes]:
    """What `python -m generators build` writes for the project as it is now, in a folder of its own."""
    result = check_paths(["procedure"], parallel=False, today=TODAY)
    assert result.ok, [d.format() for d in result.diagnostics]
    build_site(result.procedures, docs_dir=project / "whole", pdf=pdf, today=TODAY)
    return tree(project / "whole" / "library")


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= 1, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# Each edit of the shipped library, in order (each starts from the one before): what the session
# redid must equal a whole build. The second element: the procedures the session redoes.
EDITS = {
    "scope_text": (lambda p: replace_in(p / "procedure/sales-process-control.yaml", "  zh: 本流程适用于",
                                        "  zh: 本流程（改）适用于"), {"sales-process-control"}),
    # The Chinese title that another procedure's related documents name (without a number): that
    # procedure's page now links this one, so it is redone too.
    "title_another_procedure_names": (
        lambda p: replace_in(p / "procedure/sales-control.yaml", "title: {zh: 销售控制程序,", "title: {zh: 合同评审控制程序,"),
        {"sales-control", "marketing-service-process-control"}),
    "title_back": (
        lambda p: replace_in(p / "procedure/sales-control.yaml", "title: {zh: 合同评审控制程序,", "title: {zh: 销售控制程序,"),
        {"sales-control", "marketing-service-process-control"}),
    "number": (lambda p: replace_in(p / "procedure/sales-process-control.yaml", "number: QP-XS-01", "number: QP-XS-91"), {"sales-process-control"}),
    # A step given to another role: both roles' pages change.
    "step_owner": (lambda p: replace_in(p / "procedure/sales-process-control.yaml", "owner: marketing-manager",
                                        "owner: project-sales-supervisor"), {"sales-process-control"}),
    "check_fails_then_mended": (None, {"sales-process-control"}),
    "two_files_at_once": (lambda p: (replace_in(p / "procedure/sales-control.yaml", "en: Sales Control Procedure}",
                                                "en: Sales Control Procedure (edited)}"),
                                     replace_in(p / "procedure/contract-order-review.yaml",
                                                "en: Contract and Order Review Procedure}",
                                                "en: Contract and Order Review Procedure (edited)}")),
                          {"sales-control", "contract-order-review"}),
}


@pytest.fixture(scope="module")
def shipped_library_session(tmp_path_factory):
    """The session over a copy of the shipped library, taken through EDITS; each edit's focused
    result and a whole build of the same sources, keyed by the edit's name."""
    project = copy_project(tmp_path_factory.mktemp("incremental") / "project")
    here = Path.cwd()
    os.chdir(project)
    try:
        session = Session(["procedure"], Path("docs"), pdf=False, today=TODAY)
        result, stats, focus = session.update()
        assert result.ok and focus is None
        outcomes = {"first": (tree(project / "docs" / "library"), whole_build(project, False), focus)}
        for name, (edit, _) in EDITS.items():
            if edit is None:  # a broken edit in between: nothing is written, then the mended file
                source = project / "procedure/sales-process-control.yaml"
                good = source.read_text(encoding="utf-8")
                source.write_text(good.replace("owner: ", "owner: [", 1), encoding="utf-8")
                broken, stats, _ = session.update()
                assert not broken.ok and stats is None
                source.write_text(good.replace("本流程（改）适用于", "本流程适用于", 1), encoding="utf-8")
            else:
                edit(project)
            result, stats, focus = session.update()
            assert result.ok, [d.format() for d in result.diagnostics]
            outcomes[name] = (tree(project / "docs" / "library"), whole_build(project, False), focus)
        return outcomes
    finally:
        os.chdir(here)


def test_the_first_update_is_a_whole_build(shipped_library_session):
    focused, whole, focus = shipped_library_session["first"]
    assert focus is None and focused == whole


@pytest.mark.parametrize("edit", list(EDITS))
def test_after_an_edit_only_its_part_is_redone_and_the_result_equals_a_whole_build(shipped_library_session, edit):
    focused, whole, focus = shipped_library_session[edit]
    assert focus is not None  # the edit was focused, not a whole build
    assert focus.procedures == EDITS[edit][1]
    assert sorted(focused) == sorted(whole)
    assert [path for path in whole if focused[path] != whole[path]] == []


def test_a_changed_shared_declaration_rebuilds_the_whole_library(tmp_path, monkeypatch):
    project = copy_project(tmp_path / "project")
    monkeypatch.chdir(project)
    session = Session(["procedure"], Path("docs"), pdf=False, today=TODAY)
    assert session.update()[2] is None
    shared = project / "procedure" / "_shared.yaml"
    shared.write_text(shared.read_text(encoding="utf-8") + "\n# a comment\n", encoding="utf-8")
    result, stats, focus = session.update()
    assert result.ok and focus is None
    assert_equals_a_whole_build(project, False)


def _small_library(folder: Path) -> None:
    """Three procedures sharing one department role, with forms and checklists (few PDFs)."""
    folder.mkdir(parents=True)
    for index in range(3):
        data = procedure(index, steps=4, roles=2, documents=1, forms=1, revisions=1)
        data["roles"][-1] = {"id": "dept-0", "name": {"zh": "部门0", "en": "Department 0"}}
        for item in [*data["steps"], *data["documents"], *data["forms"]]:
            for key in ("owner", "producer", "recipient"):
                if item.get(key, "").startswith("dept-"):
                    item[key] = "dept-0"
        (folder / f"proc-{index:04d}.yaml").write_text(dump(data), encoding="utf-8")


def small_library_session(tmp_path: Path) -> tuple[Path, Session]:
    """A session (PDFs included) over the small library, after its first, whole build; cwd: the project."""
    seed = tmp_path / "seed"
    _small_library(seed)
    project = copy_project(tmp_path / "project", seed)
    os.chdir(project)
    session = Session(["procedure"], Path("docs"), pdf=True, today=TODAY, pages_first=True)  # as `make serve`'s worker
    assert session.update()[0].ok
    return project, session


def assert_equals_a_whole_build(project: Path, pdf: bool) -> dict[str, bytes]:
    focused, whole = tree(project / "docs" / "library"), whole_build(project, pdf)
    assert sorted(focused) == sorted(whole)
    assert [path for path in whole if focused[path] != whole[path]] == []
    return focused


def test_pdfs_of_an_edited_procedure_are_redone_after_its_pages_and_equal_a_whole_build(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # restored after the test
    project, session = small_library_session(tmp_path)
    # A step of the shared role renamed: its checklists (in this procedure and across procedures) change.
    source = project / "procedure" / "proc-0001.yaml"
    data = source.read_text(encoding="utf-8")
    step_title = data.split("steps:\n- id: s1\n  title:\n    zh: ", 1)[1].split("\n", 1)[0]
    replace_in(source, f"zh: {step_title}", f"zh: {step_title}改")
    result, stats, focus = session.update()
    # The other procedures keep their pages: the role's declaration did not change.
    assert result.ok and focus.procedures == {"proc-0001"} and "dept-0" in focus.roles
    assert stats.pdfs.rendered > 0
    written = stats.write.written  # the pages in the first burst, the PDFs in the second
    first_pdf = next(i for i, path in enumerate(written) if path.endswith(".pdf"))
    assert first_pdf > 0 and all(path.endswith(".pdf") for path in written[first_pdf:])
    assert_equals_a_whole_build(project, True)


def test_the_worker_says_an_edits_pages_are_written_before_its_pdfs_and_says_nothing_when_nothing_changed(tmp_path, monkeypatch):
    """`make serve`'s worker prints the word MkDocs rebuilds on (publish/watch.py ``PAGES_WRITTEN``) when the
    edit's pages are on disk and its procedure's PDFs are not yet."""
    monkeypatch.chdir(tmp_path)  # restored after the test
    project, session = small_library_session(tmp_path)
    library = project / "docs" / "library" / "proc-0001"
    pdfs = {path: path.stat().st_mtime_ns for path in library.glob("*.pdf")}
    told = []

    def pages_written():
        page = (library / "index.zh.md").read_text(encoding="utf-8")
        told.append(("步骤改" in page, [p.name for p, mtime in pdfs.items() if p.stat().st_mtime_ns != mtime]))

    session.pages_written = pages_written
    source = project / "procedure" / "proc-0001.yaml"
    data = source.read_text(encoding="utf-8")
    step_title = data.split("steps:\n- id: s1\n  title:\n    zh: ", 1)[1].split("\n", 1)[0]
    replace_in(source, f"zh: {step_title}", "zh: 步骤改")
    result, stats, _ = session.update()
    assert result.ok and stats.pdfs.rendered > 0
    assert told == [(True, [])]
    assert any(p.stat().st_mtime_ns != mtime for p, mtime in pdfs.items())  # rendered after the word
    session.update()
    assert len(told) == 1


def test_a_role_declaration_changed_in_its_first_procedure_equals_a_whole_build(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # restored after the test
    project, session = small_library_session(tmp_path)
    # The library names a role by its first declaration (proc-0000's): the role page shows its department.
    replace_in(project / "procedure" / "proc-0000.yaml", "- id: dept-0\n  name:\n",
               "- id: dept-0\n  department:\n    zh: 质量部\n    en: Quality Department\n  name:\n")
    result, stats, focus = session.update()
    assert result.ok, [d.format() for d in result.diagnostics]
    assert "proc-0000" in focus.procedures and "dept-0" in focus.roles
    assert "质量部".encode() in assert_equals_a_whole_build(project, True)["roles/dept-0.zh.md"]
