"""The one place that runs WeasyPrint. PDFs are cached by the content of their HTML and
rendered in parallel worker processes (WeasyPrint is CPU-bound Python).

Each worker keeps one font configuration and the stylesheets it has parsed for its whole life: the
compact CJK fonts (two 3 MB files) are loaded into Fontconfig once per worker, not once per
document, and the stylesheet every document shares (pdf.css and the font faces) is parsed once.
That takes about a third off the CPU time of a form or checklist (bench/RESULTS.md).

A PDF is cached by its HTML with the date it is generated on left out (``cache_key``): the date sits in
a ``<style data-generated>`` of the document's head (``dated_style``) and nowhere else, so a PDF whose
content has not changed is not rendered again the next day, and keeps the date it was truly generated
on ("generated <date>" in its footer stays true). Whatever else depends on the day (a revision's
state, a review that is overdue, a draft stamp) is in the content, and so in the key."""
from __future__ import annotations

import hashlib
import os
import re
import resource
import shutil
import tempfile
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from ..source.lifeline import die_with_parent
from .fonts import FONT_URL
from ..source.progress import Progress
from ..source.writer import atomic_write, mark_used

CACHE_DIR = Path(".cache/pdf")

_DATED_STYLE = re.compile(r"<style data-generated>[^<]*</style>")


def dated_style(css: str) -> str:
    """The one element of a document's head that holds its generation date (CSS, without a "<")."""
    if "<" in css:
        raise ValueError("a dated style is CSS text without '<'")
    return f"<style data-generated>{css}</style>"


def cache_key(html: str) -> str:
    """The digest a PDF is cached by: its HTML less the first dated style of its head, and with the
    compact fonts named by file name, not by the folder they lie in (a library copied or checked out
    elsewhere finds its PDFs). Only in the head: text of a procedure is escaped, so it cannot form either,
    and the body is hashed whole."""
    end = html.find("</head>")
    head = html[:end] if end >= 0 else ""
    undated = FONT_URL.sub(r'url("\1")', _DATED_STYLE.sub("", head, count=1)) + html[len(head):]
    return hashlib.sha256(undated.encode("utf-8")).hexdigest()

# WeasyPrint always runs in worker processes, under limits: address space, and CPU seconds per
# document (a form or checklist within check's limits takes about a second).
# The environment may lower them (a test builds the largest input check accepts within the budgets
# SECURITY.md states); nothing raises them above what a build machine can give.
PDF_CPU_SECONDS = min(120, int(os.environ.get("PROCEDURES_PDF_CPU_SECONDS", "120")))
PDF_MEMORY_BYTES = min(3 << 30, int(os.environ.get("PROCEDURES_PDF_MEMORY_MB", "3072")) << 20)


class PdfError(Exception):
    """A PDF that WeasyPrint could not render within its limits."""


def _limit_worker(parent: int, scratch: str) -> None:
    die_with_parent(parent)  # a killed build leaves no worker behind
    resource.setrlimit(resource.RLIMIT_AS, (PDF_MEMORY_BYTES, PDF_MEMORY_BYTES))
    # WeasyPrint copies each @font-face font into a temporary folder of its font configuration; the
    # worker's one configuration lives as long as the worker, whose end never collects it: its folder
    # is made in the build's scratch folder, which the build removes when its workers are done.
    tempfile.tempdir = scratch


@dataclass
class PdfStats:
    rendered: int = 0
    cached: int = 0


_HEAD_STYLE = re.compile(r"<style\b[^>]*>(.*?)</style>", re.S | re.I)
_worker_fonts = None  # this worker's FontConfiguration
_worker_sheets: dict[str, object] = {}  # parsed stylesheets of this worker, by their text's digest
_SHEETS_KEPT = 64  # a few shared sheets, one footer per kind and language, one dated sheet: never more in one build


def _split_styles(html: str) -> tuple[str, list[str]]:
    """The document without the <style> elements of its <head>, and their texts in order."""
    end = html.find("</head>")
    if end < 0:
        return html, []
    head = html[:end]
    return _HEAD_STYLE.sub("", head) + html[end:], _HEAD_STYLE.findall(head)


def _render_one(html: str) -> bytes:
    global _worker_fonts
    import weasyprint  # imported in the worker: keeps start-up of the CLI fast

    from weasyprint.text.fonts import FontConfiguration

    used = resource.getrusage(resource.RUSAGE_SELF)  # the CPU limit counts from this document on
    resource.setrlimit(resource.RLIMIT_CPU, (int(used.ru_utime + used.ru_stime) + PDF_CPU_SECONDS, resource.RLIM_INFINITY))
    if _worker_fonts is None:
        _worker_fonts = FontConfiguration()
    # The head's stylesheets, parsed once per worker and given in the document's order. Given to
    # WeasyPrint as the user's stylesheets they all sit one level below the document's own, which
    # now holds no stylesheet: their order among themselves, and inline styles winning, are as before.
    body, styles = _split_styles(html)
    sheets = []
    for text in styles:
        key = hashlib.sha256(text.encode("utf-8")).hexdigest()
        sheet = _worker_sheets.get(key)
        if sheet is None:
            if len(_worker_sheets) >= _SHEETS_KEPT:
                _worker_sheets.clear()
            sheet = _worker_sheets[key] = weasyprint.CSS(string=text, font_config=_worker_fonts)
        sheets.append(sheet)
    return weasyprint.HTML(string=body).write_pdf(stylesheets=sheets, font_config=_worker_fonts)


@dataclass
class PdfRenderer:
    cache_dir: Path = CACHE_DIR
    stats: PdfStats = field(default_factory=PdfStats)

    def _cache_path(self, html: str) -> Path:
        return self.cache_dir / (cache_key(html) + ".pdf")

    def render_many(self, documents: list[str], workers: int | None = None, names: list[str] | None = None) -> list[bytes]:
        """PDF bytes for each HTML document; only those not cached are rendered, across all cores."""
        return self.start(documents, workers, names).result()

    def start(self, documents: list[str], workers: int | None = None, names: list[str] | None = None) -> "Rendering":
        """Start rendering ``documents`` (those not cached) in worker processes and return at once:
        the caller goes on with other work; ``result()`` waits for the PDF bytes of each.
        ``names``: what each document is (its output path), for the error when one fails."""
        results: list[bytes | None] = []
        missing: list[int] = []
        first: dict[str, int] = {}  # the same document twice (a form printed alike in both languages) is rendered once
        for index, html in enumerate(documents):
            cached = self._cache_path(html)
            if cached.exists():
                mark_used(cached)
                results.append(cached.read_bytes())
                self.stats.cached += 1
            else:
                results.append(None)
                if html not in first:
                    first[html] = index
                    missing.append(index)
        pool = future = scratch = None
        if missing:
            todo = [documents[i] for i in missing]
            scratch = tempfile.mkdtemp(prefix="procedures-pdf-")
            # never in this process: the limits apply to the workers only
            pool = ProcessPoolExecutor(max_workers=min(workers or os.cpu_count() or 1, len(todo)), initializer=_limit_worker,
                                       initargs=(os.getpid(), scratch))
            future = [pool.submit(_render_chunk, todo[i:i + CHUNK]) for i in range(0, len(todo), CHUNK)]
        # After the submits: the workers are forked before the progress line's thread starts.
        progress = Progress("PDFs (WeasyPrint)", len(missing)) if missing else None
        return Rendering(self, documents, results, missing, pool, future, progress, names or [], scratch)


CHUNK = 8  # documents per task: few tasks for thousands of forms, and both cores busy for a few


def _render_chunk(documents: list[str]) -> list[bytes]:
    return [_render_one(html) for html in documents]


@dataclass
class Rendering:
    """PDFs being rendered (PdfRenderer.start)."""

    renderer: PdfRenderer
    documents: list[str]
    results: list
    missing: list[int]
    pool: ProcessPoolExecutor | None
    tasks: list | None
    progress: Progress | None = None
    names: list[str] = field(default_factory=list)
    scratch: str | None = None  # the workers' temporary folder (their font copies), removed when they are done

    def _names_of_task(self, task: int) -> str:
        indexes = self.missing[task * CHUNK:(task + 1) * CHUNK]
        named = [self.names[i] for i in indexes if i < len(self.names)]
        if not named:
            return ""
        return (f" on {named[0]}" if len(named) == 1 else
                f" on one of {', '.join(named)}")

    def result(self) -> list[bytes]:
        if self.pool is None:
            return self.results
        rendered = []
        try:
            sizes = {task: min(CHUNK, len(self.missing) - i * CHUNK) for i, task in enumerate(self.tasks)}
            number = {task: i for i, task in enumerate(self.tasks)}
            for task in as_completed(self.tasks):
                try:
                    task.result()  # the first failure stops the wait
                except (BrokenProcessPool, Exception) as exc:  # noqa: BLE001 - short of memory, anything can fail
                    raise PdfError(f"WeasyPrint stopped{self._names_of_task(number[task])}, within its limits of "
                                   f"{PDF_CPU_SECONDS} CPU seconds per document and {PDF_MEMORY_BYTES >> 20} MiB: "
                                   f"{type(exc).__name__}: {exc}") from None
                self.progress.advance(sizes[task])
            rendered = [pdf for task in self.tasks for pdf in task.result()]
        finally:
            self.progress.finish()
            self.pool.shutdown(cancel_futures=True)
            self.pool = None
            if self.scratch:
                shutil.rmtree(self.scratch, ignore_errors=True)
        by_document = {}
        for index, pdf in zip(self.missing, rendered):
            atomic_write(self.renderer._cache_path(self.documents[index]), pdf)
            by_document[self.documents[index]] = pdf
        for index, pdf in enumerate(self.results):
            if pdf is None:
                self.results[index] = by_document[self.documents[index]]
        self.renderer.stats.rendered += len(self.missing)
        return self.results
