"""Where each generated page lives, relative to docs/ (language suffix added on write)."""
from __future__ import annotations

import functools
import hashlib
import posixpath
import re

from .versions import version_key

OUTPUT_DIR = "library"  # docs/library/: generated, ignored by git


def procedure_page(slug: str) -> str:
    return f"{OUTPUT_DIR}/{slug}/index.md"


def document_page(slug: str, doc_id: str) -> str:
    """Where a document's own page was: now a redirect to its row on the procedure page."""
    return f"{OUTPUT_DIR}/{slug}/doc-{file_part(doc_id)}.md"


def document_anchor(doc_id: str) -> str:
    """The document's row in the procedure page's document-flow table."""
    return f"doc-{doc_id}"


def form_page(slug: str, form_id: str) -> str:
    return f"{OUTPUT_DIR}/{slug}/form-{file_part(form_id)}.md"


def role_page(role_id: str) -> str:
    return f"{OUTPUT_DIR}/roles/{file_part(role_id)}.md"


def checklist_page(slug: str, role_id: str) -> str:
    """Where a role's checklist in one procedure was: now a redirect to the role page (its PDF stays here)."""
    return f"{OUTPUT_DIR}/{slug}/checklist-{file_part(role_id)}.md"


def combined_checklist_page(role_id: str) -> str:
    """Where a role's checklist across procedures was: now a redirect to the role page (its PDF stays here)."""
    return f"{OUTPUT_DIR}/checklists/{file_part(role_id)}.md"


def pdf_beside(page: str, lang: str) -> str:
    """The PDF of a page sits beside its Markdown file: library/x/form-y.md -> library/x/form-y_zh.pdf."""
    return page.removesuffix(".md") + f"_{lang}.pdf"


def procedure_pdf(slug: str, version: str, lang: str) -> str:
    """The controlled copy of a procedure: library/x/x_a-2_zh.pdf (the version in the name, so a
    downloaded file says which revision it holds)."""
    return f"{OUTPUT_DIR}/{slug}/{slug}_{version_slug(version)}_{lang}.pdf"


def history_page(slug: str) -> str:
    return f"{OUTPUT_DIR}/{slug}/history.md"


def archive_page(slug: str, version: str) -> str:
    """Archived (obsolete) revision: library/x/history/a-0.md for version A/0."""
    return f"{OUTPUT_DIR}/{slug}/history/{version_slug(version)}.md"


def form_version_pdf(slug: str, form_id: str, version: str, lang: str) -> str:
    """The blank PDF of an earlier version of a form, in a folder of its own named by the form's id:
    library/x/form-y/a-0_zh.pdf. (It was library/x/form-y-a-0_zh.pdf, which a new form with the id
    ``y-a-0`` took over: its current blank form was written to the same name.)"""
    return f"{OUTPUT_DIR}/{slug}/form-{file_part(form_id)}/{version_slug(version)}_{lang}.pdf"


def compare_page(slug: str, old: str, new: str) -> str:
    """Comparison of two revisions: library/x/compare/a-0--a-1.md. Made for consecutive revisions only;
    any other pair's address (published before) leads to the comparisons page (``compare_index``)."""
    return f"{OUTPUT_DIR}/{slug}/compare/{compare_anchor(old, new)}.md"


def compare_index(slug: str) -> str:
    """The comparisons page of a procedure: every step from one revision to the next, and a picker of
    any two: library/x/compare/index.md (its #a-0--a-2 chooses a pair)."""
    return f"{OUTPUT_DIR}/{slug}/compare/index.md"


def compare_anchor(old: str, new: str) -> str:
    """A pair of revisions as a name: a-0--a-2 (a comparison page's file name, the picker's fragment)."""
    return f"{version_slug(old)}--{version_slug(new)}"


_ID = re.compile(r"[a-z0-9][a-z0-9-]*")


def is_valid_id(item_id: str) -> bool:
    """The id pattern check enforces; revisions from main's history were never checked."""
    return bool(_ID.fullmatch(item_id))


def file_part(item_id: str) -> str:
    """An id as part of a file name: itself when valid; else named by its digest ('x_…' is no valid
    id), for the revisions from main's history, never checked, whose ids may hold '/' or '..'."""
    if is_valid_id(item_id):
        return item_id
    return "x_" + hashlib.sha256(item_id.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def version_slug(version: str) -> str:
    """A/2 -> a-2. A version from main's history was never checked: one that is not of the form A/0
    is named by its digest ('x_…'), so it can neither hold a path separator nor pass for another."""
    if version_key(version) is None:
        return "x_" + hashlib.sha256(str(version).encode("utf-8", "surrogatepass")).hexdigest()[:16]
    return version.lower().replace("/", "-")


class DuplicateOutput(Exception):
    """Two outputs of one build would be written to the same file: one would silently replace the other."""

    def __init__(self, path: str, first: str = "", second: str = ""):
        super().__init__(path)
        self.path, self.first, self.second = path, first, second


def claim(outputs: dict, path: str, value, owner: str = "") -> None:
    """``outputs[path] = value``, refusing (``DuplicateOutput``) a path another output already took."""
    if path in outputs:
        raise DuplicateOutput(path, owner)
    outputs[path] = value


FLOW_MATRIX = f"{OUTPUT_DIR}/flow-matrix.md"
ROLE_INDEX = f"{OUTPUT_DIR}/roles/index.md"
RECORDS_REGISTER = f"{OUTPUT_DIR}/records.md"
DEVIATIONS_REGISTER = f"{OUTPUT_DIR}/deviations.md"  # every deviation and withdrawal record of the library
DISTRIBUTION = f"{OUTPUT_DIR}/distribution.md"  # the controlled documents of each department, role, outside party
MASTER_LIST = f"{OUTPUT_DIR}/index.md"
MASTER_LIST_SNIPPET = f"{OUTPUT_DIR}/_snippets/master-list"  # + .<lang>.md, included by docs/index
RECENT_CHANGES = f"{OUTPUT_DIR}/changes.md"  # revisions that took effect recently or will take effect
CHANGES_FEED = f"{OUTPUT_DIR}/changes.xml"  # the same, as an Atom feed (one per language)


def url_of(page: str) -> str:
    """The directory URL MkDocs gives a page (use_directory_urls): library/x/history.md -> library/x/history/."""
    stem = page.removesuffix(".md")
    return (stem.removesuffix("index") if stem.endswith("/index") or stem == "index" else stem + "/")


def relative_url(from_page: str, to_page: str) -> str:
    """A relative URL between two pages' directory URLs (for raw HTML, where MkDocs rewrites nothing)."""
    return _relpath(url_of(to_page), url_of(from_page)) + "/"


def relative(from_page: str, to_page: str, anchor: str = "") -> str:
    """A relative Markdown link target from one docs page to another."""
    target = _relpath(to_page, posixpath.dirname(from_page))
    return target + (f"#{anchor}" if anchor else "")


# A library's pages link to the same few hundred pages thousands of times (every role, every procedure
# of a list), and relpath works out the absolute form of both paths each time.
_relpath = functools.lru_cache(maxsize=1 << 16)(posixpath.relpath)


def output_url_from_procedure(proc, output_id: str) -> str:
    """URL of a document (a row of the procedure page) or form page relative to its procedure page's URL."""
    if proc.document(output_id) is not None:
        return f"./#{document_anchor(output_id)}"
    return f"form-{output_id}/"


def url(page: str) -> str:
    """The directory URL of a docs page, relative to its language's root: library/x/index.md -> library/x/."""
    stem = page.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return stem + "/"


def flowchart_file(slug: str, lang: str) -> str:
    """The standalone SVG of a chart, beside the procedure page."""
    return f"{OUTPUT_DIR}/{slug}/{slug}_flowchart_{lang}.svg"


# --- names the generator uses itself: a procedure file or role id must not take them -------------

LIBRARY_PAGES = (FLOW_MATRIX, ROLE_INDEX, RECORDS_REGISTER, DEVIATIONS_REGISTER, MASTER_LIST, MASTER_LIST_SNIPPET + ".md",
                 RECENT_CHANGES, DISTRIBUTION)
_ANY = "any-id"


def _first_name(page: str) -> str:
    """The name a page or folder takes directly under the output folder: library/roles/x.md -> roles."""
    return page.removeprefix(OUTPUT_DIR + "/").split("/")[0].removesuffix(".md")


def reserved_slugs() -> frozenset[str]:
    """Names a procedure's folder (its file name) must not take: each would fall on a library page
    (``records.yaml`` -> library/records/, the records register's URL) or folder (``roles.yaml``)."""
    return frozenset(_first_name(page) for page in LIBRARY_PAGES + (role_page(_ANY), combined_checklist_page(_ANY)))


def reserved_role_ids() -> frozenset[str]:
    """Role ids whose page would replace a fixed page in the role folders (``index``: the role index)."""
    role_folders = {posixpath.dirname(role_page(_ANY)), posixpath.dirname(combined_checklist_page(_ANY))}
    return frozenset(posixpath.basename(page).removesuffix(".md") for page in LIBRARY_PAGES
                     if posixpath.dirname(page) in role_folders) | {"index"}  # index.md: every folder's own page
